//! bootcheck: judge a VM's boot from its serial console.
//!
//! The pipeline, one module each:
//! console source ([`console`]: pty, unix socket, saved log) ->
//! line splitter ([`lines`]: ANSI/CR cleanup) ->
//! matcher ([`patterns`]: one compiled pattern set) ->
//! phase machine ([`judge`] for the boot, [`session`] for login and probes,
//! both driven by the [`engine`], which owns the VM) ->
//! report writers ([`report`]: JSON, JUnit, human, compare;
//! [`verdict_line`]: one line).
//! [`kind`] names what a match means, [`prompt`] owns the login-prompt
//! rules, [`rust`] reads the details of a Rust failure line, [`text`]
//! makes console text safe to print, [`spec`] reads the JSON spec.
//! [`run`] wires them together for the command line; [`error`] says why
//! it could not.
//! [`oxidation`] classifies programs and libraries by source language.

pub mod console;
pub mod engine;
pub mod error;
pub mod judge;
pub mod kind;
pub mod lines;
pub mod needles;
pub mod oxidation;
pub mod patterns;
pub mod prompt;
pub mod report;
pub mod run;
pub mod rust;
pub mod session;
pub mod spec;
pub mod text;
pub mod verdict_line;

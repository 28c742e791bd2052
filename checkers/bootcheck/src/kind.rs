//! What a pattern's match means, as types: the built-in kinds, the
//! milestones of a boot, and the kinds a spec names for its own patterns.
//!
//! Reports and specs spell a kind as a string (`kernel-panic`,
//! `multi_user`, `my-daemon`); here it is an enum, so every `match` on a
//! kind is checked by the compiler and no name is compared by its letters.

use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A built-in failure, success or warning kind (the patterns themselves are
/// in [`crate::patterns::builtin`]). Spelled in kebab-case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Builtin {
    // Failures.
    RustPanic,
    RustStackOverflow,
    RustAllocFailure,
    RustRuntimeError,
    InitFailure,
    KernelPanic,
    KernelOops,
    SleepingInAtomic,
    KernelBug,
    InvalidOpcode,
    Stage1Failure,
    EmergencyMode,
    SystemdCrash,
    LoginIncorrect,
    LoginTimedOut,
    // Successes: getty's prompts (see `crate::prompt`).
    Autologin,
    LoginPrompt,
    // Warnings.
    UnitFailed,
    KernelWarning,
    DeviceTimeout,
    DependencyFailed,
}

impl Builtin {
    pub fn as_str(self) -> &'static str {
        match self {
            Builtin::RustPanic => "rust-panic",
            Builtin::RustStackOverflow => "rust-stack-overflow",
            Builtin::RustAllocFailure => "rust-alloc-failure",
            Builtin::RustRuntimeError => "rust-runtime-error",
            Builtin::InitFailure => "init-failure",
            Builtin::KernelPanic => "kernel-panic",
            Builtin::KernelOops => "kernel-oops",
            Builtin::SleepingInAtomic => "sleeping-in-atomic",
            Builtin::KernelBug => "kernel-bug",
            Builtin::InvalidOpcode => "invalid-opcode",
            Builtin::Stage1Failure => "stage1-failure",
            Builtin::EmergencyMode => "emergency-mode",
            Builtin::SystemdCrash => "systemd-crash",
            Builtin::LoginIncorrect => "login-incorrect",
            Builtin::LoginTimedOut => "login-timed-out",
            Builtin::Autologin => "autologin",
            Builtin::LoginPrompt => "login-prompt",
            Builtin::UnitFailed => "unit-failed",
            Builtin::KernelWarning => "kernel-warning",
            Builtin::DeviceTimeout => "device-timeout",
            Builtin::DependencyFailed => "dependency-failed",
        }
    }

    /// The kinds of what Rust's standard library prints when a program
    /// fails (see [`crate::rust`]).
    pub fn is_rust(self) -> bool {
        match self {
            Builtin::RustPanic
            | Builtin::RustStackOverflow
            | Builtin::RustAllocFailure
            | Builtin::RustRuntimeError => true,
            Builtin::InitFailure
            | Builtin::KernelPanic
            | Builtin::KernelOops
            | Builtin::SleepingInAtomic
            | Builtin::KernelBug
            | Builtin::InvalidOpcode
            | Builtin::Stage1Failure
            | Builtin::EmergencyMode
            | Builtin::SystemdCrash
            | Builtin::LoginIncorrect
            | Builtin::LoginTimedOut
            | Builtin::Autologin
            | Builtin::LoginPrompt
            | Builtin::UnitFailed
            | Builtin::KernelWarning
            | Builtin::DeviceTimeout
            | Builtin::DependencyFailed => false,
        }
    }
}

/// A point of the boot whose first time is recorded. The names are the
/// keys of the report's `milestones` object (snake_case, as reports have
/// always had them). `kernel`, `initrd`, `init` and `multi_user` are also
/// the kinds of the milestone patterns; `first_output` and `login_prompt`
/// are set by the judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    FirstOutput,
    Kernel,
    Initrd,
    Init,
    MultiUser,
    LoginPrompt,
}

impl Milestone {
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::FirstOutput => "first_output",
            Milestone::Kernel => "kernel",
            Milestone::Initrd => "initrd",
            Milestone::Init => "init",
            Milestone::MultiUser => "multi_user",
            Milestone::LoginPrompt => "login_prompt",
        }
    }
}

impl fmt::Display for Milestone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a pattern, and of a console line it matched.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum PatternKind {
    Builtin(Builtin),
    Milestone(Milestone),
    /// A kind a spec (or `--success`/`--failure`) names for its own
    /// patterns: `my-daemon`, `custom-failure`, ... A spec pattern that
    /// names a built-in kind is of that kind.
    Custom(String),
}

/// `s` as one of serde's names of `T`, if it is one: the derive above is
/// the one list of names, so parsing cannot miss a variant.
fn by_serde_name<'de, T: Deserialize<'de>>(s: &'de str) -> Option<T> {
    T::deserialize(StrDeserializer::<ValueError>::new(s)).ok()
}

impl PatternKind {
    /// The kind a string names: built-in, milestone, or custom.
    pub fn parse(s: &str) -> PatternKind {
        if let Some(b) = by_serde_name(s) {
            PatternKind::Builtin(b)
        } else if let Some(m) = by_serde_name(s) {
            PatternKind::Milestone(m)
        } else {
            PatternKind::Custom(s.to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            PatternKind::Builtin(b) => b.as_str(),
            PatternKind::Milestone(m) => m.as_str(),
            PatternKind::Custom(s) => s,
        }
    }

    pub fn builtin(&self) -> Option<Builtin> {
        match self {
            PatternKind::Builtin(b) => Some(*b),
            PatternKind::Milestone(_) | PatternKind::Custom(_) => None,
        }
    }

    /// A Rust failure kind (see [`Builtin::is_rust`]).
    pub fn is_rust(&self) -> bool {
        self.builtin().is_some_and(Builtin::is_rust)
    }
}

impl From<Builtin> for PatternKind {
    fn from(b: Builtin) -> Self {
        PatternKind::Builtin(b)
    }
}

impl From<Milestone> for PatternKind {
    fn from(m: Milestone) -> Self {
        PatternKind::Milestone(m)
    }
}

impl PartialEq<Builtin> for PatternKind {
    fn eq(&self, other: &Builtin) -> bool {
        self.builtin() == Some(*other)
    }
}

impl fmt::Display for PatternKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PatternKind {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PatternKind {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(PatternKind::parse(&String::deserialize(d)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::{builtin, Class};

    #[test]
    fn every_builtin_pattern_kind_reads_back_as_itself() {
        for p in builtin() {
            let name = p.kind.as_str();
            assert_eq!(PatternKind::parse(name), p.kind, "{name}");
            let json = serde_json::to_string(&p.kind).unwrap();
            assert_eq!(json, format!("{name:?}"));
            match (&p.kind, p.class) {
                (PatternKind::Milestone(_), Class::Milestone) => {}
                (PatternKind::Builtin(b), c) if c != Class::Milestone => {
                    // as_str and serde's derive agree.
                    assert_eq!(serde_json::to_string(b).unwrap(), json);
                }
                (k, c) => panic!("{k} is a {c} pattern"),
            }
        }
    }

    #[test]
    fn milestones_keep_the_report_keys_and_other_names_are_custom() {
        for m in [
            Milestone::FirstOutput,
            Milestone::Kernel,
            Milestone::Initrd,
            Milestone::Init,
            Milestone::MultiUser,
            Milestone::LoginPrompt,
        ] {
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                format!("{:?}", m.as_str())
            );
            assert_eq!(PatternKind::parse(m.as_str()), PatternKind::Milestone(m));
        }
        assert_eq!(
            PatternKind::parse("my-daemon"),
            PatternKind::Custom("my-daemon".into())
        );
        assert_eq!(
            PatternKind::parse("multi-user"),
            PatternKind::Custom("multi-user".into())
        );
        assert!(PatternKind::parse("rust-panic").is_rust());
        assert!(!PatternKind::parse("kernel-panic").is_rust());
        assert_eq!(PatternKind::parse("kernel-panic"), Builtin::KernelPanic);
    }
}

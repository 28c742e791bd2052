//! brush-bash: installed as bin/bash and bin/sh, it reads bash's command
//! line and execs brush with the equivalent one.
//!
//! brush is found at the path fixed at build time (NIXOS_RS_BRUSH_PATH, set
//! by the Nix package) unless the environment variable NIXOS_RS_BRUSH names
//! another one. Exit status 2: a bash option brush cannot honour (the
//! message says which); 127: brush not found or not executable.

use brush_bash::{translate, Tty};
use std::ffi::CStr;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

fn is_tty(fd: i32) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

/// Serial lines and consoles answer no terminal queries.
fn dumb_terminal() -> bool {
    let term = std::env::var("TERM").unwrap_or_default();
    if term.is_empty() || term == "dumb" {
        return true;
    }
    // SAFETY: ttyname returns a pointer to a static buffer or null.
    let name = unsafe { libc::ttyname(0) };
    if name.is_null() {
        return false;
    }
    let name = unsafe { CStr::from_ptr(name) }.to_string_lossy();
    [
        "/dev/ttyS",
        "/dev/ttyAMA",
        "/dev/ttyUSB",
        "/dev/hvc",
        "/dev/console",
        "/dev/ttysclp",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

fn brush_path() -> Option<String> {
    std::env::var("NIXOS_RS_BRUSH")
        .ok()
        .filter(|p| !p.is_empty())
        .or_else(|| option_env!("NIXOS_RS_BRUSH_PATH").map(str::to_string))
}

fn main() -> ExitCode {
    let mut argv = std::env::args_os().map(|a| a.to_string_lossy().into_owned());
    let argv0 = argv.next().unwrap_or_else(|| "bash".into());
    let args: Vec<String> = argv.collect();
    let tty = Tty {
        stdin: is_tty(0),
        stderr: is_tty(2),
        dumb: is_tty(0) && dumb_terminal() || !is_tty(0),
    };
    let plan = match translate(&argv0, &args, tty) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e} (brush-bash)");
            return ExitCode::from(2);
        }
    };
    let Some(brush) = brush_path() else {
        eprintln!(
            "bash: brush-bash was built without a brush path; set NIXOS_RS_BRUSH to brush's binary"
        );
        return ExitCode::from(127);
    };
    if plan.interactive {
        // SAFETY: plain signal disposition changes before exec.
        unsafe {
            // Job control from a background group (SIGTTOU) must not stop
            // the shell, nor may Ctrl-Z (SIGTSTP). SIGTTIN stays: ignoring it
            // makes a background read fail with EIO and brush quit.
            libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::signal(libc::SIGTSTP, libc::SIG_IGN);
        }
    }
    if plan.takes_terminal(tty) {
        // Only interactive shells take the terminal; doing it for scripts
        // (stage-2 init) moves the foreground group under their feet.
        // SAFETY: setpgid/tcsetpgrp on our own process and stdin.
        unsafe {
            libc::setpgid(0, 0);
            libc::tcsetpgrp(0, libc::getpgrp());
        }
    }
    let err = Command::new(&brush)
        .arg0(&plan.argv0)
        .args(&plan.args)
        .exec();
    eprintln!("bash: cannot run brush at {brush}: {err} (set NIXOS_RS_BRUSH)");
    ExitCode::from(127)
}

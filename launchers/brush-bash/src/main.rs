//! brush-bash: installed as bin/bash and bin/sh, it reads bash's command
//! line and execs brush with the equivalent one (the translation is in
//! lib.rs; README.md has the table).
//!
//! brush is the binary fixed at build time (`NIXOS_RS_BRUSH_PATH`, set by
//! the Nix package) unless the environment variable `NIXOS_RS_BRUSH` names
//! another one. Exit status 2: bash's arguments ask for something brush
//! cannot do, or are invalid (the message says which); 127: brush cannot be
//! found or executed.

use brush_bash::{translate, Terminal};
use std::ffi::{CStr, OsString};
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

/// brush's path in the Nix store, fixed when the package is built.
const BUILT_IN_BRUSH: Option<&str> = option_env!("NIXOS_RS_BRUSH_PATH");

fn is_tty(fd: libc::c_int) -> bool {
    // SAFETY: isatty only inspects the descriptor.
    unsafe { libc::isatty(fd) == 1 }
}

fn tty_name(fd: libc::c_int) -> Option<String> {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: ttyname_r writes at most buf.len() bytes, NUL included.
    let rc = unsafe { libc::ttyname_r(fd, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return None;
    }
    // SAFETY: on success buf holds a NUL-terminated string.
    let name = unsafe { CStr::from_ptr(buf.as_ptr()) };
    Some(name.to_string_lossy().into_owned())
}

fn brush_path() -> Option<OsString> {
    match std::env::var_os("NIXOS_RS_BRUSH") {
        Some(path) if !path.is_empty() => Some(path),
        _ => BUILT_IN_BRUSH.map(OsString::from),
    }
}

fn main() -> ExitCode {
    let mut argv = std::env::args_os();
    let argv0 = argv.next().unwrap_or_else(|| "bash".into());
    let args: Vec<OsString> = argv.collect();
    let stdin_is_tty = is_tty(0);
    let terminal = Terminal {
        stdin_is_tty,
        stderr_is_tty: is_tty(2),
        term: std::env::var_os("TERM").map(|t| t.to_string_lossy().into_owned()),
        stdin_device: if stdin_is_tty { tty_name(0) } else { None },
    };
    let plan = match translate(&argv0, &args, &terminal) {
        Ok(plan) => plan,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(err.exit_code());
        }
    };
    let Some(brush) = brush_path() else {
        eprintln!(
            "bash: brush-bash: no brush to run: this build has no brush path built in; \
             set NIXOS_RS_BRUSH to brush's binary"
        );
        return ExitCode::from(127);
    };

    if plan.interactive {
        // SAFETY: changing signal dispositions before exec; no handlers.
        unsafe {
            // An interactive shell must not be stopped by job control: by
            // SIGTTOU when it moves the terminal's foreground group from a
            // background group, by SIGTSTP (Ctrl-Z) on its own terminal.
            // SIGTTIN stays as it is: ignored, a read from a background group
            // fails with EIO and brush exits with "input error occurred".
            // Scripts keep their dispositions: ignored signals survive exec
            // into every program a script starts.
            libc::signal(libc::SIGTTOU, libc::SIG_IGN);
            libc::signal(libc::SIGTSTP, libc::SIG_IGN);
        }
    }
    if plan.take_terminal {
        // brush moves itself into a new process group, takes the terminal
        // and at once hands it back to the group it found in the foreground;
        // started from a group other than the foreground one (getty, login,
        // su), it would end up reading from the background. Leading a group
        // that owns the terminal beforehand makes that a no-op. Never for
        // scripts: moving the foreground group under a non-interactive
        // parent (NixOS' stage-2 init) blocks it.
        // SAFETY: process-group calls on this process and on stdin.
        unsafe {
            libc::setpgid(0, 0);
            libc::tcsetpgrp(0, libc::getpgrp());
        }
    }

    let err = Command::new(&brush)
        .arg0(&plan.argv0)
        .args(&plan.args)
        .exec();
    eprintln!(
        "bash: brush-bash: cannot run brush at {}: {err}; set NIXOS_RS_BRUSH to brush's binary",
        brush.to_string_lossy()
    );
    ExitCode::from(127)
}

//! bootcheck's errors: what stops it from doing its job. Each carries what
//! bootcheck was doing and on what, and the cause; every one is exit
//! code 2 (a usage or infrastructure error, not a verdict on the boot).

use crate::console::{ConsoleError, VmExit};
use crate::patterns::PatternError;
use std::fmt;
use std::io;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// A command-line value that makes no sense.
    Usage(String),
    /// The spec file cannot be read.
    SpecUnreadable { path: PathBuf, source: io::Error },
    /// The spec is not JSON of the schema, or breaks one of its rules.
    SpecInvalid { origin: String, reason: String },
    /// The patterns (built in, the spec's, the command line's) do not compile.
    Pattern(PatternError),
    /// The VM command or its console could not be set up.
    Console(ConsoleError),
    /// The VM's serial socket could not be reached; how the VM command
    /// ended meanwhile and what it printed.
    Socket {
        error: ConsoleError,
        exit: VmExit,
        output: String,
    },
    /// An input (a saved log, a report) cannot be read.
    Read {
        what: &'static str,
        path: String,
        source: io::Error,
    },
    /// An output cannot be created or written (`path` none: stdout).
    Write {
        what: &'static str,
        path: Option<PathBuf>,
        source: io::Error,
    },
    /// A file that should be a bootcheck report is not one.
    NotAReport {
        path: String,
        source: serde_json::Error,
    },
}

impl Error {
    /// bootcheck's exit code for it: 2, a usage or infrastructure error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_)
            | Error::SpecUnreadable { .. }
            | Error::SpecInvalid { .. }
            | Error::Pattern(_)
            | Error::Console(_)
            | Error::Socket { .. }
            | Error::Read { .. }
            | Error::Write { .. }
            | Error::NotAReport { .. } => 2,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(msg) => f.write_str(msg),
            Error::SpecUnreadable { path, source } => {
                write!(
                    f,
                    "cannot read spec {}: {}",
                    path.display(),
                    io_reason(source)
                )
            }
            Error::SpecInvalid { origin, reason } => write!(f, "invalid spec {origin}: {reason}"),
            Error::Pattern(e) => e.fmt(f),
            Error::Console(e) => e.fmt(f),
            Error::Socket {
                error,
                exit,
                output,
            } => {
                write!(f, "{error} (VM exit: {:?}/{:?})", exit.code, exit.signal)?;
                let output = output.trim_end();
                if !output.is_empty() {
                    write!(f, "; its output:\n{output}")?;
                }
                Ok(())
            }
            Error::Read { what, path, source } => {
                write!(f, "cannot read {what} {path}: {}", io_reason(source))
            }
            Error::Write {
                what,
                path: Some(path),
                source,
            } => write!(f, "cannot {what} {}: {}", path.display(), io_reason(source)),
            Error::Write {
                what,
                path: None,
                source,
            } => write!(f, "cannot {what} to stdout: {}", io_reason(source)),
            Error::NotAReport { path, source } => {
                write!(f, "{path} is not a bootcheck report: {source}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Usage(_) | Error::SpecInvalid { .. } => None,
            Error::SpecUnreadable { source, .. }
            | Error::Read { source, .. }
            | Error::Write { source, .. } => Some(source),
            Error::Pattern(e) => Some(e),
            Error::Console(e) | Error::Socket { error: e, .. } => Some(e),
            Error::NotAReport { source, .. } => Some(source),
        }
    }
}

impl From<PatternError> for Error {
    fn from(e: PatternError) -> Self {
        Error::Pattern(e)
    }
}

impl From<ConsoleError> for Error {
    fn from(e: ConsoleError) -> Self {
        Error::Console(e)
    }
}

/// What went wrong with a file or a process, in words: the system's
/// message for its error number (`No such file or directory`), without
/// the number Rust adds (`(os error 2)`).
pub fn io_reason(e: &io::Error) -> String {
    match e.raw_os_error() {
        Some(code) => nix::errno::Errno::from_raw(code).desc().to_string(),
        None => e.to_string(),
    }
}

/// A regex error in one line: the `regex` crate's syntax errors draw the
/// pattern with a caret under the fault on several lines; the reason is
/// on the one that starts with `error: `.
pub fn regex_reason(e: &regex::Error) -> String {
    let text = e.to_string();
    match text.lines().find_map(|l| l.trim().strip_prefix("error: ")) {
        Some(reason) => reason.to_string(),
        None => text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_say_what_on_what_and_why_in_one_line() {
        let missing = io::Error::from_raw_os_error(libc::ENOENT);
        let e = Error::Console(ConsoleError::Start {
            program: "run-nixos-vm".into(),
            source: missing,
        });
        assert_eq!(
            e.to_string(),
            "cannot start VM command `run-nixos-vm`: No such file or directory"
        );
        assert_eq!(e.exit_code(), 2);
        let e = Error::Read {
            what: "log",
            path: "boot.log".into(),
            source: io::Error::from_raw_os_error(libc::EISDIR),
        };
        assert_eq!(e.to_string(), "cannot read log boot.log: Is a directory");
        let unclosed = String::from("a(b");
        let bad = regex::Regex::new(&unclosed).unwrap_err();
        assert_eq!(regex_reason(&bad), "unclosed group");
    }
}

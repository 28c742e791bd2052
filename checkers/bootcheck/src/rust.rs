//! What a Rust failure line says: thread, location, message and the
//! program that printed it.
//!
//! The patterns in [`crate::patterns`] find the line; this module reads it
//! and the console lines around it, in every format Rust has printed:
//!
//! ```text
//! thread 'main' panicked at 'msg', src/main.rs:5:9        before 1.73
//! thread 'main' panicked at src/main.rs:5:9:              1.73 to 1.90
//! msg
//! thread 'main' (1) panicked at src/main.rs:5:9:          1.91 and later
//! msg
//! thread 'main' (1) has overflowed its stack              stack overflow
//! fatal runtime error: stack overflow, aborting
//! memory allocation of 1024 bytes failed                  allocation failure
//! ```
//!
//! A line may carry a prefix: a kernel timestamp, or `name[pid]: ` as the
//! journal prints a service's output on the console.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// How many console lines after a Rust failure line a report keeps (the
/// message, a backtrace, the kernel panic that follows).
pub const AFTER_LINES: usize = 10;

/// Details of a Rust failure; absent fields are left out of the JSON.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RustFailure {
    /// The thread's name (`main`, `<unnamed>`, or the name it was given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    /// The OS thread id (Rust 1.91 and later print it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread_id: Option<u64>,
    /// `file:line:column` of the panic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The panic message (the lines after the panic line since 1.73, the
    /// quoted part before), the reason of an abort, or the allocation line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The program's name where the console shows it (`name[pid]: ` prefix).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    /// Its process id: from the prefix, or the thread id of the main thread
    /// (on Linux the main thread's id is the process id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u64>,
    /// The systemd unit that failed with it (a `Failed to start` line or
    /// `foo.service: Main process exited` nearby).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

fn re(cell: &'static OnceLock<Regex>, src: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(src).expect("static regex"))
}

/// `[    1.234567] ` at the start of a line.
fn kernel_stamp() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^\[\s*\d+\.\d+\]\s?")
}

/// A prefix ending in `name[pid]: `, as the journal writes to the console.
fn process_prefix() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(?:^|\s)([A-Za-z0-9_.@+/-]+)\[(\d+)\]:\s*$")
}

fn thread_head() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"thread '([^']*)'(?: \((\d+)\))? (panicked at |has overflowed its stack)",
    )
}

/// `file:line:col` at the end of a 1.73+ panic line, with its colon.
fn new_location() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(\S.*:\d+:\d+):\s*$")
}

/// The tail of a pre-1.73 panic: `', file:line:col`.
fn old_tail() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"^(.*)', (\S+:\d+:\d+)\s*$")
}

fn alloc_failure() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"memory allocation of \d+ bytes failed")
}

fn unit_line() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"Failed to start (.+?)\.?\s*$|([A-Za-z0-9_.@\\-]+\.service): (?:Main process exited|Failed with result)",
    )
}

/// A line without its kernel timestamp and its `name[pid]: ` prefix.
fn body<'a>(line: &'a str, prefix: &str) -> &'a str {
    let line = match kernel_stamp().find(line) {
        Some(m) => &line[m.end()..],
        None => line,
    };
    if !prefix.is_empty() {
        if let Some(i) = line.find(prefix) {
            return &line[i + prefix.len()..];
        }
    }
    line
}

/// Where a message ends: Rust's own notes, a backtrace, an empty line,
/// another failure, or a kernel message (a line with a timestamp that is
/// not the program's own, i.e. when there is no `name[pid]: ` prefix).
fn ends_message(text: &str, raw: &str, prefix: &str) -> bool {
    text.trim().is_empty()
        || text.starts_with("note: ")
        || text.starts_with("stack backtrace:")
        || text.starts_with("fatal runtime error: ")
        || thread_head().is_match(text)
        || (prefix.is_empty() && kernel_stamp().is_match(raw))
}

const MESSAGE_LINES: usize = 8;

/// Read a Rust failure: `line` is the decisive line, `before` the console
/// lines before it (oldest first), `after` the lines after it.
pub fn describe(line: &str, before: &[String], after: &[String]) -> RustFailure {
    let mut f = RustFailure::default();
    // The prefix before the Rust text: `name[pid]: ` says the program.
    let start = thread_head()
        .find(line)
        .map(|m| m.start())
        .or_else(|| alloc_failure().find(line).map(|m| m.start()))
        .or_else(|| line.find("fatal runtime error: "))
        .unwrap_or(0);
    let head = &line[..start];
    let mut prefix = String::new();
    if let Some(c) = process_prefix().captures(head) {
        f.program = Some(c[1].to_string());
        f.pid = c[2].parse().ok();
        prefix = format!("{}[{}]: ", &c[1], &c[2]);
    }
    let text = &line[start..];
    // Only the following lines of the same program belong to the message
    // (with a prefix, other programs' lines may come in between).
    let following: Vec<&str> = after
        .iter()
        .filter(|l| prefix.is_empty() || l.contains(&prefix))
        .map(|l| l.as_str())
        .collect();
    let message_after = || -> Option<String> {
        let lines: Vec<&str> = following
            .iter()
            .take_while(|raw| !ends_message(body(raw, &prefix), raw, &prefix))
            .take(MESSAGE_LINES)
            .map(|raw| body(raw, &prefix))
            .collect();
        (!lines.is_empty()).then(|| lines.join("\n"))
    };
    if let Some(c) = thread_head().captures(text) {
        f.thread = Some(c[1].to_string());
        f.thread_id = c.get(2).and_then(|m| m.as_str().parse().ok());
        if f.pid.is_none() && f.thread.as_deref() == Some("main") {
            f.pid = f.thread_id;
        }
        let rest = &text[c.get(0).map_or(0, |m| m.end())..];
        if &c[3] == "panicked at " {
            if let Some(quoted) = rest.strip_prefix('\'') {
                // Before 1.73: the message in quotes, then the location; a
                // message with newlines goes on over the next lines.
                if let Some(t) = old_tail().captures(quoted) {
                    f.message = Some(t[1].to_string());
                    f.location = Some(t[2].to_string());
                } else {
                    let mut msg = vec![quoted.to_string()];
                    for raw in following.iter().take(MESSAGE_LINES) {
                        let b = body(raw, &prefix);
                        if let Some(t) = old_tail().captures(b) {
                            msg.push(t[1].to_string());
                            f.location = Some(t[2].to_string());
                            break;
                        }
                        msg.push(b.to_string());
                    }
                    if f.location.is_some() {
                        f.message = Some(msg.join("\n"));
                    }
                }
            } else {
                f.location = new_location().captures(rest).map(|l| l[1].to_string());
                f.message = message_after();
            }
        } else {
            // A stack overflow: the reason is on the next line.
            f.message = following
                .iter()
                .map(|raw| body(raw, &prefix))
                .take(2)
                .find_map(|b| b.strip_prefix("fatal runtime error: "))
                .map(|m| m.trim_end().to_string());
        }
    } else if let Some(m) = alloc_failure().find(text) {
        f.message = Some(m.as_str().to_string());
    } else if let Some(reason) = text.strip_prefix("fatal runtime error: ") {
        f.message = Some(reason.trim_end().to_string());
    }
    // A unit that failed: just before (a service started by systemd whose
    // failure is reported first) or, more usually, just after.
    f.unit = after
        .iter()
        .chain(before.iter().rev().take(5))
        .find_map(|l| {
            unit_line()
                .captures(l)
                .and_then(|c| c.get(1).or(c.get(2)))
                .map(|m| m.as_str().to_string())
        });
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &[&str]) -> Vec<String> {
        s.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn since_1_91_thread_id_and_message_on_the_next_line() {
        let f = describe(
            "thread 'main' (1) panicked at src/main.rs:5:44:",
            &[],
            &lines(&[
                "failed to read unit directory /etc/units: Os { code: 2, kind: NotFound }",
                "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
                "[    3.286174] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00006500",
            ]),
        );
        assert_eq!(f.thread.as_deref(), Some("main"));
        assert_eq!(f.thread_id, Some(1));
        assert_eq!(f.pid, Some(1));
        assert_eq!(f.location.as_deref(), Some("src/main.rs:5:44"));
        assert_eq!(
            f.message.as_deref(),
            Some("failed to read unit directory /etc/units: Os { code: 2, kind: NotFound }")
        );
        assert_eq!(f.program, None);
    }

    #[test]
    fn from_1_73_to_1_90_multi_line_message_until_the_note() {
        let f = describe(
            "thread '<unnamed>' panicked at src/lib.rs:10:5:",
            &[],
            &lines(&[
                "assertion `left == right` failed",
                "  left: 1",
                " right: 2",
                "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            ]),
        );
        assert_eq!(f.thread.as_deref(), Some("<unnamed>"));
        assert_eq!(f.thread_id, None);
        assert_eq!(f.pid, None, "an unnamed thread's id is not the pid");
        assert_eq!(
            f.message.as_deref(),
            Some("assertion `left == right` failed\n  left: 1\n right: 2")
        );
    }

    #[test]
    fn before_1_73_message_inline_or_over_lines() {
        let f = describe(
            "thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/main.rs:3:37",
            &[],
            &[],
        );
        assert_eq!(
            f.message.as_deref(),
            Some("called `Option::unwrap()` on a `None` value")
        );
        assert_eq!(f.location.as_deref(), Some("src/main.rs:3:37"));
        let f = describe(
            "thread 'main' panicked at 'assertion failed: `(left == right)`",
            &[],
            &lines(&[" left: `1`,", "right: `2`', src/main.rs:2:5", "note: x"]),
        );
        assert_eq!(
            f.message.as_deref(),
            Some("assertion failed: `(left == right)`\n left: `1`,\nright: `2`")
        );
        assert_eq!(f.location.as_deref(), Some("src/main.rs:2:5"));
    }

    #[test]
    fn journal_prefix_names_the_program_and_keeps_other_lines_out() {
        let f = describe(
            "[   12.5] unitd[412]: thread 'main' (412) panicked at src/unit.rs:9:1:",
            &lines(&["[  OK  ] Started unitd.service."]),
            &lines(&[
                "[   12.5] other[77]: unrelated",
                "[   12.5] unitd[412]: no such unit: foo.service",
                "[   12.5] unitd[412]: note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
                "[FAILED] Failed to start Unit Daemon.",
            ]),
        );
        assert_eq!(f.program.as_deref(), Some("unitd"));
        assert_eq!(f.pid, Some(412));
        assert_eq!(f.message.as_deref(), Some("no such unit: foo.service"));
        assert_eq!(f.unit.as_deref(), Some("Unit Daemon"));
    }

    #[test]
    fn aborts_say_why() {
        let f = describe(
            "thread 'main' (1) has overflowed its stack",
            &[],
            &lines(&["fatal runtime error: stack overflow, aborting"]),
        );
        assert_eq!(f.message.as_deref(), Some("stack overflow, aborting"));
        assert_eq!(f.location, None);
        let f = describe("memory allocation of 17592186044416 bytes failed", &[], &[]);
        assert_eq!(
            f.message.as_deref(),
            Some("memory allocation of 17592186044416 bytes failed")
        );
        let f = describe(
            "fatal runtime error: thread local panicked on drop",
            &[],
            &[],
        );
        assert_eq!(f.message.as_deref(), Some("thread local panicked on drop"));
    }

    #[test]
    fn backtrace_ends_the_message() {
        let f = describe(
            "thread 'main' (7) panicked at src/main.rs:1:1:",
            &[],
            &lines(&[
                "boom",
                "stack backtrace:",
                "   0: std::panicking::begin_panic",
            ]),
        );
        assert_eq!(f.message.as_deref(), Some("boom"));
        assert_eq!(f.unit, None);
    }
}

//! `bootcheck verdict REPORT.json`: a report in one line, for where only
//! the last lines of a log are shown (a failed `nix flake check` prints
//! the last ten lines of the build log).
//!
//! ```text
//! boot check my-host: PASS (8 probes)
//! boot check my-host: FAIL probe coreutils/coreutils-is-uutils: output does not match /\(uutils coreutils\)/ (got: "ls (GNU coreutils) 9.11")
//! boot check my-host: FAIL kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs
//! boot check my-host: TIMEOUT idle 300 s after "Starting sshd..."
//! ```

use crate::kind::PatternKind;
use crate::report::{Kind, ProbeResult, Report, Verdict};
use crate::text;

/// The longest line printed, in characters.
pub const WIDTH: usize = 200;

/// The report in one line of at most [`WIDTH`] characters, console text
/// escaped.
pub fn render(r: &Report) -> String {
    let line = format!(
        "boot check {}: {} {}{}",
        r.name,
        r.verdict.as_str().to_uppercase(),
        what(r),
        not_run(r)
    );
    text::shown(line.trim_end(), WIDTH)
}

/// ` (3 probes not run)` after what ended a session early; nothing for
/// `probes-not-run`, which names them itself, nor for a boot that never
/// reached its login (no probe could run).
fn not_run(r: &Report) -> String {
    match r.probes_not_run.len() {
        0 => String::new(),
        _ if r.kind == Kind::ProbesNotRun || r.login.is_none() => String::new(),
        1 => " (1 probe not run)".into(),
        n => format!(" ({n} probes not run)"),
    }
}

/// What decided, after the verdict word.
fn what(r: &Report) -> String {
    match (&r.verdict, &r.kind) {
        (Verdict::Pass, _) if !r.probes.is_empty() => format!("({} probes)", r.probes.len()),
        (Verdict::Pass, kind) => match &r.decisive {
            Some(d) => format!("({kind} at line {})", d.line_number),
            None => format!("({kind})"),
        },
        (_, Kind::ProbeFailed) => probe_failed(r),
        (_, Kind::RustMissing) => rust_missing(r),
        (_, Kind::ProbesNotRun) => format!(
            "probes not run: {} ({})",
            r.probes_not_run.len(),
            crate::report::not_run_list(&r.probes_not_run, 120)
        ),
        (_, Kind::LoginFailed) => format!(
            "login: {}",
            r.login
                .as_ref()
                .and_then(|l| l.error.as_deref())
                .unwrap_or(&r.summary)
        ),
        (_, Kind::Pattern(kind)) => match &r.decisive {
            Some(d) => pattern_line(r, kind, &d.line),
            None => format!("{kind}: {}", r.summary),
        },
        (_, Kind::IdleTimeout) => {
            let secs = r
                .idle_timeout_s
                .map(|s| format!(" {s} s"))
                .unwrap_or_default();
            match last_line(r) {
                Some(l) => format!("idle{secs} after {l:?}"),
                None => format!("idle{secs}, the console printed nothing"),
            }
        }
        (_, Kind::Timeout) => {
            let secs = r
                .duration_ms
                .map(|ms| format!(" ({:.0} s)", ms as f64 / 1000.0))
                .unwrap_or_default();
            match last_line(r) {
                Some(l) => format!("overall deadline{secs}, last line {l:?}"),
                None => format!("overall deadline{secs}, the console printed nothing"),
            }
        }
        (Verdict::Incomplete, _) => r.summary.clone(),
        (
            _,
            kind @ (Kind::None
            | Kind::VmExited
            | Kind::Interrupted
            | Kind::Infrastructure
            | Kind::Incomplete),
        ) => format!("{kind}: {}", r.summary),
    }
}

/// `rust missing: ntp process ntp-daemon: no process ntp-daemon runs`,
/// the first unmet requirement, counting the others.
fn rust_missing(r: &Report) -> String {
    let unmet: Vec<_> = r.oxidation.iter().flat_map(|o| o.unmet()).collect();
    match unmet.first() {
        None => format!("rust missing: {}", r.summary),
        Some(u) if unmet.len() == 1 => {
            format!("rust missing: {} {}: {}", u.component, u.what, u.why)
        }
        Some(u) => format!(
            "rust missing: {} requirements, first {} {}: {}",
            unmet.len(),
            u.component,
            u.what,
            u.why
        ),
    }
}

/// `coreutils/ls-is-uutils: output does not match /.../ (got: "...")`,
/// the first failed probe, counting the others.
fn probe_failed(r: &Report) -> String {
    let failed: Vec<&ProbeResult> = r.failed_probes().collect();
    let Some(p) = failed.first() else {
        return format!("probes: {}", r.summary);
    };
    let name = format!("{}/{}", p.component.as_deref().unwrap_or("-"), p.name);
    let head = if failed.len() == 1 {
        format!("probe {name}")
    } else {
        format!(
            "{} of {} probes, first {name}",
            failed.len(),
            r.probes.len()
        )
    };
    format!("{head}: {}", probe_reason(p))
}

/// Why a probe failed: its output against its regex, or its exit status,
/// or (when it gave no result) the error it ended with.
fn probe_reason(p: &ProbeResult) -> String {
    let error = p.error.as_deref().unwrap_or("failed");
    let Some(status) = p.exit_status else {
        return error.to_string();
    };
    let matched = regex::Regex::new(&p.expect).map(|re| re.is_match(&p.output));
    match matched {
        Ok(false) => {
            let got = p.output.lines().next().unwrap_or("").trim();
            format!("output does not match /{}/ (got: {got:?})", p.expect)
        }
        Ok(true) => format!("exit status {status} (output matched /{}/)", p.expect),
        Err(_) => error.to_string(),
    }
}

/// `kernel-panic: Kernel panic - not syncing: ...`: the decisive line
/// without its kernel timestamp; for a Rust failure, the message after it.
fn pattern_line(r: &Report, kind: &PatternKind, line: &str) -> String {
    let line = without_timestamp(line);
    let message = r
        .rust
        .as_ref()
        .and_then(|f| f.message.as_deref())
        .and_then(|m| m.lines().next())
        .filter(|m| kind.is_rust() && !line.contains(m));
    match message {
        // `thread 'main' panicked at src/main.rs:5:9:` ends with a colon.
        Some(m) if line.ends_with(':') => format!("{kind}: {line} {m}"),
        Some(m) => format!("{kind}: {line}: {m}"),
        None => format!("{kind}: {line}"),
    }
}

/// A kernel line without its `[    1.234567] ` timestamp.
fn without_timestamp(line: &str) -> &str {
    if crate::lines::is_kernel_line(line.as_bytes()) {
        if let Some((_, rest)) = line.split_once(']') {
            return rest.trim_start();
        }
    }
    line
}

/// The last console line with text on it.
fn last_line(r: &Report) -> Option<&str> {
    r.last_lines
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judge::LineRef;
    use crate::report::LoginResult;

    fn report(verdict: Verdict, kind: &str) -> Report {
        Report {
            verdict,
            kind: Kind::parse(kind),
            summary: "boot: the summary".into(),
            ..Report::new("my-host")
        }
    }

    fn probe(name: &str, passed: bool, status: Option<i32>, output: &str) -> ProbeResult {
        ProbeResult {
            name: name.into(),
            component: Some("coreutils".into()),
            command: "ls --version".into(),
            expect: r"\(uutils coreutils\)".into(),
            passed,
            exit_status: status,
            output: output.into(),
            duration_ms: 5,
            error: (!passed).then(|| "no result: no answer within 30s".to_string()),
        }
    }

    #[test]
    fn each_verdict_in_one_line() {
        let mut r = report(Verdict::Pass, "autologin");
        r.probes = (0..8)
            .map(|i| probe(&format!("p{i}"), true, Some(0), ""))
            .collect();
        assert_eq!(render(&r), "boot check my-host: PASS (8 probes)");

        let mut r = report(Verdict::Fail, "probe-failed");
        r.probes = vec![
            probe("ok", true, Some(0), ""),
            probe(
                "coreutils-is-uutils",
                false,
                Some(0),
                "ls (GNU coreutils) 9.11\nPackaged by NixOS",
            ),
        ];
        assert_eq!(
            render(&r),
            r#"boot check my-host: FAIL probe coreutils/coreutils-is-uutils: output does not match /\(uutils coreutils\)/ (got: "ls (GNU coreutils) 9.11")"#
        );
        r.probes.push(probe("hangs", false, None, ""));
        r.probes
            .push(probe("exits", false, Some(3), "ls (uutils coreutils) 0.1"));
        assert!(render(&r).starts_with(
            "boot check my-host: FAIL 3 of 4 probes, first coreutils/coreutils-is-uutils: output"
        ));
        assert_eq!(
            probe_reason(&r.probes[3]),
            r"exit status 3 (output matched /\(uutils coreutils\)/)"
        );
        assert_eq!(
            probe_reason(&r.probes[2]),
            "no result: no answer within 30s"
        );

        let mut r = report(Verdict::Fail, "kernel-panic");
        r.decisive = Some(LineRef {
            kind: PatternKind::parse("kernel-panic"),
            line: "[    1.501400] Kernel panic - not syncing: VFS: Unable to mount root fs".into(),
            line_number: 5,
            offset_ms: None,
        });
        assert_eq!(
            render(&r),
            "boot check my-host: FAIL kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs"
        );

        let mut r = report(Verdict::Timeout, "idle-timeout");
        r.idle_timeout_s = Some(300.0);
        r.last_lines = vec!["Starting sshd...".into(), "".into()];
        assert_eq!(
            render(&r),
            r#"boot check my-host: TIMEOUT idle 300 s after "Starting sshd...""#
        );

        let mut r = report(Verdict::Fail, "login-failed");
        r.login = Some(LoginResult {
            user: Some("root".into()),
            autologin: false,
            ok: false,
            duration_ms: 1,
            error: Some("waiting for a shell after login: no answer within 120s".into()),
        });
        assert_eq!(
            render(&r),
            "boot check my-host: FAIL login: waiting for a shell after login: no answer within 120s"
        );

        let mut r = report(Verdict::Fail, "probes-not-run");
        r.probes_not_run = vec!["sudo/sudo-is-sudo-rs".into(), "ntp/ntpd-rs-active".into()];
        assert_eq!(
            render(&r),
            "boot check my-host: FAIL probes not run: 2 (sudo/sudo-is-sudo-rs, ntp/ntpd-rs-active)"
        );
        let mut r = report(Verdict::Timeout, "timeout");
        r.duration_ms = Some(900_000);
        r.login = Some(LoginResult {
            user: None,
            autologin: true,
            ok: true,
            duration_ms: 1,
            error: None,
        });
        r.probes_not_run = vec!["a/b".into(), "c/d".into(), "e/f".into()];
        assert_eq!(
            render(&r),
            "boot check my-host: TIMEOUT overall deadline (900 s), the console printed nothing (3 probes not run)"
        );

        let r = report(Verdict::Error, "infrastructure");
        assert_eq!(
            render(&r),
            "boot check my-host: ERROR infrastructure: boot: the summary"
        );
    }

    #[test]
    fn long_lines_are_cut_and_console_bytes_escaped() {
        let mut r = report(Verdict::Fail, "my-daemon");
        r.decisive = Some(LineRef {
            kind: PatternKind::parse("my-daemon"),
            line: format!("mydaemon: fatal \u{1b}]0;owned\u{7} {}", "x".repeat(400)),
            line_number: 9,
            offset_ms: None,
        });
        let line = render(&r);
        assert_eq!(line.chars().count(), WIDTH);
        assert!(line.ends_with("..."));
        assert!(line.contains(r"fatal \x1b]0;owned\x07 xxx"), "{line}");
        assert!(!line.chars().any(|c| c.is_control()), "{line:?}");
    }
}

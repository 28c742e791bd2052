//! The pattern list. It exists once, here; the spec and the command line add
//! to it, disable entries by kind, or promote warnings to failures.
//!
//! Patterns are matched against clean lines (see [`crate::lines`]) with
//! `regex::bytes`, so non-UTF-8 consoles are fine. All built-ins are ASCII
//! and case-sensitive.

use regex::bytes::{Regex, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a match means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// The boot reached its goal (login prompt, autologin shell).
    Success,
    /// The boot failed; the first one decides.
    Failure,
    /// Worth reporting, not a failure (unless promoted).
    Warning,
    /// A progress marker; its first time offset is recorded.
    Milestone,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Success => "success",
            Class::Failure => "failure",
            Class::Warning => "warning",
            Class::Milestone => "milestone",
        })
    }
}

/// One pattern: a kind (goes into the report), a class and a regex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern {
    pub kind: String,
    pub class: Class,
    pub regex: String,
}

impl Pattern {
    pub fn new(kind: &str, class: Class, regex: &str) -> Self {
        Self {
            kind: kind.to_string(),
            class,
            regex: regex.to_string(),
        }
    }
}

/// The built-in patterns, in priority order (the first match of a line wins
/// within a class).
pub fn builtin() -> Vec<Pattern> {
    use Class::*;
    let p = Pattern::new;
    vec![
        // --- failures -------------------------------------------------------
        // Rust failures anywhere on the console: PID 1, a Rust systemd
        // helper, brush, uutils, sudo-rs... They come before the kernel
        // kinds: when PID 1 panics the kernel panic follows as a consequence.
        // Every format Rust has printed (see `crate::rust` and the README):
        // `thread 'main' panicked at 'msg', src/x.rs:1:2` (before 1.73),
        // `thread 'main' panicked at src/x.rs:1:2:` (1.73 to 1.90),
        // `thread 'main' (1) panicked at src/x.rs:1:2:` (1.91 and later).
        p(
            "rust-panic",
            Failure,
            r"thread '[^']*'(?: \(\d+\))? panicked at ",
        ),
        p(
            "rust-stack-overflow",
            Failure,
            r"thread '[^']*'(?: \(\d+\))? has overflowed its stack",
        ),
        p(
            "rust-alloc-failure",
            Failure,
            r"memory allocation of \d+ bytes failed",
        ),
        p("rust-runtime-error", Failure, r"fatal runtime error: "),
        p(
            "init-failure",
            Failure,
            r"Failed to execute /init|No working init found|Requested init \S+ failed",
        ),
        p(
            "kernel-panic",
            Failure,
            r"Kernel panic - not syncing|---\[ end Kernel panic",
        ),
        p("kernel-oops", Failure, r"\bOops(: | - )"),
        // A might_sleep() splat: a real kernel bug, but the kernel carries
        // on. Its own kind so a spec can demote it (`"nonfatal": [...]`);
        // it refines `kernel-bug`, which then does not match the line.
        p(
            "sleeping-in-atomic",
            Failure,
            r"\bBUG: sleeping function called from invalid context",
        ),
        p("kernel-bug", Failure, r"kernel BUG at |\bBUG: "),
        p("invalid-opcode", Failure, r"\binvalid opcode: "),
        // NixOS scripted stage 1 (nixos/modules/system/boot/stage-1-init.sh: `fail`).
        p(
            "stage1-failure",
            Failure,
            r"An error occurred in stage 1 of the boot process",
        ),
        // systemd's emergency target, in its several spellings, the NixOS
        // stage-2 fallback shell, and Alpine's initramfs recovery shell.
        p(
            "emergency-mode",
            Failure,
            r"Entering emergency mode|You are in emergency mode|Give root password for maintenance|Reached target .*Emergency Mode|Starting .*Emergency Shell|Cannot open access to console, the root account is locked|initramfs emergency recovery shell launched",
        ),
        p(
            "systemd-crash",
            Failure,
            r"Freezing execution\.|systemd\[1\]: Caught <(SEGV|ABRT|BUS|FPE|ILL)>",
        ),
        p("login-incorrect", Failure, r"^Login incorrect"),
        p("login-timed-out", Failure, r"Login timed out after"),
        // --- success --------------------------------------------------------
        // getty's prompt is `<host> login: `; without a host name it is
        // `(none) login: `. With --autologin the user follows.
        p(
            "autologin",
            Success,
            r"^(?:\(none\)|[A-Za-z0-9][A-Za-z0-9._-]*) login: [a-z_][a-z0-9._-]*\$? \(automatic login\)",
        ),
        // getty writes the prompt and waits, so whatever follows on the same
        // line is not getty's: the echoed user name (maybe padded with
        // spaces), or what another writer put there meanwhile (a kernel
        // message, with or without timestamp, a daemon's output). Look-alikes
        // are told apart by what precedes `login:`: exactly one host name
        // (prose has more words, shell prompts have `@`, `:`, `#`, `$`),
        // and `Last login:` is refused in `PatternSet::matches`.
        p(
            "login-prompt",
            Success,
            r"^(?:\(none\)|[A-Za-z0-9][A-Za-z0-9._-]*) login:(?: |$)",
        ),
        // --- warnings -------------------------------------------------------
        p("unit-failed", Warning, r"Failed to start |\[FAILED\] "),
        p(
            "kernel-warning",
            Warning,
            r"-+\[ cut here \]-+|\bWARNING: CPU: ",
        ),
        p("device-timeout", Warning, r"Timed out waiting for device "),
        p(
            "dependency-failed",
            Warning,
            r"\[DEPEND\] |Dependency failed for ",
        ),
        // --- milestones -----------------------------------------------------
        p("kernel", Milestone, r"Linux version \d"),
        p(
            "initrd",
            Milestone,
            r"Run /init as init process|<<< NixOS Stage 1 >>>|Running in initrd",
        ),
        p(
            "init",
            Milestone,
            r"<<< NixOS Stage 2 >>>|Welcome to |systemd\[1\]: systemd \S+ running in system mode",
        ),
        p("multi_user", Milestone, r"Reached target .*Multi-User"),
    ]
}

/// Adjustments from the spec and the command line.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Extra patterns, added before the built-ins of their class.
    pub extra: Vec<Pattern>,
    /// Kinds to drop from the built-ins.
    pub disable: Vec<String>,
    /// Warning kinds to treat as failures.
    pub fatal_warnings: Vec<String>,
    /// Failure kinds to treat as warnings.
    pub nonfatal: Vec<String>,
}

/// Built-in kinds that refine a broader one: when the first matches a
/// line, the second does not (whatever the first's class, so a demoted
/// `sleeping-in-atomic` splat is not failed again as `kernel-bug`).
const REFINES: &[(&str, &str)] = &[("sleeping-in-atomic", "kernel-bug")];

/// What login(1) prints after a successful login: never a prompt, even
/// when a read ends right after it.
const NOT_A_PROMPT: &[u8] = b"Last login: ";

/// The part of a `login-prompt` line the report shows: the prompt up to
/// its colon (`myhost login:`), without the space getty writes after it,
/// what was typed after it or what another writer put on the same line.
/// `run` decides on the prompt before any echo arrives (possibly before
/// the space, if a read ends there) and `scan` sees the whole line; both
/// report the same text, and a password typed at the login prompt by
/// mistake never ends up in a report.
pub fn prompt_part(line: &[u8]) -> &[u8] {
    match memchr::memmem::find(line, b" login:") {
        Some(i) => &line[..i + b" login:".len()],
        None => line,
    }
}

#[derive(Debug)]
pub struct PatternError {
    pub kind: String,
    pub regex: String,
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {} pattern `{}`: {}",
            self.kind, self.regex, self.message
        )
    }
}

impl std::error::Error for PatternError {}

/// A compiled pattern set: one `RegexSet` for the per-line test, and the
/// individual regexes only for reporting which part matched.
#[derive(Debug, Clone)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
    /// Each pattern on its own, to find where on a line it matches.
    regexes: Vec<Regex>,
    /// Index pairs from [`REFINES`]: (narrow, broad).
    refines: Vec<(usize, usize)>,
    all: RegexSet,
    /// Needles of every pattern that has them (see [`crate::needles`]).
    needles: Option<aho_corasick::AhoCorasick>,
    /// Patterns without needles: a chunk they match is judged line by line.
    unguarded: Option<RegexSet>,
    /// Success patterns only: checked on the unfinished line (a login
    /// prompt has no newline after it). Failures wait for their line to
    /// end, so the report shows the whole line.
    decisive: RegexSet,
    decisive_index: Vec<usize>,
}

/// A line's match: index into [`PatternSet::patterns`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit(pub usize);

impl PatternSet {
    pub fn new(overrides: &Overrides) -> Result<Self, PatternError> {
        let mut patterns: Vec<Pattern> = Vec::new();
        // User patterns come first so they win within their class.
        patterns.extend(overrides.extra.iter().cloned());
        for mut p in builtin() {
            if overrides.disable.contains(&p.kind) {
                continue;
            }
            if p.class == Class::Warning && overrides.fatal_warnings.contains(&p.kind) {
                p.class = Class::Failure;
            }
            if p.class == Class::Failure && overrides.nonfatal.contains(&p.kind) {
                p.class = Class::Warning;
            }
            patterns.push(p);
        }
        let mut regexes = Vec::with_capacity(patterns.len());
        for p in &patterns {
            match Regex::new(&p.regex) {
                Ok(r) => regexes.push(r),
                Err(e) => {
                    return Err(PatternError {
                        kind: p.kind.clone(),
                        regex: p.regex.clone(),
                        message: e.to_string(),
                    })
                }
            }
        }
        let refines = REFINES
            .iter()
            .filter_map(|(narrow, broad)| {
                let find = |k: &str| patterns.iter().position(|p| p.kind == k);
                Some((find(narrow)?, find(broad)?))
            })
            .collect();
        let build = |srcs: Vec<&str>| {
            RegexSetBuilder::new(srcs)
                .multi_line(true)
                .build()
                .map_err(|e| PatternError {
                    kind: "set".into(),
                    regex: String::new(),
                    message: e.to_string(),
                })
        };
        let all = build(patterns.iter().map(|p| p.regex.as_str()).collect())?;
        let decisive_index: Vec<usize> = patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| p.class == Class::Success)
            .map(|(i, _)| i)
            .collect();
        let mut needle_list = Vec::new();
        let mut unguarded_src = Vec::new();
        for p in &patterns {
            match crate::needles::needles(&p.regex) {
                Some(n) => needle_list.extend(n),
                None => unguarded_src.push(p.regex.as_str()),
            }
        }
        needle_list.sort();
        needle_list.dedup();
        let needles = if needle_list.is_empty() {
            None
        } else {
            Some(
                aho_corasick::AhoCorasick::builder()
                    .match_kind(aho_corasick::MatchKind::LeftmostFirst)
                    .build(&needle_list)
                    .map_err(|e| PatternError {
                        kind: "needles".into(),
                        regex: String::new(),
                        message: e.to_string(),
                    })?,
            )
        };
        let unguarded = if unguarded_src.is_empty() {
            None
        } else {
            Some(build(unguarded_src)?)
        };
        let decisive = build(
            decisive_index
                .iter()
                .map(|&i| patterns[i].regex.as_str())
                .collect(),
        )?;
        Ok(Self {
            patterns,
            regexes,
            refines,
            all,
            needles,
            unguarded,
            decisive,
            decisive_index,
        })
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    pub fn get(&self, hit: Hit) -> &Pattern {
        &self.patterns[hit.0]
    }

    /// Byte offsets in `lines` ('\n'-separated) of needle hits; a line
    /// without one matches no guarded pattern. `None` means every line
    /// must be matched in full (a pattern without needles matches here).
    pub fn candidates(&self, lines: &[u8]) -> Option<Vec<usize>> {
        if self.unguarded.as_ref().is_some_and(|u| u.is_match(lines)) {
            return None;
        }
        Some(match &self.needles {
            Some(ac) => ac.find_iter(lines).map(|m| m.start()).collect(),
            None => Vec::new(),
        })
    }

    /// All patterns matching a complete line, in priority order. A kind
    /// refined by another that matched is left out, and so is a success on
    /// a `Last login:` line.
    pub fn matches(&self, line: &[u8]) -> Vec<Hit> {
        if !self.all.is_match(line) {
            return Vec::new();
        }
        let set = self.all.matches(line);
        let not_prompt = line.starts_with(NOT_A_PROMPT);
        set.iter()
            .filter(|&i| {
                !self
                    .refines
                    .iter()
                    .any(|&(narrow, broad)| broad == i && set.matched(narrow))
            })
            .filter(|&i| !(not_prompt && self.is_prompt(i)))
            .map(Hit)
            .collect()
    }

    /// A built-in getty prompt pattern (not a user's success pattern).
    fn is_prompt(&self, i: usize) -> bool {
        let p = &self.patterns[i];
        p.class == Class::Success && (p.kind == "login-prompt" || p.kind == "autologin")
    }

    /// Where on `line` the pattern of `hit` starts to match (0 if it
    /// does not, which callers never ask).
    pub fn start(&self, hit: Hit, line: &[u8]) -> usize {
        self.regexes[hit.0].find(line).map_or(0, |m| m.start())
    }

    /// The text a report shows for a decisive line: the prompt alone for
    /// the built-in `login-prompt` (see [`prompt_part`]), else the line.
    pub fn shown<'a>(&self, hit: Hit, line: &'a [u8]) -> &'a [u8] {
        if self.is_prompt(hit.0) && self.patterns[hit.0].kind == "login-prompt" {
            prompt_part(line)
        } else {
            line
        }
    }

    /// The first success pattern matching an unfinished line.
    pub fn decisive_partial(&self, line: &[u8]) -> Option<Hit> {
        if !self.decisive.is_match(line) {
            return None;
        }
        let not_prompt = line.starts_with(NOT_A_PROMPT);
        self.decisive
            .matches(line)
            .into_iter()
            .map(|i| self.decisive_index[i])
            .find(|&i| !(not_prompt && self.is_prompt(i)))
            .map(Hit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(set: &PatternSet, line: &str) -> Vec<String> {
        set.matches(line.as_bytes())
            .into_iter()
            .map(|h| format!("{}:{}", set.get(h).class, set.get(h).kind))
            .collect()
    }

    fn set() -> PatternSet {
        PatternSet::new(&Overrides::default()).unwrap()
    }

    #[test]
    fn builtin_failures_have_their_kinds() {
        let s = set();
        let cases = [
            ("[    1.2] Kernel panic - not syncing: VFS: Unable to mount root fs", "failure:kernel-panic"),
            ("thread 'main' panicked at src/main.rs:3:5:", "failure:rust-panic"),
            ("[    0.9] Run /init as init process", "milestone:initrd"),
            ("Failed to execute /init (error -2)", "failure:init-failure"),
            ("You are in emergency mode. After logging in, type \"journalctl -xb\"", "failure:emergency-mode"),
            ("An error occurred in stage 1 of the boot process, which must mount the root filesystem", "failure:stage1-failure"),
            ("[    3.1] BUG: kernel NULL pointer dereference, address: 0000000000000000", "failure:kernel-bug"),
            ("[    3.1] Oops: 0002 [#1] PREEMPT SMP NOPTI", "failure:kernel-oops"),
            ("[    3.1] invalid opcode: 0000 [#1] SMP", "failure:invalid-opcode"),
            ("Login incorrect", "failure:login-incorrect"),
            ("nixos login: ", "success:login-prompt"),
            ("nixos login: nixos (automatic login)", "success:autologin"),
            ("[FAILED] Failed to start Network Time Service.", "warning:unit-failed"),
            ("[  OK  ] Reached target Multi-User System.", "milestone:multi_user"),
        ];
        for (line, want) in cases {
            let got = kinds(&s, line);
            assert_eq!(got.first().map(String::as_str), Some(want), "line: {line}");
        }
    }

    #[test]
    fn harmless_lookalikes_do_not_match_failures() {
        let s = set();
        for line in [
            "Kernel command line: console=ttyS0 panic=1 boot.panic_on_fail",
            "DEBUG: all fine",
            "systemd[1]: Starting Load Kernel Modules...",
            "Welcome to login: the manual",
            "the panicked thread count is 0",
        ] {
            let bad: Vec<_> = kinds(&s, line)
                .into_iter()
                .filter(|k| k.starts_with("failure") || k.starts_with("success"))
                .collect();
            assert!(bad.is_empty(), "{line:?} matched {bad:?}");
        }
    }

    /// The success kind a complete line gets (`None` for no success).
    fn success(set: &PatternSet, line: &str) -> Option<String> {
        set.matches(line.as_bytes())
            .into_iter()
            .find(|&h| set.get(h).class == Class::Success)
            .map(|h| set.get(h).kind.clone())
    }

    #[test]
    fn prompts_as_real_consoles_show_them() {
        let s = set();
        for line in [
            "nixos login: ",
            "nixos login:",
            "myhost login: root",
            "myhost login: root                                        ",
            "(none) login: ",
            "(none) login: root",
            "localhost.localdomain login: ",
            "raspberrypi login: pi",
            "buildroot login: [   12.345678] random: crng init done",
            "debian login: [  OK  ] Started Update UTMP about System Runlevel Changes.",
            "(none) login: ifconfig: ra0: error fetching interface information: Device not found",
            "ubuntu login: cloud-init[712]: Cloud-init v. 23.1 finished",
            "syzkaller login: [   36.852785][ T3615] traps: syz-executor229[3615] general protection fault",
            "syzkaller login: ------------[ cut here ]------------",
            "syzkaller login: Unable to handle kernel paging request at virtual address fc14ef08",
            // Typed at the prompt: echoed, whatever it is.
            "nixos login: foo bar baz",
        ] {
            assert_eq!(
                success(&s, line).as_deref(),
                Some("login-prompt"),
                "{line:?}"
            );
        }
        assert_eq!(
            success(&s, "(none) login: root (automatic login)").as_deref(),
            Some("autologin")
        );
    }

    #[test]
    fn prompt_lookalikes_are_not_success() {
        let s = set();
        for line in [
            "Last login: Mon Nov 28 10:00:00 on ttyS0",
            "Last login: Sat Nov 28 10:18:34 UTC 2026 from 10.0.2.2 on pts/0",
            "Last login: root",
            "Welcome to login: the manual",
            "Please enter your login: ",
            "The prompt says `nixos login:` when getty is up",
            "[root@nixos:~]# echo login:",
            "root@debian:~# printf 'x login: '",
            "~ # login: ",
            "/ # echo nixos login:",
            "systemd[1]: Started Serial Getty on ttyS0 login: x",
            "Jan  1 00:00:11 login[210]: root login on 'ttyS0'",
            "pam_unix(login:session): session opened for user root",
        ] {
            assert_eq!(success(&s, line), None, "{line:?}");
        }
        assert!(s.decisive_partial(b"Last login: ").is_none());
        assert!(s.decisive_partial(b"myhost login: ").is_some());
    }

    #[test]
    fn the_report_shows_the_prompt_without_what_follows() {
        assert_eq!(prompt_part(b"myhost login: root    "), b"myhost login:");
        assert_eq!(prompt_part(b"(none) login: [ 1.0] x"), b"(none) login:");
        assert_eq!(prompt_part(b"nixos login:"), b"nixos login:");
        let s = set();
        let line = b"myhost login: hunter2";
        let hit = s.matches(line)[0];
        assert_eq!(s.shown(hit, line), b"myhost login:");
        let line = b"[ 1.0] Kernel panic - not syncing: x";
        let hit = s.matches(line)[0];
        assert_eq!(s.shown(hit, line), line);
    }

    #[test]
    fn sleeping_in_atomic_refines_kernel_bug_and_can_be_demoted() {
        let line = "[    2.1] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283";
        assert_eq!(kinds(&set(), line), ["failure:sleeping-in-atomic"]);
        let demoted = PatternSet::new(&Overrides {
            nonfatal: vec!["sleeping-in-atomic".into()],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(kinds(&demoted, line), ["warning:sleeping-in-atomic"]);
        // Other BUG: lines stay failures.
        assert_eq!(
            kinds(
                &demoted,
                "[ 3.1] BUG: unable to handle page fault for address: 0"
            ),
            ["failure:kernel-bug"]
        );
        // Disabled, the splat is a plain kernel-bug again.
        let disabled = PatternSet::new(&Overrides {
            disable: vec!["sleeping-in-atomic".into()],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(kinds(&disabled, line), ["failure:kernel-bug"]);
    }

    #[test]
    fn overrides_disable_promote_and_add() {
        let s = PatternSet::new(&Overrides {
            extra: vec![Pattern::new("ready", Class::Success, "^READY$")],
            disable: vec!["login-incorrect".into()],
            fatal_warnings: vec!["unit-failed".into()],
            nonfatal: vec!["rust-panic".into()],
        })
        .unwrap();
        assert_eq!(kinds(&s, "Login incorrect"), Vec::<String>::new());
        assert_eq!(
            kinds(&s, "Failed to start foo.service"),
            ["failure:unit-failed"]
        );
        assert_eq!(kinds(&s, "READY"), ["success:ready"]);
        assert_eq!(
            kinds(&s, "thread 'main' (9) panicked at src/main.rs:1:1:"),
            ["warning:rust-panic"]
        );
    }

    #[test]
    fn rust_failures_in_every_format() {
        let s = set();
        let cases = [
            // Rust 1.91 and later: the OS thread id after the name.
            ("thread 'main' (1) panicked at src/main.rs:5:44:", "rust-panic"),
            ("thread '<unnamed>' (4711) panicked at library/std/src/thread/mod.rs:3:1:", "rust-panic"),
            // 1.73 to 1.90.
            ("thread 'tokio-runtime-worker' panicked at src/lib.rs:9:9:", "rust-panic"),
            // Before 1.73: the message in quotes first.
            ("thread 'main' panicked at 'called `Option::unwrap()` on a `None` value', src/main.rs:3:37", "rust-panic"),
            // As the journal shows a service's output, with a timestamp.
            ("[   12.500000] unitd[412]: thread 'main' (412) panicked at src/unit.rs:9:1:", "rust-panic"),
            ("thread 'main' (1) has overflowed its stack", "rust-stack-overflow"),
            ("thread '<unknown>' has overflowed its stack", "rust-stack-overflow"),
            ("memory allocation of 17592186044416 bytes failed", "rust-alloc-failure"),
            ("fatal runtime error: stack overflow, aborting", "rust-runtime-error"),
            ("fatal runtime error: thread local panicked on drop", "rust-runtime-error"),
        ];
        for (line, kind) in cases {
            let got = kinds(&s, line);
            assert_eq!(
                got.first().map(String::as_str),
                Some(format!("failure:{kind}").as_str()),
                "line: {line}"
            );
        }
        // A backtrace names the panic machinery; that alone is no failure.
        for line in [
            "   0: std::panicking::begin_panic_handler",
            "             at /rustc/59807616e1fa2540724bfbac14d7976d7e4a3860/library/std/src/panicking.rs:689:5",
            "   2: core::panicking::panic_bounds_check",
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            "stack backtrace:",
            "[    2.576932] unit-loader[79]: segfault at 7fd4ae0fb168 ip 00007fd4ae34f379 sp 00007fd4ae0fb168 error 6",
        ] {
            assert_eq!(kinds(&s, line), Vec::<String>::new(), "line: {line}");
        }
    }

    #[test]
    fn bad_regex_is_reported_with_its_kind() {
        let err = PatternSet::new(&Overrides {
            extra: vec![Pattern::new("mine", Class::Failure, "(unclosed")],
            ..Default::default()
        })
        .unwrap_err();
        assert!(err.to_string().contains("invalid mine pattern `(unclosed`"));
    }

    #[test]
    fn partial_login_prompt_is_decisive_but_a_partial_failure_is_not() {
        let s = set();
        let hit = s.decisive_partial(b"nixos-rs login: ").unwrap();
        assert_eq!(s.get(hit).kind, "login-prompt");
        assert!(s.decisive_partial(b"nixos-rs log").is_none());
        // The report should show the whole panic line: wait for its end.
        assert!(s
            .decisive_partial(b"[ 1.5] Kernel panic - not syncing: VFS")
            .is_none());
    }
}

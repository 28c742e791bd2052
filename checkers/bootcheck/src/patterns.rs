//! The pattern list. It exists once, here; the spec and the command line add
//! to it, disable entries by kind, or promote warnings to failures.
//!
//! Patterns are matched against clean lines (see [`crate::lines`]) with
//! `regex::bytes`, so non-UTF-8 consoles are fine. All built-ins are ASCII
//! and case-sensitive.

use crate::kind::{Builtin, Milestone, PatternKind};
use crate::prompt;
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
    /// A line recorded every time it appears, deciding nothing (the lines
    /// that say which init runs, for the oxidation meter).
    Note,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::Success => "success",
            Class::Failure => "failure",
            Class::Warning => "warning",
            Class::Milestone => "milestone",
            Class::Note => "note",
        })
    }
}

/// One pattern: a kind (goes into the report), a class and a regex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pattern {
    pub kind: PatternKind,
    pub class: Class,
    pub regex: String,
}

impl Pattern {
    pub fn new(kind: impl Into<PatternKind>, class: Class, regex: &str) -> Self {
        Self {
            kind: kind.into(),
            class,
            regex: regex.to_string(),
        }
    }
}

/// The built-in patterns, in priority order (the first match of a line wins
/// within a class).
pub fn builtin() -> Vec<Pattern> {
    use Builtin as B;
    use Milestone as M;
    fn p(kind: impl Into<PatternKind>, class: Class, regex: &str) -> Pattern {
        Pattern::new(kind, class, regex)
    }
    let (failure, success, warning, milestone) = (
        Class::Failure,
        Class::Success,
        Class::Warning,
        Class::Milestone,
    );
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
            B::RustPanic,
            failure,
            r"thread '[^']*'(?: \(\d+\))? panicked at ",
        ),
        p(
            B::RustStackOverflow,
            failure,
            r"thread '[^']*'(?: \(\d+\))? has overflowed its stack",
        ),
        p(
            B::RustAllocFailure,
            failure,
            r"memory allocation of \d+ bytes failed",
        ),
        p(B::RustRuntimeError, failure, r"fatal runtime error: "),
        p(
            B::InitFailure,
            failure,
            r"Failed to execute /init|No working init found|Requested init \S+ failed",
        ),
        p(
            B::KernelPanic,
            failure,
            r"Kernel panic - not syncing|---\[ end Kernel panic",
        ),
        p(B::KernelOops, failure, r"\bOops(: | - )"),
        // A might_sleep() splat: a real kernel bug, but the kernel carries
        // on. Its own kind so a spec can demote it (`"nonfatal": [...]`);
        // it refines `kernel-bug`, which then does not match the line.
        p(
            B::SleepingInAtomic,
            failure,
            r"\bBUG: sleeping function called from invalid context",
        ),
        p(B::KernelBug, failure, r"kernel BUG at |\bBUG: "),
        p(B::InvalidOpcode, failure, r"\binvalid opcode: "),
        // NixOS scripted stage 1 (nixos/modules/system/boot/stage-1-init.sh: `fail`).
        p(
            B::Stage1Failure,
            failure,
            r"An error occurred in stage 1 of the boot process",
        ),
        // systemd's emergency target, in its several spellings, the NixOS
        // stage-2 fallback shell, and Alpine's initramfs recovery shell.
        p(
            B::EmergencyMode,
            failure,
            r"Entering emergency mode|You are in emergency mode|Give root password for maintenance|Reached target .*Emergency Mode|Starting .*Emergency Shell|Cannot open access to console, the root account is locked|initramfs emergency recovery shell launched",
        ),
        p(
            B::SystemdCrash,
            failure,
            r"Freezing execution\.|systemd\[1\]: Caught <(SEGV|ABRT|BUS|FPE|ILL)>",
        ),
        p(B::LoginIncorrect, failure, r"^Login incorrect"),
        p(B::LoginTimedOut, failure, r"Login timed out after"),
        // --- success: getty's prompts (see `crate::prompt`) -----------------
        p(B::Autologin, success, &prompt::autologin_regex()),
        p(B::LoginPrompt, success, &prompt::prompt_regex()),
        // --- warnings -------------------------------------------------------
        p(B::UnitFailed, warning, r"Failed to start |\[FAILED\] "),
        p(
            B::KernelWarning,
            warning,
            r"-+\[ cut here \]-+|\bWARNING: CPU: ",
        ),
        p(B::DeviceTimeout, warning, r"Timed out waiting for device "),
        p(
            B::DependencyFailed,
            warning,
            r"\[DEPEND\] |Dependency failed for ",
        ),
        // --- milestones -----------------------------------------------------
        p(M::Kernel, milestone, r"Linux version \d"),
        p(
            M::Initrd,
            milestone,
            r"Run /init as init process|<<< NixOS Stage 1 >>>|Running in initrd",
        ),
        p(
            M::Init,
            milestone,
            r"<<< NixOS Stage 2 >>>|Welcome to |systemd\[1\]: systemd \S+ running in system mode",
        ),
        p(M::MultiUser, milestone, r"Reached target .*Multi-User"),
    ]
}

/// The kind of the [`init_notes`].
pub const INIT_LINE: &str = "init-line";

/// The console lines that say which program runs as init, recorded when
/// the oxidation meter is on (`crate::oxidation::boot::stages` reads
/// them): the kernel starting init (`Run /init as init process`), a
/// service manager's banner (systemd's `systemd 259.1 running in system
/// mode (+PAM ...)`, which a Rust systemd such as systemd-rs prints in the
/// same form), systemd leaving the initrd (`Switching root.`, and
/// `Running in initrd.` in it), and NixOS's scripted stages (`<<< NixOS
/// Stage 1 >>>`, nixos/modules/system/boot/stage-1-init.sh and
/// stage-2-init.sh in nixpkgs).
pub fn init_notes() -> Vec<Pattern> {
    [
        r"Run \S+ as init process",
        r"\S+ running in system mode",
        r"Switching root\.|Running in initrd",
        r"<<< NixOS Stage [12] >>>",
    ]
    .into_iter()
    .map(|r| Pattern::new(PatternKind::parse(INIT_LINE), Class::Note, r))
    .collect()
}

/// Adjustments from the spec and the command line.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Extra patterns, added before the built-ins of their class.
    pub extra: Vec<Pattern>,
    /// Kinds to drop from the built-ins.
    pub disable: Vec<PatternKind>,
    /// Warning kinds to treat as failures.
    pub fatal_warnings: Vec<PatternKind>,
    /// Failure kinds to treat as warnings.
    pub nonfatal: Vec<PatternKind>,
}

/// Built-in kinds that refine a broader one: when the first matches a
/// line, the second does not (whatever the first's class, so a demoted
/// `sleeping-in-atomic` splat is not failed again as `kernel-bug`).
const REFINES: &[(Builtin, Builtin)] = &[(Builtin::SleepingInAtomic, Builtin::KernelBug)];

/// Why a pattern set cannot be built.
#[derive(Debug)]
pub enum PatternError {
    /// One pattern's regex does not compile.
    Regex {
        kind: PatternKind,
        regex: String,
        source: regex::Error,
    },
    /// The regexes compile one by one but not as a set (too big).
    Set(regex::Error),
    /// The literal prefilter cannot be built (too big).
    Needles(aho_corasick::BuildError),
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PatternError::Regex {
                kind,
                regex,
                source,
            } => write!(
                f,
                "invalid {kind} pattern `{regex}`: {}",
                crate::error::regex_reason(source)
            ),
            PatternError::Set(e) => write!(
                f,
                "the patterns do not compile as one set: {}",
                crate::error::regex_reason(e)
            ),
            PatternError::Needles(e) => write!(f, "the patterns' literal prefilter: {e}"),
        }
    }
}

impl std::error::Error for PatternError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PatternError::Regex { source, .. } => Some(source),
            PatternError::Set(e) => Some(e),
            PatternError::Needles(e) => Some(e),
        }
    }
}

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
    /// The patterns matched on the unfinished line too (successes: see
    /// [`prompt::decides_unfinished`]).
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
                Err(source) => {
                    return Err(PatternError::Regex {
                        kind: p.kind.clone(),
                        regex: p.regex.clone(),
                        source,
                    })
                }
            }
        }
        let refines = REFINES
            .iter()
            .filter_map(|&(narrow, broad)| {
                let find = |k: Builtin| patterns.iter().position(|p| p.kind == k);
                Some((find(narrow)?, find(broad)?))
            })
            .collect();
        let build = |srcs: Vec<&str>| {
            RegexSetBuilder::new(srcs)
                .multi_line(true)
                .build()
                .map_err(PatternError::Set)
        };
        let all = build(patterns.iter().map(|p| p.regex.as_str()).collect())?;
        let decisive_index: Vec<usize> = patterns
            .iter()
            .enumerate()
            .filter(|(_, p)| prompt::decides_unfinished(p))
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
                    .map_err(PatternError::Needles)?,
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
    /// refined by another that matched is left out, and so is a match the
    /// prompt rules refuse ([`prompt::refused`]).
    pub fn matches(&self, line: &[u8]) -> Vec<Hit> {
        if !self.all.is_match(line) {
            return Vec::new();
        }
        let set = self.all.matches(line);
        set.iter()
            .filter(|&i| {
                !self
                    .refines
                    .iter()
                    .any(|&(narrow, broad)| broad == i && set.matched(narrow))
            })
            .filter(|&i| !prompt::refused(&self.patterns[i], line))
            .map(Hit)
            .collect()
    }

    /// Where on `line` the pattern of `hit` starts to match (0 if it
    /// does not, which callers never ask).
    pub fn start(&self, hit: Hit, line: &[u8]) -> usize {
        self.regexes[hit.0].find(line).map_or(0, |m| m.start())
    }

    /// The first pattern deciding on an unfinished line (a success; see
    /// [`prompt::decides_unfinished`]).
    pub fn decisive_partial(&self, line: &[u8]) -> Option<Hit> {
        if !self.decisive.is_match(line) {
            return None;
        }
        self.decisive
            .matches(line)
            .into_iter()
            .map(|i| self.decisive_index[i])
            .find(|&i| !prompt::refused(&self.patterns[i], line))
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

    #[test]
    fn sleeping_in_atomic_refines_kernel_bug_and_can_be_demoted() {
        let line = "[    2.1] BUG: sleeping function called from invalid context at kernel/locking/mutex.c:283";
        assert_eq!(kinds(&set(), line), ["failure:sleeping-in-atomic"]);
        let demoted = PatternSet::new(&Overrides {
            nonfatal: vec![Builtin::SleepingInAtomic.into()],
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
            disable: vec![Builtin::SleepingInAtomic.into()],
            ..Default::default()
        })
        .unwrap();
        assert_eq!(kinds(&disabled, line), ["failure:kernel-bug"]);
    }

    #[test]
    fn overrides_disable_promote_and_add() {
        let s = PatternSet::new(&Overrides {
            extra: vec![Pattern::new(
                PatternKind::parse("ready"),
                Class::Success,
                "^READY$",
            )],
            disable: vec![Builtin::LoginIncorrect.into()],
            fatal_warnings: vec![Builtin::UnitFailed.into()],
            nonfatal: vec![Builtin::RustPanic.into()],
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
            extra: vec![Pattern::new(
                PatternKind::parse("mine"),
                Class::Failure,
                "(unclosed",
            )],
            ..Default::default()
        })
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid mine pattern `(unclosed`: unclosed group"
        );
    }
}

//! getty's login prompt, the usual goal of a boot: what a prompt looks
//! like on real consoles, what only looks like one, when it decides, and
//! what a report shows of it. Everything about prompts is here; the
//! pattern set and the judge ask this module.
//!
//! - A prompt is a line that starts with a host name (letters, digits,
//!   `.`, `_`, `-`) or `(none)` (a machine without a host name), then
//!   ` login:`, then a space or the end of the line. Whatever follows on
//!   the same line is not getty's: getty writes the prompt and waits, so
//!   the rest is the echoed user name or what another writer put there
//!   meanwhile (a kernel message, a daemon's output).
//! - Look-alikes are told apart by what precedes `login:`: exactly one host
//!   name (prose has more words, shell prompts have `@`, `:`, `#`, `$`),
//!   and `Last login:` (login's greeting) is refused outright, also on an
//!   unfinished line.
//! - A prompt has no newline after it, so success patterns are matched on
//!   the unfinished line too ([`decides_unfinished`]); failures wait for
//!   their line to end, so the report shows all of it.
//! - The report shows a `login-prompt` line up to its colon
//!   ([`shown`]): `run` decides on the prompt before any echo arrives and
//!   `scan` sees the whole line, both report the same text, and a password
//!   typed at the login prompt by mistake never ends up in a report.

use crate::kind::{Builtin, PatternKind};
use crate::patterns::{Class, Pattern};

/// The host part of a prompt: a host name, or `(none)`.
const HOST: &str = r"(?:\(none\)|[A-Za-z0-9][A-Za-z0-9._-]*)";

/// The regex of [`Builtin::LoginPrompt`]: `<host> login: ` at the start of
/// a line, followed by anything (see the module documentation).
pub fn prompt_regex() -> String {
    format!(r"^{HOST} login:(?: |$)")
}

/// The regex of [`Builtin::Autologin`]: getty `--autologin` prints the
/// user after the prompt.
pub fn autologin_regex() -> String {
    format!(r"^{HOST} login: [a-z_][a-z0-9._-]*\$? \(automatic login\)")
}

/// What login(1) prints after a successful login: never a prompt.
const NOT_A_PROMPT: &[u8] = b"Last login: ";

/// One of getty's prompt patterns (not a success pattern of the user's).
fn is_getty(p: &Pattern) -> bool {
    p.class == Class::Success
        && matches!(
            p.kind,
            PatternKind::Builtin(Builtin::LoginPrompt | Builtin::Autologin)
        )
}

/// Whether a match of `p` on `line` does not count: a getty prompt
/// pattern on `Last login: ...`.
pub fn refused(p: &Pattern, line: &[u8]) -> bool {
    is_getty(p) && line.starts_with(NOT_A_PROMPT)
}

/// Whether `p` is matched on the unfinished line as well as on complete
/// ones: the successes, since a prompt has no newline after it.
pub fn decides_unfinished(p: &Pattern) -> bool {
    p.class == Class::Success
}

/// The text a report shows for a decisive `line` matched by `p`: the
/// prompt alone for `login-prompt` ([`prompt_part`]), else the line.
pub fn shown<'a>(p: &Pattern, line: &'a [u8]) -> &'a [u8] {
    if is_getty(p) && p.kind == Builtin::LoginPrompt {
        prompt_part(line)
    } else {
        line
    }
}

/// A prompt line up to its colon (`myhost login:`), without the space
/// getty writes after it and what follows.
pub fn prompt_part(line: &[u8]) -> &[u8] {
    match memchr::memmem::find(line, b" login:") {
        Some(i) => &line[..i + b" login:".len()],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patterns::{Overrides, PatternSet};

    fn set() -> PatternSet {
        PatternSet::new(&Overrides::default()).unwrap()
    }

    /// The success kind a complete line gets (`None` for no success).
    fn success(set: &PatternSet, line: &str) -> Option<String> {
        set.matches(line.as_bytes())
            .into_iter()
            .find(|&h| set.get(h).class == Class::Success)
            .map(|h| set.get(h).kind.to_string())
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
        assert_eq!(shown(s.get(hit), line), b"myhost login:");
        let line = b"[ 1.0] Kernel panic - not syncing: x";
        let hit = s.matches(line)[0];
        assert_eq!(shown(s.get(hit), line), line);
    }

    #[test]
    fn partial_login_prompt_is_decisive_but_a_partial_failure_is_not() {
        let s = set();
        let hit = s.decisive_partial(b"nixos-rs login: ").unwrap();
        assert_eq!(s.get(hit).kind, Builtin::LoginPrompt);
        assert!(s.decisive_partial(b"nixos-rs log").is_none());
        // The report should show the whole panic line: wait for its end.
        assert!(s
            .decisive_partial(b"[ 1.5] Kernel panic - not syncing: VFS")
            .is_none());
    }
}

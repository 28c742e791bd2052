//! Console text on a terminal: what a guest printed is shown, never
//! obeyed. A console line can hold anything the guest wrote, and a
//! saved log can be any file; control characters in it would move the
//! cursor, recolour or retitle the user's terminal, or hide text.

use std::borrow::Cow;
use std::io::IsTerminal;

/// Whether the summary on stderr gets colour: stderr is a terminal,
/// `NO_COLOR` is unset or empty (<https://no-color.org>), and `TERM` is
/// not `dumb`.
pub fn colour_on_stderr() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

/// Whether `c` is shown as an escape: control characters (C0 but tab,
/// DEL, C1: `U+009B` is a CSI to some terminals), U+FFFD (bytes that were
/// not UTF-8, replaced when the line was read), and characters that are
/// invisible or reorder text (zero-width, bidirectional overrides and
/// isolates, line and paragraph separators, byte-order mark).
fn escaped(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{a}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}'
        | '\u{2028}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}'
        | '\u{fffd}')
}

/// `s` with every character that a terminal would obey or hide (see
/// `escaped`) written as `\xNN` (ASCII) or
/// `\u{NNNN}`; other text, UTF-8 included, as it is.
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(escaped) {
        return Cow::Borrowed(s);
    }
    let mut o = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !escaped(c) {
            o.push(c);
        } else if c.is_ascii() {
            o.push_str(&format!("\\x{:02x}", c as u32));
        } else {
            o.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(o)
}

/// `s` without trailing white space, at most `n` characters (the last
/// three `...` when cut).
pub fn clip(s: &str, n: usize) -> String {
    let s = s.trim_end();
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(3)).collect();
        t.push_str("...");
        t
    }
}

/// Console text for a terminal line: escaped, then clipped to `n`
/// characters.
pub fn shown(s: &str, n: usize) -> String {
    clip(&printable(s), n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_invisible_characters_are_escaped_text_is_kept() {
        assert_eq!(
            printable("Kernel panic - not syncing"),
            "Kernel panic - not syncing"
        );
        assert_eq!(
            printable("caf\u{e9} \u{25cf} ok\ttab"),
            "caf\u{e9} \u{25cf} ok\ttab"
        );
        assert_eq!(
            printable("a\u{7f}b\u{9b}31mc\u{1b}[2J\u{fffd}\u{202e}d"),
            "a\\x7fb\\u{9b}31mc\\x1b[2J\\u{fffd}\\u{202e}d"
        );
        assert!(matches!(printable("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn clipping_counts_characters_after_escaping() {
        assert_eq!(clip("abcdef  ", 6), "abcdef");
        assert_eq!(clip("abcdefg", 6), "abc...");
        assert_eq!(shown("\u{7f}\u{7f}\u{7f}", 8), "\\x7f\\...");
    }
}

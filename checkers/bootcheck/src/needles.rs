//! Required literals ("needles") of a regex, for a fast prefilter.
//!
//! Every line a pattern matches contains one of its needles: for each
//! top-level alternative of the regex, the longest run of plain characters
//! that the alternative cannot match without. A single multi-literal search
//! (Aho-Corasick) over a whole chunk then finds the few lines worth matching
//! with the full regex set. A pattern for which no safe needle can be found
//! (case-insensitive flags, an alternative with no literal of 3 bytes or
//! more) returns `None` and is always matched in full.

/// The needles of `regex`, one per top-level alternative, or `None`.
pub fn needles(regex: &str) -> Option<Vec<String>> {
    if regex.contains("(?") && regex_has_flags(regex) {
        return None;
    }
    let mut out = Vec::new();
    for branch in top_level_branches(regex) {
        let best = longest_required_run(branch)?;
        if best.len() < 3 {
            return None;
        }
        out.push(best);
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// Inline flags other than a plain non-capturing group `(?:` can change
/// how literals match (`(?i)`), so they disable needles.
fn regex_has_flags(regex: &str) -> bool {
    let b = regex.as_bytes();
    (0..b.len().saturating_sub(2)).any(|i| b[i] == b'(' && b[i + 1] == b'?' && b[i + 2] != b':')
}

/// Split at `|` outside groups and classes.
fn top_level_branches(regex: &str) -> Vec<&str> {
    let b = regex.as_bytes();
    let (mut depth, mut in_class, mut start) = (0i32, false, 0usize);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'(' if !in_class => depth += 1,
            b')' if !in_class => depth -= 1,
            b'|' if !in_class && depth == 0 => {
                out.push(&regex[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    out.push(&regex[start..]);
    out
}

/// Longest run of characters the branch must contain, left to right.
fn longest_required_run(branch: &str) -> Option<String> {
    let chars: Vec<char> = branch.chars().collect();
    let mut best = String::new();
    let mut run = String::new();
    let mut i = 0;
    let flush = |run: &mut String, best: &mut String| {
        if run.len() > best.len() {
            *best = run.clone();
        }
        run.clear();
    };
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let &e = chars.get(i + 1)?;
                if e.is_ascii_alphanumeric() {
                    // \d, \S, \b, \x41...: not a plain character.
                    flush(&mut run, &mut best);
                } else {
                    run.push(e);
                }
                i += 2;
                continue;
            }
            '*' | '?' => {
                // The previous character is optional: drop it.
                run.pop();
                flush(&mut run, &mut best);
            }
            '{' => {
                run.pop();
                flush(&mut run, &mut best);
                while i < chars.len() && chars[i] != '}' {
                    i += 1;
                }
            }
            '+' => flush(&mut run, &mut best),
            '[' => {
                flush(&mut run, &mut best);
                i += 1;
                if chars.get(i) == Some(&']') {
                    i += 1;
                }
                while i < chars.len() && chars[i] != ']' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            '(' => {
                // A group may be optional or an alternation: skip it whole.
                flush(&mut run, &mut best);
                let mut depth = 0;
                while i < chars.len() {
                    match chars[i] {
                        '\\' => i += 1,
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                // A quantifier after the group does not matter: it is skipped.
            }
            '.' | '^' | '$' | ')' | '|' => flush(&mut run, &mut best),
            _ => run.push(c),
        }
        i += 1;
    }
    flush(&mut run, &mut best);
    Some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needles_of_typical_patterns() {
        let n = |r: &str| needles(r).map(|v| v.join("|"));
        assert_eq!(
            n(r"thread '[^']*' panicked at ").as_deref(),
            Some("' panicked at ")
        );
        assert_eq!(
            n(r"^[A-Za-z0-9][A-Za-z0-9._-]* login: ?$").as_deref(),
            Some(" login:")
        );
        assert_eq!(n(r"\bOops(: | - )").as_deref(), Some("Oops"));
        assert_eq!(
            n(r"kernel BUG at |\bBUG: ").as_deref(),
            Some("BUG: |kernel BUG at ")
        );
        assert_eq!(n(r"-+\[ cut here \]-+").as_deref(), Some("[ cut here ]-"));
        assert_eq!(n(r"Linux version \d").as_deref(), Some("Linux version "));
        assert_eq!(n(r"abcx?").as_deref(), Some("abc"));
        assert_eq!(n(r"ab{2}cdef").as_deref(), Some("cdef"));
    }

    #[test]
    fn unsafe_patterns_have_no_needles() {
        assert_eq!(needles(r"(?i)kernel panic"), None);
        assert_eq!(needles(r"^ok$|x"), None);
        assert_eq!(needles(r"\d+\s\w"), None);
        assert_eq!(needles(r"(a|b)"), None);
    }

    #[test]
    fn every_builtin_has_needles() {
        for p in crate::patterns::builtin() {
            assert!(needles(&p.regex).is_some(), "{} has no needle", p.kind);
        }
    }
}

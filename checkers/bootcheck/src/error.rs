//! bootcheck's errors: what stops it from doing its job (exit code 2).

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

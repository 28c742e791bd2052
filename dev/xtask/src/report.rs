//! One way a stage reports, one way the driver sums up.
//!
//! A stage prints one line per item as it is decided:
//!
//! ```text
//! ok   <name>
//! FAIL <name>: <why>
//!      <detail lines, indented>
//! skip <name>: <why>
//! ```
//!
//! and ends with `<stage>: N passed, N failed` (`, N skipped` when some
//! were). The driver brackets each stage with `==> stage X` and
//! `<== stage X: passed (Ns)`, `FAILED (...)` or `skipped: <why>`, then
//! prints a table of every stage and `stages: N passed, N failed, N
//! skipped`. In CI a skipped stage is a failed one.

use std::fmt::Write as _;

/// The indentation of detail lines under an item.
pub const DETAIL: &str = "     ";

/// How a stage ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Why, in a few words (`3 failed`, `exit 101`).
    Failed(String),
    /// Why the stage could not run.
    Skipped(String),
}

/// The items of one stage: each line printed as it comes (or kept, for
/// tests), counted.
#[derive(Debug)]
pub struct Tally {
    stage: String,
    pub passed: usize,
    pub failed: usize,
    pub skipped: usize,
    kept: Option<Vec<String>>,
}

impl Tally {
    /// A tally that prints to standard output.
    pub fn new(stage: &str) -> Tally {
        Tally {
            stage: stage.to_string(),
            passed: 0,
            failed: 0,
            skipped: 0,
            kept: None,
        }
    }

    /// A tally that keeps its lines (see [`Tally::lines`]).
    #[cfg(test)]
    pub fn kept(stage: &str) -> Tally {
        Tally {
            kept: Some(Vec::new()),
            ..Tally::new(stage)
        }
    }

    /// The lines a kept tally has so far.
    #[cfg(test)]
    pub fn lines(&self) -> &[String] {
        self.kept.as_deref().unwrap_or_default()
    }

    /// A line as it is: a note, a command's output.
    pub fn line(&mut self, line: impl Into<String>) {
        let line = line.into();
        match &mut self.kept {
            Some(k) => k.push(line),
            None => println!("{line}"),
        }
    }

    /// Lines under the item before, indented.
    pub fn detail<I, S>(&mut self, lines: I)
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for l in lines {
            self.line(format!("{DETAIL}{}", l.as_ref()));
        }
    }

    pub fn ok(&mut self, name: &str) {
        self.passed += 1;
        self.line(format!("ok   {name}"));
    }

    /// A failed item; `why` may be empty.
    pub fn fail(&mut self, name: &str, why: &str) {
        self.failed += 1;
        if why.is_empty() {
            self.line(format!("FAIL {name}"));
        } else {
            self.line(format!("FAIL {name}: {why}"));
        }
    }

    pub fn skip(&mut self, name: &str, why: &str) {
        self.skipped += 1;
        self.line(format!("skip {name}: {why}"));
    }

    /// `ok` or `FAIL <why>` from a result.
    pub fn check(&mut self, name: &str, result: Result<(), String>) {
        match result {
            Ok(()) => self.ok(name),
            Err(why) => self.fail(name, &why),
        }
    }

    /// Items counted where their lines were printed (another program's).
    pub fn add(&mut self, passed: usize, failed: usize, skipped: usize) {
        self.passed += passed;
        self.failed += failed;
        self.skipped += skipped;
    }

    /// `<stage>: N passed, N failed`, and how the stage ended.
    pub fn finish(&mut self) -> Outcome {
        let mut last = format!(
            "{}: {} passed, {} failed",
            self.stage, self.passed, self.failed
        );
        if self.skipped > 0 {
            let _ = write!(last, ", {} skipped", self.skipped);
        }
        self.line(last);
        if self.failed == 0 {
            Outcome::Passed
        } else {
            Outcome::Failed(format!("{} failed", self.failed))
        }
    }
}

/// A stage as the summary counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Passed,
    Failed,
    Skipped,
}

/// How the driver says a stage ended (`<== stage X: <this>`), and how it
/// counts. In CI (`ci`) a skipped stage fails.
pub fn status(outcome: &Outcome, secs: u64, ci: bool) -> (Class, String) {
    match outcome {
        Outcome::Passed => (Class::Passed, format!("passed ({secs}s)")),
        Outcome::Failed(why) => (Class::Failed, format!("FAILED ({why}, {secs}s)")),
        Outcome::Skipped(why) if ci => (
            Class::Failed,
            format!("FAILED (skipped, which CI does not allow: {why})"),
        ),
        Outcome::Skipped(why) => (Class::Skipped, format!("skipped: {why}")),
    }
}

/// The summary after the stages: one line per stage run, then the counts.
/// The bool says whether no stage failed.
pub fn summary(stages: &[(String, Outcome, u64)], ci: bool) -> (Vec<String>, bool) {
    let mut lines = vec![String::new(), "Summary".to_string()];
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for (name, outcome, secs) in stages {
        let (class, text) = status(outcome, *secs, ci);
        match class {
            Class::Passed => passed += 1,
            Class::Failed => failed += 1,
            Class::Skipped => skipped += 1,
        }
        lines.push(format!("  {name:<16} {text}"));
    }
    lines.push(format!(
        "stages: {passed} passed, {failed} failed, {skipped} skipped"
    ));
    (lines, failed == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_printed_and_counted() {
        let mut t = Tally::kept("demo");
        t.line("nix (Nix) 2.8.0");
        t.ok("a");
        t.fail("b", "it broke");
        t.detail(["first", "second"]);
        t.fail("c", "");
        t.skip("d", "no kvm");
        t.check("e", Ok(()));
        t.check("f", Err("no".into()));
        t.add(2, 1, 0);
        assert_eq!(t.finish(), Outcome::Failed("4 failed".into()));
        assert_eq!(
            t.lines(),
            [
                "nix (Nix) 2.8.0",
                "ok   a",
                "FAIL b: it broke",
                "     first",
                "     second",
                "FAIL c",
                "skip d: no kvm",
                "ok   e",
                "FAIL f: no",
                "demo: 4 passed, 4 failed, 1 skipped",
            ]
        );
    }

    #[test]
    fn a_stage_without_failures_passes() {
        let mut t = Tally::kept("demo");
        t.ok("a");
        assert_eq!(t.finish(), Outcome::Passed);
        assert_eq!(t.lines().last().unwrap(), "demo: 1 passed, 0 failed");
    }

    #[test]
    fn no_items_is_no_failure() {
        // A stage decides itself whether having nothing to check fails.
        assert_eq!(Tally::kept("x").finish(), Outcome::Passed);
    }

    #[test]
    fn the_summary_counts_stages_and_ci_fails_a_skip() {
        let stages = vec![
            ("format".to_string(), Outcome::Passed, 3),
            ("probes".to_string(), Outcome::Skipped("no qemu".into()), 0),
            ("template".to_string(), Outcome::Failed("exit 1".into()), 7),
        ];
        let (lines, ok) = summary(&stages, false);
        assert!(!ok);
        assert_eq!(
            lines,
            [
                "",
                "Summary",
                "  format           passed (3s)",
                "  probes           skipped: no qemu",
                "  template         FAILED (exit 1, 7s)",
                "stages: 1 passed, 1 failed, 1 skipped",
            ]
        );
        let (lines, ok) = summary(&stages[..2], true);
        assert!(!ok);
        assert_eq!(
            lines[3],
            "  probes           FAILED (skipped, which CI does not allow: no qemu)"
        );
        assert_eq!(lines[4], "stages: 1 passed, 1 failed, 0 skipped");
        let (_, ok) = summary(&stages[..2], false);
        assert!(ok, "a skip fails only in CI");
    }
}

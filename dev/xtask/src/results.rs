//! The result of a Nix test file, as the Nix tests return it:
//!
//! ```nix
//! { passed = [ name ]; failed = [ { name; expected; got; } ]; }
//! ```
//!
//! (tests/entry-points.nix gives a failure `why` instead of `expected` and
//! `got`). One `ok` line per passed test, one `FAIL` line per failed one
//! with what was expected and what came, as JSON.

use crate::report::Tally;
use serde_json::Value;

/// A failed test.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub name: String,
    pub why: Option<String>,
    /// `expected` and `got`, where given (null is a value).
    pub expected: Option<Value>,
    pub got: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    pub passed: Vec<String>,
    pub failed: Vec<Failure>,
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        v => v.to_string(),
    }
}

/// The results in `json`, or what is wrong with it.
pub fn parse(json: &str) -> Result<Results, String> {
    let v: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
    let passed = match v.get("passed") {
        Some(Value::Array(a)) => a.iter().map(text).collect(),
        _ => return Err("no `passed` list".into()),
    };
    let failed = match v.get("failed") {
        Some(Value::Array(a)) => a
            .iter()
            .map(|f| match f.get("name") {
                Some(n) => Ok(Failure {
                    name: text(n),
                    why: f.get("why").map(text),
                    expected: f.get("expected").cloned(),
                    got: f.get("got").cloned(),
                }),
                None => Err(format!("a failure without a name: {f}")),
            })
            .collect::<Result<_, _>>()?,
        _ => return Err("no `failed` list".into()),
    };
    Ok(Results { passed, failed })
}

/// Prints the results as items of `tally`.
pub fn report(r: &Results, tally: &mut Tally) {
    for name in &r.passed {
        tally.ok(name);
    }
    for f in &r.failed {
        tally.fail(&f.name, f.why.as_deref().unwrap_or(""));
        if let Some(e) = &f.expected {
            tally.detail([format!("expected: {e}")]);
        }
        if let Some(g) = &f.got {
            tally.detail([format!("got:      {g}")]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Outcome;

    #[test]
    fn expected_and_got_under_a_failure() {
        let r = parse(
            r#"{"passed": ["a", "b"],
                "failed": [{"name": "c", "expected": ["x", 1], "got": null},
                           {"name": "d", "why": "needs pkgs"}]}"#,
        )
        .unwrap();
        let mut t = Tally::kept("nix-modules");
        report(&r, &mut t);
        assert_eq!(t.finish(), Outcome::Failed("2 failed".into()));
        assert_eq!(
            t.lines(),
            [
                "ok   a",
                "ok   b",
                "FAIL c",
                r#"     expected: ["x",1]"#,
                "     got:      null",
                "FAIL d: needs pkgs",
                "nix-modules: 2 passed, 2 failed",
            ]
        );
    }

    #[test]
    fn malformed_results_are_errors() {
        assert!(parse("{").unwrap_err().starts_with("not JSON"));
        assert_eq!(parse(r#"{"failed": []}"#).unwrap_err(), "no `passed` list");
        assert_eq!(parse(r#"{"passed": []}"#).unwrap_err(), "no `failed` list");
        assert!(parse(r#"{"passed": [], "failed": [{"why": "x"}]}"#)
            .unwrap_err()
            .starts_with("a failure without a name"));
        assert_eq!(
            parse(r#"{"passed": [], "failed": []}"#).unwrap(),
            Results {
                passed: vec![],
                failed: vec![]
            }
        );
    }
}

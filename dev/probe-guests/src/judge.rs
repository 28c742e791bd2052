//! The verdicts of the probes stage from bootcheck's reports of the two
//! guests: every probe without `needsNixos` must pass on the Rust guest and
//! fail on the C guest, every control must pass on both. The result is the
//! lines to print, in the test runner's form (`ok   <name>`, `FAIL <name>:
//! <why>`, `skip <name>: <why>`, details indented), their counts, and the
//! Markdown table of modules/README.md.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The markers around the table in modules/README.md.
pub const BEGIN: &str = "<!-- probes table: written by `cargo xtask probes --update` -->";
pub const END: &str = "<!-- end of probes table -->";

/// A guest's report: its probes by name, `verdict: summary`, and its
/// oxidation section.
#[derive(Debug, Clone)]
pub struct Report {
    pub probes: Option<BTreeMap<String, Value>>,
    pub summary: String,
    pub oxidation: Option<Value>,
}

/// A value as the stage prints it: strings bare, anything else as JSON,
/// absent as null.
pub fn show(v: Option<&Value>) -> String {
    match v {
        None => "null".into(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// Whether a value counts as true: not null, false, zero or empty.
pub fn truthy(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::Number(n)) => n.as_f64() != Some(0.0),
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(o)) => !o.is_empty(),
    }
}

impl Report {
    /// A report from bootcheck's JSON.
    pub fn from_json(report: &Value) -> Report {
        let mut probes = BTreeMap::new();
        if let Some(Value::Array(list)) = report.get("probes") {
            for p in list {
                probes.insert(show(p.get("name")), p.clone());
            }
        }
        Report {
            probes: Some(probes),
            summary: format!(
                "{}: {}",
                show(report.get("verdict")),
                show(report.get("summary"))
            ),
            oxidation: report.get("oxidation").filter(|o| o.is_object()).cloned(),
        }
    }

    /// The report at `path`, or one saying why there is none.
    pub fn read(path: &Path) -> Report {
        let why = match std::fs::read(path) {
            Err(e) => format!("{}: {e}", path.display()),
            Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
                Ok(v @ Value::Object(_)) => return Report::from_json(&v),
                Ok(_) => "not a JSON object".into(),
                Err(e) => e.to_string(),
            },
        };
        Report {
            probes: None,
            summary: format!("no report ({why})"),
            oxidation: None,
        }
    }

    fn get(&self, name: &str) -> Option<&Value> {
        self.probes.as_ref().and_then(|p| p.get(name))
    }

    fn names(&self) -> impl Iterator<Item = &String> {
        self.probes.iter().flat_map(|p| p.keys())
    }
}

/// What the judge found.
#[derive(Debug, Clone, PartialEq)]
pub struct Judgement {
    /// The lines to print, in order.
    pub lines: Vec<String>,
    /// The Markdown table, with a final newline.
    pub table: String,
    /// Probes that tell Rust from C and controls that pass on both.
    pub passed: usize,
    /// Probes that do not discriminate and controls that fail.
    pub failed: usize,
    /// Probes that need a booted NixOS, not run.
    pub skipped: usize,
}

fn passed(r: Option<&Value>) -> bool {
    r.is_some_and(|r| truthy(r.get("passed")))
}

/// Judge the probes of the evaluation (`probes`) from the two reports.
pub fn judge(probes: &[Value], rust: &Report, c: &Report) -> Judgement {
    let mut lines = vec![
        format!("rust guest: {}", rust.summary),
        format!("c guest:    {}", c.summary),
    ];
    let mut rows = vec![
        "| component | probe | Rust guest | C guest |".to_string(),
        "|---|---|---|---|".to_string(),
    ];
    let (mut good, mut bad, mut skipped) = (0, 0, 0);
    for p in probes {
        let name = show(p.get("name"));
        let comp = show(p.get("component"));
        if !crate::spec::is_run(p) {
            let why = show(p.get("needsNixos"));
            rows.push(format!("| {comp} | `{name}` | not run: {why} | not run |"));
            lines.push(format!("skip {comp}/{name}: needs NixOS: {why}"));
            skipped += 1;
            continue;
        }
        let (r, g) = (rust.get(&name), c.get(&name));
        let (r_pass, g_pass) = (passed(r), passed(g));
        let why = match (r, g) {
            (None, None) => Some("not run on both guests"),
            (None, _) => Some("not run on the Rust guest"),
            (_, None) => Some("not run on the C guest"),
            _ => match (r_pass, g_pass) {
                (true, false) => None,
                (true, true) => Some("passes on both: proves nothing"),
                (false, false) => Some("fails on both: the probe is wrong"),
                (false, true) => Some("fails on Rust, passes on C"),
            },
        };
        match why {
            None => {
                good += 1;
                lines.push(format!("ok   {comp}/{name}"));
            }
            Some(why) => {
                bad += 1;
                lines.push(format!("FAIL {comp}/{name}: {why}"));
            }
        }
        for (side, res) in [("rust", r), ("c", g)] {
            if let Some(res) = res {
                if why.is_some() || !truthy(res.get("passed")) {
                    let what = match res.get("error") {
                        e if truthy(e) => show(e),
                        _ => "passed".into(),
                    };
                    lines.push(format!("     {side}: {what}"));
                }
            }
        }
        rows.push(format!(
            "| {comp} | `{name}` | {} | {} |",
            if r_pass { "pass" } else { "FAIL" },
            if g_pass { "pass" } else { "fail" }
        ));
    }
    let table = rows.join("\n") + "\n";
    // The controls the spec adds must pass on both guests.
    let mut controls: Vec<&String> = rust
        .names()
        .chain(c.names())
        .filter(|n| n.starts_with("control:"))
        .collect();
    controls.sort();
    controls.dedup();
    for name in &controls {
        let (r, g) = (rust.get(name), c.get(name));
        if passed(r) && passed(g) {
            good += 1;
            lines.push(format!("ok   {name} (passes on both guests)"));
        } else {
            bad += 1;
            lines.push(format!("FAIL {name}: must pass on both guests"));
        }
        for (side, res) in [("rust", r), ("c", g)] {
            match res {
                None => lines.push(format!("     {side}: not run")),
                Some(res) if !truthy(res.get("passed")) => {
                    lines.push(format!("     {side}: {}", show(res.get("error"))));
                }
                Some(_) => {}
            }
        }
    }
    Judgement {
        lines,
        table,
        passed: good,
        failed: bad,
        skipped,
    }
}

/// The oxidation meter on both guests: lines as [`judge`]'s, a Markdown
/// table (PID 1 and its language, `Rust: N of M processes`, the Rust
/// services, the requirements), and the counts of checks that pass and
/// fail. Each guest must have the section with PID 1; the Rust guest must
/// run Rust processes and meet every requirement (a library no process
/// maps has nothing to check); the C guest must run no Rust process and
/// meet no requirement that has something to check.
pub fn oxidation(rust: &Report, c: &Report) -> (Vec<String>, String, usize, usize) {
    let mut lines = Vec::new();
    let mut rows = vec![
        "| guest | PID 1 | processes | Rust services | Rust required |".to_string(),
        "|---|---|---|---|---|".to_string(),
    ];
    let (mut good, mut bad) = (0, 0);
    for (side, name, r) in [("rust", "Rust", rust), ("c", "C", c)] {
        let Some(x) = r.oxidation.as_ref().filter(|x| truthy(x.get("pid1"))) else {
            bad += 1;
            let why = r
                .oxidation
                .as_ref()
                .map_or("no oxidation section".to_string(), |x| {
                    show(x.get("not_measured"))
                });
            lines.push(format!("FAIL oxidation: {side} guest: {why}"));
            rows.push(format!("| {name} | not measured | | | |"));
            continue;
        };
        let pid1 = &x["pid1"];
        let pid1_shown = format!(
            "`{}` ({})",
            show(pid1.get("exe")),
            show(pid1.get("language"))
        );
        let headline = show(x.get("headline"));
        let rust_n = x["counts"]["rust"].as_u64().unwrap_or(0);
        let services: Vec<String> = x["rust_services"]
            .as_array()
            .map(|s| s.iter().map(|v| show(Some(v))).collect())
            .unwrap_or_default();
        let reqs: Vec<&Value> = x["requirements"]
            .as_array()
            .map_or(Vec::new(), |r| r.iter().collect());
        let status = |s: &str| reqs.iter().filter(|r| show(r.get("status")) == s).count();
        let (met, unmet, nothing) = (status("met"), status("unmet"), status("nothing-to-check"));
        let checked = met + unmet;
        let required = match nothing {
            0 => format!("{met} of {checked} met"),
            n => format!("{met} of {checked} met, {n} nothing to check"),
        };
        rows.push(format!(
            "| {name} | {pid1_shown} | {headline} | {} | {required} |",
            if services.is_empty() {
                "none".into()
            } else {
                services.join(", ")
            }
        ));
        let detail = format!("{headline}; PID 1 {pid1_shown}; requirements: {required}");
        let wrong: Vec<String> = reqs
            .iter()
            .filter(|r| {
                let s = show(r.get("status"));
                if side == "rust" {
                    s == "unmet"
                } else {
                    s == "met"
                }
            })
            .map(|r| {
                format!(
                    "{} {}: {}",
                    show(r.get("component")),
                    show(r.get("what")),
                    show(r.get("why"))
                )
            })
            .collect();
        let rust_ok = if side == "rust" {
            rust_n > 0
        } else {
            rust_n == 0
        };
        // The listing ran in full under the guest's /bin/sh (brush as sh on
        // the Rust guest): it left the kernel's threads and its own
        // processes out, which a booted kernel always has.
        let counted = |k: &str| x["counts"][k].as_u64().unwrap_or(0);
        let listed_right = counted("kernel_threads") > 0 && counted("listing") > 0;
        if rust_ok && listed_right && wrong.is_empty() {
            good += 1;
            lines.push(format!("ok   oxidation: {side} guest: {detail}"));
        } else {
            bad += 1;
            let why = if !listed_right {
                format!(
                    "the listing left out {} kernel threads and {} of its own processes (both must be more than 0)",
                    counted("kernel_threads"),
                    counted("listing")
                )
            } else if !rust_ok && side == "rust" {
                "no Rust process".to_string()
            } else if !rust_ok {
                "Rust processes on the C guest".to_string()
            } else if side == "rust" {
                "requirements not met".to_string()
            } else {
                "requirements met by C programs".to_string()
            };
            lines.push(format!("FAIL oxidation: {side} guest: {why}: {detail}"));
        }
        lines.extend(wrong.into_iter().map(|w| format!("     {w}")));
    }
    (lines, rows.join("\n") + "\n", good, bad)
}

/// Whether every component's probes ran on its programs: a component of
/// the evaluation (`components`, modules/oxidized/components.nix) with
/// probes that need no NixOS must have at least one of them pass on the
/// Rust guest, or the guests do not have its programs (dev/probe-guests)
/// and nothing of it was shown. Lines as [`judge`]'s, and the counts of
/// components that pass and fail; a component whose probes all need
/// NixOS is a `skip` line, not counted.
pub fn coverage(
    components: &[String],
    probes: &[Value],
    rust: &Report,
) -> (Vec<String>, usize, usize) {
    let (mut lines, mut good, mut bad) = (Vec::new(), 0, 0);
    for comp in components {
        let mine: Vec<&Value> = probes
            .iter()
            .filter(|p| show(p.get("component")) == *comp)
            .collect();
        let run: Vec<&&Value> = mine.iter().filter(|p| crate::spec::is_run(p)).collect();
        let passed = run
            .iter()
            .filter(|p| passed(rust.get(&show(p.get("name")))))
            .count();
        if mine.is_empty() {
            bad += 1;
            lines.push(format!(
                "FAIL component {comp}: no probes in the evaluation (tests/probes/eval.nix enables every component)"
            ));
        } else if run.is_empty() {
            lines.push(format!(
                "skip component {comp}: its {} probes need a booted NixOS",
                mine.len()
            ));
        } else if passed == 0 {
            bad += 1;
            lines.push(format!(
                "FAIL component {comp}: none of its {} probes that need no NixOS passed on the Rust guest: give it programs in dev/probe-guests (guest::COMPONENTS)",
                run.len()
            ));
        } else {
            good += 1;
            lines.push(format!(
                "ok   component {comp}: {passed} of its {} probes ran on its programs",
                run.len()
            ));
        }
    }
    (lines, good, bad)
}

/// README's text split around the table: before BEGIN, between the
/// markers, after END.
pub fn section<'a>(readme: &'a str, name: &str) -> crate::Result<(&'a str, &'a str, &'a str)> {
    let split = readme
        .split_once(BEGIN)
        .and_then(|(head, rest)| rest.split_once(END).map(|(body, tail)| (head, body, tail)));
    split.ok_or_else(|| crate::Error(format!("{name}: no probes table markers")))
}

/// README's text with `table` between the markers.
pub fn with_table(readme: &str, name: &str, table: &str) -> crate::Result<String> {
    let (head, _, tail) = section(readme, name)?;
    Ok(format!("{head}{BEGIN}\n{table}{END}{tail}"))
}

/// Whether README's table is `table` (leading and trailing blanks aside).
pub fn has_table(readme: &str, name: &str, table: &str) -> crate::Result<bool> {
    let (_, body, _) = section(readme, name)?;
    Ok(body.trim() == table.trim())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn probe(name: &str, needs: Value) -> Value {
        json!({"name": name, "component": "comp", "command": "true", "expect": "x",
               "timeout": 30, "ignore_exit": false, "needsNixos": needs})
    }

    fn report(verdict: &str, results: &[(&str, bool, Option<&str>)]) -> Report {
        let probes: Vec<Value> = results
            .iter()
            .map(|(n, p, e)| json!({"name": n, "passed": p, "error": e, "duration_ms": 5}))
            .collect();
        Report::from_json(&json!({"verdict": verdict, "summary": "sum", "probes": probes}))
    }

    #[test]
    fn every_probe_must_tell_rust_from_c() {
        let probes = [
            probe("good", Value::Null),
            probe("both", Value::Null),
            probe("neither", Value::Null),
            probe("inverted", Value::Null),
            probe("missing", Value::Null),
            probe("booted", json!("reads PID 1")),
        ];
        let rust = report(
            "pass",
            &[
                ("good", true, None),
                ("both", true, None),
                ("neither", false, Some("no match")),
                ("inverted", false, Some("r")),
                ("control:a", true, None),
                ("control:b", true, None),
            ],
        );
        let c = report(
            "fail",
            &[
                ("good", false, Some("output does not match")),
                ("both", true, Some("")),
                ("neither", false, Some("no match either")),
                ("inverted", true, None),
                ("control:a", true, None),
                ("control:b", false, None),
            ],
        );
        let j = judge(&probes, &rust, &c);
        assert_eq!(
            j.lines,
            [
                "rust guest: pass: sum",
                "c guest:    fail: sum",
                "ok   comp/good",
                "     c: output does not match",
                "FAIL comp/both: passes on both: proves nothing",
                "     rust: passed",
                "     c: passed",
                "FAIL comp/neither: fails on both: the probe is wrong",
                "     rust: no match",
                "     c: no match either",
                "FAIL comp/inverted: fails on Rust, passes on C",
                "     rust: r",
                "     c: passed",
                "FAIL comp/missing: not run on both guests",
                "skip comp/booted: needs NixOS: reads PID 1",
                "ok   control:a (passes on both guests)",
                "FAIL control:b: must pass on both guests",
                "     c: null",
            ]
        );
        assert_eq!(
            j.table,
            "| component | probe | Rust guest | C guest |
|---|---|---|---|
| comp | `good` | pass | fail |
| comp | `both` | pass | pass |
| comp | `neither` | FAIL | fail |
| comp | `inverted` | FAIL | pass |
| comp | `missing` | FAIL | fail |
| comp | `booted` | not run: reads PID 1 | not run |
"
        );
        assert_eq!((j.passed, j.failed, j.skipped), (2, 5, 1));
    }

    fn metered(rust: u64, total: u64, lang: &str, reqs: &[(&str, &str)]) -> Report {
        let requirements: Vec<Value> = reqs
            .iter()
            .map(|(c, st)| json!({"component": c, "what": "process x", "status": st, "why": "w"}))
            .collect();
        Report::from_json(&json!({"verdict": "pass", "summary": "s", "probes": [],
            "oxidation": {"headline": format!("Rust: {rust} of {total} processes"),
                          "pid1": {"exe": "/bin/busybox", "language": lang},
                          "counts": {"rust": rust, "processes": total, "kernel_threads": 45, "listing": 3},
                          "rust_services": if rust > 0 { json!(["ntp-daemon"]) } else { json!([]) },
                          "requirements": requirements}}))
    }

    #[test]
    fn the_oxidation_meter_tells_the_guests_apart() {
        let rust = metered(3, 5, "c", &[("ntp", "met"), ("zlib", "nothing-to-check")]);
        let c = metered(0, 4, "c", &[("ntp", "unmet"), ("zlib", "nothing-to-check")]);
        let (lines, table, good, bad) = oxidation(&rust, &c);
        assert_eq!(
            lines,
            [
                "ok   oxidation: rust guest: Rust: 3 of 5 processes; PID 1 `/bin/busybox` (c); requirements: 1 of 1 met, 1 nothing to check",
                "ok   oxidation: c guest: Rust: 0 of 4 processes; PID 1 `/bin/busybox` (c); requirements: 0 of 1 met, 1 nothing to check",
            ]
        );
        assert_eq!(
            table,
            "| guest | PID 1 | processes | Rust services | Rust required |
|---|---|---|---|---|
| Rust | `/bin/busybox` (c) | Rust: 3 of 5 processes | ntp-daemon | 1 of 1 met, 1 nothing to check |
| C | `/bin/busybox` (c) | Rust: 0 of 4 processes | none | 0 of 1 met, 1 nothing to check |
"
        );
        assert_eq!((good, bad), (2, 0));
        // Swapped: the Rust guest runs no Rust, the C guest meets one.
        let (lines, _, good, bad) = oxidation(&c, &rust);
        assert_eq!((good, bad), (0, 2));
        assert!(
            lines[0].starts_with("FAIL oxidation: rust guest: no Rust process: "),
            "{lines:?}"
        );
        assert_eq!(lines[1], "     ntp process x: w");
        assert!(lines[2].starts_with("FAIL oxidation: c guest: Rust processes on the C guest: "));
        // A listing that kept the kernel's threads (its shell could not
        // tell them apart) fails, whatever it counted.
        let mut blind = metered(3, 5, "c", &[]);
        blind.oxidation.as_mut().unwrap()["counts"]["kernel_threads"] = json!(0);
        let (lines, _, _, bad) = oxidation(&blind, &c);
        assert_eq!(bad, 1);
        assert!(
            lines[0].starts_with("FAIL oxidation: rust guest: the listing left out 0 kernel threads and 3 of its own processes"),
            "{lines:?}"
        );
        // No section at all.
        let none = report("pass", &[]);
        let (lines, _, _, bad) = oxidation(&none, &c);
        assert_eq!(
            (lines[0].as_str(), bad),
            ("FAIL oxidation: rust guest: no oxidation section", 1)
        );
    }

    #[test]
    fn a_missing_report_fails_every_probe() {
        let dir = std::env::temp_dir().join(format!("probe-guests-judge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = Report::read(&dir.join("none.json"));
        let bad = dir.join("bad.json");
        std::fs::write(&bad, "{").unwrap();
        let broken = Report::read(&bad);
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(
            missing.summary,
            format!(
                "no report ({}: No such file or directory (os error 2))",
                dir.join("none.json").display()
            )
        );
        assert!(
            broken.summary.starts_with("no report ("),
            "{}",
            broken.summary
        );
        let rust = report("pass", &[("p", true, None), ("control:x", true, None)]);
        let j = judge(&[probe("p", Value::Null)], &rust, &missing);
        assert_eq!(
            j.lines[2..],
            [
                "FAIL comp/p: not run on the C guest",
                "     rust: passed",
                "FAIL control:x: must pass on both guests",
                "     c: not run",
            ]
        );
        assert_eq!((j.passed, j.failed, j.skipped), (0, 2, 0));
    }

    #[test]
    fn every_component_must_have_its_probes_run() {
        let mut probes = vec![
            probe("sed-a", Value::Null),
            probe("sed-b", Value::Null),
            probe("ghost-a", Value::Null),
            probe("boot-a", json!("reads PID 1")),
        ];
        for (p, comp) in probes.iter_mut().zip(["sed", "sed", "ghost", "boot"]) {
            p["component"] = json!(comp);
        }
        let rust = report(
            "fail",
            &[
                ("sed-a", false, Some("x")),
                ("sed-b", true, None),
                ("ghost-a", false, Some("not found")),
            ],
        );
        let names: Vec<String> = ["sed", "ghost", "boot", "none"].map(String::from).to_vec();
        let (lines, good, bad) = coverage(&names, &probes, &rust);
        assert_eq!(
            lines,
            [
                "ok   component sed: 1 of its 2 probes ran on its programs",
                "FAIL component ghost: none of its 1 probes that need no NixOS passed on the Rust guest: give it programs in dev/probe-guests (guest::COMPONENTS)",
                "skip component boot: its 1 probes need a booted NixOS",
                "FAIL component none: no probes in the evaluation (tests/probes/eval.nix enables every component)",
            ]
        );
        assert_eq!((good, bad), (1, 2));
    }

    #[test]
    fn the_table_goes_between_the_markers() {
        let readme = format!("# Modules\n\n{BEGIN}\n| old |\n{END}\n\nmore\n");
        let new = with_table(&readme, "README", "| new |\n").unwrap();
        assert_eq!(
            new,
            format!("# Modules\n\n{BEGIN}\n| new |\n{END}\n\nmore\n")
        );
        assert!(has_table(&new, "README", "| new |\n").unwrap());
        assert!(has_table(&new, "README", "\n| new |").unwrap());
        assert!(!has_table(&readme, "README", "| new |\n").unwrap());
        let e = with_table("no markers", "README", "").unwrap_err();
        assert_eq!(e.0, "README: no probes table markers");
        assert!(section(&format!("{END}{BEGIN}"), "R").is_err());
    }
}

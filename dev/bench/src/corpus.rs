//! The corpus of real serial logs (bootcheck's `tests/corpus/`), judged by
//! `bootcheck scan` and by the grep the original configuration's boot test
//! used, scored against the verdict an engineer gives each log.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The original boot test's failure list, matched with `grep -iP` before
/// its success check, a case-insensitive `login:`.
const SEED_FAILURES: &str = "Kernel panic|end Kernel panic|Failed to execute /init|not syncing|BUG:|thread.*panicked|Entering emergency mode";

pub struct Entry {
    pub name: String,
    pub verdict: String,
    pub kind: String,
    /// The lab job's own success prompt, when it boots to a root shell.
    pub success: Option<String>,
}

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checkers/bootcheck/tests/corpus")
}

/// `[name]` sections of `MANIFEST` with their `key = value` fields.
pub fn manifest(dir: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(dir.join("MANIFEST")).expect("corpus MANIFEST");
    let mut out: Vec<Entry> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            out.push(Entry {
                name: name.to_string(),
                verdict: String::new(),
                kind: String::new(),
                success: None,
            });
        } else if let (Some((k, v)), Some(e)) = (line.split_once(" = "), out.last_mut()) {
            match k {
                "verdict" => e.verdict = v.to_string(),
                "kind" => e.kind = v.to_string(),
                "success" => e.success = Some(v.to_string()),
                _ => {}
            }
        }
    }
    out
}

/// (verdict, kind) from `bootcheck scan`.
fn bootcheck(bootcheck: &Path, tmp: &Path, log: &Path, e: &Entry) -> (String, String) {
    let mut cmd = Command::new(bootcheck);
    cmd.args(["scan", "--quiet", "--report", "-"]);
    if let Some(re) = &e.success {
        let spec = tmp.join("corpus-spec.json");
        let re = re.replace('\\', "\\\\").replace('"', "\\\"");
        std::fs::write(
            &spec,
            format!(r#"{{"success": [{{"kind": "shell-prompt", "regex": "{re}"}}]}}"#),
        )
        .expect("spec written");
        cmd.arg("--spec").arg(&spec);
    }
    let out = cmd.arg(log).output().expect("bootcheck scan runs");
    let report = String::from_utf8_lossy(&out.stdout);
    (field(&report, "verdict"), field(&report, "kind"))
}

/// A top-level string field of the pretty-printed JSON report.
fn field(report: &str, name: &str) -> String {
    let key = format!("\n  \"{name}\": \"");
    report
        .find(&key)
        .map(|i| {
            let rest = &report[i + key.len()..];
            rest[..rest.find('"').unwrap_or(0)].to_string()
        })
        .unwrap_or_else(|| "?".into())
}

fn grep(args: &[&str], log: &Path) -> bool {
    Command::new("grep")
        .args(args)
        .arg(log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The original approach on a whole saved log: any failure pattern fails;
/// else `login:` (or the lab job's own prompt) passes; else nothing is
/// decided, which that script reports when its deadline passes.
fn seed_grep(log: &Path, e: &Entry) -> &'static str {
    if grep(&["-qiP", SEED_FAILURES], log) {
        return "fail";
    }
    if grep(&["-qi", "login:"], log) {
        return "pass";
    }
    match &e.success {
        Some(re) if grep(&["-qE", re], log) => "pass",
        _ => "incomplete",
    }
}

pub fn score(bootcheck_bin: &Path, tmp: &Path) {
    let dir = dir();
    let entries = manifest(&dir);
    println!("## Verdicts on real serial logs\n");
    println!(
        "The {} logs of `bootcheck/tests/corpus/` (public sources, each with the verdict an engineer gives it: see its `MANIFEST`). bootcheck is `bootcheck scan`; grep is the original configuration's boot test: `grep -iP` with its failure list (`{SEED_FAILURES}`), then `grep -i login:`, run over the whole log at once (the script looked once a second at a growing log, so this is its best case). For lab captures that boot to a root shell both get the job's prompt regex. A log without either answer counts as `incomplete` (the script's timeout). Goal: bootcheck right on every log and never behind grep.\n",
        entries.len()
    );
    println!("| log | expected | bootcheck | grep |");
    println!("|---|---|---|---|");
    let (mut bc_ok, mut grep_ok) = (0, 0);
    for e in &entries {
        let log = dir.join(format!("{}.log", e.name));
        let (v, k) = bootcheck(bootcheck_bin, tmp, &log, e);
        let g = seed_grep(&log, e);
        let bc_right = v == e.verdict && k == e.kind;
        let grep_right = g == e.verdict;
        bc_ok += bc_right as usize;
        grep_ok += grep_right as usize;
        let mark = |right: bool| if right { "" } else { " **wrong**" };
        println!(
            "| {} | {} ({}) | {v} ({k}){} | {g}{} |",
            e.name,
            e.verdict,
            e.kind,
            mark(bc_right),
            mark(grep_right)
        );
    }
    let n = entries.len();
    println!(
        "\nScore: bootcheck {bc_ok}/{n} (verdict and kind), grep {grep_ok}/{n} (verdict). Goal never behind grep: {}.\n",
        if bc_ok >= grep_ok { "met" } else { "NOT met" }
    );
}

//! Report writers: JSON (the record), JUnit XML (for CI systems), the human
//! summary, and the side-by-side comparison of two JSON reports.

use crate::console::VmExit;
use crate::error::Error;
use crate::judge::{LineRef, Milestones};
use crate::kind::PatternKind;
use crate::oxidation::boot::{self as meter, BootOxidation, Met};
use crate::rust::RustFailure;
use crate::text::{printable, shown};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use std::path::Path;

pub const REPORT_VERSION: u32 = 1;

/// Ends a colour.
const RESET: &str = "\x1b[0m";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Fail,
    Timeout,
    /// `scan` only: the log ended before anything was decided.
    Incomplete,
    /// bootcheck itself could not do its job (exit code 2).
    Error,
}

impl Verdict {
    pub fn exit_code(self) -> i32 {
        match self {
            Verdict::Pass => 0,
            Verdict::Fail => 1,
            Verdict::Error => 2,
            Verdict::Timeout => 3,
            Verdict::Incomplete => 4,
        }
    }

    /// The terminal colour of the verdict line: green for a pass, red for
    /// a failure or an error, yellow for a run that did not finish.
    fn colour(self) -> &'static str {
        match self {
            Verdict::Pass => "\x1b[1;32m",
            Verdict::Fail | Verdict::Error => "\x1b[1;31m",
            Verdict::Timeout | Verdict::Incomplete => "\x1b[1;33m",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Timeout => "timeout",
            Verdict::Incomplete => "incomplete",
            Verdict::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProbeResult {
    pub name: String,
    pub component: Option<String>,
    pub command: String,
    pub expect: String,
    pub passed: bool,
    pub exit_status: Option<i32>,
    pub output: String,
    pub duration_ms: u64,
    /// Why it failed, in words.
    pub error: Option<String>,
}

/// What decided a run: the kind of the pattern that matched (built in or
/// the spec's), or how the run ended without one. In JSON it is the
/// kebab-case string reports have always carried.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Kind {
    /// Not decided yet.
    #[default]
    None,
    /// A pattern's kind: `kernel-panic`, `rust-panic`, `login-prompt`, ...
    Pattern(PatternKind),
    Timeout,
    IdleTimeout,
    VmExited,
    ProbeFailed,
    /// The spec has probes, and not every one of them ran.
    ProbesNotRun,
    /// A requirement of the spec's `oxidation` does not hold: a component
    /// has no Rust process, command, library or PID 1 where it should.
    RustMissing,
    LoginFailed,
    Interrupted,
    Infrastructure,
    /// A saved log that ends before any decisive line.
    Incomplete,
}

impl Kind {
    pub fn as_str(&self) -> &str {
        match self {
            Kind::None => "",
            Kind::Pattern(k) => k.as_str(),
            Kind::Timeout => "timeout",
            Kind::IdleTimeout => "idle-timeout",
            Kind::VmExited => "vm-exited",
            Kind::ProbeFailed => "probe-failed",
            Kind::ProbesNotRun => "probes-not-run",
            Kind::RustMissing => "rust-missing",
            Kind::LoginFailed => "login-failed",
            Kind::Interrupted => "interrupted",
            Kind::Infrastructure => "infrastructure",
            Kind::Incomplete => "incomplete",
        }
    }

    /// The kind a report's string names (a pattern's, unless it is one of
    /// the names of a run's other ends).
    pub fn parse(s: &str) -> Kind {
        match s {
            "" => Kind::None,
            "timeout" => Kind::Timeout,
            "idle-timeout" => Kind::IdleTimeout,
            "vm-exited" => Kind::VmExited,
            "probe-failed" => Kind::ProbeFailed,
            "probes-not-run" => Kind::ProbesNotRun,
            "rust-missing" => Kind::RustMissing,
            "login-failed" => Kind::LoginFailed,
            "interrupted" => Kind::Interrupted,
            "infrastructure" => Kind::Infrastructure,
            "incomplete" => Kind::Incomplete,
            pattern => Kind::Pattern(PatternKind::parse(pattern)),
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Kind::parse(&String::deserialize(d)?))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub version: u32,
    pub name: String,
    pub verdict: Verdict,
    /// What decided: a pattern's kind, or how the run ended without one.
    pub kind: Kind,
    /// One sentence: what happened.
    pub summary: String,
    /// The console line that decided (null for timeouts and exits).
    pub decisive: Option<LineRef>,
    /// Lines just before the decisive one.
    pub context: Vec<String>,
    /// Lines just after a Rust failure line: its message, a backtrace, the
    /// kernel panic it causes (left out when empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub context_after: Vec<String>,
    /// The first failure line of another kind than Rust's after a Rust
    /// failure line, typically the kernel panic when PID 1 dies; context,
    /// not the verdict's kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followed_by: Option<LineRef>,
    /// What the Rust failure line says: thread, location, message, program.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust: Option<RustFailure>,
    pub duration_ms: Option<u64>,
    /// The run's idle timeout in seconds, when it had one (left out
    /// otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_timeout_s: Option<f64>,
    pub milestones: Milestones,
    pub login: Option<LoginResult>,
    /// Why no login was made although the spec configures one (left out
    /// when a login was made or none is configured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_skipped: Option<String>,
    /// Why the spec's probes were not run where that is not a failure:
    /// `scan` runs none (left out otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probes_skipped: Option<String>,
    pub probes: Vec<ProbeResult>,
    /// The spec's probes that did not run (`component/name`), whatever
    /// stopped them: the boot, the login, the session cut short. A run
    /// never passes with one (left out when every probe ran, and in
    /// `scan`, which says `probes_skipped`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub probes_not_run: Vec<String>,
    /// What the running system is written in, when the spec's
    /// `oxidation` asks (left out otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oxidation: Option<BootOxidation>,
    pub warnings: Vec<LineRef>,
    pub warnings_dropped: u64,
    pub vm_exit: Option<VmExit>,
    /// The VM command's own output (socket mode), last lines.
    pub vm_output: Vec<String>,
    pub lines: u64,
    pub bytes: u64,
    pub last_lines: Vec<String>,
    pub log: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResult {
    pub user: Option<String>,
    pub autologin: bool,
    pub ok: bool,
    pub duration_ms: u64,
    pub error: Option<String>,
}

impl Report {
    /// A report with nothing in it yet: no verdict (`incomplete`), no
    /// lines, no probes.
    pub fn new(name: &str) -> Report {
        Report {
            version: REPORT_VERSION,
            name: name.to_string(),
            verdict: Verdict::Incomplete,
            kind: Kind::None,
            summary: String::new(),
            decisive: None,
            context: Vec::new(),
            context_after: Vec::new(),
            followed_by: None,
            rust: None,
            duration_ms: None,
            idle_timeout_s: None,
            milestones: Default::default(),
            login: None,
            login_skipped: None,
            probes_skipped: None,
            probes: Vec::new(),
            probes_not_run: Vec::new(),
            oxidation: None,
            warnings: Vec::new(),
            warnings_dropped: 0,
            vm_exit: None,
            vm_output: Vec::new(),
            lines: 0,
            bytes: 0,
            last_lines: Vec::new(),
            log: None,
        }
    }

    /// Read a report that bootcheck wrote.
    pub fn load(path: &Path) -> Result<Report, Error> {
        let shown = || path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            what: "report",
            path: shown(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|source| Error::NotAReport {
            path: shown(),
            source,
        })
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("report serializes");
        s.push('\n');
        s
    }

    pub fn failed_probes(&self) -> impl Iterator<Item = &ProbeResult> {
        self.probes.iter().filter(|p| !p.passed)
    }
}

fn secs(ms: Option<u64>) -> String {
    match ms {
        Some(ms) => format!("{:.1}s", ms as f64 / 1000.0),
        None => "-".to_string(),
    }
}

/// The human summary bootcheck prints on stderr at the end, section by
/// section (each section function writes its lines, or none). Console
/// text in it is escaped ([`crate::text::printable`]); with `colour` the
/// verdict line is green, red or yellow.
pub fn human(r: &Report, colour: bool) -> String {
    let mut o = String::new();
    human_verdict(&mut o, r, colour);
    for section in [
        human_milestones,
        human_login_and_probes,
        human_oxidation,
        human_warnings,
        human_failure_context,
    ] {
        section(&mut o, r);
    }
    if let Some(log) = &r.log {
        let _ = writeln!(o, "  log: {log}");
    }
    o
}

/// The verdict line, the decisive line, what a Rust failure said.
fn human_verdict(o: &mut String, r: &Report, colour: bool) {
    let line = format!(
        "bootcheck: {} ({}) {}",
        r.verdict.as_str().to_uppercase(),
        printable(r.kind.as_str()),
        printable(&r.summary)
    );
    let _ = match colour.then(|| r.verdict.colour()) {
        Some(c) => writeln!(*o, "{c}{line}{RESET}"),
        None => writeln!(*o, "{line}"),
    };
    if let Some(d) = &r.decisive {
        let at = d
            .offset_ms
            .map(|ms| format!(" at {}", secs(Some(ms))))
            .unwrap_or_default();
        let _ = writeln!(
            *o,
            "  decisive line {}{at}: {}",
            d.line_number,
            shown(&d.line, 200)
        );
    }
    if let Some(f) = &r.rust {
        let _ = writeln!(*o, "  rust: {}", printable(&rust_line(f)));
        if let Some(m) = &f.message {
            for l in m.lines().take(8) {
                let _ = writeln!(*o, "    > {}", shown(l, 200));
            }
        }
    }
    if let Some(f) = &r.followed_by {
        let _ = writeln!(
            *o,
            "  followed by {} at line {}: {}",
            printable(f.kind.as_str()),
            f.line_number,
            shown(&f.line, 160)
        );
    }
}

/// When each milestone of the boot was seen.
fn human_milestones(o: &mut String, r: &Report) {
    let ms: Vec<String> = r
        .milestones
        .iter()
        .filter_map(|(n, m)| {
            let n = n.as_str();
            m.map(|m| match m.offset_ms {
                Some(_) => format!("{n} {}", secs(m.offset_ms)),
                None => format!("{n} line {}", m.line_number),
            })
        })
        .collect();
    if !ms.is_empty() {
        let _ = writeln!(*o, "  milestones: {}", ms.join(", "));
    }
}

/// The login, then each probe (a failed one with its command and output).
fn human_login_and_probes(o: &mut String, r: &Report) {
    if let Some(l) = &r.login {
        let who = l.user.as_deref().unwrap_or("(autologin)");
        match &l.error {
            None => {
                let _ = writeln!(
                    *o,
                    "  login: {} ok in {}",
                    printable(who),
                    secs(Some(l.duration_ms))
                );
            }
            Some(e) => {
                let _ = writeln!(*o, "  login: {} FAILED: {}", printable(who), printable(e));
            }
        }
    }
    if let Some(why) = &r.probes_skipped {
        let _ = writeln!(*o, "  probes: not run: {why}");
    }
    if !r.probes_not_run.is_empty() {
        let _ = writeln!(
            *o,
            "  probes not run: {} of the spec's: {}",
            r.probes_not_run.len(),
            printable(&not_run_list(&r.probes_not_run, 160))
        );
    }
    if !r.probes.is_empty() {
        let failed = r.failed_probes().count();
        let _ = writeln!(
            *o,
            "  probes: {} passed, {} failed",
            r.probes.len() - failed,
            failed
        );
        for p in &r.probes {
            let comp = p.component.as_deref().unwrap_or("-");
            if p.passed {
                let _ = writeln!(
                    *o,
                    "    ok   {comp}/{} ({})",
                    p.name,
                    secs(Some(p.duration_ms))
                );
            } else {
                let _ = writeln!(
                    *o,
                    "    FAIL {comp}/{}: {}",
                    p.name,
                    printable(p.error.as_deref().unwrap_or("failed"))
                );
                let _ = writeln!(*o, "         $ {}", shown(&p.command, 160));
                for line in p.output.lines().take(8) {
                    let _ = writeln!(*o, "         | {}", shown(line, 160));
                }
            }
        }
    }
}

/// The oxidation meter: the headline, PID 1, the stages, the services,
/// the requirements.
fn human_oxidation(o: &mut String, r: &Report) {
    if let Some(x) = &r.oxidation {
        for line in meter::human_lines(x) {
            let _ = writeln!(*o, "  {}", printable(&line));
        }
    }
}

/// The warnings, the first five shown.
fn human_warnings(o: &mut String, r: &Report) {
    if !r.warnings.is_empty() {
        let _ = writeln!(
            *o,
            "  warnings: {}",
            r.warnings.len() as u64 + r.warnings_dropped
        );
        for w in r.warnings.iter().take(5) {
            let _ = writeln!(
                *o,
                "    {} line {}: {}",
                printable(w.kind.as_str()),
                w.line_number,
                shown(&w.line, 160)
            );
        }
    }
}

/// For a boot that did not pass: the lines before the decisive one, the
/// console's last lines and the VM command's own output.
fn human_failure_context(o: &mut String, r: &Report) {
    if r.verdict != Verdict::Pass {
        if !r.context.is_empty() {
            let _ = writeln!(*o, "  context before the decisive line:");
            for l in &r.context {
                let _ = writeln!(*o, "    | {}", shown(l, 200));
            }
        }
        let tail: Vec<&String> = r.last_lines.iter().rev().take(20).collect();
        if !tail.is_empty() {
            let _ = writeln!(*o, "  last {} console lines:", tail.len());
            for l in tail.into_iter().rev() {
                let _ = writeln!(*o, "    | {}", shown(l, 200));
            }
        }
        if !r.vm_output.is_empty() {
            let _ = writeln!(*o, "  VM command output:");
            for l in r.vm_output.iter().rev().take(10).rev() {
                let _ = writeln!(*o, "    | {}", shown(l, 200));
            }
        }
    }
}

/// `program (pid 1), thread 'main' at src/main.rs:5:9, unit Foo`.
fn rust_line(f: &RustFailure) -> String {
    let mut parts = Vec::new();
    match (&f.program, f.pid) {
        (Some(p), Some(pid)) => parts.push(format!("{p} (pid {pid})")),
        (Some(p), None) => parts.push(p.clone()),
        (None, Some(pid)) => parts.push(format!("pid {pid}")),
        (None, None) => {}
    }
    if let Some(t) = &f.thread {
        parts.push(format!("thread '{t}'"));
    }
    if let Some(l) = &f.location {
        parts.push(format!("at {l}"));
    }
    if let Some(u) = &f.unit {
        parts.push(format!("unit {u}"));
    }
    if parts.is_empty() {
        "(no details on the console)".into()
    } else {
        parts.join(", ")
    }
}

fn xml_escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            // XML 1.0 forbids most control characters.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => o.push('?'),
            c => o.push(c),
        }
    }
    o
}

/// JUnit XML: one test case for the boot, one for the login, one per probe.
/// One JUnit test case: the boot, the login, or a probe.
struct JunitCase {
    class: String,
    name: String,
    time_ms: u64,
    /// (type, message, detail)
    failure: Option<(String, String, String)>,
}

/// The report as JUnit XML: a case for the boot, one for the login, one
/// per probe.
pub fn junit(r: &Report) -> String {
    let mut cases = vec![junit_boot(r)];
    cases.extend(r.login.as_ref().map(junit_login));
    cases.extend(r.probes.iter().map(junit_probe));
    // A probe of the spec that never ran has no result; it is a failed
    // case all the same.
    cases.extend(
        r.probes_not_run
            .iter()
            .filter(|n| !r.probes.iter().any(|p| probe_id(p) == **n))
            .map(|n| junit_not_run(r, n)),
    );
    if let Some(x) = &r.oxidation {
        cases.extend(x.requirements.iter().map(|q| {
            JunitCase {
                class: format!("oxidation.{}", q.component),
                name: format!("{} is Rust", q.what),
                time_ms: 0,
                failure: (q.status == Met::Unmet)
                    .then(|| ("rust-missing".into(), q.why.clone(), String::new())),
            }
        }));
    }
    junit_xml(r, &cases)
}

/// The boot's case: failed when the boot itself did not pass (a failed
/// login or probe has its own case).
fn junit_boot(r: &Report) -> JunitCase {
    let boot_failed = matches!(r.verdict, Verdict::Fail | Verdict::Timeout | Verdict::Error)
        && !matches!(
            r.kind,
            Kind::ProbeFailed | Kind::ProbesNotRun | Kind::RustMissing | Kind::LoginFailed
        );
    let detail = || {
        let mut d = String::new();
        if let Some(x) = &r.decisive {
            let _ = writeln!(d, "line {}: {}", x.line_number, x.line);
        }
        for l in r.last_lines.iter().rev().take(20).rev() {
            let _ = writeln!(d, "| {l}");
        }
        d
    };
    JunitCase {
        class: "boot".into(),
        name: "reaches login".into(),
        time_ms: r
            .milestones
            .login_prompt
            .and_then(|m| m.offset_ms)
            .or(r.duration_ms)
            .unwrap_or(0),
        failure: boot_failed.then(|| (r.kind.to_string(), r.summary.clone(), detail())),
    }
}

fn junit_login(l: &LoginResult) -> JunitCase {
    JunitCase {
        class: "login".into(),
        name: l.user.clone().unwrap_or_else(|| "autologin".into()),
        time_ms: l.duration_ms,
        failure: l
            .error
            .clone()
            .map(|e| ("login-failed".into(), e, String::new())),
    }
}

fn junit_probe(p: &ProbeResult) -> JunitCase {
    JunitCase {
        class: format!("probe.{}", p.component.as_deref().unwrap_or("other")),
        name: p.name.clone(),
        time_ms: p.duration_ms,
        failure: (!p.passed).then(|| {
            (
                "probe-failed".into(),
                p.error.clone().unwrap_or_default(),
                format!("$ {}\n{}", p.command, p.output),
            )
        }),
    }
}

/// `component/name`, as `probes_not_run` names a probe.
pub fn probe_id(p: &ProbeResult) -> String {
    format!("{}/{}", p.component.as_deref().unwrap_or("-"), p.name)
}

fn junit_not_run(r: &Report, id: &str) -> JunitCase {
    let (component, name) = id.split_once('/').unwrap_or(("-", id));
    let why = match r.login.as_ref().and_then(|l| l.error.as_deref()) {
        Some(e) => format!("not run: the login failed: {e}"),
        None => format!("not run: {}", r.summary),
    };
    JunitCase {
        class: format!(
            "probe.{}",
            if component == "-" { "other" } else { component }
        ),
        name: name.to_string(),
        time_ms: 0,
        failure: Some(("probes-not-run".into(), why, String::new())),
    }
}

/// `a/x, b/y, ...` cut to about `width` characters, saying how many more.
pub fn not_run_list(names: &[String], width: usize) -> String {
    let mut out = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 && out.len() + n.len() + 2 > width {
            let _ = write!(out, ", and {} more", names.len() - i);
            break;
        }
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(n);
    }
    out
}

/// The cases as one test suite named after the report.
fn junit_xml(r: &Report, cases: &[JunitCase]) -> String {
    let failures = cases.iter().filter(|c| c.failure.is_some()).count();
    let total_ms: u64 = r.duration_ms.unwrap_or(0);
    let mut o = String::new();
    let _ = writeln!(o, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(
        o,
        r#"<testsuites name="bootcheck" tests="{}" failures="{failures}" time="{:.3}">"#,
        cases.len(),
        total_ms as f64 / 1000.0
    );
    let _ = writeln!(
        o,
        r#"  <testsuite name="{}" tests="{}" failures="{failures}" time="{:.3}">"#,
        xml_escape(&r.name),
        cases.len(),
        total_ms as f64 / 1000.0
    );
    if let Some(x) = &r.oxidation {
        let _ = writeln!(o, "    <properties>");
        for (name, value) in meter::junit_properties(x) {
            let _ = writeln!(
                o,
                r#"      <property name="{}" value="{}"/>"#,
                xml_escape(&name),
                xml_escape(&value)
            );
        }
        let _ = writeln!(o, "    </properties>");
    }
    for c in cases {
        let _ = write!(
            o,
            r#"    <testcase classname="{}" name="{}" time="{:.3}""#,
            xml_escape(&c.class),
            xml_escape(&c.name),
            c.time_ms as f64 / 1000.0
        );
        match &c.failure {
            None => {
                let _ = writeln!(o, "/>");
            }
            Some((kind, msg, detail)) => {
                let _ = writeln!(o, ">");
                let _ = writeln!(
                    o,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    xml_escape(kind),
                    xml_escape(msg),
                    xml_escape(detail)
                );
                let _ = writeln!(o, "    </testcase>");
            }
        }
    }
    let _ = writeln!(o, "  </testsuite>");
    let _ = writeln!(o, "</testsuites>");
    o
}

/// Two reports side by side (baseline first).
pub fn compare(a: &Report, b: &Report) -> String {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |k: &str, x: String, y: String| rows.push((k.to_string(), x, y));
    row(
        "verdict",
        a.verdict.as_str().into(),
        b.verdict.as_str().into(),
    );
    row("kind", a.kind.to_string(), b.kind.to_string());
    row("duration", secs(a.duration_ms), secs(b.duration_ms));
    let ma: Vec<_> = a.milestones.iter().collect();
    let mb: Vec<_> = b.milestones.iter().collect();
    for ((m, x), (_, y)) in ma.into_iter().zip(mb) {
        let name = m.as_str();
        let show = |m: Option<crate::judge::Mark>| match m {
            Some(m) if m.offset_ms.is_some() => secs(m.offset_ms),
            Some(m) => format!("line {}", m.line_number),
            None => "-".into(),
        };
        row(&format!("  {name}"), show(x), show(y));
    }
    row("console lines", a.lines.to_string(), b.lines.to_string());
    row(
        "warnings",
        (a.warnings.len() as u64 + a.warnings_dropped).to_string(),
        (b.warnings.len() as u64 + b.warnings_dropped).to_string(),
    );
    let pc = |r: &Report| {
        if r.probes.is_empty() {
            "-".to_string()
        } else {
            format!(
                "{}/{} passed",
                r.probes.len() - r.failed_probes().count(),
                r.probes.len()
            )
        }
    };
    row("probes", pc(a), pc(b));
    let mut names: Vec<&str> = a.probes.iter().map(|p| p.name.as_str()).collect();
    for p in &b.probes {
        if !names.contains(&p.name.as_str()) {
            names.push(&p.name);
        }
    }
    for n in names {
        let cell = |r: &Report| match r.probes.iter().find(|p| p.name == n) {
            None => "-".to_string(),
            Some(p) if p.passed => format!("pass {}", secs(Some(p.duration_ms))),
            Some(_) => "FAIL".to_string(),
        };
        row(&format!("  {n}"), cell(a), cell(b));
    }
    let w0 = rows.iter().map(|r| r.0.len()).max().unwrap_or(0).max(8);
    let w1 = rows
        .iter()
        .map(|r| r.1.len())
        .chain([a.name.len()])
        .max()
        .unwrap_or(0)
        .max(8);
    let mut o = String::new();
    let _ = writeln!(o, "{:w0$}  {:w1$}  {}", "", a.name, b.name);
    for (k, x, y) in rows {
        let _ = writeln!(o, "{k:w0$}  {x:w1$}  {y}");
    }
    o
}

#[cfg(test)]
mod kind_tests {
    use super::Kind;
    use crate::kind::{Builtin, PatternKind};

    #[test]
    fn kinds_read_and_write_the_strings_reports_have_always_had() {
        let all = [
            Kind::None,
            Kind::Pattern(PatternKind::parse("kernel-panic")),
            Kind::Timeout,
            Kind::IdleTimeout,
            Kind::VmExited,
            Kind::ProbeFailed,
            Kind::ProbesNotRun,
            Kind::RustMissing,
            Kind::LoginFailed,
            Kind::Interrupted,
            Kind::Infrastructure,
            Kind::Incomplete,
        ];
        for k in all {
            assert_eq!(Kind::parse(k.as_str()), k);
        }
        for name in [
            "timeout",
            "idle-timeout",
            "vm-exited",
            "probe-failed",
            "probes-not-run",
            "rust-missing",
            "login-failed",
            "interrupted",
            "infrastructure",
            "incomplete",
            "kernel-panic",
            "rust-panic",
            "my-daemon",
            "",
        ] {
            let k = Kind::parse(name);
            assert_eq!(k.as_str(), name);
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("{name:?}"));
            assert_eq!(serde_json::from_str::<Kind>(&json).unwrap(), k);
        }
        assert_eq!(Kind::parse("vm-exited"), Kind::VmExited);
        assert_eq!(
            Kind::parse("kernel-panic"),
            Kind::Pattern(PatternKind::Builtin(Builtin::KernelPanic))
        );
    }
}

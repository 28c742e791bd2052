//! The watchers compared: each starts the console command, waits for the
//! login prompt (or a failure pattern), stops the console and exits 0 when
//! the prompt came. Each does what a user of that tool would write.

use std::path::Path;
use std::process::{Command, Stdio};

/// Builds a watcher's command line around a console command.
type ArgvFn = Box<dyn Fn(&[String]) -> Vec<String>>;

pub struct Watcher {
    pub name: &'static str,
    /// What it does after the match, for the notes under the table.
    pub after_match: &'static str,
    argv: ArgvFn,
}

impl Watcher {
    /// The watcher's command line for a console command.
    pub fn argv(&self, console: &[String]) -> Vec<String> {
        (self.argv)(console)
    }
}

/// Tcl brace quoting; the paths used here contain no braces.
fn tcl_word(s: &str) -> String {
    format!("{{{s}}}")
}

fn sh_word(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

pub fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
}

pub fn has_pexpect() -> bool {
    Command::new("python3")
        .args(["-c", "import pexpect"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

const PEXPECT_WATCH: &str = r#"
import sys, pexpect
# python3 -c SCRIPT PATTERN CMD ARGS...: sys.argv[0] is "-c"
c = pexpect.spawn(sys.argv[2], sys.argv[3:], timeout=120)
i = c.expect([sys.argv[1], pexpect.EOF, pexpect.TIMEOUT])
c.terminate(force=True)
sys.exit(0 if i == 0 else 1)
"#;

/// The watchers available here; the missing ones print `skipped:`.
/// `grep_patterns` is a file of the decisive patterns (one ERE a line).
/// bootcheck writes its outputs under `dir`, as in CI.
pub fn all(bootcheck: &Path, me: &Path, grep_patterns: &Path, dir: &Path) -> Vec<Watcher> {
    let mut v = Vec::new();
    let bc = bootcheck.display().to_string();
    let out = |f: &str| dir.join(f).display().to_string();
    let (log, report, junit) = (out("serial.log"), out("report.json"), out("junit.xml"));
    v.push(Watcher {
        name: "bootcheck",
        after_match: "SIGTERM to the console's process group, reaps it, writes log, JSON report and JUnit, exits",
        argv: Box::new(move |console| {
            let mut a: Vec<String> = [
                &bc, "run", "--quiet", "--timeout", "120", "--log", &log, "--report", &report,
                "--junit", &junit, "--",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect();
            a.extend(console.iter().cloned());
            a
        }),
    });
    if on_path("expect") {
        v.push(Watcher {
            name: "Tcl expect",
            after_match: "`exit 0` (the pty closes; the console gets SIGHUP)",
            argv: Box::new(|console| {
                let spawn: Vec<String> = console.iter().map(|a| tcl_word(a)).collect();
                vec![
                    "expect".into(),
                    "-c".into(),
                    format!(
                        // Not `expect { ... }` on one line: a single braced
                        // argument without newlines is taken as one pattern.
                        "set timeout 120; spawn -noecho {}; expect -re {{login: }} {{ exit 0 }} timeout {{ exit 3 }} eof {{ exit 1 }}",
                        spawn.join(" ")
                    ),
                ]
            }),
        });
    } else {
        eprintln!("skipped: Tcl expect not found (apt-get install expect)");
    }
    if has_pexpect() {
        v.push(Watcher {
            name: "pexpect",
            after_match: "`terminate(force=True)`: SIGHUP, then 0.1 s before it checks",
            argv: Box::new(|console| {
                let mut a = vec![
                    "python3".into(),
                    "-c".into(),
                    PEXPECT_WATCH.into(),
                    "login: ".into(),
                ];
                a.extend(console.iter().cloned());
                a
            }),
        });
    } else {
        eprintln!("skipped: pexpect not found (pip install pexpect)");
    }
    let me = me.display().to_string();
    v.push(Watcher {
        name: "rexpect 0.7",
        after_match: "drops the session: SIGTERM, 0.1 s sleeps until the console is gone",
        argv: Box::new(move |console| {
            let mut a = vec![me.clone(), "rexpect-watch".into()];
            a.extend(console.iter().cloned());
            a
        }),
    });
    let pats = grep_patterns.display().to_string();
    v.push(Watcher {
        name: "grep loop (1 s)",
        after_match: "`kill` of the console",
        argv: Box::new(move |console| {
            let cmd: Vec<String> = console.iter().map(|a| sh_word(a)).collect();
            vec![
                "bash".into(),
                "-c".into(),
                format!(
                    "log=$(mktemp); {} >\"$log\" 2>&1 & pid=$!; \
                     while sleep 1; do grep -qE -f {} \"$log\"; rc=$?; \
                     [ $rc = 1 ] || break; done; \
                     kill $pid; rm -f \"$log\"; exit $rc",
                    cmd.join(" "),
                    sh_word(&pats)
                ),
            ]
        }),
    });
    v
}

/// `rexpect-watch CMD...`: rexpect as a watcher. `spawn_command` rather than
/// `rexpect::spawn` so paths are passed as they are, not re-split.
pub fn rexpect_watch(console: &[String]) -> i32 {
    let mut c = Command::new(&console[0]);
    c.args(&console[1..]);
    let mut p = match rexpect::session::spawn_command(c, Some(120_000)) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("rexpect-watch: {e}");
            return 2;
        }
    };
    // A safety net only: the fake console dies on the first SIGTERM.
    p.process_mut().set_kill_timeout(Some(1000));
    match p.exp_regex("login: ") {
        Ok(_) => 0,
        Err(e) => {
            eprintln!("rexpect-watch: {e}");
            1
        }
    }
    // Dropping the session stops the console (rexpect's own clean-up).
}

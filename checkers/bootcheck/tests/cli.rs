//! The command line around judging: `spec` (a spec checked and printed
//! with its defaults), `verdict` (a report in one line), and what `scan`,
//! `compare` and `patterns` say to a user. Each test runs the binary.

use expect_test::expect;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn bootcheck(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .args(args)
        .current_dir(fixtures())
        .stdin(Stdio::null())
        .output()
        .expect("bootcheck runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The exit code and the one line on stderr of a command that must fail
/// with a usage error.
fn one_line_error(out: &Output) -> (i32, String) {
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "not one line: {err:?}");
    (out.status.code().unwrap(), err.trim_end().to_string())
}

fn write(dir: &Path, name: &str, content: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p.display().to_string()
}

// --- bootcheck spec ---------------------------------------------------------

#[test]
fn spec_prints_the_spec_with_every_default_filled_in() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(
        dir.path(),
        "spec.json",
        br#"{"name": "my-host", "failure": [{"kind": "my-daemon", "regex": "mydaemon: fatal"}],
            "nonfatal": ["rust-panic"], "login": {"user": "root", "password": "x"},
            "probes": [{"name": "ls-is-uutils", "component": "coreutils",
                        "command": "ls --version", "expect": "uutils", "timeout": 7.5}]}"#,
    );
    let out = bootcheck(&["spec", &spec]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    expect![[r#"
        {
          "name": "my-host",
          "timeout": 300,
          "idle_timeout": null,
          "slowdown": null,
          "success": [],
          "failure": [
            {
              "kind": "my-daemon",
              "regex": "mydaemon: fatal"
            }
          ],
          "warning": [],
          "disable": [],
          "fatal_warnings": [],
          "nonfatal": [
            "rust-panic"
          ],
          "login": {
            "user": "root",
            "password": "x",
            "autologin": false,
            "timeout": 120
          },
          "probes": [
            {
              "name": "ls-is-uutils",
              "component": "coreutils",
              "command": "ls --version",
              "expect": "uutils",
              "timeout": 7.5,
              "ignore_exit": false
            }
          ]
        }
    "#]]
    .assert_eq(&text(&out.stdout));
    // The printed spec is itself a valid spec, and prints the same.
    let again = write(dir.path(), "again.json", &out.stdout);
    assert_eq!(bootcheck(&["spec", &again]).stdout, out.stdout);
}

#[test]
fn spec_reads_stdin_and_an_empty_spec_has_the_run_defaults() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .args(["spec", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"{}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["timeout"], 300);
    assert_eq!(v["login"], serde_json::Value::Null);
    assert_eq!(v["probes"], serde_json::json!([]));
}

#[test]
fn an_invalid_spec_exits_2_with_one_line_and_run_and_scan_refuse_it_too() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 8] = [
        (r#"{"timeoutt": 3}"#, "unknown field `timeoutt`"),
        (r#"{"timeout": 3"#, "EOF while parsing"),
        (
            r#"{"failure": [{"kind": "my-daemon", "regex": "fatal("}]}"#,
            "failure[0] `my-daemon`: bad regex: unclosed group",
        ),
        (
            r#"{"disable": ["kernel-panik"]}"#,
            "disable: `kernel-panik` is not a built-in kind",
        ),
        (
            r#"{"warning": [{"kind": "slow-disk", "regex": "I/O error"}], "fatal_warnings": ["slow-disk"]}"#,
            "fatal_warnings: `slow-disk` is not a built-in warning kind",
        ),
        (
            r#"{"nonfatal": ["unit-failed"]}"#,
            "nonfatal: `unit-failed` is not a built-in failure kind",
        ),
        (
            r#"{"login": {"autologin": true, "timeout": -1}}"#,
            "login.timeout must be a positive number of seconds",
        ),
        (
            r#"{"login": {"autologin": true}, "probes": [{"name": "a", "command": "true", "expect": "[z-a]"}]}"#,
            "probes[0] `a`: bad expect regex: invalid character class range",
        ),
    ];
    for (json, why) in cases {
        let spec = write(dir.path(), "spec.json", json.as_bytes());
        let (code, err) = one_line_error(&bootcheck(&["spec", &spec]));
        assert_eq!(code, 2, "{json}");
        assert!(
            err.starts_with(&format!("bootcheck: invalid spec {spec}: ")),
            "{err}"
        );
        assert!(err.contains(why), "{json}: {err}");
        // The same parser: scan and run refuse it with the same words.
        let (code, scan_err) =
            one_line_error(&bootcheck(&["scan", "--spec", &spec, "kernel-panic.log"]));
        assert_eq!((code, &scan_err), (2, &err));
        let (code, run_err) = one_line_error(&bootcheck(&["run", "--spec", &spec, "--", "true"]));
        assert_eq!((code, &run_err), (2, &err));
    }
    let (code, err) = one_line_error(&bootcheck(&["spec", "no-such-spec.json"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "bootcheck: cannot read spec no-such-spec.json: No such file or directory"
    );
}

// --- scan: inputs that are not logs, binary bytes, probes --------------------

#[test]
fn scan_of_a_directory_a_missing_or_an_unreadable_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let (code, err) = one_line_error(&bootcheck(&["scan", &d]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!("bootcheck: cannot read log {d}: Is a directory")
    );

    let (code, err) = one_line_error(&bootcheck(&["scan", "no-such.log"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "bootcheck: cannot read log no-such.log: No such file or directory"
    );

    // Opens, but reading fails: bootcheck's own memory at address 0.
    let (code, err) = one_line_error(&bootcheck(&["scan", "/proc/self/mem"]));
    assert_eq!(code, 2);
    assert_eq!(err, "bootcheck: cannot read log /proc/self/mem: I/O error");

    // Without read permission (root reads it anyway).
    let locked = write(dir.path(), "locked.log", b"Kernel panic - not syncing\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("skipped: a file without read permission: root reads it");
    } else {
        let (code, err) = one_line_error(&bootcheck(&["scan", &locked]));
        assert_eq!(code, 2);
        assert_eq!(
            err,
            format!("bootcheck: cannot read log {locked}: Permission denied")
        );
    }
}

/// A panic line and the lines before it with bytes a terminal would obey:
/// DEL, a C1 CSI (U+009B, UTF-8), a right-to-left override, and bytes
/// that are not UTF-8.
const HOSTILE_LOG: &[u8] = b"[    0.000000] Linux version 6.12.0\n\
[    1.000000] junk \x7f\xc2\x9b2J \xe2\x80\xaeevil\n\
[    1.500000] Kernel panic - not syncing: \xff\xfe\xc2\x9b31m boom\n";

#[test]
fn binary_bytes_are_escaped_in_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    let log = write(dir.path(), "hostile.log", HOSTILE_LOG);
    let out = bootcheck(&["scan", &log]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            r"decisive line 3: [    1.500000] Kernel panic - not syncing: \u{fffd}\u{fffd}\u{9b}31m boom"
        ),
        "{err}"
    );
    assert!(
        err.contains(r"    | [    1.000000] junk \x7f\u{9b}2J \u{202e}evil"),
        "{err}"
    );
    // Nothing but newlines and the summary's own text reaches the terminal.
    let bad: Vec<char> = err
        .chars()
        .filter(|&c| (c.is_control() && c != '\n') || c == '\u{fffd}' || c == '\u{202e}')
        .collect();
    assert!(bad.is_empty(), "{bad:?} in {err}");
    // The report keeps the text as read (JSON escapes it itself).
    let out = bootcheck(&["scan", "--quiet", "--report", "-", &log]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        r["decisive"]["line"],
        "[    1.500000] Kernel panic - not syncing: \u{fffd}\u{fffd}\u{9b}31m boom"
    );
}

#[test]
fn scan_says_the_probes_and_the_login_of_its_spec_were_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write(
        dir.path(),
        "spec.json",
        br#"{"login": {"autologin": true}, "probes": [
              {"name": "a", "command": "true", "expect": ""},
              {"name": "b", "command": "true", "expect": ""}]}"#,
    );
    let out = bootcheck(&[
        "scan",
        "--spec",
        &spec,
        "--report",
        "-",
        "nixos-good-boot.log",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "  probes: not run: scan judges a saved log: no probes are run (the spec has 2)\n"
        ),
        "{err}"
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        r["probes_skipped"],
        "scan judges a saved log: no probes are run (the spec has 2)"
    );
    assert_eq!(
        r["login_skipped"],
        "scan judges a saved log: no login is made"
    );
    // Without probes in the spec, neither field is there.
    let out = bootcheck(&["scan", "--quiet", "--report", "-", "nixos-good-boot.log"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(r.get("probes_skipped").is_none() && r.get("login_skipped").is_none());
}

// --- compare and patterns -----------------------------------------------------

#[test]
fn compare_documents_its_two_arguments() {
    let out = bootcheck(&["compare", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(help.contains("<A.json>"), "{help}");
    assert!(
        help.contains("The baseline's report, shown in the left column"),
        "{help}"
    );
    assert!(
        help.contains("The report set against it, shown in the right column"),
        "{help}"
    );
}

/// Where the first three space-separated columns of `row` start (the
/// regex, the third, may have spaces of its own).
fn column_starts(row: &str) -> Vec<usize> {
    let b = row.as_bytes();
    let mut starts = vec![0];
    for i in 1..b.len() {
        if starts.len() < 3 && b[i] != b' ' && b[i - 1] == b' ' {
            starts.push(i);
        }
    }
    starts
}

#[test]
fn patterns_are_printed_in_aligned_columns() {
    let out = bootcheck(&["patterns"]);
    assert_eq!(out.status.code(), Some(0));
    let table = text(&out.stdout);
    let rows: Vec<&str> = table.lines().collect();
    assert!(rows.len() > 20);
    // Where the class and the regex start: the same on every row.
    let columns: Vec<Vec<usize>> = rows.iter().map(|r| column_starts(r)).collect();
    assert!(
        columns.iter().all(|c| c.len() == 3 && *c == columns[0]),
        "misaligned:\n{table}"
    );
    assert!(
        table.contains("rust-stack-overflow  failure    thread '"),
        "{table}"
    );
}

// --- bootcheck verdict ----------------------------------------------------------

/// `scan` a fixture into a report, then `verdict` on it.
fn verdict_of_scan(log: &str) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json").display().to_string();
    bootcheck(&["scan", "--quiet", "--report", &report, log]);
    let out = bootcheck(&["verdict", &report]);
    assert!(out.stderr.is_empty(), "{}", text(&out.stderr));
    (out.status.code().unwrap(), text(&out.stdout))
}

#[test]
fn verdict_of_saved_logs_in_one_line() {
    let cases = [
        (
            "kernel-panic.log",
            1,
            "boot check kernel-panic.log: FAIL kernel-panic: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n",
        ),
        (
            "nixos-good-boot.log",
            0,
            "boot check nixos-good-boot.log: PASS (autologin at line 32)\n",
        ),
        (
            "rust-panic.log",
            1,
            "boot check rust-panic.log: FAIL rust-panic: thread 'main' panicked at crates/pid1/src/manager.rs:412:17: called `Option::unwrap()` on a `None` value\n",
        ),
        (
            "unfinished.log",
            4,
            "boot check unfinished.log: INCOMPLETE the log ends after 3 lines without a success or failure line\n",
        ),
    ];
    for (log, code, line) in cases {
        assert_eq!(verdict_of_scan(log), (code, line.to_string()), "{log}");
    }
    let dir = tempfile::tempdir().unwrap();
    let hostile = write(dir.path(), "hostile.log", HOSTILE_LOG);
    let (code, line) = verdict_of_scan(&hostile);
    assert_eq!(code, 1);
    assert_eq!(
        line,
        "boot check hostile.log: FAIL kernel-panic: Kernel panic - not syncing: \\u{fffd}\\u{fffd}\\u{9b}31m boom\n"
    );
}

#[test]
fn verdict_of_a_file_that_is_no_report_exits_2() {
    let (code, err) = one_line_error(&bootcheck(&["verdict", "kernel-panic.log"]));
    assert_eq!(code, 2);
    assert!(
        err.starts_with("bootcheck: kernel-panic.log is not a bootcheck report: "),
        "{err}"
    );
    let (code, err) = one_line_error(&bootcheck(&["verdict", "no-such.json"]));
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "bootcheck: cannot read report no-such.json: No such file or directory"
    );
}

/// A fake VM: a bash script in `dir` named `my-host`.
fn fake_vm(dir: &Path, script: &str) -> String {
    let bash = std::env::split_paths(&std::env::var_os("PATH").unwrap())
        .map(|d| d.join("bash"))
        .find(|p| p.is_file())
        .expect("bash on PATH");
    let vm = dir.join("my-host");
    std::fs::write(&vm, format!("#!{}\n{script}\n", bash.display())).unwrap();
    std::fs::set_permissions(&vm, std::fs::Permissions::from_mode(0o755)).unwrap();
    vm.display().to_string()
}

/// `run` a fake VM, then `verdict` on its report.
fn verdict_of_run(dir: &Path, args: &[&str], vm: &str) -> (i32, i32, String) {
    let report = dir.join("report.json").display().to_string();
    let mut all = vec!["run", "--quiet", "--timeout", "60", "--report", &report];
    all.extend(args);
    all.extend(["--", vm]);
    let run = bootcheck(&all);
    let out = bootcheck(&["verdict", &report]);
    (
        run.status.code().unwrap(),
        out.status.code().unwrap(),
        text(&out.stdout),
    )
}

#[test]
fn verdict_of_an_idle_console() {
    let dir = tempfile::tempdir().unwrap();
    let vm = fake_vm(
        dir.path(),
        "echo 'Linux version 6.12.0 (fake)'; echo 'Starting sshd...'; sleep 30",
    );
    let (run, code, line) = verdict_of_run(dir.path(), &["--idle-timeout", "1"], &vm);
    assert_eq!((run, code), (3, 3));
    assert_eq!(
        line,
        "boot check my-host: TIMEOUT idle 1 s after \"Starting sshd...\"\n"
    );
}

/// Boots to an autologin shell, like getty --autologin.
const AUTOLOGIN_VM: &str = r#"
stty sane
echo "Linux version 6.12.0 (fake)"
echo "my-host login: root (automatic login)"
export PS1='# '
exec bash --norc --noprofile -i
"#;

#[test]
fn verdict_of_probes_names_the_first_failed_one_and_what_it_printed() {
    let dir = tempfile::tempdir().unwrap();
    let vm = fake_vm(dir.path(), AUTOLOGIN_VM);
    let probe = |name: &str, command: &str| {
        serde_json::json!({"name": name, "component": "coreutils", "command": command,
                           "expect": r"\(uutils coreutils\)"})
    };
    let spec_with = |probes: Vec<serde_json::Value>| {
        let json = serde_json::json!({"login": {"autologin": true}, "probes": probes});
        write(dir.path(), "spec.json", json.to_string().as_bytes())
    };
    let spec = spec_with(vec![
        probe("ls-is-uutils", "echo 'ls (uutils coreutils) 0.2.2'"),
        probe("coreutils-is-uutils", "echo 'ls (GNU coreutils) 9.11'"),
    ]);
    let (run, code, line) = verdict_of_run(dir.path(), &["--spec", &spec], &vm);
    assert_eq!((run, code), (1, 1));
    assert_eq!(
        line,
        "boot check my-host: FAIL probe coreutils/coreutils-is-uutils: output does not match /\\(uutils coreutils\\)/ (got: \"ls (GNU coreutils) 9.11\")\n"
    );
    let spec = spec_with(vec![
        probe("ls-is-uutils", "echo 'ls (uutils coreutils) 0.2.2'"),
        probe("cat-is-uutils", "echo 'cat (uutils coreutils) 0.2.2'"),
    ]);
    let (run, code, line) = verdict_of_run(dir.path(), &["--spec", &spec], &vm);
    assert_eq!((run, code), (0, 0));
    assert_eq!(line, "boot check my-host: PASS (2 probes)\n");
}

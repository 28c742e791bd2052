//! The command line around judging: `spec` (a spec checked and printed
//! with its defaults). Each test runs the binary.

use expect_test::expect;
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

//! `bootcheck scan` on saved console logs: verdicts, exit codes and
//! snapshots of the JSON report and the human summary.

use expect_test::{expect, Expect};
use std::path::PathBuf;
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn scan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .arg("scan")
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("bootcheck runs")
}

fn report(log: &str) -> (i32, serde_json::Value, String) {
    let out = scan(&["--report", "-", log]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("report is JSON");
    (
        out.status.code().unwrap(),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn check_summary(log: &str, want: Expect) {
    let (_, _, stderr) = report(log);
    want.assert_eq(&stderr);
}

#[test]
fn good_nixos_boot_passes_with_autologin_and_a_warning() {
    let (code, r, _) = report("nixos-good-boot.log");
    assert_eq!(code, 0);
    assert_eq!(r["verdict"], "pass");
    assert_eq!(r["kind"], "autologin");
    assert_eq!(r["warnings"][0]["kind"], "unit-failed");
    for m in ["kernel", "initrd", "init", "multi_user", "login_prompt"] {
        assert!(r["milestones"][m]["line_number"].is_u64(), "milestone {m}");
    }
}

#[test]
fn kernel_panic_fails_with_kind_and_line() {
    let (code, r, _) = report("kernel-panic.log");
    assert_eq!(code, 1);
    assert_eq!(r["kind"], "kernel-panic");
    assert_eq!(r["decisive"]["line_number"], 5);
}

#[test]
fn rust_panic_is_reported_before_the_kernel_panic_it_causes() {
    let (code, r, _) = report("rust-panic.log");
    assert_eq!(code, 1);
    assert_eq!(r["kind"], "rust-panic");
    assert_eq!(
        r["decisive"]["line"],
        "thread 'main' panicked at crates/pid1/src/manager.rs:412:17:"
    );
}

#[test]
fn emergency_mode_fails_after_warnings() {
    let (code, r, _) = report("emergency.log");
    assert_eq!(code, 1);
    assert_eq!(r["kind"], "emergency-mode");
    let kinds: Vec<&str> = r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["device-timeout", "dependency-failed"]);
}

#[test]
fn stage1_failure_is_its_own_kind() {
    let (code, r, _) = report("stage1.log");
    assert_eq!(code, 1);
    assert_eq!(r["kind"], "stage1-failure");
}

#[test]
fn unfinished_log_is_incomplete() {
    let (code, r, _) = report("unfinished.log");
    assert_eq!(code, 4);
    assert_eq!(r["verdict"], "incomplete");
}

#[test]
fn stdin_is_accepted() {
    let out = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .args(["scan", "--quiet", "-"])
        .stdin(std::fs::File::open(fixtures().join("kernel-panic.log")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn disabling_a_kind_and_adding_a_pattern_change_the_verdict() {
    // Without the emergency patterns, the log is undecided...
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    std::fs::write(&spec, r#"{"disable": ["emergency-mode"]}"#).unwrap();
    let out = scan(&["--quiet", "--spec", spec.to_str().unwrap(), "emergency.log"]);
    assert_eq!(out.status.code(), Some(4));
    // ...and a promoted warning decides it.
    std::fs::write(
        &spec,
        r#"{"disable": ["emergency-mode"], "fatal_warnings": ["device-timeout"]}"#,
    )
    .unwrap();
    let out = scan(&[
        "--report",
        "-",
        "--quiet",
        "--spec",
        spec.to_str().unwrap(),
        "emergency.log",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["kind"], "device-timeout");
    // A custom success pattern on the command line.
    let out = scan(&["--quiet", "--success", "Stage 1", "unfinished.log"]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    let out = scan(&["--failure", "(", "kernel-panic.log"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid custom-failure pattern `(`"), "{err}");

    let out = scan(&["no-such.log"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read log no-such.log"));

    let out = scan(&["--spec", "no-such.json", "kernel-panic.log"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read spec no-such.json"));

    let out = scan(&["--bogus"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn help_documents_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .args(["run", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for line in ["0    pass", "1    fail", "2    usage", "3    timeout"] {
        assert!(help.contains(line), "{line} missing from --help");
    }
}

#[test]
fn kernel_panic_summary() {
    check_summary(
        "kernel-panic.log",
        expect![[r#"
            bootcheck: FAIL (kernel-panic) log: kernel-panic at line 5
              decisive line 5: [    1.501400] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)
              milestones: first_output line 1, kernel line 1
              context before the decisive line:
                | [    0.000000] Linux version 6.12.58 (nixbld@localhost) #1-NixOS SMP PREEMPT_DYNAMIC
                | [    0.000000] Command line: console=ttyS0 panic=1 root=/dev/vda
                | [    1.501234] VFS: Cannot open root device "/dev/vda" or unknown-block(0,0): error -6
                | [    1.501300] Please append a correct "root=" boot option; here are the available partitions:
              last 9 console lines:
                | [    0.000000] Linux version 6.12.58 (nixbld@localhost) #1-NixOS SMP PREEMPT_DYNAMIC
                | [    0.000000] Command line: console=ttyS0 panic=1 root=/dev/vda
                | [    1.501234] VFS: Cannot open root device "/dev/vda" or unknown-block(0,0): error -6
                | [    1.501300] Please append a correct "root=" boot option; here are the available partitions:
                | [    1.501400] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)
                | [    1.501500] CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.58 #1-NixOS
                | [    1.501600] Call Trace:
                | [    1.501700]  <TASK>
                | [    1.502000] ---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---
              log: kernel-panic.log
        "#]],
    );
}

#[test]
fn good_boot_summary() {
    check_summary(
        "nixos-good-boot.log",
        expect![[r#"
            bootcheck: PASS (autologin) log reached autologin at line 32
              decisive line 32: nixos-rs login: nixos (automatic login)
              milestones: first_output line 1, kernel line 1, initrd line 3, init line 12, multi_user line 25, login_prompt line 32
              warnings: 1
                unit-failed line 22: [FAILED] Failed to start Network Time Synchronization.
              log: nixos-good-boot.log
        "#]],
    );
}

#[test]
fn rust_panic_report_json() {
    let out = scan(&["--quiet", "--report", "-", "rust-panic.log"]);
    expect![[r#"
        {
          "version": 1,
          "name": "rust-panic.log",
          "verdict": "fail",
          "kind": "rust-panic",
          "summary": "log: rust-panic at line 7: called `Option::unwrap()` on a `None` value",
          "decisive": {
            "kind": "rust-panic",
            "line": "thread 'main' panicked at crates/pid1/src/manager.rs:412:17:",
            "line_number": 7,
            "offset_ms": null
          },
          "context": [
            "[    0.950000] Run /init as init process",
            "",
            "<<< NixOS Stage 1 >>>",
            "",
            "[    3.100000] systemd[1]: systemd-rs 0.1.0 running in system mode"
          ],
          "context_after": [
            "called `Option::unwrap()` on a `None` value",
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            "[    3.200000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00006500"
          ],
          "followed_by": {
            "kind": "kernel-panic",
            "line": "[    3.200000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00006500",
            "line_number": 10,
            "offset_ms": null
          },
          "rust": {
            "thread": "main",
            "location": "crates/pid1/src/manager.rs:412:17",
            "message": "called `Option::unwrap()` on a `None` value"
          },
          "duration_ms": null,
          "milestones": {
            "first_output": {
              "line_number": 1,
              "offset_ms": null
            },
            "kernel": {
              "line_number": 1,
              "offset_ms": null
            },
            "initrd": {
              "line_number": 2,
              "offset_ms": null
            },
            "init": null,
            "multi_user": null,
            "login_prompt": null
          },
          "login": null,
          "probes": [],
          "warnings": [],
          "warnings_dropped": 0,
          "vm_exit": null,
          "vm_output": [],
          "lines": 10,
          "bytes": 481,
          "last_lines": [
            "[    0.000000] Linux version 6.12.58 (nixbld@localhost) #1-NixOS SMP",
            "[    0.950000] Run /init as init process",
            "",
            "<<< NixOS Stage 1 >>>",
            "",
            "[    3.100000] systemd[1]: systemd-rs 0.1.0 running in system mode",
            "thread 'main' panicked at crates/pid1/src/manager.rs:412:17:",
            "called `Option::unwrap()` on a `None` value",
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            "[    3.200000] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00006500"
          ],
          "log": "rust-panic.log"
        }
    "#]]
    .assert_eq(&String::from_utf8_lossy(&out.stdout));
}

#[test]
fn compare_prints_reports_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.json");
    let b = dir.path().join("b.json");
    scan(&[
        "--quiet",
        "--report",
        a.to_str().unwrap(),
        "nixos-good-boot.log",
    ]);
    scan(&["--quiet", "--report", b.to_str().unwrap(), "rust-panic.log"]);
    let out = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .arg("compare")
        .args([&a, &b])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    expect![[r#"
                        nixos-good-boot.log  rust-panic.log
        verdict         pass                 fail
        kind            autologin            rust-panic
        duration        -                    -
          first_output  line 1               line 1
          kernel        line 1               line 1
          initrd        line 3               line 2
          init          line 12              -
          multi_user    line 25              -
          login_prompt  line 32              -
        console lines   32                   10
        warnings        1                    0
        probes          -                    -
    "#]]
    .assert_eq(&String::from_utf8_lossy(&out.stdout));
}

#[test]
fn compare_rejects_a_file_that_is_not_a_report() {
    let out = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .args(["compare", "kernel-panic.log", "kernel-panic.log"])
        .current_dir(fixtures())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a bootcheck report"));
}

#[test]
fn junit_marks_the_boot_failed() {
    let dir = tempfile::tempdir().unwrap();
    let j = dir.path().join("junit.xml");
    scan(&[
        "--quiet",
        "--junit",
        j.to_str().unwrap(),
        "kernel-panic.log",
    ]);
    let xml = std::fs::read_to_string(j).unwrap();
    assert!(xml.contains(r#"<testcase classname="boot" name="reaches login""#));
    assert!(xml.contains(r#"<failure type="kernel-panic""#));
    assert!(xml.contains("failures=\"1\""));
}

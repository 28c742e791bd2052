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

/// Serial logs of the real Rust programs in `tests/rust_programs.rs`
/// (`tests/fixtures/rust-programs/`): the same verdicts from the saved log.
#[test]
fn real_rust_program_logs_give_the_rust_kind_and_message() {
    let not_found = "Os { code: 2, kind: NotFound, message: \"No such file or directory\" }";
    let unwrap = format!("called `Result::unwrap()` on an `Err` value: {not_found}");
    let expect_msg = format!("failed to read unit directory /etc/units: {not_found}");
    // (log, kind, thread, message, what follows)
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, Option<&'a str>);
    let cases: [Case; 10] = [
        (
            "pid1-unwrap",
            "rust-panic",
            Some("main"),
            &unwrap,
            Some("kernel-panic"),
        ),
        (
            "pid1-expect",
            "rust-panic",
            Some("main"),
            &expect_msg,
            Some("kernel-panic"),
        ),
        (
            "pid1-panic",
            "rust-panic",
            Some("main"),
            "no usable console found (tried 3 devices)",
            Some("kernel-panic"),
        ),
        (
            "pid1-index",
            "rust-panic",
            Some("main"),
            "index out of bounds: the len is 2 but the index is 3",
            Some("kernel-panic"),
        ),
        (
            "pid1-thread-backtrace",
            "rust-panic",
            Some("journal-writer"),
            "journal file is corrupt at offset 4096",
            None,
        ),
        (
            "pid1-stack-overflow",
            "rust-stack-overflow",
            Some("unit-loader"),
            "stack overflow, aborting",
            Some("kernel-panic"),
        ),
        (
            "pid1-alloc",
            "rust-alloc-failure",
            None,
            "memory allocation of 140737488355328 bytes failed",
            Some("kernel-panic"),
        ),
        (
            "init-child-expect",
            "rust-panic",
            Some("main"),
            &expect_msg,
            None,
        ),
        (
            "init-child-nonfatal",
            "rust-panic",
            Some("main"),
            &expect_msg,
            None,
        ),
        (
            "init-child-stack-overflow",
            "rust-stack-overflow",
            Some("main"),
            "stack overflow, aborting",
            None,
        ),
    ];
    for (log, kind, thread, message, follows) in cases {
        let (code, r, _) = report(&format!("rust-programs/{log}.log"));
        let why = serde_json::to_string_pretty(&r).unwrap();
        assert_eq!(code, 1, "{log}: {why}");
        assert_eq!(r["kind"], kind, "{log}: {why}");
        assert_eq!(r["decisive"]["kind"], kind, "{log}");
        assert_eq!(r["rust"]["thread"].as_str(), thread, "{log}: {why}");
        assert_eq!(r["rust"]["message"], message, "{log}: {why}");
        assert_eq!(r["followed_by"]["kind"].as_str(), follows, "{log}: {why}");
        // The message is what the console shows right after the line.
        let after = r["context_after"].as_array().unwrap();
        if kind == "rust-panic" {
            assert_eq!(after[0], message, "{log}");
        }
    }
}

#[test]
fn real_rust_panic_in_a_non_critical_process_is_a_warning_with_nonfatal() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    std::fs::write(&spec, r#"{"nonfatal": ["rust-panic"]}"#).unwrap();
    let out = scan(&[
        "--quiet",
        "--report",
        "-",
        "--spec",
        spec.to_str().unwrap(),
        "rust-programs/init-child-nonfatal.log",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["kind"], "login-prompt");
    assert_eq!(r["warnings"][0]["kind"], "rust-panic");
    assert!(r.get("rust").is_none(), "no Rust details on a pass: {r}");
}

/// The Rust parts of the report of a real PID 1 panic, as a snapshot.
#[test]
fn real_pid1_panic_report_json() {
    let out = scan(&["--quiet", "--report", "-", "rust-programs/pid1-expect.log"]);
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let part = serde_json::json!({
        "verdict": r["verdict"],
        "kind": r["kind"],
        "summary": r["summary"],
        "decisive": r["decisive"],
        "context": r["context"],
        "context_after": r["context_after"],
        "followed_by": r["followed_by"],
        "rust": r["rust"],
    });
    expect![[r#"
        {
          "context": [
            "[    1.810482] Freeing unused kernel image (text/rodata gap) memory: 2040K",
            "[    1.811662] Freeing unused kernel image (rodata/data gap) memory: 1108K",
            "[    1.940872] x86/mm: Checked W+X mappings: passed, no W+X pages found.",
            "[    1.941613] Run /rust-fail as init process",
            ""
          ],
          "context_after": [
            "failed to read unit directory /etc/units: Os { code: 2, kind: NotFound, message: \"No such file or directory\" }",
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            "[    2.007258] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00006500",
            "[    2.007790] CPU: 0 PID: 1 Comm: rust-fail Not tainted 6.1.0-56-amd64 #1  Debian 6.1.192-2",
            "[    2.008153] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
            "[    2.008646] Call Trace:",
            "[    2.009275]  <TASK>",
            "[    2.009573]  dump_stack_lvl+0x44/0x5c",
            "[    2.009954]  panic+0x118/0x2f4",
            "[    2.010055]  do_exit.cold+0x15/0x15"
          ],
          "decisive": {
            "kind": "rust-panic",
            "line": "thread 'main' (1) panicked at rust_fail.rs:32:46:",
            "line_number": 343,
            "offset_ms": null
          },
          "followed_by": {
            "kind": "kernel-panic",
            "line": "[    2.007258] Kernel panic - not syncing: Attempted to kill init! exitcode=0x00006500",
            "line_number": 346,
            "offset_ms": null
          },
          "kind": "rust-panic",
          "rust": {
            "location": "rust_fail.rs:32:46",
            "message": "failed to read unit directory /etc/units: Os { code: 2, kind: NotFound, message: \"No such file or directory\" }",
            "pid": 1,
            "thread": "main",
            "thread_id": 1
          },
          "summary": "log: rust-panic at line 343: failed to read unit directory /etc/units: Os { code: 2, kind: NotFound, message: \"No such file or directory\" }",
          "verdict": "fail"
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&part).unwrap());
}

#[test]
fn real_panic_in_a_busybox_init_process_summary() {
    check_summary(
        "rust-programs/init-child-expect.log",
        expect![[r#"
        bootcheck: FAIL (rust-panic) log: rust-panic at line 344: failed to read unit directory /etc/units: Os { code: 2, kind: NotFound, message: "No such file or directory" }
          decisive line 344: thread 'main' (83) panicked at rust_fail.rs:32:46:
          rust: pid 83, thread 'main', at rust_fail.rs:32:46
            > failed to read unit directory /etc/units: Os { code: 2, kind: NotFound, message: "No such file or directory" }
          milestones: first_output line 1, kernel line 1, initrd line 342
          context before the decisive line:
            | [    1.555508] Freeing unused kernel image (text/rodata gap) memory: 2040K
            | [    1.556560] Freeing unused kernel image (rodata/data gap) memory: 1108K
            | [    1.676233] x86/mm: Checked W+X mappings: passed, no W+X pages found.
            | [    1.676723] Run /init as init process
            | 
          last 20 console lines:
            | [    1.266342] evm: HMAC attrs: 0x1
            | [    1.473071] clk: Disabling unused clocks
            | [    1.487836] Freeing unused decrypted memory: 2036K
            | [    1.552033] Freeing unused kernel image (initmem) memory: 2824K
            | [    1.552596] Write protecting the kernel read-only data: 26624k
            | [    1.555508] Freeing unused kernel image (text/rodata gap) memory: 2040K
            | [    1.556560] Freeing unused kernel image (rodata/data gap) memory: 1108K
            | [    1.676233] x86/mm: Checked W+X mappings: passed, no W+X pages found.
            | [    1.676723] Run /init as init process
            | 
            | thread 'main' (83) panicked at rust_fail.rs:32:46:
            | failed to read unit directory /etc/units: Os { code: 2, kind: NotFound, message: "No such file or directory" }
            | note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
            | 
            | bootcheck test guest
            | 
            | 
            | testvm login: [    1.974269] tsc: Refined TSC clocksource calibration: 2596.120 MHz
            | [    1.974936] clocksource: tsc: mask: 0xffffffffffffffff max_cycles: 0x256bead120a, max_idle_ns: 440795214554 ns
            | [    1.975290] clocksource: Switched to clocksource tsc
          log: rust-programs/init-child-expect.log
    "#]],
    );
}

#[test]
fn scan_reads_which_init_ran_in_each_stage_and_lists_no_process() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.json");
    std::fs::write(&spec, r#"{"oxidation": {}}"#).unwrap();
    let out = scan(&[
        "--report",
        "-",
        "--spec",
        spec.to_str().unwrap(),
        "nixos-good-boot.log",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // In the report's own order of fields.
    let x: bootcheck::oxidation::boot::BootOxidation =
        serde_json::from_value(r["oxidation"].clone()).unwrap();
    expect![[r#"
        {
          "headline": "not measured: scan judges a saved log: no processes are listed",
          "not_measured": "scan judges a saved log: no processes are listed",
          "read_as": null,
          "classified_from": "this machine's /nix/store (a NixOS VM's store is this machine's); paths outside it are not classified",
          "pid1": null,
          "stage1": {
            "program": null,
            "line": "<<< NixOS Stage 1 >>>",
            "line_number": 5
          },
          "stage2": {
            "program": "systemd 258.2",
            "line": "[    4.120001] systemd[1]: systemd 258.2 running in system mode (+PAM +AUDIT -SELINUX)",
            "line_number": 16
          },
          "init_lines": [
            {
              "program": null,
              "line": "[    0.912345] Run /init as init process",
              "line_number": 3
            },
            {
              "program": null,
              "line": "<<< NixOS Stage 1 >>>",
              "line_number": 5
            },
            {
              "program": null,
              "line": "<<< NixOS Stage 2 >>>",
              "line_number": 12
            },
            {
              "program": "systemd 258.2",
              "line": "[    4.120001] systemd[1]: systemd 258.2 running in system mode (+PAM +AUDIT -SELINUX)",
              "line_number": 16
            }
          ],
          "counts": {
            "processes": 0,
            "rust": 0,
            "languages": {},
            "not_classified": {},
            "kernel_threads": 0,
            "listing": 0
          },
          "rust_services": [],
          "services": [],
          "login_shell": null,
          "processes": [],
          "libraries": [],
          "classify_ms": 0
        }"#]]
    .assert_eq(&serde_json::to_string_pretty(&x).unwrap());
    let human = String::from_utf8_lossy(&out.stderr);
    assert!(
        human.contains(
            "  oxidation: not measured: scan judges a saved log: no processes are listed\n    stage 1: <<< NixOS Stage 1 >>> (line 5); stage 2: systemd 258.2 (line 16)\n"
        ),
        "{human}"
    );
    // The same log without the section: the report as before.
    let (_, plain, _) = report("nixos-good-boot.log");
    assert!(plain.get("oxidation").is_none());
}

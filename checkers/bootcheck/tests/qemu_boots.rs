//! Real boots, part two: what happens around a boot on a real serial console
//! (Debian's kernel and a busybox initramfs under `qemu-system-x86_64` with
//! software emulation), judged by the real bootcheck binary.
//!
//! `real_boots.rs` covers the plain verdicts (login prompt, missing root,
//! Rust panic, silent init, probes, unix socket). These stories cover the
//! edges: a VM that exits right after panicking, the idle deadline, an
//! interrupted run, a wrong password, probes that fail, hang or share the
//! console with the kernel, uutils' multicall binary answering as `ls`,
//! `cat` and `uname` in the guest, a probe that crashes the kernel, and a
//! failure seen over the unix socket.
//!
//! Every run writes the JSON report, the raw log and JUnit, and every test
//! checks that they were written and agree. Each QEMU gets a unique
//! `-name`, and the tests that stop a VM check that no process by that name
//! survives. A test whose tools are missing prints `skipped: <why>` and
//! returns.

mod guest;
mod support;

use guest::{initramfs, Host, PRELUDE};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use support::{bootcheck, processes_named, vm_name, Run, Running, Users};

/// Two cores and software emulation: one guest at a time keeps the boot
/// times, and so the deadlines below, predictable.
static ONE_GUEST_AT_A_TIME: Mutex<()> = Mutex::new(());

fn one_guest() -> MutexGuard<'static, ()> {
    ONE_GUEST_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

const PASSWORD: &str = "Boot-Check-42";

/// /init: a getty on the serial console, restarted after each session.
fn getty_init() -> String {
    format!("{PRELUDE}\necho 'init: getty on ttyS0'\nwhile true; do getty 115200 ttyS0; done")
}

/// /init: says one line, then nothing ever again.
fn silent_init() -> String {
    format!("{PRELUDE}\necho 'init: going quiet'\nexec sleep 1000000")
}

fn write_spec(dir: &std::path::Path, json: &str) -> String {
    let path = dir.join("spec.json");
    std::fs::write(&path, json).unwrap();
    path.display().to_string()
}

fn assert_no_qemu_left(name: &str, run: &Run) {
    assert_eq!(
        processes_named(name),
        Vec::<i32>::new(),
        "a QEMU named {name} is still running\n{}",
        run.explain()
    );
}

fn probe<'a>(run: &'a Run, name: &str) -> &'a serde_json::Value {
    run.report["probes"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("no probe {name} in the report\n{}", run.explain()))
}

#[test]
fn panic_then_immediate_qemu_exit_is_still_a_kernel_panic() {
    let Some(host) = Host::find() else { return };
    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    let name = vm_name("panic-exit");
    // No initrd and no root=: the kernel panics. `panic=-1` restarts at
    // once and `-no-reboot` turns the restart into QEMU exiting, so the
    // console closes right behind the panic lines. Whether bootcheck or the
    // guest ends QEMU first, the verdict is the panic, not `vm-exited`.
    let vm = host.qemu_args(None, "panic=-1", &name);
    let run = bootcheck(dir.path(), &["--timeout", "120"], &vm);

    assert_eq!(run.code, 1, "{}", run.explain());
    assert_eq!(run.str("/verdict"), "fail", "{}", run.explain());
    assert_eq!(run.str("/kind"), "kernel-panic", "{}", run.explain());
    let line = run.str("/decisive/line");
    assert!(
        line.contains("Kernel panic - not syncing") && line.contains("VFS"),
        "{}",
        run.explain()
    );
    // Decided on the panic, long before the deadline.
    assert!(run.took < Duration::from_secs(90), "{}", run.explain());
    run.assert_outputs_written();
    assert!(run.log_text().contains("Linux version"));
    assert_no_qemu_left(&name, &run);
}

#[test]
fn silent_console_hits_the_idle_deadline_and_writes_everything() {
    let Some(host) = Host::find() else { return };
    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &silent_init(), |_| {});
    let name = vm_name("idle");
    let vm = host.qemu_args(Some(&initrd), "", &name);
    let run = bootcheck(
        dir.path(),
        &["--timeout", "150", "--idle-timeout", "10"],
        &vm,
    );

    assert_eq!(run.code, 3, "{}", run.explain());
    assert_eq!(run.str("/verdict"), "timeout");
    assert_eq!(run.str("/kind"), "idle-timeout", "{}", run.explain());
    assert!(run.report["decisive"].is_null(), "{}", run.explain());
    // The idle deadline fired, not the overall one.
    assert!(run.took < Duration::from_secs(120), "{}", run.explain());
    let ms = &run.report["milestones"];
    assert!(ms["kernel"]["offset_ms"].is_u64(), "{}", run.explain());
    assert!(ms["initrd"]["offset_ms"].is_u64(), "{}", run.explain());
    assert!(ms["login_prompt"].is_null(), "{}", run.explain());
    let last: Vec<&str> = run.report["last_lines"]
        .as_array()
        .map(|a| a.iter().filter_map(|l| l.as_str()).collect())
        .unwrap_or_default();
    assert!(
        last.iter().any(|l| l.contains("init: going quiet")),
        "{}",
        run.explain()
    );
    assert_eq!(run.report["vm_exit"]["killed_by_bootcheck"], true);
    run.assert_outputs_written();
    assert!(run.log_text().contains("init: going quiet"));
    assert!(run.junit.contains("<failure"), "{}", run.junit);
    assert_no_qemu_left(&name, &run);
}

#[test]
fn sigterm_to_bootcheck_stops_qemu_and_still_writes_the_report() {
    let Some(host) = Host::find() else { return };
    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &silent_init(), |_| {});
    let name = vm_name("sigterm");
    let vm = host.qemu_args(Some(&initrd), "", &name);
    let mut running = Running::start(dir.path(), &["--timeout", "150"], &vm);
    // A CI job being cancelled: the guest is up and bootcheck is waiting.
    assert!(
        running.wait_for_log("init: going quiet", Duration::from_secs(90)),
        "the guest never started its init"
    );
    assert!(
        !processes_named(&name).is_empty(),
        "no QEMU to interrupt (is `-name` in its command line?)"
    );
    let signalled = Instant::now();
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(running.pid()),
        nix::sys::signal::Signal::SIGTERM,
    )
    .unwrap();
    let run = running.finish();
    let stopping = signalled.elapsed();

    assert_eq!(run.code, 130, "{}", run.explain());
    assert_eq!(run.str("/kind"), "interrupted", "{}", run.explain());
    assert_eq!(run.str("/verdict"), "error", "{}", run.explain());
    // QEMU goes on SIGTERM; bootcheck's grace period before SIGKILL is 3 s.
    assert!(
        stopping < Duration::from_secs(10),
        "{stopping:?}\n{}",
        run.explain()
    );
    assert_eq!(run.report["vm_exit"]["killed_by_bootcheck"], true);
    run.assert_outputs_written();
    assert!(run.log_text().contains("init: going quiet"));
    assert_no_qemu_left(&name, &run);
}

#[test]
fn wrong_password_fails_with_login_incorrect() {
    let Some(host) = Host::find() else { return };
    let Some(users) = Users::with_password(PASSWORD) else {
        return;
    };
    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &getty_init(), |c| users.add_to(c));
    let name = vm_name("badpw");
    let spec = write_spec(
        dir.path(),
        r#"{"name": "wrong-password",
            "login": {"user": "tester", "password": "not-the-password", "timeout": 60},
            "probes": [{"name": "kernel", "component": "kernel", "command": "uname -s", "expect": "^Linux$"}]}"#,
    );
    let vm = host.qemu_args(Some(&initrd), "", &name);
    let run = bootcheck(dir.path(), &["--timeout", "150", "--spec", &spec], &vm);

    assert_eq!(run.code, 1, "{}", run.explain());
    assert_eq!(run.str("/verdict"), "fail");
    assert_eq!(run.str("/kind"), "login-incorrect", "{}", run.explain());
    assert!(
        run.str("/decisive/line").starts_with("Login incorrect"),
        "{}",
        run.explain()
    );
    assert_eq!(run.report["login"]["ok"], false, "{}", run.explain());
    assert_eq!(run.report["login"]["user"], "tester");
    // The boot itself got to its login prompt.
    assert!(run.report["milestones"]["login_prompt"]["offset_ms"].is_u64());
    run.assert_outputs_written();
    assert_no_qemu_left(&name, &run);
}

#[test]
fn failing_and_hung_probes_are_reported_and_later_probes_still_run() {
    let Some(host) = Host::find() else { return };
    let Some(users) = Users::with_password(PASSWORD) else {
        return;
    };
    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &getty_init(), |c| users.add_to(c));
    let name = vm_name("probes");
    let spec = write_spec(
        dir.path(),
        &format!(
            r#"{{"name": "probe-outcomes",
            "login": {{"user": "tester", "password": "{PASSWORD}", "timeout": 90}},
            "probes": [
              {{"name": "exit-seven", "component": "shell", "command": "echo partial; exit 7", "expect": "^partial$"}},
              {{"name": "hangs", "component": "hang", "command": "sleep 600", "expect": ".*", "timeout": 5}},
              {{"name": "after-the-hang", "component": "shell", "command": "echo still here; id -un", "expect": "^still here\ntester$"}}
            ]}}"#
        ),
    );
    let vm = host.qemu_args(Some(&initrd), "", &name);
    let run = bootcheck(dir.path(), &["--timeout", "200", "--spec", &spec], &vm);

    assert_eq!(run.code, 1, "{}", run.explain());
    assert_eq!(run.str("/kind"), "probe-failed", "{}", run.explain());
    assert_eq!(run.report["login"]["ok"], true, "{}", run.explain());
    let summary = run.str("/summary");
    assert!(
        summary.contains("2 of 3")
            && summary.contains("shell/exit-seven")
            && summary.contains("hang/hangs"),
        "{}",
        run.explain()
    );

    let seven = probe(&run, "exit-seven");
    assert_eq!(seven["passed"], false);
    assert_eq!(seven["exit_status"], 7, "{}", run.explain());
    assert_eq!(seven["output"], "partial", "{}", run.explain());

    let hung = probe(&run, "hangs");
    assert_eq!(hung["passed"], false);
    assert!(hung["exit_status"].is_null(), "{}", run.explain());
    assert!(hung["error"].is_string(), "{}", run.explain());
    let hung_ms = hung["duration_ms"].as_u64().unwrap_or(0);
    assert!((5_000..20_000).contains(&hung_ms), "{}", run.explain());

    // Ctrl-C gave the shell back: the next probe ran and passed.
    let after = probe(&run, "after-the-hang");
    assert_eq!(after["passed"], true, "{}", run.explain());
    assert_eq!(after["exit_status"], 0);

    run.assert_outputs_written();
    assert_eq!(
        run.junit.matches("<failure").count(),
        2,
        "one JUnit failure per failed probe:\n{}",
        run.junit
    );
    assert_no_qemu_left(&name, &run);
}

#[test]
fn probe_output_is_exact_while_the_kernel_writes_to_the_same_console() {
    let Some(host) = Host::find() else { return };
    let Some(users) = Users::with_password(PASSWORD) else {
        return;
    };
    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &getty_init(), |c| users.add_to(c));
    let name = vm_name("kmsg");
    // Root may write to /dev/kmsg; the kernel prints the message on the
    // serial console between the probe's own lines. The pauses keep the
    // kernel's line from landing inside one of the probe's.
    let spec = write_spec(
        dir.path(),
        &format!(
            r#"{{"name": "kernel-noise",
            "login": {{"user": "root", "password": "{PASSWORD}", "timeout": 90}},
            "probes": [
              {{"name": "interleaved", "component": "console",
                "command": "echo first; sleep 1; echo '<3>bootcheck-test: a kernel message' >/dev/kmsg; sleep 1; echo 'BUG: this is only text'; echo last",
                "expect": "^first\nBUG: this is only text\nlast$"}}
            ]}}"#
        ),
    );
    let vm = host.qemu_args(Some(&initrd), "", &name);
    let run = bootcheck(dir.path(), &["--timeout", "150", "--spec", &spec], &vm);

    assert_eq!(run.code, 0, "{}", run.explain());
    assert_eq!(run.str("/verdict"), "pass");
    let p = probe(&run, "interleaved");
    assert_eq!(p["passed"], true, "{}", run.explain());
    assert_eq!(p["output"], "first\nBUG: this is only text\nlast");
    // The kernel really did write into the middle of the probe.
    let log = run.log_text();
    let kmsg = log
        .find("] bootcheck-test: a kernel message")
        .expect("the kernel message is on the console");
    let first = log.rfind("\nfirst").expect("the probe's first line");
    let last = log.rfind("\nlast").expect("the probe's last line");
    assert!(first < kmsg && kmsg < last, "{log}");
    run.assert_outputs_written();
    assert_no_qemu_left(&name, &run);
}

#[test]
fn uutils_multicall_links_run_as_ls_cat_and_uname_in_the_guest() {
    let Some(host) = Host::find() else { return };
    let Some(users) = Users::with_password(PASSWORD) else {
        return;
    };
    let Some(coreutils) = guest::uutils_coreutils().filter(|p| support::is_uutils(p)) else {
        eprintln!("skipped: uutils `coreutils` not found (cargo install coreutils --no-default-features --features ls,cat,echo,uname,true,false,readlink)");
        return;
    };
    // What the same binary says on the host: the guest must say the same.
    let host_version = std::process::Command::new(&coreutils)
        .args(["ls", "--version"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .next()
                .unwrap_or("")
                .to_string()
        })
        .unwrap();
    assert!(host_version.contains("uutils"), "{host_version:?}");

    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &getty_init(), |c| {
        users.add_to(c);
        for lib in guest::shared_libraries(&coreutils) {
            c.host_file(&lib);
        }
        c.dir("/usr").dir("/usr/local").dir("/usr/local/bin");
        c.file(
            "/usr/local/bin/coreutils",
            0o755,
            &std::fs::read(&coreutils).unwrap(),
        );
        // The multicall binary picks the tool by the name it is run as.
        // Probes call the links by path: Debian's busybox shell runs its own
        // applets before anything on PATH.
        for tool in ["ls", "cat", "uname", "readlink"] {
            c.symlink(&format!("/usr/local/bin/{tool}"), "coreutils");
        }
    });
    let name = vm_name("uutils");
    let spec = write_spec(
        dir.path(),
        &format!(
            r#"{{"name": "uutils-in-guest",
            "login": {{"user": "tester", "password": "{PASSWORD}", "timeout": 90}},
            "probes": [
              {{"name": "ls-is-uutils", "component": "coreutils", "command": "/usr/local/bin/ls --version", "expect": "^ls \\(uutils coreutils\\) [0-9]"}},
              {{"name": "ls-is-a-link", "component": "coreutils", "command": "/usr/local/bin/readlink -f /usr/local/bin/ls", "expect": "^/usr/local/bin/coreutils$"}},
              {{"name": "uname", "component": "coreutils", "command": "/usr/local/bin/uname --version; /usr/local/bin/uname -sm", "expect": "^uname \\(uutils coreutils\\) [0-9.]+\nLinux x86_64$"}},
              {{"name": "cat", "component": "coreutils", "command": "/usr/local/bin/cat --version; /usr/local/bin/cat /proc/sys/kernel/hostname", "expect": "^cat \\(uutils coreutils\\) [0-9.]+\ntestvm$"}}
            ]}}"#
        ),
    );
    let vm = host.qemu_args(Some(&initrd), "", &name);
    let run = bootcheck(dir.path(), &["--timeout", "200", "--spec", &spec], &vm);

    assert_eq!(run.code, 0, "{}", run.explain());
    let probes = run.report["probes"].as_array().unwrap();
    assert_eq!(probes.len(), 4);
    assert!(
        probes.iter().all(|p| p["passed"] == true),
        "{}",
        run.explain()
    );
    let ls = probe(&run, "ls-is-uutils");
    assert_eq!(ls["output"].as_str().unwrap_or(""), host_version);
    run.assert_outputs_written();
    assert_no_qemu_left(&name, &run);
}

#[test]
fn probe_that_crashes_the_kernel_fails_as_kernel_panic() {
    let Some(host) = Host::find() else { return };
    let Some(users) = Users::with_password(PASSWORD) else {
        return;
    };
    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &getty_init(), |c| users.add_to(c));
    let name = vm_name("crash");
    // A probe that takes the kernel down (as a broken PID 1 or driver
    // would): the console shows a kernel panic and nothing after it.
    let spec = write_spec(
        dir.path(),
        &format!(
            r#"{{"name": "crashing-probe",
            "login": {{"user": "root", "password": "{PASSWORD}", "timeout": 90}},
            "probes": [
              {{"name": "sysrq-crash", "component": "kernel", "command": "echo c >/proc/sysrq-trigger", "expect": ".*", "timeout": 20}}
            ]}}"#
        ),
    );
    let vm = host.qemu_args(Some(&initrd), "panic=0", &name);
    let run = bootcheck(dir.path(), &["--timeout", "200", "--spec", &spec], &vm);

    assert!(
        run.log_text().contains("Kernel panic - not syncing"),
        "the probe did not crash the kernel\n{}",
        run.explain()
    );
    assert_eq!(run.code, 1, "{}", run.explain());
    assert_eq!(run.str("/kind"), "kernel-panic", "{}", run.explain());
    assert!(
        run.str("/decisive/line")
            .contains("Kernel panic - not syncing"),
        "{}",
        run.explain()
    );
    run.assert_outputs_written();
    assert_no_qemu_left(&name, &run);
}

#[test]
fn rust_panic_seen_over_the_unix_socket_fails_and_stops_qemu() {
    let Some(host) = Host::find() else { return };
    let _guest = one_guest();
    let dir = tempfile::tempdir().unwrap();
    // A real Rust program as PID 1 that panics with `panic!`.
    let Some(program) = guest::rust_program(dir.path()) else {
        return;
    };
    let bin = std::fs::read(&program).unwrap();
    let initrd = initramfs(&host, dir.path(), "exit 1", |c| {
        c.file("/rust-fail", 0o755, &bin);
    });
    let name = vm_name("socket-panic");
    let sock = dir.path().join("console.sock");
    let mut vm = host.qemu_args(Some(&initrd), "panic=0 rdinit=/rust-fail -- panic", &name);
    // The serial port on a chardev: a unix socket QEMU listens on.
    let i = vm
        .windows(2)
        .position(|w| w[0] == "-serial" && w[1] == "stdio")
        .expect("qemu_args puts the serial port on stdio");
    vm.splice(
        i..i + 2,
        [
            "-chardev".to_string(),
            format!("socket,id=s0,path={},server=on,wait=off", sock.display()),
            "-serial".to_string(),
            "chardev:s0".to_string(),
        ],
    );
    let sock_arg = sock.display().to_string();
    let run = bootcheck(
        dir.path(),
        &["--timeout", "150", "--serial-socket", &sock_arg],
        &vm,
    );

    assert_eq!(run.code, 1, "{}", run.explain());
    assert_eq!(run.str("/kind"), "rust-panic", "{}", run.explain());
    let line = run.str("/decisive/line");
    assert!(
        line.starts_with("thread 'main' ") && line.contains(" panicked at rust_fail.rs:"),
        "{}",
        run.explain()
    );
    assert_eq!(
        run.str("/rust/message"),
        "no usable console found (tried 3 devices)",
        "{}",
        run.explain()
    );
    assert!(run.report["milestones"]["kernel"]["offset_ms"].is_u64());
    assert_eq!(run.report["vm_exit"]["killed_by_bootcheck"], true);
    run.assert_outputs_written();
    assert!(!sock.exists(), "the socket file is left behind");
    assert_no_qemu_left(&name, &run);
}

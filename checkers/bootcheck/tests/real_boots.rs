//! Real boots: Debian's kernel with a busybox initramfs under
//! `qemu-system-x86_64` (software emulation), judged by the real bootcheck
//! binary over a real serial console. Each test prints `skipped: <why>`
//! where QEMU, the kernel or busybox-static is missing.

mod guest;

use guest::{initramfs, Host, PRELUDE};
use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Boots share two cores: one at a time keeps TCG timings sane.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

struct Boot {
    code: i32,
    report: serde_json::Value,
    stderr: String,
    took: Duration,
}

fn marker(test: &str) -> String {
    format!("bootcheck-test-{test}-{}", std::process::id())
}

fn bootcheck(dir: &Path, args: &[&str], vm: &[String]) -> Boot {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .arg("run")
        .arg("--report")
        .arg(dir.join("report.json"))
        .arg("--log")
        .arg(dir.join("serial.log"))
        .args(args)
        .arg("--")
        .args(vm)
        .output()
        .expect("bootcheck runs");
    let report = std::fs::read_to_string(dir.join("report.json"))
        .map(|t| serde_json::from_str(&t).expect("report is JSON"))
        .unwrap_or(serde_json::Value::Null);
    Boot {
        code: out.status.code().unwrap_or(-1),
        report,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: start.elapsed(),
    }
}

fn getty_init() -> String {
    format!("{PRELUDE}\necho '<<< bootcheck guest up >>>'\nwhile true; do getty 115200 ttyS0; done")
}

#[test]
fn getty_login_prompt_passes() {
    let Some(host) = Host::find() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &getty_init(), |_| {});
    let vm = host.qemu_args(Some(&initrd), "", &marker("getty"));
    let b = bootcheck(dir.path(), &["--timeout", "120"], &vm);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(b.report["verdict"], "pass");
    assert_eq!(b.report["kind"], "login-prompt");
    assert!(b.report["decisive"]["line"]
        .as_str()
        .unwrap()
        .starts_with("testvm login:"));
    let ms = |m: &str| b.report["milestones"][m]["offset_ms"].as_u64();
    let (kernel, initrd_ms, login) = (ms("kernel"), ms("initrd"), ms("login_prompt"));
    assert!(
        kernel.is_some() && initrd_ms.is_some() && login.is_some(),
        "{}",
        b.report["milestones"]
    );
    assert!(kernel <= initrd_ms && initrd_ms <= login);
    eprintln!("boot to login prompt: {:?}", b.took);
}

#[test]
fn missing_root_fails_with_kernel_panic() {
    let Some(host) = Host::find() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // No initrd and no root: the kernel cannot mount a root filesystem.
    let vm = host.qemu_args(None, "panic=0", &marker("panic"));
    let b = bootcheck(dir.path(), &["--timeout", "120"], &vm);
    assert_eq!(b.code, 1, "{}", b.stderr);
    assert_eq!(b.report["kind"], "kernel-panic");
    let line = b.report["decisive"]["line"].as_str().unwrap();
    assert!(line.contains("Kernel panic - not syncing"), "{line}");
    // Decided on the panic line, not by waiting for the deadline.
    assert!(b.took < Duration::from_secs(100), "{:?}", b.took);
}

#[test]
fn rust_panic_in_init_fails_with_kind() {
    let Some(host) = Host::find() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // A real Rust program, built here, is PID 1 and calls `unwrap()` on an
    // error: the console shows what this Rust version prints, then the
    // kernel panics because init died.
    let Some(program) = guest::rust_program(dir.path()) else {
        return;
    };
    let bin = std::fs::read(&program).unwrap();
    let initrd = initramfs(&host, dir.path(), "exit 1", |c| {
        c.file("/rust-fail", 0o755, &bin);
    });
    let vm = host.qemu_args(
        Some(&initrd),
        "panic=0 rdinit=/rust-fail -- unwrap",
        &marker("rustpanic"),
    );
    let b = bootcheck(dir.path(), &["--timeout", "120"], &vm);
    assert_eq!(b.code, 1, "{}", b.stderr);
    assert_eq!(b.report["kind"], "rust-panic", "{}", b.stderr);
    let line = b.report["decisive"]["line"].as_str().unwrap();
    assert!(
        line.starts_with("thread 'main' ") && line.contains(" panicked at rust_fail.rs:"),
        "{line}"
    );
    assert!(b.report["rust"]["message"]
        .as_str()
        .unwrap()
        .starts_with("called `Result::unwrap()` on an `Err` value: Os { code: 2"));
    assert_eq!(b.report["followed_by"]["kind"], "kernel-panic");
    assert!(b.stderr.contains("panicked at rust_fail.rs:"));
}

#[test]
fn silent_init_times_out_and_leaves_no_qemu() {
    let Some(host) = Host::find() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), "exec /bin/sleep 100000", |_| {});
    let name = marker("silent");
    // `quiet`: the kernel says little, then the console stays silent.
    let vm = host.qemu_args(Some(&initrd), "quiet", &name);
    let b = bootcheck(dir.path(), &["--timeout", "25"], &vm);
    assert_eq!(b.code, 3, "{}", b.stderr);
    assert_eq!(b.report["verdict"], "timeout");
    assert_eq!(b.report["vm_exit"]["killed_by_bootcheck"], true);
    assert_eq!(
        guest::processes_with(&name),
        Vec::<i32>::new(),
        "QEMU left behind"
    );
    assert!(dir.path().join("serial.log").exists());
}

#[test]
fn login_and_probes_over_the_real_serial_console() {
    let Some(host) = Host::find() else { return };
    let Some(hash) = guest::password_hash("s3cret") else {
        eprintln!("skipped: openssl not found (needed to hash the guest's password)");
        return;
    };
    let uutils = guest::uutils_coreutils();
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &getty_init(), |c| {
        c.file(
            "/etc/passwd",
            0o644,
            b"root:x:0:0:root:/root:/bin/sh\ntester:x:1000:1000:tester:/home:/bin/sh\n",
        );
        c.file("/etc/group", 0o644, b"root:x:0:\ntester:x:1000:\n");
        c.file(
            "/etc/shadow",
            0o600,
            format!("root:*:19000::::::\ntester:{hash}:19000::::::\n").as_bytes(),
        );
        if let Some(u) = &uutils {
            // The real uutils multicall binary, with the libraries it links.
            for lib in guest::shared_libraries(u) {
                c.host_file(&lib);
            }
            c.file("/bin/coreutils", 0o755, &std::fs::read(u).unwrap());
        }
    });
    let mut probes = vec![
        r#"{"name": "kernel", "component": "kernel", "command": "uname -s", "expect": "^Linux$"}"#
            .to_string(),
        r#"{"name": "user", "component": "login", "command": "id -un", "expect": "^tester$"}"#
            .to_string(),
    ];
    if uutils.is_some() {
        probes.push(
            r#"{"name": "uutils-ls", "component": "coreutils", "command": "/bin/coreutils ls --version", "expect": "uutils coreutils"}"#.to_string(),
        );
    } else {
        eprintln!("skipped part: uutils `coreutils` not found (cargo install coreutils); its probe is left out");
    }
    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        format!(
            r#"{{"name": "busybox-guest", "login": {{"user": "tester", "password": "s3cret", "timeout": 120}}, "probes": [{}]}}"#,
            probes.join(",")
        ),
    )
    .unwrap();
    let vm = host.qemu_args(Some(&initrd), "", &marker("probes"));
    let b = bootcheck(
        dir.path(),
        &["--timeout", "240", "--spec", spec.to_str().unwrap()],
        &vm,
    );
    assert_eq!(b.code, 0, "{}", b.stderr);
    let p = b.report["probes"].as_array().unwrap();
    assert_eq!(p.len(), probes.len());
    assert!(p.iter().all(|p| p["passed"] == true), "{p:?}");
    if uutils.is_some() {
        // Kernel messages may share the console with the output, so the
        // line is looked for, not required first.
        let out = p[2]["output"].as_str().unwrap();
        assert!(
            out.lines().any(|l| l.starts_with("ls (uutils coreutils)")),
            "{out:?}"
        );
    }
    assert_eq!(b.report["login"]["ok"], true);
}

#[test]
fn failing_probe_in_the_guest_names_its_component() {
    let Some(host) = Host::find() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    // A root shell straight on the console: the autologin case.
    let init = format!("{PRELUDE}\necho 'testvm login: root (automatic login)'\nexec setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1'");
    let initrd = initramfs(&host, dir.path(), &init, |_| {});
    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        r#"{"login": {"autologin": true, "timeout": 120},
            "probes": [{"name": "sudo-is-sudo-rs", "component": "sudo", "command": "echo 'sudo: not installed'", "expect": "sudo-rs"}]}"#,
    )
    .unwrap();
    let vm = host.qemu_args(Some(&initrd), "", &marker("probefail"));
    let b = bootcheck(
        dir.path(),
        &["--timeout", "180", "--spec", spec.to_str().unwrap()],
        &vm,
    );
    assert_eq!(b.code, 1, "{}", b.stderr);
    assert_eq!(b.report["kind"], "probe-failed");
    assert!(b.report["summary"]
        .as_str()
        .unwrap()
        .contains("sudo/sudo-is-sudo-rs"));
}

#[test]
fn serial_socket_console_passes() {
    let Some(host) = Host::find() else { return };
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let initrd = initramfs(&host, dir.path(), &getty_init(), |_| {});
    let sock = dir.path().join("console.sock");
    let mut vm = host.qemu_args(Some(&initrd), "", &marker("socket"));
    // Replace `-serial stdio` by a unix socket server QEMU creates.
    let i = vm.iter().position(|a| a == "stdio").unwrap();
    vm[i] = format!("unix:{},server=on,wait=off", sock.display());
    let b = bootcheck(
        dir.path(),
        &[
            "--timeout",
            "120",
            "--serial-socket",
            sock.to_str().unwrap(),
        ],
        &vm,
    );
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(b.report["kind"], "login-prompt");
}

#[test]
fn oxidation_meter_in_a_real_guest() {
    let Some(host) = Host::find() else { return };
    // uutils' multicall binary (Rust) runs as a service: a `cat` that
    // waits for input that never comes.
    let uutils = guest::uutils_coreutils().and_then(|p| std::fs::canonicalize(p).ok());
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let service = match &uutils {
        Some(u) => format!("sleep 100000 | {} cat &", u.display()),
        None => {
            eprintln!("skipped part: uutils `coreutils` not found (cargo install coreutils): no Rust service in the guest");
            String::new()
        }
    };
    // PID 1 stays the /init script (busybox sh); root's shell is on the
    // console. Every program is this machine's file at the same path, so
    // the spec's `root` is `/`.
    let init = format!(
        "{PRELUDE}\n{service}\necho 'testvm login: root (automatic login)'\n\
         setsid sh -c 'exec sh </dev/ttyS0 >/dev/ttyS0 2>&1' &\n\
         while true; do sleep 1000; done"
    );
    let initrd = initramfs(&host, dir.path(), &init, |c| {
        for applet in ["readlink", "grep"] {
            c.symlink(&format!("/bin/{applet}"), "busybox");
        }
        if let Some(u) = &uutils {
            for lib in guest::shared_libraries(u) {
                c.host_file(&lib);
            }
            c.host_file(u);
        }
    });
    let mut require = vec![r#"{"component": "init", "pid1": true}"#];
    if uutils.is_some() {
        require.push(r#"{"component": "coreutils", "process": "coreutils"}"#);
    }
    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        format!(
            r#"{{"login": {{"autologin": true, "timeout": 120}}, "oxidation": {{"root": "/", "require": [{}]}}}}"#,
            require.join(", ")
        ),
    )
    .unwrap();
    let vm = host.qemu_args(Some(&initrd), "", &marker("oxidation"));
    let b = bootcheck(
        dir.path(),
        &["--timeout", "180", "--spec", spec.to_str().unwrap()],
        &vm,
    );
    let x = &b.report["oxidation"];
    // PID 1 is busybox, statically linked C: the requirement fails the run.
    assert_eq!(b.code, 1, "{}", b.stderr);
    assert_eq!(b.report["kind"], "rust-missing", "{}", b.report);
    assert_eq!(x["pid1"]["exe"], "/bin/busybox", "{x}");
    assert_eq!(x["pid1"]["language"], "c", "{x}");
    assert_eq!(x["read_as"], "root");
    assert!(x["counts"]["kernel_threads"].as_u64().unwrap() > 0);
    let total = x["counts"]["processes"].as_u64().unwrap();
    let rust = u64::from(uutils.is_some());
    assert_eq!(
        x["headline"],
        format!("Rust: {rust} of {total} processes"),
        "{x}"
    );
    assert_eq!(
        x["counts"]["languages"]["c"].as_u64(),
        Some(total - rust),
        "{x}"
    );
    let req = x["requirements"].as_array().unwrap();
    assert_eq!(req[0]["why"], "PID 1 is init (/bin/busybox, c)", "{x}");
    if uutils.is_some() {
        assert_eq!(req[1]["status"], "met", "{x}");
        assert_eq!(x["rust_services"], serde_json::json!(["coreutils"]), "{x}");
    }
    assert!(b.stderr.contains("  oxidation: Rust: "), "{}", b.stderr);
    eprintln!("{}: {:?}", x["headline"], b.took);
}

//! Real Rust programs failing in a real guest: `tests/guest/rust_fail.rs`,
//! built statically by the test with the toolchain at hand, runs as PID 1
//! (the kernel's `rdinit=`) or as a process started by busybox `init`,
//! and panics (`unwrap`, `expect`, `panic!`, an index out of bounds, in a
//! named thread with `RUST_BACKTRACE=1`), overflows its stack or fails to
//! allocate. Debian's kernel under `qemu-system-x86_64` with software
//! emulation; judged by the real bootcheck binary.
//!
//! Nothing here is hand-written console text: the lines asserted on are
//! what this Rust version prints. The asserted forms accept the thread id
//! (Rust 1.91 and later) and its absence (1.73 to 1.90).
//!
//! `BOOTCHECK_SAVE_LOGS=DIR` copies each boot's serial log to
//! `DIR/<test>.log`; `tests/fixtures/rust-programs/` holds such logs, which
//! `tests/scan_logs.rs` scans. Tests whose tools are missing print
//! `skipped: <why>`.

#[allow(dead_code)]
mod guest;
#[allow(dead_code)]
mod support;

use guest::{initramfs, Host, PRELUDE};
use regex::Regex;
use std::sync::Mutex;
use support::{bootcheck, vm_name, Run};

/// Two cores and software emulation: one guest at a time.
static ONE_GUEST_AT_A_TIME: Mutex<()> = Mutex::new(());

fn save_log(test: &str, run: &Run) {
    if let Some(dir) = std::env::var_os("BOOTCHECK_SAVE_LOGS") {
        let dir = std::path::PathBuf::from(dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{test}.log")), &run.log).unwrap();
    }
}

/// Boot with the Rust program as PID 1: `rdinit=/rust-fail [ENV] -- MODE`.
/// `panic=-1` with `-no-reboot`: QEMU exits right after a kernel panic.
fn as_pid1(test: &str, mode: &str, env: &str) -> Option<Run> {
    let host = Host::find()?;
    let _guest = ONE_GUEST_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let program = guest::rust_program(dir.path())?;
    let bin = std::fs::read(&program).unwrap();
    let initrd = initramfs(&host, dir.path(), "exit 1", |c| {
        c.file("/rust-fail", 0o755, &bin);
    });
    let append = format!("panic=-1 rdinit=/rust-fail {env} -- {mode}");
    let vm = host.qemu_args(Some(&initrd), &append, &vm_name(test));
    let run = bootcheck(dir.path(), &["--timeout", "120"], &vm);
    eprintln!("{test}: {:.1?}", run.took);
    save_log(test, &run);
    Some(run)
}

/// Boot busybox `init`, whose inittab starts the Rust program once
/// (`sysinit`) and then a getty on the serial console.
fn under_busybox_init(test: &str, mode: &str, spec: Option<&str>) -> Option<Run> {
    let host = Host::find()?;
    let _guest = ONE_GUEST_AT_A_TIME
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let program = guest::rust_program(dir.path())?;
    let bin = std::fs::read(&program).unwrap();
    let inittab =
        format!("::sysinit:/bin/rust-fail {mode}\nttyS0::respawn:/bin/getty 115200 ttyS0\n");
    let init = format!("{PRELUDE}\nexec /bin/init");
    let initrd = initramfs(&host, dir.path(), &init, |c| {
        c.file("/bin/rust-fail", 0o755, &bin);
        c.symlink("/bin/init", "busybox");
        c.file("/etc/inittab", 0o644, inittab.as_bytes());
    });
    let vm = host.qemu_args(Some(&initrd), "panic=-1", &vm_name(test));
    let mut args = vec!["--timeout", "120"];
    let spec_path = dir.path().join("spec.json");
    let spec_arg = spec_path.display().to_string();
    if let Some(json) = spec {
        std::fs::write(&spec_path, json).unwrap();
        args.extend(["--spec", &spec_arg]);
    }
    let run = bootcheck(dir.path(), &args, &vm);
    eprintln!("{test}: {:.1?}", run.took);
    save_log(test, &run);
    Some(run)
}

/// The decisive line is the panic line of thread `thread` (with or without
/// the thread id), its location points into rust_fail.rs at a line that
/// contains `source`, and the report carries `message`.
fn assert_panic(run: &Run, thread: &str, source: &str, message: &str) {
    let why = run.explain();
    assert_eq!(run.code, 1, "{why}");
    assert_eq!(run.str("/verdict"), "fail", "{why}");
    assert_eq!(run.str("/kind"), "rust-panic", "{why}");
    let head = Regex::new(&format!(
        r"^thread '{}'(?: \((\d+)\))? panicked at (rust_fail\.rs:(\d+):\d+):$",
        regex::escape(thread)
    ))
    .unwrap();
    let line = run.str("/decisive/line");
    let c = head
        .captures(line)
        .unwrap_or_else(|| panic!("decisive line {line:?}\n{why}"));
    assert_eq!(run.str("/rust/thread"), thread, "{why}");
    assert_eq!(run.str("/rust/location"), &c[2], "{why}");
    let src_line = guest::rust_program_line(c[3].parse().unwrap());
    assert!(
        src_line.contains(source),
        "the location points at {src_line:?}, not at {source:?}\n{why}"
    );
    assert_eq!(run.str("/rust/message"), message, "{why}");
    assert!(run.str("/summary").ends_with(message), "{why}");
    match c.get(1) {
        Some(id) => assert_eq!(
            run.report["rust"]["thread_id"].as_u64(),
            id.as_str().parse().ok(),
            "{why}"
        ),
        None => assert!(run.report["rust"]["thread_id"].is_null(), "{why}"),
    }
    run.assert_outputs_written();
}

/// PID 1 died: the kernel panic that follows is context, not the kind.
fn assert_kernel_panic_follows(run: &Run) {
    let why = run.explain();
    assert_eq!(run.str("/followed_by/kind"), "kernel-panic", "{why}");
    assert!(
        run.str("/followed_by/line")
            .contains("Kernel panic - not syncing: Attempted to kill init!"),
        "{why}"
    );
    assert!(
        run.report["followed_by"]["line_number"].as_u64()
            > run.report["decisive"]["line_number"].as_u64(),
        "{why}"
    );
}

/// The main thread of PID 1 is thread id 1 (Rust 1.91 and later print it).
fn assert_pid1(run: &Run) {
    if !run.report["rust"]["thread_id"].is_null() {
        assert_eq!(run.report["rust"]["thread_id"], 1, "{}", run.explain());
        assert_eq!(run.report["rust"]["pid"], 1, "{}", run.explain());
    }
}

const NOT_FOUND: &str = "Os { code: 2, kind: NotFound, message: \"No such file or directory\" }";

#[test]
fn pid1_unwrap_on_err_is_a_rust_panic_not_a_kernel_panic() {
    let Some(run) = as_pid1("pid1-unwrap", "unwrap", "") else {
        return;
    };
    assert_panic(
        &run,
        "main",
        ".unwrap()",
        &format!("called `Result::unwrap()` on an `Err` value: {NOT_FOUND}"),
    );
    assert_pid1(&run);
    assert_kernel_panic_follows(&run);
}

#[test]
fn pid1_expect_reports_the_expect_message() {
    let Some(run) = as_pid1("pid1-expect", "expect", "") else {
        return;
    };
    assert_panic(
        &run,
        "main",
        ".expect(",
        &format!("failed to read unit directory /etc/units: {NOT_FOUND}"),
    );
    assert_pid1(&run);
    assert_kernel_panic_follows(&run);
}

#[test]
fn pid1_explicit_panic() {
    let Some(run) = as_pid1("pid1-panic", "panic", "") else {
        return;
    };
    assert_panic(
        &run,
        "main",
        "panic!(",
        "no usable console found (tried 3 devices)",
    );
    assert_pid1(&run);
    assert_kernel_panic_follows(&run);
}

#[test]
fn pid1_index_out_of_bounds() {
    let Some(run) = as_pid1("pid1-index", "index", "") else {
        return;
    };
    assert_panic(
        &run,
        "main",
        "services[pick]",
        "index out of bounds: the len is 2 but the index is 3",
    );
    assert_pid1(&run);
    assert_kernel_panic_follows(&run);
}

#[test]
fn pid1_panic_in_a_named_thread_with_a_backtrace() {
    // RUST_BACKTRACE=1 on the kernel command line is in init's environment:
    // the panic line is followed by a backtrace dump, and PID 1 lives on.
    let Some(run) = as_pid1("pid1-thread-backtrace", "thread", "RUST_BACKTRACE=1") else {
        return;
    };
    assert_panic(
        &run,
        "journal-writer",
        "panic!(",
        "journal file is corrupt at offset 4096",
    );
    let after = run.report["context_after"].as_array().unwrap();
    assert!(
        after.iter().any(|l| l == "stack backtrace:"),
        "{}",
        run.explain()
    );
    // Not the main thread: its id is not the pid.
    assert!(run.report["rust"]["pid"].is_null(), "{}", run.explain());
    assert!(run.report["followed_by"].is_null(), "{}", run.explain());
    assert_eq!(run.report["vm_exit"]["killed_by_bootcheck"], true);
}

#[test]
fn pid1_stack_overflow_in_a_thread_is_its_own_kind() {
    let Some(run) = as_pid1("pid1-stack-overflow", "thread-stack-overflow", "") else {
        return;
    };
    let why = run.explain();
    assert_eq!(run.code, 1, "{why}");
    assert_eq!(run.str("/kind"), "rust-stack-overflow", "{why}");
    let head = Regex::new(r"^thread 'unit-loader'(?: \(\d+\))? has overflowed its stack$").unwrap();
    assert!(head.is_match(run.str("/decisive/line")), "{why}");
    assert_eq!(run.str("/rust/thread"), "unit-loader", "{why}");
    // `stack overflow` (with `, aborting` in recent versions).
    assert!(
        run.str("/rust/message").starts_with("stack overflow"),
        "{why}"
    );
    assert_kernel_panic_follows(&run);
    run.assert_outputs_written();
}

#[test]
fn pid1_allocation_failure_is_its_own_kind() {
    let Some(run) = as_pid1("pid1-alloc", "alloc", "") else {
        return;
    };
    let why = run.explain();
    assert_eq!(run.code, 1, "{why}");
    assert_eq!(run.str("/kind"), "rust-alloc-failure", "{why}");
    // Vec::<u64>::with_capacity(1 << 44): 2^47 bytes.
    let line = "memory allocation of 140737488355328 bytes failed";
    assert_eq!(run.str("/decisive/line"), line, "{why}");
    assert_eq!(run.str("/rust/message"), line, "{why}");
    assert_kernel_panic_follows(&run);
    run.assert_outputs_written();
}

#[test]
fn panic_in_a_process_of_busybox_init_fails_the_boot_by_default() {
    let Some(run) = under_busybox_init("init-child-expect", "expect", None) else {
        return;
    };
    assert_panic(
        &run,
        "main",
        ".expect(",
        &format!("failed to read unit directory /etc/units: {NOT_FOUND}"),
    );
    // Not PID 1: the main thread's id is the process id, and the kernel
    // does not panic.
    if let Some(pid) = run.report["rust"]["thread_id"].as_u64() {
        assert_ne!(pid, 1);
        assert_eq!(run.report["rust"]["pid"].as_u64(), Some(pid));
    }
    assert!(run.report["followed_by"].is_null(), "{}", run.explain());
}

#[test]
fn panic_in_a_process_of_busybox_init_can_be_made_a_warning() {
    let spec = r#"{"nonfatal": ["rust-panic"]}"#;
    let Some(run) = under_busybox_init("init-child-nonfatal", "expect", Some(spec)) else {
        return;
    };
    let why = run.explain();
    assert_eq!(run.code, 0, "{why}");
    assert_eq!(run.str("/kind"), "login-prompt", "{why}");
    let warnings = run.report["warnings"].as_array().unwrap();
    let panic = warnings
        .iter()
        .find(|w| w["kind"] == "rust-panic")
        .unwrap_or_else(|| panic!("no rust-panic warning\n{why}"));
    assert!(
        panic["line"]
            .as_str()
            .unwrap()
            .contains("panicked at rust_fail.rs:"),
        "{why}"
    );
    assert!(run.report["rust"].is_null(), "{why}");
}

#[test]
fn main_thread_stack_overflow_in_a_process_of_busybox_init() {
    let Some(run) = under_busybox_init("init-child-stack-overflow", "stack-overflow", None) else {
        return;
    };
    let why = run.explain();
    assert_eq!(run.code, 1, "{why}");
    assert_eq!(run.str("/kind"), "rust-stack-overflow", "{why}");
    let head = Regex::new(r"^thread 'main'(?: \(\d+\))? has overflowed its stack$").unwrap();
    assert!(head.is_match(run.str("/decisive/line")), "{why}");
    assert!(
        run.str("/rust/message").starts_with("stack overflow"),
        "{why}"
    );
}

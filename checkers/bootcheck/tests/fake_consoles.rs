//! `bootcheck run` against fake consoles: small scripts that behave like a
//! VM on a serial line (delays, split writes, junk bytes, floods, early
//! exits, hangs, processes that ignore SIGTERM).

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Case {
    dir: tempfile::TempDir,
}

struct Outcome {
    code: i32,
    report: serde_json::Value,
    stderr: String,
    max_rss_kb: i64,
}

impl Case {
    fn new(script: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vm");
        // An absolute interpreter path: build sandboxes have no /usr/bin/env.
        let bash = which("bash").expect("bash on PATH");
        std::fs::write(&path, format!("#!{bash}\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn spec(&self, json: &str) -> String {
        let p = self.path("spec.json");
        std::fs::write(&p, json).unwrap();
        p.display().to_string()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_bootcheck"));
        c.arg("run")
            .arg("--report")
            .arg(self.path("report.json"))
            .arg("--log")
            .arg(self.path("serial.log"))
            .args(args)
            .arg("--")
            .arg(self.path("vm"))
            .current_dir(self.dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c
    }

    /// Run to completion; collect exit code, report, stderr and peak RSS.
    fn run(&self, args: &[&str]) -> Outcome {
        let child = self.command(args).spawn().unwrap();
        self.finish(child)
    }

    fn finish(&self, mut child: std::process::Child) -> Outcome {
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        // wait4 gives this child's own resource usage.
        let mut status = 0;
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let pid = child.id() as libc::pid_t;
        let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        assert_eq!(r, pid);
        assert!(libc::WIFEXITED(status), "bootcheck died: {status}");
        let report = std::fs::read_to_string(self.path("report.json"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(serde_json::Value::Null);
        Outcome {
            code: libc::WEXITSTATUS(status),
            report,
            stderr,
            max_rss_kb: usage.ru_maxrss,
        }
    }

    fn log(&self) -> Vec<u8> {
        std::fs::read(self.path("serial.log")).unwrap()
    }
}

fn alive(pid: i32) -> bool {
    // A zombie counts as gone: it is dead, only not yet reaped by its parent.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(s) => !s
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

fn pids(path: &Path) -> Vec<i32> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .split_whitespace()
        .map(|p| p.parse().unwrap())
        .collect()
}

const BOOT: &str = r#"
echo "[    0.000000] Linux version 6.12.0 (fake) #1 SMP"
sleep 0.1
echo "[    0.900000] Run /init as init process"
printf '\r\n<<< NixOS Stage 2 >>>\r\n'
sleep 0.1
printf '[  \033[0;32mOK\033[0m  ] Reached target \033[1;39mMulti-User System\033[0m.\r\n'
"#;

#[test]
fn boot_with_login_prompt_passes() {
    let case = Case::new(&format!("{BOOT}\nprintf '\\r\\nnixos login: '\nsleep 60"));
    let o = case.run(&["--timeout", "20"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let r = &o.report;
    assert_eq!(r["verdict"], "pass");
    assert_eq!(r["kind"], "login-prompt");
    let ms = |m: &str| r["milestones"][m]["offset_ms"].as_u64().unwrap();
    assert!(ms("kernel") <= ms("initrd"));
    assert!(ms("initrd") <= ms("init"));
    assert!(ms("init") <= ms("multi_user"));
    assert!(ms("multi_user") <= ms("login_prompt"));
    assert_eq!(r["vm_exit"]["killed_by_bootcheck"], true);
    assert!(String::from_utf8_lossy(&case.log()).contains("\x1b[0;32mOK"));
}

#[test]
fn kernel_panic_fails_with_kind() {
    let case = Case::new(
        r#"echo "Linux version 6.12.0"
echo "[    1.5] Kernel panic - not syncing: VFS: Unable to mount root fs"
sleep 60"#,
    );
    let o = case.run(&["--timeout", "20"]);
    assert_eq!(o.code, 1);
    assert_eq!(o.report["kind"], "kernel-panic");
    assert_eq!(o.report["decisive"]["line_number"], 2);
    assert!(o.stderr.contains("decisive line 2"), "{}", o.stderr);
}

#[test]
fn pattern_split_across_writes_still_matches() {
    let case = Case::new(
        r#"printf 'thread '"'"'main'"'"' pan'; sleep 0.3; printf 'icked at src/main.rs:1:5:\n'; sleep 60"#,
    );
    let o = case.run(&["--timeout", "20"]);
    assert_eq!(o.code, 1);
    assert_eq!(o.report["kind"], "rust-panic");
}

#[test]
fn junk_bytes_ansi_and_crlf_do_not_break_matching() {
    let case = Case::new(
        r#"head -c 20000 /dev/urandom | tr -d '\n\r'; printf '\r\n'
printf '\377\376\033]0;unterminated title\r\n'
printf '\033[2J\033[H\033]0;title\007host\033[1m-1\033[0m login: '; sleep 60"#,
    );
    let o = case.run(&["--timeout", "20"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.report["decisive"]["line"], "host-1 login:");
}

#[test]
fn flood_of_output_keeps_memory_bounded_and_log_complete() {
    // 64 MiB with no newline at all, then 64 MiB of lines, then success.
    let case = Case::new(
        r#"head -c 67108864 /dev/zero | tr '\0' 'x'
yes "[    1.000000] systemd[1]: Starting something very noisy..." | head -c 67108864
printf '\nnixos login: '; sleep 60"#,
    );
    let o = case.run(&["--timeout", "120"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let bytes = o.report["bytes"].as_u64().unwrap();
    assert!(bytes > 134_000_000, "bytes {bytes}");
    assert_eq!(case.log().len() as u64, bytes);
    assert!(o.max_rss_kb < 64 * 1024, "peak RSS {} KiB", o.max_rss_kb);
}

#[test]
fn vm_exiting_before_success_fails_with_its_status() {
    let case = Case::new("echo 'Linux version 6.12.0'; echo 'something odd'; exit 7");
    let o = case.run(&["--timeout", "20"]);
    assert_eq!(o.code, 1);
    assert_eq!(o.report["kind"], "vm-exited");
    assert_eq!(o.report["vm_exit"]["code"], 7);
    assert!(
        o.report["summary"]
            .as_str()
            .unwrap()
            .contains("exit code 7"),
        "{}",
        o.report["summary"]
    );
    assert_eq!(o.report["last_lines"][1], "something odd");
}

#[test]
fn last_line_without_newline_is_judged_when_the_vm_exits() {
    let case = Case::new("printf 'Kernel panic - not syncing: Attempted to kill init!'; exit 0");
    let o = case.run(&["--timeout", "20"]);
    assert_eq!(o.code, 1);
    assert_eq!(o.report["kind"], "kernel-panic");
}

#[test]
fn silent_console_times_out_and_leaves_no_process() {
    let case = Case::new("echo $$ > pids; sleep 300 & echo $! >> pids; wait");
    let start = Instant::now();
    let o = case.run(&["--timeout", "2"]);
    assert_eq!(o.code, 3);
    assert_eq!(o.report["verdict"], "timeout");
    assert_eq!(o.report["kind"], "timeout");
    assert!(start.elapsed() < Duration::from_secs(30));
    let p = pids(&case.path("pids"));
    assert_eq!(p.len(), 2);
    for pid in p {
        assert!(!alive(pid), "process {pid} survived");
    }
    // The log exists even though nothing was printed.
    assert!(case.path("serial.log").exists());
}

#[test]
fn idle_console_times_out_with_idle_kind() {
    let case = Case::new("echo 'Linux version 6.12.0'; sleep 300");
    let o = case.run(&["--timeout", "60", "--idle-timeout", "1"]);
    assert_eq!(o.code, 3);
    assert_eq!(o.report["kind"], "idle-timeout");
}

#[test]
fn vm_ignoring_sigterm_is_killed_with_its_children() {
    let case = Case::new(
        "trap '' TERM; echo $$ > pids; (trap '' TERM; sleep 300) & echo $! >> pids; echo 'Linux version 6.12.0'; while :; do sleep 1; done",
    );
    let o = case.run(&["--timeout", "2"]);
    assert_eq!(o.code, 3);
    let p = pids(&case.path("pids"));
    assert_eq!(p.len(), 2);
    // bootcheck waits for the group to be gone before it exits: no grace
    // period here.
    for pid in p {
        assert!(!alive(pid), "process {pid} survived");
    }
    assert_eq!(o.report["vm_exit"]["signal"], 9);
}

#[test]
fn sigint_stops_the_vm_and_still_writes_log_and_report() {
    let case = Case::new("echo $$ > pids; echo 'Linux version 6.12.0'; sleep 300");
    let child = case.command(&["--timeout", "60"]).spawn().unwrap();
    let until = Instant::now() + Duration::from_secs(20);
    while !case.path("pids").exists()
        || std::fs::read(case.path("serial.log")).map_or(true, |l| l.is_empty())
    {
        assert!(Instant::now() < until, "fake VM did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    unsafe { libc::kill(child.id() as i32, libc::SIGINT) };
    let o = case.finish(child);
    assert_eq!(o.code, 130);
    assert_eq!(o.report["kind"], "interrupted");
    assert!(String::from_utf8_lossy(&case.log()).contains("Linux version"));
    for pid in pids(&case.path("pids")) {
        assert!(!alive(pid), "process {pid} survived");
    }
}

#[test]
fn missing_vm_command_is_an_infrastructure_error() {
    let case = Case::new("true");
    let mut c = Command::new(env!("CARGO_BIN_EXE_bootcheck"));
    let o = c
        .args(["run", "--report"])
        .arg(case.path("report.json"))
        .args(["--", "run-no-such-vm"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("cannot start VM command `run-no-such-vm`: not found in PATH"),
        "{err}"
    );
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(case.path("report.json")).unwrap()).unwrap();
    assert_eq!(r["verdict"], "error");
}

// `stty sane`: a guest's getty sets up its tty like this (echo, ^C).
const LOGIN_VM: &str = r#"
stty sane
echo "Linux version 6.12.0 (fake)"
printf 'nixos login: '
read -r user
printf 'Password: '
read -r pw
if [ "$user" != nixos ] || [ "$pw" != secret ]; then printf '\nLogin incorrect\n'; sleep 60; exit 1; fi
printf '\nLast login: never\n'
export PS1='[nixos@vm:~]$ '
exec bash --norc --noprofile -i
"#;

#[test]
fn login_and_probes_pass_over_the_console() {
    let case = Case::new(LOGIN_VM);
    let spec = case.spec(
        r#"{"login": {"user": "nixos", "password": "secret"},
            "probes": [
              {"name": "kernel-name", "component": "kernel", "command": "uname -s", "expect": "^Linux$"},
              {"name": "exit-status", "command": "echo 'BUG: only text'; exit 3", "expect": "BUG: only text", "ignore_exit": true},
              {"name": "multi-line", "command": "printf 'a\\nb\\nc\\n'", "expect": "(?m)^b$"}
            ]}"#,
    );
    let o = case.run(&["--timeout", "30", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let p = &o.report["probes"];
    assert_eq!(p[0]["output"], "Linux");
    assert_eq!(p[1]["exit_status"], 3);
    assert_eq!(p[2]["output"], "a\nb\nc");
    assert_eq!(o.report["login"]["ok"], true);
}

#[test]
fn pipe_console_logs_in_and_runs_probes_without_a_pty() {
    let case = Case::new(
        r#"echo "Linux version 6.12.0 (fake)"
printf 'nixos login: '
read -r user
echo "$user logged in"
exec bash --norc --noprofile"#,
    );
    let spec = case.spec(
        r#"{"login": {"user": "nixos"},
            "probes": [{"name": "no-tty", "command": "tty", "expect": "not a tty", "ignore_exit": true}]}"#,
    );
    let o = case.run(&["--timeout", "30", "--pipes", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.report["probes"][0]["exit_status"], 1);
}

#[test]
fn failing_probe_names_its_component_and_why() {
    let case = Case::new(LOGIN_VM);
    let spec = case.spec(
        r#"{"login": {"user": "nixos", "password": "secret"},
            "probes": [
              {"name": "sudo-is-rust", "component": "sudo", "command": "echo 'Sudo version 1.9.16'", "expect": "sudo-rs"},
              {"name": "still-runs", "component": "shell", "command": "echo ok", "expect": "^ok$"}
            ]}"#,
    );
    let o = case.run(&["--timeout", "30", "--spec", &spec]);
    assert_eq!(o.code, 1);
    assert_eq!(o.report["kind"], "probe-failed");
    let summary = o.report["summary"].as_str().unwrap();
    assert!(summary.contains("sudo/sudo-is-rust"), "{summary}");
    assert!(summary.contains("does not match /sudo-rs/"), "{summary}");
    assert!(summary.contains("Sudo version 1.9.16"), "{summary}");
    assert_eq!(o.report["probes"][1]["passed"], true);
    assert!(o.stderr.contains("FAIL sudo/sudo-is-rust"), "{}", o.stderr);
    let junit = std::fs::read_to_string(case.path("report.json")).unwrap();
    assert!(junit.contains("probe-failed"));
}

#[test]
fn hung_probe_times_out_and_the_next_one_still_runs() {
    let case = Case::new(LOGIN_VM);
    let spec = case.spec(
        r#"{"login": {"user": "nixos", "password": "secret"},
            "probes": [
              {"name": "hangs", "command": "sleep 100", "expect": "", "timeout": 1},
              {"name": "after", "command": "echo alive", "expect": "^alive$", "timeout": 10}
            ]}"#,
    );
    let o = case.run(&["--timeout", "40", "--spec", &spec]);
    assert_eq!(o.code, 1);
    let p = &o.report["probes"];
    assert_eq!(p[0]["passed"], false);
    assert!(p[0]["error"]
        .as_str()
        .unwrap()
        .contains("no answer within 1s"));
    assert_eq!(p[1]["passed"], true, "{}", o.stderr);
}

#[test]
fn wrong_password_fails_with_login_incorrect() {
    let case = Case::new(LOGIN_VM);
    let spec = case.spec(
        r#"{"login": {"user": "nixos", "password": "wrong"},
            "probes": [{"name": "x", "command": "true", "expect": ""}]}"#,
    );
    let o = case.run(&["--timeout", "30", "--spec", &spec]);
    assert_eq!(o.code, 1);
    assert_eq!(o.report["kind"], "login-incorrect");
    assert_eq!(o.report["login"]["ok"], false);
}

#[test]
fn autologin_shell_runs_probes_without_typing_a_user() {
    let case = Case::new(
        r#"echo "Linux version 6.12.0"
echo "nixos login: nixos (automatic login)"
export PS1='$ '
exec bash --norc --noprofile -i"#,
    );
    let spec = case.spec(
        r#"{"login": {"autologin": true},
            "probes": [{"name": "whoami", "command": "echo me", "expect": "^me$"}]}"#,
    );
    let o = case.run(&["--timeout", "30", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.report["kind"], "autologin");
}

#[test]
fn a_login_without_probes_says_why_it_was_not_made() {
    let script = r#"echo "nixos login: nixos (automatic login)"
sleep 60"#;
    let case = Case::new(script);
    let spec = case.spec(r#"{"login": {"autologin": true}}"#);
    let o = case.run(&["--timeout", "30", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.report["login"].is_null());
    assert_eq!(
        o.report["login_skipped"],
        "the spec has no probes: a login is made only to run them"
    );
    // Without a login in the spec there is nothing to explain.
    let plain = Case::new(script);
    let o = plain.run(&["--timeout", "30"]);
    assert!(o.report.get("login_skipped").is_none(), "{}", o.report);
}

#[test]
fn a_failed_boot_says_the_login_was_not_made() {
    let case = Case::new(
        r#"echo "Kernel panic - not syncing: VFS: Unable to mount root fs"
sleep 60"#,
    );
    let spec = case.spec(
        r#"{"login": {"autologin": true},
            "probes": [{"name": "whoami", "command": "echo me", "expect": "^me$"}]}"#,
    );
    let o = case.run(&["--timeout", "30", "--spec", &spec]);
    assert_eq!(o.code, 1);
    assert_eq!(o.report["login_skipped"], "the boot did not reach its goal");
}

// --- no silent probe gaps -------------------------------------------------------

/// Three probes, each named with its component.
const THREE_PROBES: &str = r#"[
  {"name": "first", "component": "sudo", "command": "echo one", "expect": "^one$"},
  {"name": "second", "component": "ntp", "command": "echo two", "expect": "^two$"},
  {"name": "third", "component": "shell", "command": "echo three", "expect": "^three$"}
]"#;

#[test]
fn a_failed_login_names_every_probe_it_left_out() {
    let case = Case::new(LOGIN_VM);
    let spec = case.spec(&format!(
        r#"{{"login": {{"user": "nixos", "password": "wrong"}}, "probes": {THREE_PROBES}}}"#
    ));
    let o = case.run(&["--timeout", "30", "--spec", &spec]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.report["verdict"], "fail");
    assert_eq!(o.report["kind"], "login-incorrect");
    assert_eq!(
        o.report["probes_not_run"],
        serde_json::json!(["sudo/first", "ntp/second", "shell/third"])
    );
    assert!(
        o.stderr
            .contains("  probes not run: 3 of the spec's: sudo/first, ntp/second, shell/third\n"),
        "{}",
        o.stderr
    );
}

#[test]
fn a_session_cut_short_names_the_probes_it_did_not_run() {
    // The guest's shell dies during the second probe (as a console that
    // hangs up would): the VM exits, the third probe never runs.
    let case = Case::new(LOGIN_VM);
    let spec = case.spec(&format!(
        r#"{{"login": {{"user": "nixos", "password": "secret"}}, "probes": {}}}"#,
        THREE_PROBES.replace("echo two", "kill -KILL $$")
    ));
    let junit = case.path("junit.xml");
    let o = case.run(&[
        "--timeout",
        "30",
        "--spec",
        &spec,
        "--junit",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.report["kind"], "vm-exited", "{}", o.report);
    assert_eq!(o.report["probes"][0]["passed"], true);
    assert_eq!(o.report["probes"][1]["passed"], false);
    assert_eq!(
        o.report["probes_not_run"],
        serde_json::json!(["shell/third"])
    );
    assert!(
        o.stderr
            .contains("  probes not run: 1 of the spec's: shell/third\n"),
        "{}",
        o.stderr
    );
    let verdict = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .arg("verdict")
        .arg(case.path("report.json"))
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&verdict.stdout);
    assert!(
        line.starts_with("boot check vm: FAIL vm-exited: ")
            && line.ends_with(" (1 probe not run)\n"),
        "{line}"
    );
    // The probe that never ran has a failed JUnit case of its own... unless
    // the report already has a result saying it was not run: one case each.
    let junit = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(junit.matches("name=\"third\"").count(), 1, "{junit}");
}

#[test]
fn every_probe_ran_nothing_is_named() {
    let case = Case::new(LOGIN_VM);
    let spec = case.spec(&format!(
        r#"{{"login": {{"user": "nixos", "password": "secret"}}, "probes": {THREE_PROBES}}}"#
    ));
    let o = case.run(&["--timeout", "30", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.report.get("probes_not_run").is_none(), "{}", o.report);
    assert!(!o.stderr.contains("not run"), "{}", o.stderr);
}

// --- the oxidation meter -------------------------------------------------------

/// A guest whose console says which init ran in each stage, then gives a
/// root shell (bash). Its processes are this machine's: the listing reads
/// the real /proc, and `root: "/"` lets the meter classify what it finds.
const OXIDATION_VM: &str = r#"
stty sane
echo "Linux version 6.12.0 (fake)"
echo "[    0.9] Run /init as init process"
echo "[    1.0] systemd[1]: systemd 259.1 running in system mode (+PAM +AUDIT)"
echo "[    1.1] systemd[1]: Running in initrd."
echo "[    4.0] systemd[1]: Switching root."
echo "[    4.5] systemd[1]: systemd-rs 0.1.0 running in system mode"
echo "my-host login: root (automatic login)"
export PS1='# '
exec bash --norc --noprofile -i
"#;

#[test]
fn the_oxidation_meter_lists_and_classifies_the_running_processes() {
    let case = Case::new(OXIDATION_VM);
    // bootcheck itself runs while it lists: a real Rust process.
    let spec = case.spec(
        r#"{"login": {"autologin": true}, "oxidation": {"root": "/", "require": [
              {"component": "checker", "process": "bootcheck"},
              {"component": "shell", "login_shell": true}]}}"#,
    );
    let junit = case.path("junit.xml");
    let o = case.run(&[
        "--timeout",
        "60",
        "--spec",
        &spec,
        "--junit",
        junit.to_str().unwrap(),
    ]);
    let x = &o.report["oxidation"];
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.report["kind"], "rust-missing", "{}", o.report);
    assert_eq!(x["read_as"], "root");
    let (rust, total) = (
        x["counts"]["rust"].as_u64().unwrap(),
        x["counts"]["processes"].as_u64().unwrap(),
    );
    assert!(rust >= 1 && total > rust, "{}", x["counts"]);
    assert_eq!(x["headline"], format!("Rust: {rust} of {total} processes"));
    // The login shell is the fake VM's bash: Debian's, C.
    let shell = x["login_shell"].as_u64().unwrap();
    let bash = x["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pid"] == shell)
        .unwrap();
    assert_eq!(bash["exe"], "/usr/bin/bash", "{bash}");
    assert_eq!(bash["language"], "c");
    assert!(bash["libraries"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l.as_str().unwrap().contains("/libc.so")));
    // The listing's own shell is left out, so is the kernel's threads.
    assert!(
        x["counts"]["listing"].as_u64().unwrap() >= 2,
        "{}",
        x["counts"]
    );
    let req = &x["requirements"];
    assert_eq!(req[0]["status"], "met", "{req}");
    assert_eq!(req[1]["status"], "unmet", "{req}");
    assert_eq!(
        req[1]["why"],
        format!("the login shell is bash (pid {shell}, c)")
    );
    // What the console said about each stage.
    assert_eq!(x["stage1"]["program"], "systemd 259.1");
    assert_eq!(x["stage2"]["program"], "systemd-rs 0.1.0");
    assert_eq!(x["init_lines"].as_array().unwrap().len(), 5);
    // The summary, the verdict line and JUnit.
    assert!(
        o.stderr.contains(&format!(
            "  oxidation: Rust: {rust} of {total} processes; PID 1 "
        )),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("    stage 1: systemd 259.1 (line 3); stage 2: systemd-rs 0.1.0 (line 6)\n"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("    FAIL shell must be Rust: the login shell: "),
        "{}",
        o.stderr
    );
    let junit = std::fs::read_to_string(&junit).unwrap();
    assert!(
        junit.contains(&format!(
            r#"<property name="oxidation.headline" value="Rust: {rust} of {total} processes"/>"#
        )),
        "{junit}"
    );
    assert!(junit.contains(r#"<property name="oxidation.stage2" value="systemd-rs 0.1.0"/>"#));
    assert!(
        junit.contains(r#"<testcase classname="oxidation.shell" name="the login shell is Rust""#)
    );
    let verdict = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .arg("verdict")
        .arg(case.path("report.json"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&verdict.stdout),
        format!(
            "boot check vm: FAIL rust missing: shell the login shell: the login shell is bash (pid {shell}, c)\n"
        )
    );
}

#[test]
fn without_a_root_only_store_paths_are_classified() {
    let case = Case::new(OXIDATION_VM);
    let spec = case.spec(r#"{"login": {"autologin": true}, "oxidation": {}}"#);
    let o = case.run(&["--timeout", "60", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let x = &o.report["oxidation"];
    let shell = x["login_shell"].as_u64().unwrap();
    let bash = x["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pid"] == shell)
        .unwrap();
    // /usr/bin/bash here may not be the guest's: it is not read.
    assert_eq!(bash["status"], "outside-store", "{bash}");
    assert!(bash["language"].is_null());
    assert!(
        x["counts"]["not_classified"]["outside the store"]
            .as_u64()
            .unwrap()
            >= 1
    );
    assert!(x["classified_from"]
        .as_str()
        .unwrap()
        .starts_with("this machine's /nix/store"));
}

#[test]
fn a_login_that_is_not_root_says_what_it_could_not_read() {
    let Ok(setpriv) = which("setpriv") else {
        eprintln!("skipped: setpriv not found (apt-get install util-linux)");
        return;
    };
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root to log in as nobody");
        return;
    }
    // The shell runs as nobody, whom sudo -n refuses: other users'
    // executables and maps cannot be read.
    let case = Case::new(&OXIDATION_VM.replace(
        "exec bash --norc --noprofile -i",
        &format!(
            "exec {setpriv} --reuid=65534 --regid=65534 --clear-groups bash --norc --noprofile -i"
        ),
    ));
    let spec = case.spec(r#"{"login": {"autologin": true}, "oxidation": {"root": "/"}}"#);
    let o = case.run(&["--timeout", "60", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let x = &o.report["oxidation"];
    assert_eq!(
        x["read_as"], "uid 65534: sudo -n refused, other users' processes could not be read",
        "{x}"
    );
    assert!(
        x["counts"]["not_classified"]["unreadable"]
            .as_u64()
            .unwrap()
            >= 1
    );
    // Its own processes it reads: the login shell.
    let shell = x["login_shell"].as_u64().unwrap();
    let own = x["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pid"] == shell)
        .unwrap();
    assert_eq!(own["language"], "c", "{own}");
    assert!(
        o.stderr.contains("    read as uid 65534: sudo -n refused"),
        "{}",
        o.stderr
    );
}

#[test]
fn the_meter_is_off_without_the_section_and_says_why_it_measured_nothing() {
    // Off: no listing typed, no section, the run ends at the prompt.
    let case = Case::new(OXIDATION_VM);
    let spec = case.spec(r#"{"login": {"autologin": true}}"#);
    let o = case.run(&["--timeout", "60", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.report.get("oxidation").is_none());
    assert!(!String::from_utf8_lossy(&case.log()).contains("o1 "));
    // On, but no way to log in: the init lines only.
    let case = Case::new(OXIDATION_VM);
    let spec = case.spec(r#"{"oxidation": {}}"#);
    let o = case.run(&["--timeout", "60", "--spec", &spec]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let x = &o.report["oxidation"];
    assert_eq!(
        x["not_measured"],
        "the spec has no login: the processes are listed in a shell"
    );
    assert_eq!(x["stage2"]["program"], "systemd-rs 0.1.0");
    assert!(o
        .stderr
        .contains("  oxidation: not measured: the spec has no login"));
}

#[test]
fn serial_socket_mode_reads_the_console_from_a_unix_socket() {
    let Ok(python) = which("python3") else {
        eprintln!("skipped: python3 not found (needed to fake a VM with a socket console)");
        return;
    };
    let case = Case::new(&format!(
        r#"exec {python} - "$PWD/console.sock" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1]); s.listen(1)
print("fake VM started, console on", sys.argv[1], flush=True)
c, _ = s.accept()
c.sendall(b"Linux version 6.12.0\r\n")
time.sleep(0.2)
c.sendall(b"vm login: ")
time.sleep(60)
PY"#
    ));
    let sock = case.path("console.sock");
    let o = case.run(&["--timeout", "20", "--serial-socket", sock.to_str().unwrap()]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert_eq!(o.report["kind"], "login-prompt");
    assert_eq!(
        o.report["vm_output"][0].as_str().unwrap().split(',').next(),
        Some("fake VM started")
    );
    assert!(!sock.exists(), "socket left behind");
}

#[test]
fn serial_socket_that_never_appears_is_reported() {
    let case = Case::new("echo 'qemu: cannot open socket'; exit 1");
    let sock = case.path("console.sock");
    let o = case.run(&["--timeout", "5", "--serial-socket", sock.to_str().unwrap()]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("before its serial socket"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("qemu: cannot open socket"),
        "{}",
        o.stderr
    );
}

fn which(name: &str) -> Result<String, ()> {
    let path = std::env::var_os("PATH").ok_or(())?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
        .ok_or(())
}

//! bootcheck on a real terminal, driven with rexpect: the live status line,
//! and `--keep` handing the VM's console to the user after a pass.

use rexpect::session::spawn_command;
use std::os::unix::fs::PermissionsExt;
use std::process::Command;

/// Terminal tests need a pty; some build sandboxes have none.
fn pty_available() -> bool {
    if std::fs::metadata("/dev/ptmx").is_ok() && nix_pty_opens() {
        return true;
    }
    eprintln!("skipped: no pty can be opened here (/dev/ptmx)");
    false
}

fn nix_pty_opens() -> bool {
    // SAFETY: posix_openpt has no preconditions; the fd is closed at once.
    let fd = unsafe { libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY) };
    if fd < 0 {
        return false;
    }
    unsafe { libc::close(fd) };
    true
}

fn fake_vm(dir: &std::path::Path, script: &str) -> std::path::PathBuf {
    let bash = std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("bash"))
                .find(|p| p.is_file())
        })
        .expect("bash on PATH");
    let path = dir.join("vm");
    std::fs::write(&path, format!("#!{}\n{script}\n", bash.display())).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn status_line_is_live_when_stderr_is_a_terminal() {
    if !pty_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vm = fake_vm(
        dir.path(),
        r#"echo "Linux version 6.12.0"
for i in 1 2 3 4 5 6; do echo "[    $i.000000] starting unit number $i"; sleep 0.2; done
printf 'nixos login: '; sleep 60"#,
    );
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bootcheck"));
    cmd.args(["run", "--timeout", "30", "--"]).arg(&vm);
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    // The status line: elapsed time, phase and the last console line,
    // redrawn in place (carriage return + erase line).
    p.exp_regex(
        r"\r\x1b\[2K\[ *[0-9]+\.[0-9]s\] boot +\| \[ +[0-9]\.000000\] starting unit number",
    )
    .unwrap();
    p.exp_string("bootcheck: PASS (login-prompt)").unwrap();
    p.exp_eof().unwrap();
}

#[test]
fn keep_attaches_the_console_after_pass_and_ctrl_bracket_detaches() {
    if !pty_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let vm = fake_vm(
        dir.path(),
        // Like a guest's tty: CR typed on the user's terminal ends a line.
        r#"stty sane
echo "Linux version 6.12.0"
printf 'nixos login: '
while IFS= read -r line; do echo "guest heard: $line"; done"#,
    );
    let report = dir.path().join("report.json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bootcheck"));
    cmd.args(["run", "--keep", "--timeout", "60", "--report"])
        .arg(&report)
        .arg("--")
        .arg(&vm);
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_string("console attached").unwrap();
    // The report is already written when the console is handed over.
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["verdict"], "pass");
    p.send("hello vm\r").unwrap();
    p.flush().unwrap();
    p.exp_string("guest heard: hello vm").unwrap();
    p.send_control(']').unwrap();
    p.exp_string("detached; stopping the VM").unwrap();
    p.exp_eof().unwrap();
    let code = p.process().wait().unwrap();
    assert_eq!(
        format!("{code:?}").split(',').next_back(),
        Some(" 0)"),
        "{code:?}"
    );
}

/// `scan` of a failing log on a terminal, with `env` set; everything it
/// printed.
fn summary_on_a_terminal(env: &[(&str, &str)]) -> String {
    let log =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kernel-panic.log");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_bootcheck"));
    cmd.arg("scan")
        .arg(&log)
        .env("TERM", "xterm")
        .env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    p.exp_eof().unwrap()
}

#[test]
fn the_verdict_is_coloured_on_a_terminal_unless_no_color_is_set() {
    if !pty_available() {
        return;
    }
    let red = "\x1b[1;31mbootcheck: FAIL (kernel-panic) log: kernel-panic at line 5\x1b[0m";
    let out = summary_on_a_terminal(&[]);
    assert!(out.contains(red), "{out:?}");
    // Only the verdict line: the console text after it is not coloured.
    assert_eq!(out.matches('\x1b').count(), 2, "{out:?}");
    for env in [[("NO_COLOR", "1")], [("TERM", "dumb")]] {
        let out = summary_on_a_terminal(&env);
        assert!(
            out.contains("bootcheck: FAIL (kernel-panic)"),
            "{env:?}: {out:?}"
        );
        assert!(!out.contains('\x1b'), "{env:?}: {out:?}");
    }
    // An empty NO_COLOR does not count (no-color.org).
    assert!(summary_on_a_terminal(&[("NO_COLOR", "")]).contains(red));
}

#[test]
fn no_colour_when_stderr_is_not_a_terminal() {
    let log =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kernel-panic.log");
    let out = Command::new(env!("CARGO_BIN_EXE_bootcheck"))
        .arg("scan")
        .arg(&log)
        .env("TERM", "xterm")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("bootcheck: FAIL (kernel-panic)"), "{err:?}");
    assert!(!err.contains('\x1b'), "{err:?}");
}

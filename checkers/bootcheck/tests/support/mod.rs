//! Helpers for the QEMU boot stories in `qemu_boots.rs`: run the real
//! bootcheck binary with every output switched on, read back what it wrote,
//! and look for QEMU processes a test started.
//!
//! The guest itself (kernel, busybox initramfs, QEMU arguments) comes from
//! `tests/guest`, shared with `real_boots.rs`.

use crate::guest::{self, Cpio};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A name no other QEMU on this machine has: `-name bootcheck-test-<story>-<random>`.
/// It ends up in QEMU's command line, so `/proc/*/cmdline` finds the process.
pub fn vm_name(story: &str) -> String {
    let mut bytes = [0u8; 6];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .expect("/dev/urandom readable");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("bootcheck-test-{story}-{hex}")
}

/// Where bootcheck writes its outputs for one boot.
pub struct Outputs {
    pub report: PathBuf,
    pub log: PathBuf,
    pub junit: PathBuf,
}

impl Outputs {
    pub fn in_dir(dir: &Path) -> Self {
        Outputs {
            report: dir.join("report.json"),
            log: dir.join("serial.log"),
            junit: dir.join("junit.xml"),
        }
    }
}

/// What one `bootcheck run` left behind.
pub struct Run {
    pub code: i32,
    pub report: serde_json::Value,
    pub log: Vec<u8>,
    pub junit: String,
    pub stderr: String,
    pub took: Duration,
}

impl Run {
    /// The serial log as text (lossy), for `contains` checks.
    pub fn log_text(&self) -> String {
        String::from_utf8_lossy(&self.log).into_owned()
    }

    /// `report[field]` as a string, or "" (so a missing field fails the
    /// assertion that uses it, with the report printed).
    pub fn str(&self, pointer: &str) -> &str {
        self.report
            .pointer(pointer)
            .and_then(|v| v.as_str())
            .unwrap_or("")
    }

    /// Everything needed to understand a failed assertion.
    pub fn explain(&self) -> String {
        format!(
            "exit code {} after {:?}\n--- report ---\n{}\n--- stderr ---\n{}",
            self.code,
            self.took,
            serde_json::to_string_pretty(&self.report).unwrap_or_default(),
            self.stderr
        )
    }

    /// The report, the raw log and the JUnit file were all written, and the
    /// report describes the log that was written.
    pub fn assert_outputs_written(&self) {
        assert!(
            self.report.is_object(),
            "no JSON report was written\n{}",
            self.explain()
        );
        assert!(!self.log.is_empty(), "the serial log is empty");
        assert_eq!(
            self.report["bytes"].as_u64(),
            Some(self.log.len() as u64),
            "the report's byte count differs from the log's size\n{}",
            self.explain()
        );
        assert!(
            self.junit.contains("<testsuite") && self.junit.contains("</testsuite>"),
            "no JUnit XML was written: {:?}",
            self.junit
        );
    }
}

fn bootcheck_command(out: &Outputs, args: &[&str], vm: &[String]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bootcheck"));
    c.arg("run")
        .arg("--report")
        .arg(&out.report)
        .arg("--log")
        .arg(&out.log)
        .arg("--junit")
        .arg(&out.junit)
        .args(args)
        .arg("--")
        .args(vm)
        .stdin(Stdio::null());
    c
}

fn collect(out: &Outputs, code: i32, stderr: String, took: Duration) -> Run {
    let report = std::fs::read_to_string(&out.report)
        .map(|t| serde_json::from_str(&t).expect("the report is JSON"))
        .unwrap_or(serde_json::Value::Null);
    Run {
        code,
        report,
        log: std::fs::read(&out.log).unwrap_or_default(),
        junit: std::fs::read_to_string(&out.junit).unwrap_or_default(),
        stderr,
        took,
    }
}

/// `bootcheck run --report --log --junit ARGS -- VM...` to its end.
pub fn bootcheck(dir: &Path, args: &[&str], vm: &[String]) -> Run {
    let out = Outputs::in_dir(dir);
    let start = Instant::now();
    let o = bootcheck_command(&out, args, vm)
        .output()
        .expect("bootcheck starts");
    eprintln!(
        "bootcheck exited with {:?} after {:.1?}",
        o.status.code(),
        start.elapsed()
    );
    collect(
        &out,
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).into_owned(),
        start.elapsed(),
    )
}

/// A bootcheck running in the background, for tests that act on it.
pub struct Running {
    child: Child,
    out: Outputs,
    start: Instant,
}

impl Running {
    pub fn start(dir: &Path, args: &[&str], vm: &[String]) -> Self {
        let out = Outputs::in_dir(dir);
        let child = bootcheck_command(&out, args, vm)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bootcheck starts");
        Running {
            child,
            out,
            start: Instant::now(),
        }
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Wait until the serial log contains `text`; false after `limit`.
    pub fn wait_for_log(&mut self, text: &str, limit: Duration) -> bool {
        let until = Instant::now() + limit;
        while Instant::now() < until {
            let log = std::fs::read(&self.out.log).unwrap_or_default();
            if String::from_utf8_lossy(&log).contains(text) {
                return true;
            }
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return false;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    }

    pub fn finish(mut self) -> Run {
        let mut stderr = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut stderr);
        }
        let status = self.child.wait().expect("bootcheck is reaped");
        collect(
            &self.out,
            status.code().unwrap_or(-1),
            stderr,
            self.start.elapsed(),
        )
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // A failed assertion must not leave bootcheck (and its QEMU) behind:
        // SIGTERM lets bootcheck stop QEMU; SIGKILL only if it does not exit.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(self.pid()),
                nix::sys::signal::Signal::SIGTERM,
            );
            let until = Instant::now() + Duration::from_secs(10);
            while Instant::now() < until && matches!(self.child.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// QEMU processes still running under `name` (bootcheck's own command line
/// also names it, so call this once bootcheck has exited).
pub fn processes_named(name: &str) -> Vec<i32> {
    guest::processes_with(name)
}

/// True when `binary` is uutils' multicall `coreutils` (Debian's GNU
/// coreutils has no binary of that name, but a stray one might exist).
pub fn is_uutils(binary: &Path) -> bool {
    Command::new(binary)
        .arg("--help")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("multi-call binary"))
        .unwrap_or(false)
}

/// Accounts for a password login: `root` and `tester` (uid 1000), both
/// with the same password, hashed (SHA-512 crypt) by the host's `openssl`
/// because busybox `login` checks /etc/shadow like any Linux login.
pub struct Users {
    shadow: String,
}

impl Users {
    /// `None`, with `skipped:` printed, when there is no openssl.
    pub fn with_password(password: &str) -> Option<Users> {
        let Some(hash) = guest::password_hash(password) else {
            eprintln!(
                "skipped: openssl not found (it hashes the guest's password; apt-get install openssl)"
            );
            return None;
        };
        Some(Users {
            shadow: format!("root:{hash}:19000:0:99999:7:::\ntester:{hash}:19000:0:99999:7:::\n"),
        })
    }

    pub fn add_to(&self, c: &mut Cpio) {
        c.file(
            "/etc/passwd",
            0o644,
            b"root:x:0:0:root:/root:/bin/sh\ntester:x:1000:1000:tester:/home:/bin/sh\n",
        );
        c.file("/etc/group", 0o644, b"root:x:0:\ntester:x:1000:\n");
        c.file("/etc/shadow", 0o600, self.shadow.as_bytes());
    }
}

//! A tiny Linux guest for real boots: Debian's kernel (linux-image-amd64)
//! and an initramfs made here from busybox-static, with a chosen /init.
//! Nothing is downloaded and no image is committed: the archive is written
//! into the test's temporary directory from the host's packages.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a real boot cannot run here, or the tools it needs.
pub struct Host {
    pub qemu: PathBuf,
    pub kernel: PathBuf,
    pub busybox: PathBuf,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

impl Host {
    /// The tools, or `skipped: <why>` printed and `None`.
    pub fn find() -> Option<Host> {
        let skip = |why: &str| {
            eprintln!("skipped: {why}");
            None
        };
        let Some(qemu) = on_path("qemu-system-x86_64") else {
            return skip("qemu-system-x86_64 not found (apt-get install qemu-system-x86)");
        };
        let mut kernels: Vec<PathBuf> = std::fs::read_dir("/boot")
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        p.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with("vmlinuz-"))
                    })
                    .collect()
            })
            .unwrap_or_default();
        kernels.sort();
        let Some(kernel) = kernels.pop() else {
            return skip("no kernel in /boot (apt-get install linux-image-amd64)");
        };
        if std::fs::File::open(&kernel).is_err() {
            return skip("the kernel in /boot is not readable (run as root)");
        }
        let busybox = PathBuf::from("/bin/busybox");
        let is_static = Command::new("file")
            .arg("-L")
            .arg(&busybox)
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).contains("statically linked"))
            .unwrap_or(busybox.exists());
        if !busybox.exists() || !is_static {
            return skip("static busybox not found (apt-get install busybox-static)");
        }
        Some(Host {
            qemu,
            kernel,
            busybox,
        })
    }

    /// QEMU arguments for a boot: software emulation, serial console on
    /// stdio, no reboot, a name to find the process by.
    pub fn qemu_args(&self, initrd: Option<&Path>, append: &str, name: &str) -> Vec<String> {
        let mut a = vec![
            self.qemu.display().to_string(),
            "-name".into(),
            name.into(),
            "-accel".into(),
            "tcg".into(),
            "-m".into(),
            "256".into(),
            "-display".into(),
            "none".into(),
            "-monitor".into(),
            "none".into(),
            "-serial".into(),
            "stdio".into(),
            "-no-reboot".into(),
            "-kernel".into(),
            self.kernel.display().to_string(),
        ];
        if let Some(i) = initrd {
            a.push("-initrd".into());
            a.push(i.display().to_string());
        }
        a.push("-append".into());
        a.push(format!("console=ttyS0,115200 {append}"));
        a
    }
}

/// A cpio "newc" archive, the format the kernel unpacks as initramfs.
pub struct Cpio {
    out: Vec<u8>,
    ino: u32,
}

impl Cpio {
    pub fn new() -> Self {
        Cpio {
            out: Vec::new(),
            ino: 1,
        }
    }

    fn entry(&mut self, name: &str, mode: u32, data: &[u8]) {
        let name = name.trim_start_matches('/');
        let header = format!(
            "070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}",
            self.ino,
            mode,
            0,
            0,
            1,
            0,
            data.len(),
            0,
            0,
            0,
            0,
            name.len() + 1,
            0
        );
        self.ino += 1;
        self.out.extend_from_slice(header.as_bytes());
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(0);
        self.pad();
        self.out.extend_from_slice(data);
        self.pad();
    }

    fn pad(&mut self) {
        while !self.out.len().is_multiple_of(4) {
            self.out.push(0);
        }
    }

    pub fn dir(&mut self, name: &str) -> &mut Self {
        self.entry(name, 0o040755, &[]);
        self
    }

    pub fn file(&mut self, name: &str, mode: u32, data: &[u8]) -> &mut Self {
        self.entry(name, 0o100000 | mode, data);
        self
    }

    pub fn symlink(&mut self, name: &str, target: &str) -> &mut Self {
        self.entry(name, 0o120777, target.as_bytes());
        self
    }

    /// A host file at the same path in the guest, with its parent dirs.
    pub fn host_file(&mut self, path: &Path) -> &mut Self {
        let mut parents: Vec<&Path> = path.ancestors().skip(1).collect();
        parents.reverse();
        for p in parents {
            let s = p.display().to_string();
            if s != "/" && !s.is_empty() {
                self.dir(&s);
            }
        }
        let data = std::fs::read(path).expect("host file readable");
        self.file(&path.display().to_string(), 0o755, &data)
    }

    pub fn write(mut self, path: &Path) {
        self.entry("TRAILER!!!", 0, &[]);
        let mut f = std::fs::File::create(path).unwrap();
        f.write_all(&self.out).unwrap();
    }
}

/// The applets the guests use, as links to busybox.
const APPLETS: &[&str] = &[
    "sh", "mount", "hostname", "getty", "login", "sleep", "echo", "cat", "uname", "setsid", "ls",
    "id", "true", "false", "tty", "stty", "poweroff",
];

/// An initramfs with busybox and `init` as /init. `extra` adds files.
pub fn initramfs(host: &Host, dir: &Path, init: &str, extra: impl FnOnce(&mut Cpio)) -> PathBuf {
    let mut c = Cpio::new();
    for d in [
        "/bin", "/dev", "/proc", "/sys", "/etc", "/tmp", "/root", "/home",
    ] {
        c.dir(d);
    }
    c.file(
        "/bin/busybox",
        0o755,
        &std::fs::read(&host.busybox).expect("busybox readable"),
    );
    for a in APPLETS {
        c.symlink(&format!("/bin/{a}"), "busybox");
    }
    c.file("/init", 0o755, format!("#!/bin/sh\n{init}\n").as_bytes());
    c.file("/etc/issue", 0o644, b"bootcheck test guest\n\n");
    extra(&mut c);
    let path = dir.join("initrd.cpio");
    c.write(&path);
    path
}

/// `/init` prelude: filesystems, hostname.
pub const PRELUDE: &str = "export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
hostname testvm";

/// A SHA-512 crypt hash for /etc/shadow, made with the host's openssl.
pub fn password_hash(password: &str) -> Option<String> {
    let out = Command::new("openssl")
        .args(["passwd", "-6", "-salt", "bootchecksalt", password])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The shared libraries `ldd` reports for a host binary, and its loader.
pub fn shared_libraries(binary: &Path) -> Vec<PathBuf> {
    let out = Command::new("ldd").arg(binary).output().expect("ldd runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with('/'))
                .map(PathBuf::from)
        })
        .collect()
}

/// The uutils multicall binary from crates.io (`cargo install coreutils`):
/// on PATH, or in `$HOME/.cargo/bin`.
pub fn uutils_coreutils() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join("coreutils"))
            .find(|p| p.is_file())
    });
    on_path.or_else(|| {
        let p = PathBuf::from(std::env::var_os("HOME")?).join(".cargo/bin/coreutils");
        p.is_file().then_some(p)
    })
}

/// Processes whose command line contains `marker` (to prove none is left).
pub fn processes_with(marker: &str) -> Vec<i32> {
    let mut found = Vec::new();
    for e in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if let Ok(cmd) = std::fs::read(e.path().join("cmdline")) {
            if String::from_utf8_lossy(&cmd).contains(marker) {
                found.push(pid);
            }
        }
    }
    found
}

/// `tests/guest/rust_fail.rs`, a Rust program that fails in the ways real
/// Rust programs fail, built statically (glibc, `crt-static`) with the
/// `rustc` at hand into `dir`, or `skipped: <why>` printed and `None`.
///
/// It is compiled from its own directory under its plain file name, so the
/// panic locations it prints (`rust_fail.rs:LINE:COL`) do not depend on
/// where the checkout is.
pub fn rust_program(dir: &Path) -> Option<PathBuf> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = dir.join("rust-fail");
    let built = Command::new(&rustc)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/guest"))
        .args([
            "--edition",
            "2021",
            "-O",
            "-C",
            "target-feature=+crt-static",
            "--crate-name",
            "rust_fail",
            "rust_fail.rs",
            "-o",
        ])
        .arg(&out)
        .output();
    match built {
        Ok(o) if o.status.success() => Some(out),
        Ok(o) => {
            eprintln!(
                "skipped: cannot build a static Rust program here (glibc's static libraries missing?):\n{}",
                String::from_utf8_lossy(&o.stderr)
            );
            None
        }
        Err(e) => {
            eprintln!("skipped: rustc not found ({e})");
            None
        }
    }
}

/// Line `number` (from 1) of `tests/guest/rust_fail.rs`, to check that a
/// reported panic location points at the failing call.
#[allow(dead_code)] // used by rust_programs.rs only
pub fn rust_program_line(number: usize) -> String {
    let src = include_str!("rust_fail.rs");
    src.lines().nth(number - 1).unwrap_or("").to_string()
}

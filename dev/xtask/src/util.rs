//! Small things every stage needs: running a command and reading what it
//! said, Nix's first error line, copying trees, this machine's kernel.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What a command did.
#[derive(Debug, Clone, Default)]
pub struct Ran {
    pub ok: bool,
    /// Exit code, or none when a signal (or the time limit) ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    /// Exit code or signal, in words.
    pub fn status(&self) -> String {
        match self.code {
            Some(c) => format!("exit {c}"),
            None => "killed".into(),
        }
    }

    /// Nix's first error line, or the status when there is none.
    pub fn why(&self) -> String {
        let e = first_error(&self.stderr);
        if e.is_empty() {
            let last = self.stderr.lines().rev().find(|l| !l.trim().is_empty());
            match last {
                Some(l) => format!("{}: {}", self.status(), l.trim()),
                None => self.status(),
            }
        } else {
            e
        }
    }
}

/// Runs `cmd` to its end, its output captured.
pub fn run(cmd: &mut Command) -> Ran {
    match cmd.stdin(Stdio::null()).output() {
        Ok(o) => Ran {
            ok: o.status.success(),
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        },
        Err(e) => Ran {
            stderr: format!("{}: {e}", cmd.get_program().to_string_lossy()),
            ..Ran::default()
        },
    }
}

/// Runs `cmd` with its output shown as it comes; whether it succeeded.
pub fn run_shown(cmd: &mut Command) -> Ran {
    match cmd.stdin(Stdio::null()).status() {
        Ok(s) => Ran {
            ok: s.success(),
            code: s.code(),
            ..Ran::default()
        },
        Err(e) => Ran {
            stderr: format!("{}: {e}", cmd.get_program().to_string_lossy()),
            ..Ran::default()
        },
    }
}

/// Runs `cmd`, killing it and what it started after `limit`; output
/// captured.
pub fn run_for(cmd: &mut Command, limit: Duration) -> Ran {
    use std::os::unix::process::CommandExt;
    let spawned = cmd
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match spawned {
        Ok(c) => c,
        Err(e) => {
            return Ran {
                stderr: format!("{}: {e}", cmd.get_program().to_string_lossy()),
                ..Ran::default()
            }
        }
    };
    // Read both pipes on threads, so a full pipe does not stall the child.
    let reader = |r: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut r) = r {
                let _ = r.read_to_end(&mut buf);
            }
            String::from_utf8_lossy(&buf).into_owned()
        })
    };
    let out = reader(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = reader(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break Some(s),
            Ok(None) if start.elapsed() >= limit => {
                timed_out = true;
                // Its process group: the children hold the pipes too.
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .status();
                let _ = child.kill();
                break child.wait().ok();
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(_) => break None,
        }
    };
    let mut stderr = err.join().unwrap_or_default();
    if timed_out {
        stderr.push_str(&format!("\nerror: no answer within {} s", limit.as_secs()));
    }
    Ran {
        ok: !timed_out && status.is_some_and(|s| s.success()),
        code: if timed_out {
            None
        } else {
            status.and_then(|s| s.code())
        },
        stdout: out.join().unwrap_or_default(),
        stderr,
    }
}

/// Text without terminal colour codes.
pub fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            chars.next();
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The first line of Nix's error that says something: the text after
/// `error:`, or (Nix 2.8 puts a multi-line message on the lines after a
/// bare `error:`) the first non-blank line after it. Empty when there is
/// no `error:` line.
pub fn first_error(stderr: &str) -> String {
    let text = strip_ansi(stderr);
    let mut found = false;
    for line in text.lines() {
        if !found {
            if let Some(rest) = line.strip_prefix("error:") {
                found = true;
                let rest = rest.trim();
                if !rest.is_empty() {
                    return rest.to_string();
                }
            }
        } else if !line.trim().is_empty() {
            return line.trim().to_string();
        }
    }
    String::new()
}

/// The last `n` lines of a text.
pub fn tail(text: &str, n: usize) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].to_vec()
}

/// A program on PATH.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(program))
        .find(|p| is_executable(p))
}

pub fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Copies the tree at `from` to `to` (created), links as links; every
/// copy is writable by its owner (store paths are not).
pub fn copy_tree(from: &Path, to: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    std::fs::create_dir_all(to).map_err(|e| err(to, e))?;
    for entry in std::fs::read_dir(from).map_err(|e| err(from, e))? {
        let entry = entry.map_err(|e| err(from, e))?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().map_err(|e| err(&src, e))?;
        if kind.is_dir() {
            copy_tree(&src, &dst)?;
        } else if kind.is_symlink() {
            let target = std::fs::read_link(&src).map_err(|e| err(&src, e))?;
            std::os::unix::fs::symlink(target, &dst).map_err(|e| err(&dst, e))?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| err(&src, e))?;
            let mut perm = std::fs::metadata(&dst)
                .map_err(|e| err(&dst, e))?
                .permissions();
            perm.set_mode(perm.mode() | 0o200);
            std::fs::set_permissions(&dst, perm).map_err(|e| err(&dst, e))?;
        }
    }
    Ok(())
}

/// Whether the file at `path` (links followed) is an ELF executable with
/// no program interpreter: statically linked.
pub fn is_static_elf(path: &Path) -> bool {
    std::fs::read(path).is_ok_and(|b| elf_is_static(&b))
}

/// `is_static_elf` on the bytes: a 64-bit little-endian ELF whose program
/// headers have no PT_INTERP.
pub fn elf_is_static(b: &[u8]) -> bool {
    const PT_INTERP: u32 = 3;
    let u16_at = |o: usize| b.get(o..o + 2).map(|s| u16::from_le_bytes([s[0], s[1]]));
    let u32_at = |o: usize| {
        b.get(o..o + 4)
            .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    };
    let u64_at = |o: usize| {
        b.get(o..o + 8).map(|s| {
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            u64::from_le_bytes(a)
        })
    };
    // ELFCLASS64, little-endian.
    if b.get(..6) != Some(&[0x7f, b'E', b'L', b'F', 2, 1][..]) {
        return false;
    }
    let (Some(phoff), Some(phentsize), Some(phnum)) = (u64_at(0x20), u16_at(0x36), u16_at(0x38))
    else {
        return false;
    };
    let Ok(phoff) = usize::try_from(phoff) else {
        return false;
    };
    (0..usize::from(phnum))
        .all(|i| u32_at(phoff + i * usize::from(phentsize)).is_some_and(|t| t != PT_INTERP))
}

/// Compares names as `sort -V` does, near enough for kernel file names:
/// runs of digits by value, the rest by bytes.
pub fn version_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (pa, pb) = (parts(a), parts(b));
    for (x, y) in pa.iter().zip(&pb) {
        let o = match (x, y) {
            ((true, x), (true, y)) => {
                let (x, y) = (x.trim_start_matches('0'), y.trim_start_matches('0'));
                x.len().cmp(&y.len()).then(x.cmp(y))
            }
            ((_, x), (_, y)) => x.cmp(y),
        };
        if o.is_ne() {
            return o;
        }
    }
    pa.len().cmp(&pb.len())
}

/// The newest kernel in /boot (`vmlinuz-*`, by version).
pub fn newest_kernel() -> Option<PathBuf> {
    let mut names: Vec<String> = std::fs::read_dir("/boot")
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("vmlinuz-"))
        .collect();
    names.sort_by(|a, b| version_cmp(a, b));
    names.pop().map(|n| Path::new("/boot").join(n))
}

/// Whether a file can be opened for reading.
pub fn readable(p: &Path) -> bool {
    std::fs::File::open(p).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nix_first_error_line() {
        let one =
            "warning: Git tree is dirty\nerror: attribute 'x' missing\n\n       at /f.nix:1:1\n";
        assert_eq!(first_error(one), "attribute 'x' missing");
        // Nix 2.8: a bare `error:` and the message on the next lines.
        let multi =
            "\u{1b}[31;1merror:\u{1b}[0m\n       … while evaluating\n\n       the message\n";
        assert_eq!(first_error(multi), "… while evaluating");
        assert_eq!(first_error("warning: only\n"), "");
    }

    #[test]
    fn why_falls_back_to_the_last_line() {
        let r = Ran {
            code: Some(1),
            stderr: "a\nbuild failed\n\n".into(),
            ..Ran::default()
        };
        assert_eq!(r.why(), "exit 1: build failed");
        assert_eq!(Ran::default().why(), "killed");
    }

    #[test]
    fn a_command_past_its_time_is_killed() {
        let start = Instant::now();
        let r = run_for(
            Command::new("sh").args(["-c", "echo out; sleep 30"]),
            Duration::from_millis(300),
        );
        assert!(start.elapsed() < Duration::from_secs(10));
        assert!(!r.ok);
        assert_eq!(r.code, None);
        assert_eq!(r.stdout, "out\n");
        assert!(r.stderr.ends_with("no answer within 0 s"), "{}", r.stderr);
        let r = run_for(
            Command::new("sh").args(["-c", "echo e >&2; exit 3"]),
            Duration::from_secs(30),
        );
        assert_eq!((r.ok, r.code, r.stderr.as_str()), (false, Some(3), "e\n"));
    }

    #[test]
    fn kernels_sort_by_version() {
        let mut k = vec![
            "vmlinuz-6.10.0-1-amd64",
            "vmlinuz-6.9.2-amd64",
            "vmlinuz-6.1.0-57-amd64",
        ];
        k.sort_by(|a, b| version_cmp(a, b));
        assert_eq!(
            k,
            [
                "vmlinuz-6.1.0-57-amd64",
                "vmlinuz-6.9.2-amd64",
                "vmlinuz-6.10.0-1-amd64"
            ]
        );
    }

    #[test]
    fn static_and_dynamic_elf() {
        // This test binary is dynamically linked (it has an interpreter).
        let me = std::env::current_exe().unwrap();
        assert!(!is_static_elf(&me));
        // A minimal ELF64 header with one PT_LOAD program header.
        let mut b = vec![0u8; 64 + 56];
        b[..6].copy_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1]);
        b[0x20..0x28].copy_from_slice(&64u64.to_le_bytes());
        b[0x36..0x38].copy_from_slice(&56u16.to_le_bytes());
        b[0x38..0x3a].copy_from_slice(&1u16.to_le_bytes());
        b[64..68].copy_from_slice(&1u32.to_le_bytes());
        assert!(elf_is_static(&b));
        b[64..68].copy_from_slice(&3u32.to_le_bytes());
        assert!(!elf_is_static(&b));
        assert!(!elf_is_static(b"#!/bin/sh\n"));
    }

    #[test]
    fn copies_a_tree_writable() {
        use std::os::unix::fs::PermissionsExt;
        let d = tempfile::tempdir().unwrap();
        let src = d.path().join("src");
        std::fs::create_dir_all(src.join("a/b")).unwrap();
        std::fs::write(src.join("a/b/f"), "x").unwrap();
        std::fs::set_permissions(src.join("a/b/f"), std::fs::Permissions::from_mode(0o444))
            .unwrap();
        std::os::unix::fs::symlink("b/f", src.join("a/l")).unwrap();
        let dst = d.path().join("dst");
        copy_tree(&src, &dst).unwrap();
        assert_eq!(std::fs::read_to_string(dst.join("a/l")).unwrap(), "x");
        assert_eq!(
            std::fs::read_link(dst.join("a/l")).unwrap(),
            Path::new("b/f")
        );
        let mode = std::fs::metadata(dst.join("a/b/f"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
}

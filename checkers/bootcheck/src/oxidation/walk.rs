//! From the command line's paths to the files to classify, and the
//! classification of many files on all cores.
//!
//! A file is itself. A directory (a Nix store path, `/usr`, a package's
//! output) is followed into `bin/`, `sbin/`, `lib/` and `libexec/` when it
//! has any of them, else walked itself; walks recurse, never through a
//! symlinked directory. Files met on a walk that are neither ELF nor `#!`
//! nor executable (headers, Python sources, data), and ELF files that are
//! neither executables nor libraries (`crt1.o`), are counted, not listed.

use super::{Classifier, Content, Entry};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The subdirectories a directory is followed into.
pub const PROGRAM_DIRS: [&str; 4] = ["bin", "sbin", "lib", "libexec"];

/// A file to classify.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Named on the command line (always listed), not met on a walk.
    pub explicit: bool,
    /// Why it could not be walked (an unreadable directory).
    pub error: Option<String>,
}

/// The files under one path. `closure`: a store path of a closure, whose
/// symlinks are left out (its files are counted where they live) and
/// which, when a single file, is listed only if it is a program.
pub fn expand(root: &Path, closure: bool) -> Vec<Found> {
    let skip_symlinks = closure;
    let explicit = || {
        vec![Found {
            path: root.to_path_buf(),
            explicit: !closure,
            error: None,
        }]
    };
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => {}
        _ => return explicit(),
    }
    let subdirs: Vec<PathBuf> = PROGRAM_DIRS
        .iter()
        .map(|d| root.join(d))
        .filter(|d| d.is_dir())
        .collect();
    let starts = if subdirs.is_empty() {
        vec![root.to_path_buf()]
    } else {
        subdirs
    };
    let mut out = Vec::new();
    for s in starts {
        walk(&s, skip_symlinks, &mut out);
    }
    out
}

fn walk(dir: &Path, skip_symlinks: bool, out: &mut Vec<Found>) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            // An unreadable directory is an entry of its own.
            out.push(Found {
                path: dir.to_path_buf(),
                explicit: true,
                error: Some(format!("cannot read directory: {e}")),
            });
            return;
        }
    };
    let mut names: Vec<_> = rd.filter_map(|e| e.ok()).collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let path = e.path();
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, skip_symlinks, out);
        } else if ft.is_symlink() {
            if skip_symlinks {
                continue;
            }
            // A link to a directory is not walked; a broken one is listed.
            match std::fs::metadata(&path) {
                Ok(m) if m.is_dir() => {}
                Ok(_) => out.push(Found {
                    path,
                    explicit: false,
                    error: None,
                }),
                Err(_) => out.push(Found {
                    path,
                    explicit: true,
                    error: None,
                }),
            }
        } else if ft.is_file() {
            out.push(Found {
                path,
                explicit: false,
                error: None,
            });
        }
    }
}

/// Classifies `found` on `threads` threads. Returns the entries in the
/// order of `found`, without the walked files that are not programs, and
/// how many were left out.
pub fn classify_all(c: &Classifier, found: &[Found], threads: usize) -> (Vec<Entry>, u64) {
    let slots = classify_slots(c, found, threads);
    let skipped = slots.iter().filter(|s| s.is_none()).count() as u64;
    (slots.into_iter().flatten().collect(), skipped)
}

/// One slot per file of `found`, in its order: `None` for a walked file
/// that is not a program.
pub fn classify_slots(c: &Classifier, found: &[Found], threads: usize) -> Vec<Option<Entry>> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Option<Entry>)>> = Mutex::new(Vec::with_capacity(found.len()));
    std::thread::scope(|s| {
        for _ in 0..threads.max(1) {
            s.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(f) = found.get(i) else { break };
                    mine.push((i, classify_one(c, f)));
                }
                results
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(mine);
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, e)| e).collect()
}

/// `None` for a walked file that is not a program.
fn classify_one(c: &Classifier, f: &Found) -> Option<Entry> {
    if let Some(e) = &f.error {
        let mut entry = Entry::new(&f.path);
        entry.error = Some(e.clone());
        return Some(entry);
    }
    if !f.explicit {
        if let Ok(real) = std::fs::canonicalize(&f.path) {
            match c.own(&real).content {
                Content::Data { executable: false } => return None,
                // Relocatable objects (crt1.o) and core files in lib/.
                Content::Elf {
                    kind: super::Kind::Other,
                    ..
                } => return None,
                _ => {}
            }
        }
    }
    Some(c.classify(&f.path))
}

/// The name of a store path: `/nix/store/<hash>-NAME` gives NAME; any
/// other path its file name.
pub fn store_name(path: &str) -> String {
    let base = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    match base.split_once('-') {
        Some((hash, name))
            if hash.len() == 32 && hash.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            name.to_string()
        }
        _ => base.to_string(),
    }
}

/// A store name without its version: `bash-interactive-5.2p37` gives
/// `bash-interactive` (the first `-` followed by a digit starts the version).
pub fn pname(name: &str) -> &str {
    let b = name.as_bytes();
    (0..b.len())
        .find(|&i| b[i] == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        .map_or(name, |i| &name[..i])
}

/// The commands on a system's PATH: `TOPLEVEL/sw/bin/*`, sorted.
pub fn system_commands(toplevel: &Path) -> Result<Vec<Found>, String> {
    let bin = toplevel.join("sw/bin");
    let rd = std::fs::read_dir(&bin).map_err(|e| format!("{}: {e}", bin.display()))?;
    let mut paths: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| Found {
            path,
            explicit: true,
            error: None,
        })
        .collect())
}

/// The store paths of a closure file (one per line, as nixpkgs'
/// closureInfo writes `store-paths`); blank lines and `#` comments skipped.
pub fn read_closure(file: &Path) -> Result<Vec<PathBuf>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_names() {
        assert_eq!(
            store_name("/nix/store/0123456789abcdfghijklmnpqrsvwxyz-bash-5.2p37"),
            "bash-5.2p37"
        );
        assert_eq!(store_name("/usr/bin"), "bin");
        assert_eq!(pname("bash-interactive-5.2p37"), "bash-interactive");
        assert_eq!(pname("uutils-coreutils-0.0.30"), "uutils-coreutils");
        assert_eq!(
            pname("nixos-system-host-25.05.20250101.abc"),
            "nixos-system-host"
        );
        assert_eq!(pname("etc"), "etc");
    }
}

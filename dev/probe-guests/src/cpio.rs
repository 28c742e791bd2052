//! The guest's initramfs as a cpio "newc" archive (written by the `cpio`
//! crate): every entry root's, inode numbers from 1 in the order paths are
//! added, no timestamps, so that the same inputs give the same bytes. What
//! this module adds is the bookkeeping a guest needs: each path once (again
//! only if identical), after its parent directories.

use std::collections::HashMap;

/// File type bits of `st_mode`.
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    path: String,
    /// File type bits and permissions.
    mode: u32,
    data: Vec<u8>,
}

/// An archive of paths: each added once (again only if identical), after
/// its parent directories, which are added as `0755` where missing.
#[derive(Debug, Default)]
pub struct Archive {
    entries: Vec<Entry>,
    index: HashMap<String, usize>,
}

/// The directory part of a path, as POSIX `dirname` without the `.`:
/// `/a/b` gives `/a`, `/a` gives `/`, `a` gives the empty string.
pub fn dirname(path: &str) -> &str {
    let head = match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "",
    };
    if head.is_empty() || head.bytes().all(|b| b == b'/') {
        head
    } else {
        head.trim_end_matches('/')
    }
}

/// The last part of a path (after its last slash).
pub fn basename(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

impl Archive {
    pub fn new() -> Self {
        Archive::default()
    }

    fn add(&mut self, path: &str, mode: u32, data: &[u8]) -> crate::Result<()> {
        if let Some(&i) = self.index.get(path) {
            let a = &self.entries[i];
            if a.mode != mode || a.data != data {
                return crate::err(format!("{path} added twice, differently"));
            }
            return Ok(());
        }
        let parent = dirname(path);
        if parent != "/" && !parent.is_empty() && !self.index.contains_key(parent) {
            self.dir(parent, 0o755)?;
        }
        self.index.insert(path.to_string(), self.entries.len());
        self.entries.push(Entry {
            path: path.to_string(),
            mode,
            data: data.to_vec(),
        });
        Ok(())
    }

    /// Whether `path` is in the archive.
    pub fn contains(&self, path: &str) -> bool {
        self.index.contains_key(path)
    }

    /// How many paths the archive has.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn dir(&mut self, path: &str, mode: u32) -> crate::Result<()> {
        self.add(path, S_IFDIR | mode, &[])
    }

    pub fn file(&mut self, path: &str, data: &[u8], mode: u32) -> crate::Result<()> {
        self.add(path, S_IFREG | mode, data)
    }

    pub fn symlink(&mut self, path: &str, target: &str) -> crate::Result<()> {
        self.add(path, S_IFLNK | 0o777, target.as_bytes())
    }

    /// Lay the archive out under `dir` as the guest sees it unpacked:
    /// directories, files with their permissions (without setuid and
    /// setgid bits), symlinks with their targets as they are. The oxidation
    /// meter reads the guest's programs there (bootcheck's spec `root`).
    pub fn write_tree(&self, dir: &std::path::Path) -> crate::Result<()> {
        use std::os::unix::fs::PermissionsExt;
        let io =
            |p: &std::path::Path, e: std::io::Error| crate::Error(format!("{}: {e}", p.display()));
        for e in &self.entries {
            let at = dir.join(e.path.trim_start_matches('/'));
            if let Some(parent) = at.parent() {
                std::fs::create_dir_all(parent).map_err(|x| io(parent, x))?;
            }
            match e.mode & 0o170000 {
                S_IFDIR => std::fs::create_dir_all(&at).map_err(|x| io(&at, x))?,
                S_IFLNK => {
                    let target = String::from_utf8_lossy(&e.data).into_owned();
                    std::os::unix::fs::symlink(target, &at).map_err(|x| io(&at, x))?;
                }
                _ => {
                    std::fs::write(&at, &e.data).map_err(|x| io(&at, x))?;
                    std::fs::set_permissions(&at, std::fs::Permissions::from_mode(e.mode & 0o777))
                        .map_err(|x| io(&at, x))?;
                }
            }
        }
        Ok(())
    }

    /// The archive's bytes, closed with its trailer. Names lose their
    /// leading slashes, as the kernel expects them.
    pub fn finish(self) -> crate::Result<Vec<u8>> {
        let io = |e: std::io::Error| crate::Error(format!("writing the initramfs: {e}"));
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let size = u32::try_from(e.data.len())
                .map_err(|_| crate::Error(format!("{}: too large for cpio", e.path)))?;
            let ino = u32::try_from(i + 1).map_err(|_| crate::Error("too many entries".into()))?;
            let mut w = cpio::NewcBuilder::new(e.path.trim_start_matches('/'))
                .ino(ino)
                .mode(e.mode)
                .write(&mut out, size);
            std::io::Write::write_all(&mut w, &e.data).map_err(io)?;
            w.finish().map_err(io)?;
        }
        cpio::newc::trailer(&mut out).map_err(io)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Each entry as the crate's reader sees it: (name, ino, mode, data).
    fn entries(bytes: &[u8]) -> Vec<(String, u32, u32, Vec<u8>)> {
        let mut rest = bytes;
        let mut got = Vec::new();
        loop {
            let mut r = cpio::NewcReader::new(rest).unwrap();
            let e = r.entry();
            assert_eq!((e.uid(), e.gid(), e.mtime(), e.nlink()), (0, 0, 0, 1));
            if e.is_trailer() {
                assert!(r.finish().unwrap().is_empty(), "bytes after the trailer");
                break;
            }
            let (name, ino, mode) = (e.name().to_string(), e.ino(), e.mode());
            let mut data = Vec::new();
            r.read_to_end(&mut data).unwrap();
            got.push((name, ino, mode, data));
            rest = r.finish().unwrap();
        }
        got
    }

    #[test]
    fn the_tree_is_the_archive_unpacked() {
        use std::os::unix::fs::PermissionsExt;
        let mut a = Archive::new();
        a.file("/run/wrappers/bin/sudo", b"elf", 0o4755).unwrap();
        a.symlink("/bin/sh", "/nix/store/x-bash/bin/sh").unwrap();
        a.dir("/tmp", 0o1777).unwrap();
        let dir = std::env::temp_dir().join(format!("probe-guests-tree-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // The directory itself need not exist.
        a.write_tree(&dir).unwrap();
        let sudo = dir.join("run/wrappers/bin/sudo");
        let mode = std::fs::metadata(&sudo).unwrap().permissions().mode();
        let link = std::fs::read_link(dir.join("bin/sh")).unwrap();
        let data = std::fs::read(&sudo).unwrap();
        let tmp = dir.join("tmp").is_dir();
        std::fs::remove_dir_all(&dir).unwrap();
        // No setuid bit on this machine's copy.
        assert_eq!(mode & 0o7777, 0o755);
        assert_eq!(data, b"elf");
        assert_eq!(link, std::path::Path::new("/nix/store/x-bash/bin/sh"));
        assert!(tmp);
    }

    #[test]
    fn adds_parents_once_and_dedups() {
        let mut a = Archive::new();
        a.dir("/tmp", 0o1777).unwrap();
        a.file("/usr/lib/x/libc.so.6", b"elf", 0o755).unwrap();
        a.symlink("/usr/lib/x/libc.so", "libc.so.6").unwrap();
        // The same again is no new entry; different is an error.
        a.file("/usr/lib/x/libc.so.6", b"elf", 0o755).unwrap();
        let e = a.file("/usr/lib/x/libc.so.6", b"elf", 0o644).unwrap_err();
        assert_eq!(e.0, "/usr/lib/x/libc.so.6 added twice, differently");
        assert!(a.symlink("/usr/lib/x/libc.so", "other").is_err());
        assert!(a.contains("/usr/lib"));
        assert_eq!(a.len(), 6);
        let bytes = a.finish().unwrap();
        assert_eq!(bytes.len() % 4, 0);
        let got = entries(&bytes);
        let names: Vec<(&str, u32, u32)> = got
            .iter()
            .map(|(n, i, m, _)| (n.as_str(), *i, *m))
            .collect();
        assert_eq!(
            names,
            [
                ("tmp", 1, 0o041777),
                ("usr", 2, 0o040755),
                ("usr/lib", 3, 0o040755),
                ("usr/lib/x", 4, 0o040755),
                ("usr/lib/x/libc.so.6", 5, 0o100755),
                ("usr/lib/x/libc.so", 6, 0o120777),
            ]
        );
        assert_eq!(got[4].3, b"elf");
        assert_eq!(got[5].3, b"libc.so.6");
    }

    #[test]
    fn the_same_inputs_give_the_same_bytes() {
        let build = || {
            let mut a = Archive::new();
            a.file("/init", b"#!/bin/sh\n", 0o755).unwrap();
            a.symlink("/bin/sh", "/bin/busybox").unwrap();
            a.finish().unwrap()
        };
        assert_eq!(build(), build());
    }

    #[test]
    fn dirname_and_basename_as_posix() {
        assert_eq!(dirname("/a/b"), "/a");
        assert_eq!(dirname("/a"), "/");
        assert_eq!(dirname("a"), "");
        assert_eq!(dirname("/a/b/"), "/a/b");
        assert_eq!(dirname("//a"), "//");
        assert_eq!(basename("/a/b"), "b");
        assert_eq!(basename("b"), "b");
    }
}

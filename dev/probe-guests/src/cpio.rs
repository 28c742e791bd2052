//! A cpio "newc" archive (the initramfs format), every entry root's, with
//! inode numbers from 1 in the order entries are added and no timestamps,
//! so that the same inputs give the same bytes.

use std::collections::HashMap;
use std::ops::Range;

/// File type bits of `st_mode`.
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;

/// The raw "newc" encoder: entries in the order given, nothing checked.
#[derive(Debug, Default)]
pub struct Newc {
    out: Vec<u8>,
    ino: u32,
}

impl Newc {
    pub fn new() -> Self {
        Newc {
            out: Vec::new(),
            ino: 1,
        }
    }

    /// One entry: `name` without its leading slashes, `mode` with the file
    /// type bits. Returns where `data` is in the archive.
    pub fn entry(&mut self, name: &str, mode: u32, data: &[u8]) -> Range<usize> {
        let name = name.trim_start_matches('/');
        let fields = [
            self.ino as usize,
            mode as usize,
            0, // uid
            0, // gid
            1, // nlink
            0, // mtime
            data.len(),
            0, // devmajor
            0, // devminor
            0, // rdevmajor
            0, // rdevminor
            name.len() + 1,
            0, // check
        ];
        self.ino += 1;
        self.out.extend_from_slice(b"070701");
        for f in fields {
            self.out.extend_from_slice(format!("{f:08x}").as_bytes());
        }
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(0);
        self.pad();
        let start = self.out.len();
        self.out.extend_from_slice(data);
        let end = self.out.len();
        self.pad();
        start..end
    }

    fn pad(&mut self) {
        while !self.out.len().is_multiple_of(4) {
            self.out.push(0);
        }
    }

    /// The bytes so far.
    pub fn bytes(&self) -> &[u8] {
        &self.out
    }

    /// The archive, closed with its trailer.
    pub fn finish(mut self) -> Vec<u8> {
        self.entry("TRAILER!!!", 0, &[]);
        self.out
    }
}

#[derive(Debug, Clone, Copy)]
struct Added {
    kind: u32,
    mode: u32,
    data: (usize, usize),
}

/// An archive of paths: each added once (again only if identical), after
/// its parent directories, which are added as `0755` where missing.
#[derive(Debug, Default)]
pub struct Archive {
    newc: Newc,
    paths: HashMap<String, Added>,
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
        Archive {
            newc: Newc::new(),
            paths: HashMap::new(),
        }
    }

    fn add(&mut self, path: &str, kind: u32, mode: u32, data: &[u8]) -> crate::Result<()> {
        if let Some(a) = self.paths.get(path) {
            let same =
                a.kind == kind && a.mode == mode && self.newc.bytes()[a.data.0..a.data.1] == *data;
            if !same {
                return crate::err(format!("{path} added twice, differently"));
            }
            return Ok(());
        }
        self.parents(path)?;
        let r = self.newc.entry(path, kind | mode, data);
        self.paths.insert(
            path.to_string(),
            Added {
                kind,
                mode,
                data: (r.start, r.end),
            },
        );
        Ok(())
    }

    fn parents(&mut self, path: &str) -> crate::Result<()> {
        let parent = dirname(path);
        if parent != "/" && !parent.is_empty() && !self.paths.contains_key(parent) {
            self.dir(parent, 0o755)?;
        }
        Ok(())
    }

    /// Whether `path` is in the archive.
    pub fn contains(&self, path: &str) -> bool {
        self.paths.contains_key(path)
    }

    /// How many paths the archive has.
    pub fn len(&self) -> usize {
        self.paths.len()
    }

    pub fn is_empty(&self) -> bool {
        self.paths.is_empty()
    }

    pub fn dir(&mut self, path: &str, mode: u32) -> crate::Result<()> {
        self.add(path, S_IFDIR, mode, &[])
    }

    pub fn file(&mut self, path: &str, data: &[u8], mode: u32) -> crate::Result<()> {
        self.add(path, S_IFREG, mode, data)
    }

    pub fn symlink(&mut self, path: &str, target: &str) -> crate::Result<()> {
        self.add(path, S_IFLNK, 0o777, target.as_bytes())
    }

    /// The archive, closed with its trailer.
    pub fn finish(self) -> Vec<u8> {
        self.newc.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header fields of each entry: (name, ino, mode, size, data).
    fn parse(mut b: &[u8]) -> Vec<(String, u32, u32, Vec<u8>)> {
        let hex = |s: &[u8]| u32::from_str_radix(std::str::from_utf8(s).unwrap(), 16).unwrap();
        let mut entries = Vec::new();
        let total = b.len();
        loop {
            assert_eq!(&b[..6], b"070701");
            let field = |i: usize| hex(&b[6 + 8 * i..14 + 8 * i]);
            let (ino, mode, size, namesize) = (field(0), field(1), field(6), field(11));
            for i in [2, 3, 5, 7, 8, 9, 10, 12] {
                assert_eq!(field(i), 0, "field {i}");
            }
            assert_eq!(field(4), 1, "nlink");
            let name_end = 110 + namesize as usize;
            let name = std::str::from_utf8(&b[110..name_end - 1])
                .unwrap()
                .to_string();
            assert_eq!(b[name_end - 1], 0);
            let data_start = name_end.next_multiple_of(4);
            let data = b[data_start..data_start + size as usize].to_vec();
            let next = (data_start + size as usize).next_multiple_of(4);
            assert!(b[name_end..data_start].iter().all(|&x| x == 0));
            let done = name == "TRAILER!!!";
            entries.push((name, ino, mode, data));
            b = &b[next..];
            if done {
                assert!(b.is_empty(), "bytes after the trailer");
                break;
            }
        }
        assert_eq!(total % 4, 0);
        entries
    }

    #[test]
    fn newc_header_padding_and_trailer() {
        let mut n = Newc::new();
        n.entry("/init", S_IFREG | 0o755, b"#!/bin/sh\n");
        let bytes = n.finish();
        // A header is 110 bytes; "init\0" pads to 116, the 10 data bytes to 128.
        let expected_head = format!(
            "070701{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}{:08x}init\0\0",
            1, 0o100755, 0, 0, 1, 0, 10, 0, 0, 0, 0, 5, 0
        );
        assert_eq!(&bytes[..116], expected_head.as_bytes());
        assert_eq!(&bytes[116..126], b"#!/bin/sh\n");
        assert_eq!(&bytes[126..128], b"\0\0");
        let e = parse(&bytes);
        assert_eq!(e.len(), 2);
        assert_eq!((e[1].0.as_str(), e[1].1, e[1].2), ("TRAILER!!!", 2, 0));
        assert_eq!(bytes.len(), 128 + 110 + 11 + 3);
    }

    #[test]
    fn archive_adds_parents_once_and_dedups() {
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
        let got: Vec<(String, u32, u32, Vec<u8>)> = parse(&a.finish());
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
                ("TRAILER!!!", 7, 0),
            ]
        );
        assert_eq!(got[4].3, b"elf");
        assert_eq!(got[5].3, b"libc.so.6");
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

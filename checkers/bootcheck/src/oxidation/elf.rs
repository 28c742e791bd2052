//! Reads what the classifier needs from one ELF file: its type, dynamic
//! section (needed libraries, run path), section names, and the signal
//! counts of its `.rodata`, `.comment` and `.dynstr`.
//!
//! Headers and section tables are parsed by the `object` crate through a
//! `ReadCache`, which reads only the ranges asked for; the sections that
//! are searched are streamed through a fixed buffer with `pread`, so the
//! memory used does not grow with the file and a file is read once.

use super::signals::{self, Class, CONTENT, LOOKAHEAD, SYMBOLS};
use super::Kind;
use aho_corasick::{AhoCorasick, MatchKind};
use object::elf;
use object::read::elf::{Dyn, FileHeader, ProgramHeader, SectionHeader};
use object::read::ReadCache;
use object::{Endianness, FileKind};
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// How much of a section is read at a time.
const CHUNK: usize = 256 * 1024;
/// Wrappers are small; a file above this is not searched for one's target.
const WRAPPER_MAX_RODATA: u64 = 4 * 1024 * 1024;
/// A `.dynstr` up to this size is read whole, to name the defined symbols.
const DYNSTR_MAX: u64 = 64 * 1024 * 1024;

/// What one ELF file says about itself.
#[derive(Debug, Default, Clone)]
pub struct ElfFacts {
    pub kind: Option<Kind>,
    /// `DT_NEEDED` entries, in order.
    pub needed: Vec<String>,
    /// `DT_RUNPATH` or `DT_RPATH` directories, `$ORIGIN` not yet expanded.
    pub runpath: Vec<String>,
    /// Go's own sections found (`.go.buildinfo`, `.gopclntab`, `.note.go.buildid`).
    pub go_sections: Vec<&'static str>,
    /// Hits per needle of [`CONTENT`].
    pub content: Vec<u32>,
    /// Hits per needle of [`SYMBOLS`]; for the Rust symbol needles only
    /// the ones that passed the mangling check.
    pub symbols: Vec<u32>,
    /// Defined dynamic symbols with C++ mangling (`_Z`, not the `_ZGV`
    /// vector-ABI names C functions get, not Rust's legacy names).
    pub cxx_defined: u32,
    /// No section headers: the whole file was searched.
    pub sectionless: bool,
    /// NUL-terminated strings of `.rodata` that are absolute paths, read
    /// only when a wrapper signal was found.
    pub rodata_paths: Vec<String>,
    /// The executable named in a makeBinaryWrapper docstring.
    pub docstring_target: Option<String>,
    /// Bytes searched.
    pub scanned: u64,
}

impl ElfFacts {
    pub fn has(&self, class: Class) -> bool {
        self.count(class) > 0
    }

    /// Hits of all needles of a class.
    pub fn count(&self, class: Class) -> u32 {
        let c = CONTENT
            .iter()
            .zip(&self.content)
            .filter(|(n, _)| n.class == class)
            .map(|(_, c)| *c);
        let s = SYMBOLS
            .iter()
            .zip(&self.symbols)
            .filter(|(n, _)| n.class == class)
            .map(|(_, c)| *c);
        c.chain(s).sum()
    }

    /// Labels of the needles of a class that were found (each once).
    pub fn labels(&self, class: Class) -> Vec<&'static str> {
        let a = signals::automata();
        let mut out: Vec<&'static str> = Vec::new();
        let found = CONTENT
            .iter()
            .zip(&self.content)
            .zip(&a.content_labels)
            .chain(SYMBOLS.iter().zip(&self.symbols).zip(&a.symbol_labels));
        for ((n, c), label) in found {
            if n.class == class && *c > 0 && !out.contains(&label.as_str()) {
                out.push(label);
            }
        }
        out
    }
}

/// Streams file ranges through one buffer and reports matches.
struct Scanner<'f> {
    file: &'f File,
    buf: Vec<u8>,
    scanned: u64,
}

impl Scanner<'_> {
    /// Calls `on(needle, bytes after the match)` for every match that
    /// starts in `[start, start + len)` (overlapping ones too when the
    /// automaton has standard semantics). A match is reported once, also
    /// when it straddles two reads, with at least [`LOOKAHEAD`] bytes after
    /// it unless the range ends first.
    fn scan(
        &mut self,
        ac: &AhoCorasick,
        start: u64,
        len: u64,
        mut on: impl FnMut(usize, &[u8]),
    ) -> io::Result<()> {
        let keep = (signals::automata().longest + LOOKAHEAD) as u64;
        let end = start + len;
        let mut pos = start;
        while pos < end {
            let want = (CHUNK as u64).min(end - pos) as usize;
            self.buf.resize(want, 0);
            self.file.read_exact_at(&mut self.buf, pos)?;
            self.scanned += want as u64;
            let last = pos + want as u64 == end;
            // Matches starting before `limit` are handled in this read;
            // the next read starts at `limit`.
            let limit = if last { end } else { pos + want as u64 - keep };
            let mut report = |m: aho_corasick::Match| {
                if pos + (m.start() as u64) < limit {
                    on(m.pattern().as_usize(), &self.buf[m.end()..]);
                }
            };
            if ac.match_kind() == MatchKind::Standard {
                // Overlapping matches come in order of their end.
                ac.find_overlapping_iter(&self.buf[..])
                    .for_each(&mut report);
            } else {
                ac.find_iter(&self.buf[..])
                    .take_while(|m| pos + (m.start() as u64) < limit)
                    .for_each(&mut report);
            }
            pos = limit;
        }
        Ok(())
    }
}

/// Searches bytes in memory like [`Scanner::scan`] searches a file range.
fn scan_slice(ac: &AhoCorasick, bytes: &[u8], mut on: impl FnMut(usize, &[u8])) {
    let mut report = |m: aho_corasick::Match| on(m.pattern().as_usize(), &bytes[m.end()..]);
    if ac.match_kind() == MatchKind::Standard {
        ac.find_overlapping_iter(bytes).for_each(&mut report);
    } else {
        ac.find_iter(bytes).for_each(&mut report);
    }
}

/// Reads the ELF facts of an open file of `size` bytes. `Err` is a message
/// for the report (not an ELF this can read, truncated, unreadable).
pub fn read(file: &File, size: u64) -> Result<ElfFacts, String> {
    let cache = ReadCache::new(file);
    let kind = FileKind::parse(&cache).map_err(|e| format!("not a readable ELF file: {e}"))?;
    match kind {
        FileKind::Elf64 => read_elf::<elf::FileHeader64<Endianness>>(file, &cache, size),
        FileKind::Elf32 => read_elf::<elf::FileHeader32<Endianness>>(file, &cache, size),
        other => Err(format!("not an ELF file ({other:?})")),
    }
}

fn malformed(e: object::read::Error) -> String {
    format!("truncated or malformed ELF: {e}")
}

fn read_elf<Elf: FileHeader<Endian = Endianness>>(
    file: &File,
    cache: &ReadCache<&File>,
    size: u64,
) -> Result<ElfFacts, String> {
    let header = Elf::parse(cache).map_err(malformed)?;
    let endian = header.endian().map_err(malformed)?;
    let segments = header.program_headers(endian, cache).map_err(malformed)?;
    let sections = header.sections(endian, cache).map_err(malformed)?;
    let mut facts = ElfFacts {
        content: vec![0; CONTENT.len()],
        symbols: vec![0; SYMBOLS.len()],
        ..ElfFacts::default()
    };

    // A file cut short: some segment or section lies past its end.
    for ph in segments {
        let (off, len): (u64, u64) = (ph.p_offset(endian).into(), ph.p_filesz(endian).into());
        if off.saturating_add(len) > size {
            return Err(format!(
                "truncated ELF: a segment ends at byte {}, the file has {size}",
                off.saturating_add(len)
            ));
        }
    }
    for sh in sections.iter() {
        if let Some((off, len)) = sh.file_range(endian) {
            if off.saturating_add(len) > size {
                let name = sections.section_name(endian, sh).unwrap_or(b"?");
                return Err(format!(
                    "truncated ELF: section {} ends at byte {}, the file has {size}",
                    String::from_utf8_lossy(name),
                    off.saturating_add(len)
                ));
            }
        }
    }

    let has_interp = segments
        .iter()
        .any(|ph| ph.p_type(endian) == elf::PT_INTERP);
    let mut soname = false;
    let mut pie_flag = false;
    if let Some((dynamic, link)) = sections.dynamic(endian, cache).map_err(malformed)? {
        let strings = sections.strings(endian, cache, link).map_err(malformed)?;
        for d in dynamic {
            let tag: u64 = d.d_tag(endian).into();
            let val: u64 = d.d_val(endian).into();
            let string = || {
                u32::try_from(val)
                    .ok()
                    .and_then(|off| strings.get(off).ok())
                    .map(|s| String::from_utf8_lossy(s).into_owned())
            };
            match tag as u32 {
                elf::DT_NULL => break,
                elf::DT_NEEDED => facts.needed.extend(string()),
                elf::DT_RUNPATH | elf::DT_RPATH => {
                    if let Some(p) = string() {
                        facts
                            .runpath
                            .extend(p.split(':').filter(|s| !s.is_empty()).map(String::from));
                    }
                }
                elf::DT_SONAME => soname = true,
                elf::DT_FLAGS_1 => pie_flag = val & u64::from(elf::DF_1_PIE) != 0,
                _ => {}
            }
        }
    }
    facts.kind = Some(match header.e_type(endian) {
        elf::ET_EXEC => Kind::Executable,
        elf::ET_DYN if pie_flag => Kind::Executable,
        // libc.so.6 has an interpreter and can be run, but is a library.
        elf::ET_DYN if has_interp && !soname => Kind::Executable,
        elf::ET_DYN => Kind::SharedLibrary,
        _ => Kind::Other,
    });

    let auto = signals::automata();
    let mut scanner = Scanner {
        file,
        buf: Vec::with_capacity(CHUNK),
        scanned: 0,
    };
    let content = &mut facts.content;
    let mut content_hit = |i: usize, _after: &[u8]| content[i] += 1;
    let symbols = &mut facts.symbols;
    let mut symbol_hit = |i: usize, after: &[u8]| {
        let ok = match SYMBOLS[i].class {
            Class::RustLegacySymbol => signals::is_legacy_hash(after),
            Class::RustV0Symbol => signals::is_v0_start(after),
            _ => true,
        };
        if ok {
            symbols[i] += 1;
        }
    };

    let io_err = |e: io::Error| format!("read error: {e}");
    let mut rodata = Vec::new();
    if sections.is_empty() {
        facts.sectionless = true;
        scanner
            .scan(&auto.content, 0, size, &mut content_hit)
            .map_err(io_err)?;
        scanner
            .scan(&auto.symbols, 0, size, &mut symbol_hit)
            .map_err(io_err)?;
    } else {
        let mut content_ranges = Vec::new();
        let mut fallback = Vec::new();
        let mut dynstr = None;
        for sh in sections.iter() {
            let name = sections.section_name(endian, sh).unwrap_or(b"");
            let Some(range) = sh.file_range(endian) else {
                continue;
            };
            let flags: u64 = sh.sh_flags(endian).into();
            match name {
                b".go.buildinfo" => facts.go_sections.push(".go.buildinfo"),
                b".gopclntab" => facts.go_sections.push(".gopclntab"),
                b".note.go.buildid" => facts.go_sections.push(".note.go.buildid"),
                b".dynstr" => dynstr = Some(range),
                b".comment" => content_ranges.push(range),
                _ if name.starts_with(b".rodata") || name.starts_with(b".lrodata") => {
                    content_ranges.push(range);
                    rodata.push(range);
                }
                _ if sh.sh_type(endian) == elf::SHT_PROGBITS
                    && flags & u64::from(elf::SHF_ALLOC) != 0
                    && flags & u64::from(elf::SHF_EXECINSTR | elf::SHF_WRITE) == 0 =>
                {
                    fallback.push(range)
                }
                _ => {}
            }
        }
        // A linker script that names read-only data otherwise: search every
        // read-only data section instead.
        if rodata.is_empty() {
            content_ranges.extend(&fallback);
            rodata = fallback;
        }
        for (off, len) in content_ranges {
            scanner
                .scan(&auto.content, off, len, &mut content_hit)
                .map_err(io_err)?;
        }
        match dynstr {
            Some((off, len)) if len <= DYNSTR_MAX => {
                let mut strings = vec![0; len as usize];
                file.read_exact_at(&mut strings, off).map_err(io_err)?;
                scanner.scanned += len;
                scan_slice(&auto.symbols, &strings, &mut symbol_hit);
                facts.cxx_defined =
                    count_cxx_defined::<Elf, _>(&sections, endian, cache, &strings)?;
            }
            Some((off, len)) => scanner
                .scan(&auto.symbols, off, len, &mut symbol_hit)
                .map_err(io_err)?,
            None => {}
        }
    }
    facts.scanned = scanner.scanned;

    if facts.has(Class::NixosSecurityWrapper) || facts.has(Class::MakeBinaryWrapper) {
        if facts.sectionless {
            rodata = vec![(0, size)];
        }
        read_wrapper_strings(file, &rodata, &mut facts).map_err(io_err)?;
    }
    Ok(facts)
}

/// Counts the defined dynamic symbols whose names have C++ mangling.
fn count_cxx_defined<'data, Elf: FileHeader<Endian = Endianness>, R: object::ReadRef<'data>>(
    sections: &object::read::elf::SectionTable<'data, Elf, R>,
    endian: Endianness,
    cache: R,
    dynstr: &[u8],
) -> Result<u32, String> {
    use object::read::elf::Sym;
    let table = sections
        .symbols(endian, cache, elf::SHT_DYNSYM)
        .map_err(malformed)?;
    let mut n = 0;
    for sym in table.symbols() {
        if sym.st_shndx(endian) == elf::SHN_UNDEF {
            continue;
        }
        let start = sym.st_name(endian) as usize;
        let Some(rest) = dynstr.get(start..) else {
            continue;
        };
        let name = &rest[..rest.iter().position(|&b| b == 0).unwrap_or(rest.len())];
        let rust_legacy = name.len() > 20 && {
            let tail = &name[name.len() - 20..];
            tail.starts_with(b"17h") && signals::is_legacy_hash(&tail[3..])
        };
        if name.starts_with(b"_Z") && !name.starts_with(b"_ZGV") && !rust_legacy {
            n += 1;
        }
    }
    Ok(n)
}

/// Collects the absolute paths among `.rodata`'s strings, and the
/// executable a makeBinaryWrapper docstring names.
fn read_wrapper_strings(
    file: &File,
    rodata: &[(u64, u64)],
    facts: &mut ElfFacts,
) -> io::Result<()> {
    for &(off, len) in rodata {
        if len > WRAPPER_MAX_RODATA {
            continue;
        }
        let mut bytes = vec![0; len as usize];
        file.read_exact_at(&mut bytes, off)?;
        for s in bytes.split(|&b| b == 0) {
            if s.len() > 1 && s[0] == b'/' && !s.contains(&b'\n') && !s.contains(&b'%') {
                facts
                    .rodata_paths
                    .push(String::from_utf8_lossy(s).into_owned());
            }
            // nixpkgs' make-binary-wrapper.sh (docstring, formatArgs):
            // "makeCWrapper <executable>" then ` \` and the flags, or a newline.
            const KEY: &[u8] = b"\nmakeCWrapper ";
            if let Some(i) = s.windows(KEY.len()).position(|w| w == KEY) {
                let rest = &s[i + KEY.len()..];
                let end = rest
                    .iter()
                    .position(|&b| b == b'\n' || b == b' ')
                    .unwrap_or(rest.len());
                let target = String::from_utf8_lossy(&rest[..end]).into_owned();
                if target.starts_with('/') {
                    facts.docstring_target = Some(target);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn scan_bytes(data: &[u8]) -> Vec<(usize, usize)> {
        let mut f = tempfile_in_target();
        f.write_all(data).unwrap();
        let mut s = Scanner {
            file: &f,
            buf: Vec::new(),
            scanned: 0,
        };
        let mut hits = Vec::new();
        s.scan(
            &signals::automata().content,
            0,
            data.len() as u64,
            |i, after| hits.push((i, after.len())),
        )
        .unwrap();
        hits
    }

    fn tempfile_in_target() -> File {
        let dir = std::env::temp_dir();
        let path = dir.join(format!(
            "bootcheck-oxidation-scan-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        let _ = std::fs::remove_file(&path);
        f
    }

    #[test]
    fn a_match_across_two_reads_is_reported_once() {
        let needle = b"library/core/src/";
        for at in [
            CHUNK - 200,
            CHUNK - 80,
            CHUNK - 10,
            CHUNK - 5,
            CHUNK,
            CHUNK + 3,
        ] {
            let mut data = vec![b'x'; CHUNK * 2 + 100];
            data[at..at + needle.len()].copy_from_slice(needle);
            let hits = scan_bytes(&data);
            assert_eq!(hits.len(), 1, "needle at {at}: {hits:?}");
        }
    }

    #[test]
    fn matches_in_every_read_are_counted() {
        let needle = b"St9exception";
        let mut data = vec![b'.'; CHUNK * 3];
        for at in (0..data.len() - 20).step_by(CHUNK / 4) {
            data[at..at + needle.len()].copy_from_slice(needle);
        }
        assert_eq!(scan_bytes(&data).len(), 12);
    }
}

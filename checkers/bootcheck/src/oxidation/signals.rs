//! The byte strings that tell a binary's source language, and the two
//! Aho-Corasick automata that find them in one pass per region.
//!
//! Every signal here survives `strip`: it is data the program needs at run
//! time (panic messages and their source locations, runtime strings,
//! dynamic symbol names), not debug information. Two regions are searched:
//!
//! - *content*: `.rodata` (and `.comment`; the whole file when an ELF has
//!   no section headers). Rust's standard library keeps the file names of
//!   its panic locations there (`library/core/src/...`, before Rust 1.47
//!   `src/libcore/...`, with a `/rustc/<commit>/` or distribution prefix),
//!   next to its panic messages; Zig's and GHC's runtimes keep theirs;
//!   a statically linked libstdc++ brings its type names.
//! - *symbols*: `.dynstr`, the names of the dynamic symbols a binary
//!   imports or exports and of its needed libraries' symbol versions.
//!   Rust's mangled names (`_ZN...17h<16 hex digits>E`, v0 `_R...`) and the
//!   C++ runtime's (`_Znwm`, `_ZNSt...`, `__gxx_personality_v0`,
//!   `GLIBCXX_3.4`) are there.
//!
//! `__cxa_atexit` and `__cxa_finalize` are not C++ signals: C programs
//! import them too (glibc's `atexit` and the start files use them).

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::sync::OnceLock;

/// What a needle is evidence of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// A source path of Rust's standard library (panic locations).
    RustPath,
    /// A message of Rust's core or std library.
    RustMessage,
    /// `rustc version` in `.comment` (removed by Debian's strip, kept by Nix's).
    RustComment,
    /// The magic of Go's build information block.
    GoBuildInfo,
    /// Zig's standard library (start code, panic handler, safety checks).
    Zig,
    /// GHC's runtime system and base libraries (Haskell).
    Haskell,
    /// libstdc++ or libc++ linked statically (type names, messages).
    CxxStatic,
    /// A C++ compiler's `__PRETTY_FUNCTION__` of a template.
    CxxSignature,
    /// An imported or exported C++ runtime symbol.
    CxxSymbol,
    /// A symbol version of libstdc++ (`GLIBCXX_`, `CXXABI_`).
    CxxVersion,
    /// `17h`: checked for a Rust legacy hash suffix `17h<16 hex>E`.
    RustLegacySymbol,
    /// `\0_R`: checked for a Rust v0 mangled name.
    RustV0Symbol,
    /// The assertion message of NixOS's security wrapper (wrapper.c).
    NixosSecurityWrapper,
    /// The documentation string nixpkgs' makeBinaryWrapper compiles in.
    MakeBinaryWrapper,
}

/// The longest needle.
const MAX: usize = 64;
/// Needles are stored masked (each byte XOR this), so that this program's
/// own read-only data does not hold the strings it looks for: bootcheck
/// would otherwise find Go's build-info magic and a wrapper's docstring in
/// itself.
const MASK: u8 = 0xa5;

/// One byte string and what finding it means.
#[derive(Debug)]
pub struct Needle {
    masked: [u8; MAX],
    len: u8,
    pub class: Class,
    /// For the evidence, where the string itself is not shown.
    label: Option<&'static str>,
}

impl Needle {
    /// The bytes searched for.
    pub fn bytes(&self) -> Vec<u8> {
        self.masked[..self.len as usize]
            .iter()
            .map(|b| b ^ MASK)
            .collect()
    }

    /// What the evidence calls it: its label, or the string itself.
    pub fn label(&self) -> String {
        match self.label {
            Some(l) => l.to_string(),
            None => String::from_utf8_lossy(&self.bytes()).into_owned(),
        }
    }
}

const fn masked(bytes: &[u8], class: Class, label: Option<&'static str>) -> Needle {
    assert!(bytes.len() <= MAX);
    let mut masked = [0u8; MAX];
    let mut i = 0;
    while i < bytes.len() {
        masked[i] = bytes[i] ^ MASK;
        i += 1;
    }
    Needle {
        masked,
        len: bytes.len() as u8,
        class,
        label,
    }
}

/// A needle shown as itself in the evidence.
const fn n(bytes: &[u8], class: Class) -> Needle {
    masked(bytes, class, None)
}

/// A needle shown by a label (which must not contain the needle).
const fn nl(bytes: &[u8], class: Class, label: &'static str) -> Needle {
    masked(bytes, class, Some(label))
}

use Class::*;

/// Searched in `.rodata`, `.comment` (or the whole file).
pub static CONTENT: &[Needle] = &[
    n(b"library/core/src/", RustPath),
    n(b"library/alloc/src/", RustPath),
    n(b"library/std/src/", RustPath),
    n(b"src/libcore/", RustPath),
    n(b"src/liballoc/", RustPath),
    n(b"src/libstd/", RustPath),
    n(b"called `Option::unwrap()` on a `None` value", RustMessage),
    n(b"called `Result::unwrap()` on an `Err` value", RustMessage),
    n(
        b"a Display implementation returned an error unexpectedly",
        RustMessage,
    ),
    n(
        b"a formatting trait implementation returned an error",
        RustMessage,
    ),
    n(b"__rust_begin_short_backtrace", RustMessage),
    n(b"RUST_BACKTRACE", RustMessage),
    nl(b"rustc version ", RustComment, ".comment: rustc version"),
    nl(b"\xff Go buildinf:", GoBuildInfo, "Go build info magic"),
    n(b"ZIG_PROGRESS", Zig),
    n(b"ZIG_DEBUG_COLOR", Zig),
    n(b"aborting due to recursive panic", Zig),
    n(b"Panicked during a panic. Aborting.", Zig),
    n(b"attempt to unwrap error", Zig),
    nl(b"access of union field '", Zig, "access of union field"),
    nl(
        b"Unable to dump stack trace: ",
        Zig,
        "Unable to dump stack trace",
    ),
    n(b"unknown RTS option", Haskell),
    n(b"ghc-prim", Haskell),
    n(b"GHC.Base", Haskell),
    nl(
        b"N10__cxxabiv117__class_type_infoE",
        CxxStatic,
        "C++ ABI type info",
    ),
    nl(b"St9exception", CxxStatic, "std::exception type name"),
    nl(
        b"basic_string::_M_construct null not valid",
        CxxStatic,
        "libstdc++ basic_string",
    ),
    // C++ compiled without its runtime (no exceptions, RTTI or libstdc++,
    // as HarfBuzz): assert() names the function by __PRETTY_FUNCTION__,
    // whose template signatures only C++ compilers write (GCC, then Clang).
    nl(b") [with ", CxxSignature, "C++ template signatures"),
    nl(b") const [with ", CxxSignature, "C++ template signatures"),
    nl(b") [T = ", CxxSignature, "C++ template signatures"),
    nl(b") const [T = ", CxxSignature, "C++ template signatures"),
    nl(
        b"in NixOS's wrapper.c failed",
        NixosSecurityWrapper,
        "NixOS security wrapper",
    ),
    nl(
        b"The C-code for this binary wrapper has been generated",
        MakeBinaryWrapper,
        "makeBinaryWrapper docstring",
    ),
];

/// Searched in `.dynstr`.
pub static SYMBOLS: &[Needle] = &[
    nl(b"17h", RustLegacySymbol, "Rust legacy mangled symbol"),
    nl(b"\0_R", RustV0Symbol, "Rust v0 mangled symbol"),
    nl(b"_Znwm", CxxSymbol, "operator new"),
    nl(b"_Znam", CxxSymbol, "operator new[]"),
    nl(b"_ZdlPv", CxxSymbol, "operator delete"),
    nl(b"_ZdaPv", CxxSymbol, "operator delete[]"),
    nl(b"_ZNSt", CxxSymbol, "std:: symbols"),
    nl(b"_ZNKSt", CxxSymbol, "std:: symbols"),
    nl(b"\0_ZSt", CxxSymbol, "std:: symbols"),
    nl(b"_ZNSo", CxxSymbol, "std::ostream"),
    n(b"__gxx_personality_v0", CxxSymbol),
    n(b"__cxa_begin_catch", CxxSymbol),
    n(b"__cxa_throw", CxxSymbol),
    n(b"__cxa_pure_virtual", CxxSymbol),
    n(b"__cxa_guard_acquire", CxxSymbol),
    nl(b"_ZTVN10__cxxabiv1", CxxSymbol, "C++ ABI vtables"),
    nl(b"GLIBCXX_", CxxVersion, "libstdc++ symbol versions"),
    nl(b"CXXABI_", CxxVersion, "C++ ABI symbol versions"),
];

/// The compiled automata and how far a match may reach.
pub struct Automata {
    /// Leftmost-first, non-overlapping: the content needles do not overlap.
    pub content: AhoCorasick,
    /// Standard semantics, searched for overlapping matches.
    pub symbols: AhoCorasick,
    /// The evidence's name of each needle of [`CONTENT`] and [`SYMBOLS`].
    pub content_labels: Vec<String>,
    pub symbol_labels: Vec<String>,
    /// The longest needle of either set.
    pub longest: usize,
}

impl std::fmt::Debug for Automata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Automata")
    }
}

fn build(needles: &[Needle], kind: MatchKind) -> AhoCorasick {
    AhoCorasick::builder()
        .match_kind(kind)
        .kind(Some(AhoCorasickKind::DFA))
        .build(needles.iter().map(Needle::bytes))
        .expect("the built-in needles compile")
}

/// Built once per process.
pub fn automata() -> &'static Automata {
    static A: OnceLock<Automata> = OnceLock::new();
    A.get_or_init(|| Automata {
        content: build(CONTENT, MatchKind::LeftmostFirst),
        // Symbol needles overlap (`_ZNSt` in `_ZNKSt...` names): every one counts.
        symbols: build(SYMBOLS, MatchKind::Standard),
        content_labels: CONTENT.iter().map(Needle::label).collect(),
        symbol_labels: SYMBOLS.iter().map(Needle::label).collect(),
        longest: CONTENT
            .iter()
            .chain(SYMBOLS)
            .map(|n| n.len as usize)
            .max()
            .unwrap_or(1),
    })
}

/// Bytes a symbol check reads past its needle: `17h` + 16 hex digits + `E`
/// needs 17, a v0 name a few.
pub const LOOKAHEAD: usize = 17;

/// Is `after` (the bytes right after a `17h` match) a Rust legacy hash
/// suffix: 16 lowercase hex digits, `E`, end of the name?
pub fn is_legacy_hash(after: &[u8]) -> bool {
    after.len() >= 17
        && after[..16]
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        && after[16] == b'E'
        && after
            .get(17)
            .is_none_or(|&b| b == 0 || b == b'@' || b == b'.')
}

/// Is `after` (the bytes right after `\0_R`) the start of a Rust v0 name?
/// A v0 symbol is `_R`, an optional decimal version, then a path: `N`
/// (nested), `I` (generic args), `C` (crate root), `M`/`X`/`Y` (impls).
pub fn is_v0_start(after: &[u8]) -> bool {
    let mut i = 0;
    while after.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    match (after.get(i), after.get(i + 1)) {
        (Some(b'N'), Some(c)) => c.is_ascii_alphabetic(),
        (Some(b'I'), Some(b'N')) => true,
        (Some(b'C'), Some(c)) => c.is_ascii_alphanumeric() || *c == b'_',
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_hash_suffix() {
        assert!(is_legacy_hash(b"0123456789abcdefE\0"));
        assert!(is_legacy_hash(b"0123456789abcdefE"));
        // C++ names with a 17-byte component starting with h are not hashes.
        assert!(!is_legacy_hash(b"ello_world_func_xE"));
        assert!(!is_legacy_hash(b"0123456789ABCDEFE"));
        assert!(!is_legacy_hash(b"0123456789abcdef"));
        assert!(!is_legacy_hash(b"0123456789abcdefEx"));
    }

    #[test]
    fn v0_names() {
        assert!(is_v0_start(b"NvCs1234_5crate4main"));
        assert!(is_v0_start(b"INvNtCs1_4core3ptr"));
        assert!(is_v0_start(b"Cs1234_5crate"));
        assert!(!is_v0_start(b"LD_PRELOAD"));
        assert!(!is_v0_start(b""));
    }

    #[test]
    fn needles_round_trip_and_labels_do_not_contain_them() {
        assert_eq!(CONTENT[0].bytes(), b"library/core/src/");
        for n in CONTENT.iter().chain(SYMBOLS) {
            if let Some(l) = n.label {
                for m in CONTENT.iter().chain(SYMBOLS) {
                    let b = m.bytes();
                    assert!(
                        !l.as_bytes().windows(b.len()).any(|w| w == b),
                        "label {l:?} contains a needle"
                    );
                }
            }
        }
    }

    #[test]
    fn automata_build() {
        let a = automata();
        assert!(a.longest >= 40);
        let hay = b"xx/usr/src/rustc-1.63.0/library/core/src/fmt/mod.rs\0";
        let m = a.content.find(&hay[..]).expect("found");
        assert_eq!(CONTENT[m.pattern().as_usize()].class, RustPath);
    }
}

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

/// One byte string and what finding it means.
#[derive(Debug)]
pub struct Needle {
    pub bytes: &'static [u8],
    pub class: Class,
    /// Short, for the report's evidence.
    pub label: &'static str,
}

const fn n(bytes: &'static [u8], class: Class, label: &'static str) -> Needle {
    Needle {
        bytes,
        class,
        label,
    }
}

use Class::*;

/// Searched in `.rodata`, `.comment` (or the whole file).
pub const CONTENT: &[Needle] = &[
    n(b"library/core/src/", RustPath, "library/core/src/"),
    n(b"library/alloc/src/", RustPath, "library/alloc/src/"),
    n(b"library/std/src/", RustPath, "library/std/src/"),
    n(b"src/libcore/", RustPath, "src/libcore/ (Rust < 1.47)"),
    n(b"src/liballoc/", RustPath, "src/liballoc/ (Rust < 1.47)"),
    n(b"src/libstd/", RustPath, "src/libstd/ (Rust < 1.47)"),
    n(
        b"called `Option::unwrap()` on a `None` value",
        RustMessage,
        "called `Option::unwrap()` on a `None` value",
    ),
    n(
        b"called `Result::unwrap()` on an `Err` value",
        RustMessage,
        "called `Result::unwrap()` on an `Err` value",
    ),
    n(
        b"a Display implementation returned an error unexpectedly",
        RustMessage,
        "a Display implementation returned an error unexpectedly",
    ),
    n(
        b"a formatting trait implementation returned an error",
        RustMessage,
        "a formatting trait implementation returned an error",
    ),
    n(b"__rust_begin_short_backtrace", RustMessage, "__rust_begin_short_backtrace"),
    n(b"RUST_BACKTRACE", RustMessage, "RUST_BACKTRACE"),
    n(b"rustc version ", RustComment, ".comment: rustc version"),
    n(b"\xff Go buildinf:", GoBuildInfo, "Go build info magic"),
    n(b"ZIG_PROGRESS", Zig, "ZIG_PROGRESS"),
    n(b"ZIG_DEBUG_COLOR", Zig, "ZIG_DEBUG_COLOR"),
    n(
        b"aborting due to recursive panic",
        Zig,
        "aborting due to recursive panic",
    ),
    n(
        b"Panicked during a panic. Aborting.",
        Zig,
        "Panicked during a panic. Aborting.",
    ),
    n(b"attempt to unwrap error", Zig, "attempt to unwrap error"),
    n(b"access of union field '", Zig, "access of union field"),
    n(b"Unable to dump stack trace: ", Zig, "Unable to dump stack trace"),
    n(b"unknown RTS option", Haskell, "GHC RTS: unknown RTS option"),
    n(b"ghc-prim", Haskell, "ghc-prim"),
    n(b"GHC.Base", Haskell, "GHC.Base"),
    n(
        b"N10__cxxabiv117__class_type_infoE",
        CxxStatic,
        "C++ ABI type info",
    ),
    n(b"St9exception", CxxStatic, "std::exception type name"),
    n(
        b"basic_string::_M_construct null not valid",
        CxxStatic,
        "libstdc++ basic_string",
    ),
    n(
        b"in NixOS's wrapper.c failed",
        NixosSecurityWrapper,
        "NixOS security wrapper",
    ),
    n(
        b"The C-code for this binary wrapper has been generated",
        MakeBinaryWrapper,
        "makeBinaryWrapper docstring",
    ),
];

/// Searched in `.dynstr`.
pub const SYMBOLS: &[Needle] = &[
    n(b"17h", RustLegacySymbol, "Rust legacy mangled symbol"),
    n(b"\0_R", RustV0Symbol, "Rust v0 mangled symbol"),
    n(b"_Znwm", CxxSymbol, "operator new (_Znwm)"),
    n(b"_Znam", CxxSymbol, "operator new[] (_Znam)"),
    n(b"_ZdlPv", CxxSymbol, "operator delete (_ZdlPv)"),
    n(b"_ZdaPv", CxxSymbol, "operator delete[] (_ZdaPv)"),
    n(b"_ZNSt", CxxSymbol, "std:: symbol (_ZNSt)"),
    n(b"_ZNKSt", CxxSymbol, "std:: symbol (_ZNKSt)"),
    n(b"\0_ZSt", CxxSymbol, "std:: symbol (_ZSt)"),
    n(b"_ZNSo", CxxSymbol, "std::ostream (_ZNSo)"),
    n(b"__gxx_personality_v0", CxxSymbol, "__gxx_personality_v0"),
    n(b"__cxa_begin_catch", CxxSymbol, "__cxa_begin_catch"),
    n(b"__cxa_throw", CxxSymbol, "__cxa_throw"),
    n(b"__cxa_pure_virtual", CxxSymbol, "__cxa_pure_virtual"),
    n(b"__cxa_guard_acquire", CxxSymbol, "__cxa_guard_acquire"),
    n(b"_ZTVN10__cxxabiv1", CxxSymbol, "C++ ABI vtable (_ZTVN10__cxxabiv1)"),
    n(b"GLIBCXX_", CxxVersion, "libstdc++ symbol version GLIBCXX_"),
    n(b"CXXABI_", CxxVersion, "libstdc++ symbol version CXXABI_"),
];

/// The compiled automata and how far a match may reach.
pub struct Automata {
    pub content: AhoCorasick,
    pub symbols: AhoCorasick,
    /// The longest needle of either set.
    pub longest: usize,
}

impl std::fmt::Debug for Automata {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Automata")
    }
}

fn build(needles: &[Needle]) -> AhoCorasick {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostFirst)
        .kind(Some(AhoCorasickKind::DFA))
        .build(needles.iter().map(|n| n.bytes))
        .expect("the built-in needles compile")
}

/// Built once per process.
pub fn automata() -> &'static Automata {
    static A: OnceLock<Automata> = OnceLock::new();
    A.get_or_init(|| Automata {
        content: build(CONTENT),
        symbols: build(SYMBOLS),
        longest: CONTENT
            .iter()
            .chain(SYMBOLS)
            .map(|n| n.bytes.len())
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
        && after.get(17).is_none_or(|&b| b == 0 || b == b'@' || b == b'.')
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
    fn automata_build() {
        let a = automata();
        assert!(a.longest >= 40);
        let hay = b"xx/usr/src/rustc-1.63.0/library/core/src/fmt/mod.rs\0";
        let m = a.content.find(&hay[..]).expect("found");
        assert_eq!(CONTENT[m.pattern().as_usize()].class, RustPath);
    }
}

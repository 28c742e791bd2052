//! The rules that turn an ELF file's signals into one language.
//!
//! A binary often holds code of several languages: every Rust program links
//! libc, a Go program may use cgo, a Rust program may link a C++ library,
//! Zig's compiler carries LLVM. The language reported is the one whose
//! *runtime* the file carries, checked in this order:
//!
//! 1. **go**: Go's own sections (`.go.buildinfo`, `.gopclntab`,
//!    `.note.go.buildid`) or build-info magic, or gccgo's `libgo` needed.
//! 2. **zig**: two or more distinct strings of Zig's standard library.
//! 3. **other**: GHC's runtime (Haskell, two or more of its strings), or a
//!    needed runtime library of Ada (`libgnat`), D (`libgphobos`,
//!    `libphobos2`) or Swift (`libswiftCore`).
//! 4. **rust**: Rust's standard library is inside (a source path of
//!    `library/{core,alloc,std}` *and* one of its messages; or the path or
//!    a message with `rustc version` in `.comment`), or a Rust-mangled
//!    dynamic symbol (a Rust dylib, or a program linked to one). A Rust
//!    program that also links C++ stays Rust; so does a Rust `cdylib` with a
//!    C interface (librsvg, Python's `_rust.abi3.so`).
//! 5. **c++**: a C++ runtime symbol imported or exported (`_Znwm`,
//!    `_ZNSt...`, `__gxx_personality_v0`, a `GLIBCXX_` version), an
//!    exported C++-mangled symbol (a C++ API such as Abseil's; not the
//!    `_ZGV` vector-ABI names of C functions, nor Rust's legacy names), or
//!    libstdc++ linked statically (its type names), or, for C++ built
//!    without its runtime (HarfBuzz: no exceptions, no RTTI, no
//!    libstdc++), the template signatures C++ compilers write for
//!    `assert()` (`... [with T = int]`, Clang `... [T = int]`).
//! 6. **c**: none of the above. Needing `libstdc++.so` without using a
//!    symbol of it is noted, but stays C (the library was only on the link
//!    line).
//!
//! Rust code in a *needed* library does not make a C program Rust: the
//! classifier notes it as evidence (`links Rust library librsvg-2.so.2`).
//! What these rules cannot see: C++ that uses none of its runtime and
//! keeps no assertions (graphite2) looks like C; a C or C++ program that links Rust code
//! *statically* (it carries Rust's standard library, so it is reported as
//! Rust), and a Rust program built without panic locations and messages
//! (`panic_immediate_abort`, `-Zlocation-detail=none`), which looks like C.

use super::elf::ElfFacts;
use super::signals::Class;
use super::Language;

/// The verdict for one ELF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub language: Language,
    /// For `other`: which language (`haskell`, `ada`, ...).
    pub detail: Option<&'static str>,
    pub evidence: Vec<String>,
}

fn needs<'a>(facts: &'a ElfFacts, prefixes: &[&str]) -> Option<&'a str> {
    facts
        .needed
        .iter()
        .find(|n| prefixes.iter().any(|p| n.starts_with(p)))
        .map(String::as_str)
}

fn list(labels: &[&str], max: usize) -> String {
    let mut s = labels
        .iter()
        .take(max)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if labels.len() > max {
        s.push_str(", ...");
    }
    s
}

fn distinct(facts: &ElfFacts, class: Class) -> usize {
    facts.labels(class).len()
}

/// C++ evidence, strongest first; empty when there is none.
fn cxx_evidence(facts: &ElfFacts) -> Vec<String> {
    let mut ev = Vec::new();
    let syms = facts.labels(Class::CxxSymbol);
    if !syms.is_empty() {
        ev.push(format!("C++ runtime symbols: {}", list(&syms, 3)));
    }
    let vers = facts.labels(Class::CxxVersion);
    if !vers.is_empty() {
        ev.push(list(&vers, 2));
    }
    let stat = facts.labels(Class::CxxStatic);
    if !stat.is_empty() {
        ev.push(format!("static C++ runtime: {}", list(&stat, 3)));
    }
    if facts.cxx_defined > 0 {
        ev.push(format!("exports {} C++-mangled symbols", facts.cxx_defined));
    }
    if facts.has(Class::CxxSignature) {
        ev.push(format!(
            "{} C++ template signatures (__PRETTY_FUNCTION__)",
            facts.count(Class::CxxSignature)
        ));
    }
    ev
}

/// Decides the language of one ELF file from its facts.
pub fn decide(facts: &ElfFacts) -> Verdict {
    let verdict = |language, detail, evidence| Verdict {
        language,
        detail,
        evidence,
    };
    let mut base = Vec::new();
    if facts.sectionless {
        base.push("no section headers: whole file searched".to_string());
    }

    // 1. Go.
    if !facts.go_sections.is_empty() || facts.has(Class::GoBuildInfo) {
        let mut ev = base;
        if facts.go_sections.is_empty() {
            ev.push("Go build info magic".into());
        } else {
            ev.push(format!("sections {}", facts.go_sections.join(", ")));
        }
        return verdict(Language::Go, None, ev);
    }
    if let Some(lib) = needs(facts, &["libgo.so"]) {
        let mut ev = base;
        ev.push(format!("needs {lib} (gccgo's runtime)"));
        return verdict(Language::Go, None, ev);
    }

    // 2. Zig.
    if distinct(facts, Class::Zig) >= 2 {
        let mut ev = base;
        ev.push(format!(
            "Zig std strings: {}",
            list(&facts.labels(Class::Zig), 3)
        ));
        return verdict(Language::Zig, None, ev);
    }

    // 3. Other languages with a runtime of their own.
    if distinct(facts, Class::Haskell) >= 2 {
        let mut ev = base;
        ev.push(format!(
            "GHC runtime strings: {}",
            list(&facts.labels(Class::Haskell), 3)
        ));
        return verdict(Language::Other, Some("haskell"), ev);
    }
    for (prefixes, lang) in [
        (&["libgnat"][..], "ada"),
        (&["libgphobos", "libphobos2"][..], "d"),
        (&["libswiftCore"][..], "swift"),
    ] {
        if let Some(lib) = needs(facts, prefixes) {
            let mut ev = base;
            ev.push(format!("needs {lib} ({lang} runtime)"));
            return verdict(Language::Other, Some(lang), ev);
        }
    }

    // 4. Rust.
    let paths = facts.labels(Class::RustPath);
    let messages = facts.labels(Class::RustMessage);
    let comment = facts.has(Class::RustComment);
    let legacy = facts.count(Class::RustLegacySymbol);
    let v0 = facts.count(Class::RustV0Symbol);
    let std_inside = (!paths.is_empty() && !messages.is_empty())
        || (comment && !(paths.is_empty() && messages.is_empty()));
    if std_inside || legacy + v0 > 0 {
        let mut ev = base;
        if !paths.is_empty() {
            ev.push(format!("Rust std paths: {}", list(&paths, 3)));
        }
        if !messages.is_empty() {
            ev.push(format!("Rust std messages: {}", list(&messages, 2)));
        }
        if comment {
            ev.push(".comment: rustc version".into());
        }
        if legacy + v0 > 0 {
            ev.push(format!("{} Rust-mangled dynamic symbols", legacy + v0));
        }
        let cxx = cxx_evidence(facts);
        if !cxx.is_empty() {
            ev.push(format!("also C++: {}", cxx.join("; ")));
        }
        return verdict(Language::Rust, None, ev);
    }

    // 5. C++.
    let cxx = cxx_evidence(facts);
    if !cxx.is_empty() {
        let mut ev = base;
        if let Some(lib) = needs(facts, &["libstdc++.so", "libc++.so"]) {
            ev.push(format!("needs {lib}"));
        }
        ev.extend(cxx);
        return verdict(Language::Cxx, None, ev);
    }

    // 6. C.
    let mut ev = base;
    ev.push("no Rust, C++, Go or Zig runtime".into());
    if let Some(lib) = needs(facts, &["libstdc++.so", "libc++.so"]) {
        ev.push(format!("needs {lib} but uses none of its symbols"));
    }
    if !paths.is_empty() || !messages.is_empty() {
        ev.push(format!(
            "lone Rust strings, not enough: {}",
            list(&[paths, messages].concat(), 2)
        ));
    }
    verdict(Language::C, None, ev)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oxidation::signals::{CONTENT, SYMBOLS};

    /// Facts with the named needles (labels) found once each.
    fn facts(labels: &[&str], needed: &[&str]) -> ElfFacts {
        let mut f = ElfFacts {
            content: vec![0; CONTENT.len()],
            symbols: vec![0; SYMBOLS.len()],
            needed: needed.iter().map(|s| s.to_string()).collect(),
            ..ElfFacts::default()
        };
        for l in labels {
            if let Some(i) = CONTENT.iter().position(|n| n.label() == *l) {
                f.content[i] += 1;
            } else if let Some(i) = SYMBOLS.iter().position(|n| n.label() == *l) {
                f.symbols[i] += 1;
            } else {
                panic!("no needle labelled {l}");
            }
        }
        f
    }

    const PATH: &str = "library/core/src/";
    const UNWRAP: &str = "called `Option::unwrap()` on a `None` value";
    const NEW: &str = "operator new";

    #[test]
    fn a_rust_program_is_rust_though_it_links_libc() {
        let v = decide(&facts(&[PATH, UNWRAP], &["libc.so.6", "libgcc_s.so.1"]));
        assert_eq!(v.language, Language::Rust, "{v:?}");
    }

    #[test]
    fn a_rust_program_linking_cxx_stays_rust_and_says_so() {
        let v = decide(&facts(
            &[PATH, UNWRAP, NEW, "libstdc++ symbol versions"],
            &["libstdc++.so.6", "libc.so.6"],
        ));
        assert_eq!(v.language, Language::Rust);
        assert!(
            v.evidence.iter().any(|e| e.starts_with("also C++")),
            "{v:?}"
        );
    }

    #[test]
    fn one_kind_of_rust_string_alone_is_not_enough() {
        let v = decide(&facts(&[PATH], &["libc.so.6"]));
        assert_eq!(v.language, Language::C, "{v:?}");
        assert!(v.evidence.iter().any(|e| e.contains("not enough")));
        let v = decide(&facts(&[UNWRAP], &["libc.so.6"]));
        assert_eq!(v.language, Language::C, "{v:?}");
        // With rustc's .comment, one of them is enough.
        let v = decide(&facts(&[PATH, ".comment: rustc version"], &[]));
        assert_eq!(v.language, Language::Rust, "{v:?}");
    }

    #[test]
    fn rust_mangled_symbols_alone_make_rust() {
        let v = decide(&facts(&["Rust legacy mangled symbol"], &["libstd-123.so"]));
        assert_eq!(v.language, Language::Rust);
        let v = decide(&facts(&["Rust v0 mangled symbol"], &[]));
        assert_eq!(v.language, Language::Rust);
    }

    #[test]
    fn cxx_by_imports_or_static_runtime() {
        let v = decide(&facts(&[NEW], &["libstdc++.so.6"]));
        assert_eq!(v.language, Language::Cxx);
        assert!(v.evidence[0].contains("needs libstdc++.so.6"), "{v:?}");
        let v = decide(&facts(&["std::exception type name"], &["libc.so.6"]));
        assert_eq!(v.language, Language::Cxx);
    }

    #[test]
    fn cxx_without_its_runtime_by_signatures_or_exported_names() {
        // HarfBuzz: no libstdc++, only assert()'s template signatures.
        let v = decide(&facts(&["C++ template signatures"], &["libc.so.6"]));
        assert_eq!(v.language, Language::Cxx, "{v:?}");
        // Abseil: a C++ API, no runtime symbol.
        let mut f = facts(&[], &["libc.so.6"]);
        f.cxx_defined = 4;
        let v = decide(&f);
        assert_eq!(v.language, Language::Cxx, "{v:?}");
        assert!(v
            .evidence
            .iter()
            .any(|e| e == "exports 4 C++-mangled symbols"));
    }

    #[test]
    fn needing_libstdcxx_without_using_it_is_c() {
        let v = decide(&facts(&[], &["libstdc++.so.6", "libc.so.6"]));
        assert_eq!(v.language, Language::C);
        assert!(v.evidence.iter().any(|e| e.contains("uses none")), "{v:?}");
    }

    #[test]
    fn go_wins_over_everything_it_links() {
        let mut f = facts(&[NEW, PATH, UNWRAP], &["libc.so.6"]);
        f.go_sections.push(".go.buildinfo");
        assert_eq!(decide(&f).language, Language::Go);
        let f = facts(&["Go build info magic"], &[]);
        assert_eq!(decide(&f).language, Language::Go);
        let f = facts(&[], &["libgo.so.21", "libc.so.6"]);
        assert_eq!(decide(&f).language, Language::Go);
    }

    #[test]
    fn zig_needs_two_distinct_strings() {
        let v = decide(&facts(&["ZIG_PROGRESS"], &[]));
        assert_eq!(v.language, Language::C);
        let v = decide(&facts(
            &["ZIG_PROGRESS", "aborting due to recursive panic"],
            &[],
        ));
        assert_eq!(v.language, Language::Zig);
        // The Zig compiler carries LLVM (C++) and is Zig.
        let v = decide(&facts(
            &[
                "ZIG_PROGRESS",
                "attempt to unwrap error",
                "std::exception type name",
            ],
            &[],
        ));
        assert_eq!(v.language, Language::Zig);
    }

    #[test]
    fn haskell_and_runtime_libraries_are_other_with_detail() {
        let v = decide(&facts(&["ghc-prim", "GHC.Base"], &["libgmp.so.10"]));
        assert_eq!((v.language, v.detail), (Language::Other, Some("haskell")));
        let v = decide(&facts(&[], &["libgnat-12.so", "libc.so.6"]));
        assert_eq!((v.language, v.detail), (Language::Other, Some("ada")));
    }

    #[test]
    fn plain_c() {
        let v = decide(&facts(&[], &["libc.so.6"]));
        assert_eq!(v.language, Language::C);
    }
}

//! The oxidation report: counts and bytes per language, the headline, and
//! its JSON, Markdown and human forms; `compare` of two reports.
//!
//! Counting rules. Executables and shared libraries are counted once per
//! real file (links to the same file count once), under the language of
//! their own code, with their bytes. *Programs* (executables and scripts as
//! listed, e.g. every command on PATH) are counted under the language of
//! what runs: a wrapper under its target's, a script under its
//! interpreter's.

use super::walk::{pname, store_name};
use super::{Entry, Kind, Language};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;

/// Files and bytes of one language.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Executables and scripts listed, by what runs.
    pub programs: u64,
    /// Distinct ELF executables, by their own code.
    pub executables: u64,
    /// Distinct shared libraries, by their own code.
    pub libraries: u64,
    /// Bytes of those executables and libraries.
    pub bytes: u64,
}

/// Tallies per language (keys: `rust`, `c`, `c++`, `go`, `zig`, `other`).
pub type ByLanguage = BTreeMap<String, Tally>;

/// Counts `entries` by language (see the module's counting rules).
pub fn tally(entries: &[Entry]) -> ByLanguage {
    let mut by: ByLanguage = Language::ALL
        .iter()
        .map(|l| (l.as_str().to_string(), Tally::default()))
        .collect();
    let mut seen = HashSet::new();
    for e in entries {
        if matches!(e.kind, Kind::Executable | Kind::Script) {
            if let Some(l) = e.language {
                by.entry(l.as_str().into()).or_default().programs += 1;
            }
        }
        if !e.is_elf() || !seen.insert(e.real().to_string()) {
            continue;
        }
        if let Some(l) = e.own_language() {
            let t = by.entry(l.as_str().into()).or_default();
            match e.kind {
                Kind::Executable => t.executables += 1,
                _ => t.libraries += 1,
            }
            t.bytes += e.size;
        }
    }
    by
}

fn sum(by: &ByLanguage) -> Tally {
    by.values().fold(Tally::default(), |a, t| Tally {
        programs: a.programs + t.programs,
        executables: a.executables + t.executables,
        libraries: a.libraries + t.libraries,
        bytes: a.bytes + t.bytes,
    })
}

/// One package (store path) of a closure.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Package {
    pub name: String,
    pub path: String,
    pub by_language: ByLanguage,
}

/// The commands on a system's PATH.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Commands {
    pub total: u64,
    pub rust: u64,
    /// Commands by the language of what runs (`none`: an error).
    pub by_language: BTreeMap<String, u64>,
    pub entries: Vec<Entry>,
}

/// The whole report, as written with `--json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub version: u32,
    pub name: String,
    pub headline: String,
    /// The paths given, or the system's toplevel.
    pub roots: Vec<String>,
    /// All entries (in system mode: the closure's), by language.
    pub by_language: ByLanguage,
    pub total: Tally,
    /// Walked files that are not programs (headers, data), not listed.
    pub skipped_files: u64,
    /// Entries with an error.
    pub errors: u64,
    /// Bytes of the sections searched (`.rodata`, `.comment`, `.dynstr`,
    /// whole files without sections): what the run read besides headers.
    #[serde(default)]
    pub bytes_searched: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commands: Option<Commands>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<Package>,
    pub entries: Vec<Entry>,
}

/// `part` of `whole` as a whole percentage, rounded.
pub fn percent(part: u64, whole: u64) -> u64 {
    (part * 100 + whole / 2).checked_div(whole).unwrap_or(0)
}

/// A report of paths (no system).
pub fn plain(name: &str, roots: Vec<String>, entries: Vec<Entry>, skipped: u64) -> Report {
    let by_language = tally(&entries);
    let total = sum(&by_language);
    let rust = &by_language["rust"];
    let headline = format!(
        "{name}: {}/{} programs are Rust ({}%), {}% of executable and library bytes",
        rust.programs,
        total.programs,
        percent(rust.programs, total.programs),
        percent(rust.bytes, total.bytes),
    );
    Report {
        version: 1,
        name: name.to_string(),
        headline,
        roots,
        errors: entries.iter().filter(|e| e.error.is_some()).count() as u64,
        by_language,
        total,
        skipped_files: skipped,
        bytes_searched: 0,
        commands: None,
        packages: Vec::new(),
        entries,
    }
}

/// A report of a system: its PATH's commands and its closure, grouped by
/// store path.
pub fn system(
    name: &str,
    toplevel: String,
    commands: Vec<Entry>,
    closure: Vec<(String, Vec<Entry>)>,
    skipped: u64,
) -> Report {
    let mut by_cmd: BTreeMap<String, u64> = BTreeMap::new();
    for e in &commands {
        *by_cmd
            .entry(e.language.map_or("none", Language::as_str).to_string())
            .or_default() += 1;
    }
    let rust_cmds = by_cmd.get("rust").copied().unwrap_or(0);
    let packages: Vec<Package> = closure
        .iter()
        .map(|(path, entries)| Package {
            name: store_name(path),
            path: path.clone(),
            by_language: tally(entries),
        })
        .filter(|p| sum(&p.by_language) != Tally::default())
        .collect();
    let entries: Vec<Entry> = closure.into_iter().flat_map(|(_, e)| e).collect();
    let by_language = tally(&entries);
    let total = sum(&by_language);
    let headline = format!(
        "{name}: {rust_cmds}/{} commands on PATH are Rust ({}%), {}% of closure executables",
        commands.len(),
        percent(rust_cmds, commands.len() as u64),
        percent(by_language["rust"].executables, total.executables),
    );
    Report {
        version: 1,
        name: name.to_string(),
        headline,
        roots: vec![toplevel],
        errors: entries
            .iter()
            .chain(&commands)
            .filter(|e| e.error.is_some())
            .count() as u64,
        by_language,
        total,
        skipped_files: skipped,
        bytes_searched: 0,
        commands: Some(Commands {
            total: commands.len() as u64,
            rust: rust_cmds,
            by_language: by_cmd,
            entries: commands,
        }),
        packages,
        entries,
    }
}

/// `1234567` as `1.2 MiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn language_rows(r: &Report, md: bool) -> String {
    let mut s = String::new();
    let cmds = r.commands.as_ref();
    let sep = if md { " | " } else { "  " };
    let mut row = |cells: Vec<String>| {
        if md {
            let _ = writeln!(s, "| {} |", cells.join(sep));
        } else {
            let _ = writeln!(
                s,
                "{:<9}{}",
                cells[0],
                cells[1..]
                    .iter()
                    .map(|c| format!("{c:>12}"))
                    .collect::<String>()
            );
        }
    };
    let mut head = vec!["language".to_string()];
    if cmds.is_some() {
        head.push("commands".into());
    }
    head.extend(["programs", "executables", "libraries", "bytes", "bytes %"].map(String::from));
    let n = head.len();
    row(head);
    if md {
        row(std::iter::once("---".to_string())
            .chain(std::iter::repeat_n("---:".to_string(), n - 1))
            .collect());
    }
    let total = &r.total;
    for (lang, t) in r.by_language.iter().chain([(&"total".to_string(), total)]) {
        let mut cells = vec![lang.clone()];
        if let Some(c) = cmds {
            cells.push(if lang == "total" {
                c.total.to_string()
            } else {
                c.by_language.get(lang).copied().unwrap_or(0).to_string()
            });
        }
        cells.extend([
            t.programs.to_string(),
            t.executables.to_string(),
            t.libraries.to_string(),
            human_bytes(t.bytes),
            format!("{}%", percent(t.bytes, total.bytes)),
        ]);
        row(cells);
    }
    s
}

/// The human summary: headline, the table per language, the errors.
pub fn human(r: &Report) -> String {
    let mut s = format!("{}\n\n", r.headline);
    s.push_str(&language_rows(r, false));
    if r.skipped_files > 0 {
        let _ = writeln!(
            s,
            "\n{} other files (not ELF, not #!, not executable) skipped",
            r.skipped_files
        );
    }
    let errors: Vec<&Entry> = r
        .commands
        .iter()
        .flat_map(|c| &c.entries)
        .chain(&r.entries)
        .filter(|e| e.error.is_some())
        .collect();
    if !errors.is_empty() {
        let _ = writeln!(s, "\n{} entries with errors:", errors.len());
        for e in errors {
            let _ = writeln!(s, "  {}: {}", e.path, e.error.as_deref().unwrap_or(""));
        }
    }
    s
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// The Markdown report.
pub fn markdown(r: &Report) -> String {
    let mut s = format!("# {}\n\n## By language\n\n", md_escape(&r.headline));
    s.push_str(&language_rows(r, true));
    s.push_str(
        "\nPrograms: executables and scripts listed, by the language of what runs \
         (a wrapper's target, a script's interpreter). Executables, libraries and bytes: \
         each real file once, by the language of its own code.\n",
    );
    if let Some(c) = &r.commands {
        let _ = write!(
            s,
            "\n## Commands on PATH\n\n| command | language | runs |\n|---|---|---|\n"
        );
        for e in &c.entries {
            let name = e.path.rsplit('/').next().unwrap_or(&e.path);
            let lang = e.language.map_or("-", Language::as_str);
            let runs = e.target.as_deref().unwrap_or(e.real());
            let how = match (&e.wrapper, &e.error) {
                (_, Some(err)) => format!(" (error: {})", md_escape(err)),
                (Some(w), None) => format!(" (via {})", w.kind.as_str()),
                (None, None) if e.kind == Kind::Script => " (script)".to_string(),
                _ => String::new(),
            };
            let _ = writeln!(
                s,
                "| `{}` | {lang} | `{}`{how} |",
                md_escape(name),
                md_escape(runs)
            );
        }
    }
    if !r.packages.is_empty() {
        let _ = write!(
            s,
            "\n## Packages\n\nExecutables + libraries and their bytes per language, largest first.\n\n| package | {} |\n|---|{}\n",
            Language::ALL.map(|l| l.as_str()).join(" | "),
            "---:|".repeat(Language::ALL.len())
        );
        let mut pkgs: Vec<&Package> = r.packages.iter().collect();
        pkgs.sort_by_key(|p| std::cmp::Reverse(sum(&p.by_language).bytes));
        for p in pkgs {
            let cells: Vec<String> = Language::ALL
                .iter()
                .map(|l| match p.by_language.get(l.as_str()) {
                    Some(t) if t.executables + t.libraries > 0 => {
                        format!("{} ({})", t.executables + t.libraries, human_bytes(t.bytes))
                    }
                    _ => String::new(),
                })
                .collect();
            let _ = writeln!(s, "| {} | {} |", md_escape(&p.name), cells.join(" | "));
        }
    }
    let errors: Vec<&Entry> = r
        .commands
        .iter()
        .flat_map(|c| &c.entries)
        .chain(&r.entries)
        .filter(|e| e.error.is_some())
        .collect();
    if !errors.is_empty() {
        let _ = write!(s, "\n## Errors\n\n");
        for e in errors {
            let _ = writeln!(
                s,
                "- `{}`: {}",
                md_escape(&e.path),
                md_escape(e.error.as_deref().unwrap_or(""))
            );
        }
    }
    s
}

/// What moved between two reports, by language, as text.
pub fn compare(a: &Report, b: &Report) -> String {
    let mut s = format!("{}\n{}\n\n", a.headline, b.headline);
    let delta = |x: u64, y: u64| {
        let d = y as i64 - x as i64;
        if d == 0 {
            "0".to_string()
        } else {
            format!("{d:+}")
        }
    };
    let bytes_delta = |x: u64, y: u64| {
        if y >= x {
            format!("+{}", human_bytes(y - x))
        } else {
            format!("-{}", human_bytes(x - y))
        }
    };
    let systems = a.commands.is_some() && b.commands.is_some();
    let _ = writeln!(
        s,
        "| language | {} | executables | libraries | bytes |\n|---|---:|---:|---:|---:|",
        if systems { "commands" } else { "programs" }
    );
    let langs: BTreeSet<&String> = a.by_language.keys().chain(b.by_language.keys()).collect();
    let zero = Tally::default();
    let programs_of = |r: &Report, l: &str| match &r.commands {
        Some(c) if systems => c.by_language.get(l).copied().unwrap_or(0),
        _ => r.by_language.get(l).map_or(0, |t| t.programs),
    };
    for l in langs {
        let (x, y) = (
            a.by_language.get(l).unwrap_or(&zero),
            b.by_language.get(l).unwrap_or(&zero),
        );
        let (pa, pb) = (programs_of(a, l), programs_of(b, l));
        let _ = writeln!(
            s,
            "| {l} | {pa} -> {pb} ({}) | {} -> {} ({}) | {} -> {} ({}) | {} -> {} ({}) |",
            delta(pa, pb),
            x.executables,
            y.executables,
            delta(x.executables, y.executables),
            x.libraries,
            y.libraries,
            delta(x.libraries, y.libraries),
            human_bytes(x.bytes),
            human_bytes(y.bytes),
            bytes_delta(x.bytes, y.bytes),
        );
    }

    // Programs by name (commands on PATH, or the entries' file names).
    let programs = |r: &Report| -> BTreeMap<String, String> {
        let list: &[Entry] = match &r.commands {
            Some(c) => &c.entries,
            None => &r.entries,
        };
        list.iter()
            .filter(|e| matches!(e.kind, Kind::Executable | Kind::Script) || e.error.is_some())
            .map(|e| {
                let base = e.path.rsplit('/').next().unwrap_or(&e.path).to_string();
                // A command by its name; a program by its path below the
                // root it was found under, so two trees compare file by file.
                let name = match &r.commands {
                    Some(_) => base,
                    None => r
                        .roots
                        .iter()
                        .filter_map(|root| e.path.strip_prefix(root.trim_end_matches('/')))
                        .find_map(|rest| rest.strip_prefix('/'))
                        .map_or(base, String::from),
                };
                (
                    name,
                    e.language.map_or("none", Language::as_str).to_string(),
                )
            })
            .collect()
    };
    let (pa, pb) = (programs(a), programs(b));
    let moved: Vec<String> = pa
        .iter()
        .filter_map(|(n, la)| {
            let lb = pb.get(n)?;
            (la != lb).then(|| format!("  {n}: {la} -> {lb}"))
        })
        .collect();
    let gone: Vec<&String> = pa.keys().filter(|n| !pb.contains_key(*n)).collect();
    let new: Vec<&String> = pb.keys().filter(|n| !pa.contains_key(*n)).collect();
    let what = if systems { "commands" } else { "programs" };
    let _ = writeln!(s, "\n{} {what} changed language", moved.len());
    for m in &moved {
        let _ = writeln!(s, "{m}");
    }
    for (label, list, r) in [
        ("only in the first", &gone, &pa),
        ("only in the second", &new, &pb),
    ] {
        if !list.is_empty() {
            let _ = writeln!(s, "{} {what} {label}:", list.len());
            for n in list.iter() {
                let _ = writeln!(s, "  {n} ({})", r[*n]);
            }
        }
    }

    // Packages by name without version, like `nix store diff-closures`.
    let packages = |r: &Report| -> BTreeMap<String, ByLanguage> {
        let mut m: BTreeMap<String, ByLanguage> = BTreeMap::new();
        for p in &r.packages {
            let by = m.entry(pname(&p.name).to_string()).or_default();
            for (l, t) in &p.by_language {
                let e = by.entry(l.clone()).or_default();
                e.executables += t.executables;
                e.libraries += t.libraries;
                e.bytes += t.bytes;
            }
        }
        m
    };
    let (ka, kb) = (packages(a), packages(b));
    let names: BTreeSet<&String> = ka.keys().chain(kb.keys()).collect();
    let describe = |by: Option<&ByLanguage>| -> String {
        let parts: Vec<String> = by
            .into_iter()
            .flatten()
            .filter(|(_, t)| t.executables + t.libraries > 0)
            .map(|(l, t)| format!("{l} {}", human_bytes(t.bytes)))
            .collect();
        if parts.is_empty() {
            "-".into()
        } else {
            parts.join(", ")
        }
    };
    let changed: Vec<String> = names
        .into_iter()
        .filter_map(|n| {
            let (x, y) = (describe(ka.get(n)), describe(kb.get(n)));
            (x != y).then(|| format!("  {n}: {x} -> {y}"))
        })
        .collect();
    if !changed.is_empty() {
        let _ = writeln!(s, "\n{} packages changed:", changed.len());
        for c in changed {
            let _ = writeln!(s, "{c}");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, kind: Kind, lang: Option<Language>, size: u64) -> Entry {
        let mut e = Entry::new(std::path::Path::new(path));
        e.kind = kind;
        e.language = lang;
        e.size = size;
        e
    }

    #[test]
    fn links_count_once_and_wrappers_by_what_they_run() {
        let mut link = entry("/bin/rg-link", Kind::Executable, Some(Language::Rust), 100);
        link.real_path = Some("/bin/rg".into());
        let mut wrapper = entry("/bin/w", Kind::Executable, Some(Language::Rust), 10);
        wrapper.file_language = Some(Language::C);
        let entries = vec![
            entry("/bin/rg", Kind::Executable, Some(Language::Rust), 100),
            link,
            wrapper,
            entry(
                "/lib/libc.so.6",
                Kind::SharedLibrary,
                Some(Language::C),
                1000,
            ),
            entry("/bin/s", Kind::Script, Some(Language::C), 5),
        ];
        let by = tally(&entries);
        assert_eq!(
            by["rust"],
            Tally {
                programs: 3,
                executables: 1,
                libraries: 0,
                bytes: 100
            }
        );
        assert_eq!(
            by["c"],
            Tally {
                programs: 1,
                executables: 1,
                libraries: 1,
                bytes: 1010
            }
        );
    }

    #[test]
    fn headline_of_a_system() {
        let cmds = vec![
            entry("/s/sw/bin/ls", Kind::Executable, Some(Language::Rust), 1),
            entry("/s/sw/bin/sudo", Kind::Executable, Some(Language::Rust), 1),
            entry("/s/sw/bin/bash", Kind::Executable, Some(Language::C), 1),
        ];
        let closure = vec![
            (
                "/nix/store/0123456789abcdfghijklmnpqrsvwxyz-uutils-0.1".to_string(),
                vec![entry("/u/ls", Kind::Executable, Some(Language::Rust), 10)],
            ),
            (
                "/nix/store/0123456789abcdfghijklmnpqrsvwxyy-bash-5.2".to_string(),
                vec![
                    entry("/b/bash", Kind::Executable, Some(Language::C), 10),
                    entry("/b/sh", Kind::Executable, Some(Language::C), 10),
                    entry("/b/x", Kind::Executable, Some(Language::C), 10),
                ],
            ),
        ];
        let r = system("nixos-rs", "/s".into(), cmds, closure, 0);
        assert_eq!(
            r.headline,
            "nixos-rs: 2/3 commands on PATH are Rust (67%), 25% of closure executables"
        );
        assert_eq!(r.packages.len(), 2);
        assert_eq!(r.packages[0].name, "uutils-0.1");
    }

    #[test]
    fn percent_rounds_and_survives_zero() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
    }
}

//! `bootcheck oxidation`: which language each program and library of a
//! system is written in, from what survives stripping.
//!
//! [`Classifier::classify`] takes any path (a command, a wrapper, a script,
//! a library a process mapped) and returns an [`Entry`]: the kind of file,
//! its language, the evidence, and what it really runs (symlinks,
//! NixOS security wrappers, makeBinaryWrapper and makeWrapper wrappers and
//! `#!` interpreters followed). The analysis of each real file is cached by
//! canonical path, so one classifier shared by threads reads every file
//! once, however many links, wrappers and needed-library lookups reach it.
//!
//! - [`signals`]: the byte strings and their automata;
//! - [`elf`]: reading an ELF file (the `object` crate, streamed sections);
//! - [`rules`]: signals to language;
//! - [`script`]: `#!` lines and shell wrappers;
//! - [`walk`]: paths, directories, store paths, a system and its closure;
//! - [`report`]: JSON, Markdown, the human summary, the headline, compare;
//! - [`cli`]: the `bootcheck oxidation` command line;
//! - [`boot`]: the meter at boot time (the processes of a booted guest).

pub mod boot;
pub mod cli;
pub mod elf;
pub mod report;
pub mod rules;
pub mod script;
pub mod signals;
pub mod walk;

use elf::ElfFacts;
use rules::Verdict;
use serde::{Deserialize, Serialize};
use signals::Class;
use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// A binary's source language.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Language {
    #[serde(rename = "rust")]
    Rust,
    #[serde(rename = "c")]
    C,
    #[serde(rename = "c++")]
    Cxx,
    #[serde(rename = "go")]
    Go,
    #[serde(rename = "zig")]
    Zig,
    #[serde(rename = "other")]
    Other,
}

impl Language {
    pub const ALL: [Language; 6] = [
        Language::Rust,
        Language::C,
        Language::Cxx,
        Language::Go,
        Language::Zig,
        Language::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::C => "c",
            Language::Cxx => "c++",
            Language::Go => "go",
            Language::Zig => "zig",
            Language::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Language> {
        Language::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl std::fmt::Display for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a file is.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Executable,
    SharedLibrary,
    Script,
    Other,
}

/// The kinds of wrapper that are followed to what they run.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum WrapperKind {
    /// NixOS's setuid/capability wrapper (nixos/modules/security/wrappers/wrapper.c).
    NixosSecurityWrapper,
    /// nixpkgs' makeBinaryWrapper (a small C program that execs a path).
    MakeBinaryWrapper,
    /// A shell script whose last command is `exec /abs/path ...`
    /// (nixpkgs' makeWrapper / makeShellWrapper writes these).
    ShellWrapper,
}

impl WrapperKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WrapperKind::NixosSecurityWrapper => "nixos-security-wrapper",
            WrapperKind::MakeBinaryWrapper => "make-binary-wrapper",
            WrapperKind::ShellWrapper => "shell-wrapper",
        }
    }
}

/// A wrapper and what it runs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Wrapper {
    pub kind: WrapperKind,
    /// The path the wrapper execs, as written in it.
    pub target: String,
}

/// A script's interpreter.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Interpreter {
    /// The `#!` line without `#!`.
    pub command: String,
    /// The program that runs, symlinks and wrappers followed.
    pub path: Option<String>,
    pub language: Option<Language>,
}

/// One classified path.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The path as given or found by the walk.
    pub path: String,
    /// Its canonical path, when it differs (symlinks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_path: Option<String>,
    pub kind: Kind,
    /// What runs: the file's own language, or for a wrapper what it wraps,
    /// for a script its interpreter's. `null` for other files and errors.
    pub language: Option<Language>,
    /// For `other`: the language, when known (`haskell`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The language of the file's own code, when it differs from
    /// `language` (a wrapper written in C that runs a Rust program).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_language: Option<Language>,
    pub evidence: Vec<String>,
    /// Bytes of the real file.
    pub size: u64,
    /// The program that finally runs, when it is not this file: through
    /// wrappers, or a script's interpreter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapper: Option<Wrapper>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<Interpreter>,
    /// Needed libraries (`DT_NEEDED`) that are Rust.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rust_libraries: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Entry {
    /// An entry for `path` with nothing known yet (kind `other`).
    pub fn new(path: &Path) -> Entry {
        Entry {
            path: path.display().to_string(),
            real_path: None,
            kind: Kind::Other,
            language: None,
            detail: None,
            file_language: None,
            evidence: Vec::new(),
            size: 0,
            target: None,
            wrapper: None,
            interpreter: None,
            rust_libraries: Vec::new(),
            error: None,
        }
    }

    /// The real file (canonical path, or the path itself).
    pub fn real(&self) -> &str {
        self.real_path.as_deref().unwrap_or(&self.path)
    }

    /// The language of this file's own code (for byte counts).
    pub fn own_language(&self) -> Option<Language> {
        match self.kind {
            Kind::Executable | Kind::SharedLibrary => self.file_language.or(self.language),
            _ => None,
        }
    }

    /// Is this an ELF executable or library whose own code counts?
    pub fn is_elf(&self) -> bool {
        matches!(self.kind, Kind::Executable | Kind::SharedLibrary) && self.error.is_none()
    }
}

/// The cached analysis of one real file's own content.
#[derive(Debug, Clone)]
pub struct Own {
    pub size: u64,
    pub content: Content,
}

#[derive(Debug, Clone)]
pub enum Content {
    Elf {
        kind: Kind,
        facts: Box<ElfFacts>,
        verdict: Verdict,
    },
    Script(script::Script),
    /// Neither ELF nor `#!`.
    Data {
        executable: bool,
    },
    Error(String),
}

/// How many wrappers and interpreters are followed from one path.
const MAX_DEPTH: usize = 8;

/// Classifies paths; shareable between threads (`&self` everywhere).
#[derive(Debug)]
pub struct Classifier {
    cache: Mutex<HashMap<PathBuf, Arc<OnceLock<Arc<Own>>>>>,
    /// Where `#!/usr/bin/env NAME` looks for NAME, in order.
    pub search_path: Vec<PathBuf>,
    /// Where needed libraries are looked for after the run path.
    pub lib_dirs: Vec<PathBuf>,
    bytes_read: AtomicU64,
}

impl Default for Classifier {
    fn default() -> Self {
        Self::new()
    }
}

impl Classifier {
    /// A classifier whose `env` looks in `$PATH` and whose libraries are
    /// looked for in the usual directories of this machine.
    pub fn new() -> Classifier {
        let search_path = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).collect())
            .unwrap_or_default();
        let triple = format!("{}-linux-gnu", std::env::consts::ARCH);
        let lib_dirs = [
            format!("/lib/{triple}"),
            format!("/usr/lib/{triple}"),
            "/lib64".into(),
            "/usr/lib64".into(),
            "/lib".into(),
            "/usr/lib".into(),
        ]
        .into_iter()
        .map(PathBuf::from)
        .collect();
        Classifier {
            cache: Mutex::new(HashMap::new()),
            search_path,
            lib_dirs,
            bytes_read: AtomicU64::new(0),
        }
    }

    /// Bytes of files read so far (headers and searched sections).
    pub fn bytes_read(&self) -> u64 {
        self.bytes_read.load(Ordering::Relaxed)
    }

    /// The analysis of one real file, computed once per canonical path.
    pub fn own(&self, real: &Path) -> Arc<Own> {
        let cell = {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            cache.entry(real.to_path_buf()).or_default().clone()
        };
        cell.get_or_init(|| Arc::new(self.analyze(real))).clone()
    }

    fn analyze(&self, real: &Path) -> Own {
        let file = match File::open(real) {
            Ok(f) => f,
            Err(e) => {
                return Own {
                    size: std::fs::metadata(real).map(|m| m.len()).unwrap_or(0),
                    content: Content::Error(format!("cannot read: {e}")),
                }
            }
        };
        let meta = match file.metadata() {
            Ok(m) => m,
            Err(e) => {
                return Own {
                    size: 0,
                    content: Content::Error(format!("cannot stat: {e}")),
                }
            }
        };
        let size = meta.len();
        if meta.is_dir() {
            return Own {
                size,
                content: Content::Error("is a directory".into()),
            };
        }
        let mut head = [0u8; 4];
        let n = match (&file).take(4).read(&mut head) {
            Ok(n) => n,
            Err(e) => {
                return Own {
                    size,
                    content: Content::Error(format!("cannot read: {e}")),
                }
            }
        };
        let content = if n == 4 && head == *b"\x7fELF" {
            match elf::read(&file, size) {
                Ok(facts) => {
                    self.bytes_read.fetch_add(facts.scanned, Ordering::Relaxed);
                    let verdict = rules::decide(&facts);
                    Content::Elf {
                        kind: facts.kind.unwrap_or(Kind::Other),
                        facts: Box::new(facts),
                        verdict,
                    }
                }
                Err(e) => Content::Error(e),
            }
        } else if n >= 2 && head[..2] == *b"#!" {
            match script::read(&file, size) {
                Ok(s) => Content::Script(s),
                Err(e) => Content::Error(format!("cannot read: {e}")),
            }
        } else {
            use std::os::unix::fs::PermissionsExt;
            Content::Data {
                executable: meta.permissions().mode() & 0o111 != 0,
            }
        };
        Own { size, content }
    }

    /// Classifies one path: follows symlinks, wrappers and interpreters.
    pub fn classify(&self, path: &Path) -> Entry {
        self.classify_at(path, 0)
    }

    fn classify_at(&self, path: &Path, depth: usize) -> Entry {
        let mut entry = Entry::new(path);
        let real = match std::fs::canonicalize(path) {
            Ok(r) => r,
            Err(e) => {
                entry.error = Some(match std::fs::read_link(path) {
                    Ok(to) => format!("broken symlink to {}: {e}", to.display()),
                    Err(_) => format!("cannot open: {e}"),
                });
                return entry;
            }
        };
        if real != path {
            entry.real_path = Some(real.display().to_string());
        }
        let own = self.own(&real);
        entry.size = own.size;
        match &own.content {
            Content::Error(e) => entry.error = Some(e.clone()),
            Content::Data { executable } => {
                entry.error = Some(if *executable {
                    "executable, but neither ELF nor a #! script".into()
                } else {
                    "not an ELF file or a #! script".into()
                });
            }
            Content::Elf {
                kind,
                facts,
                verdict,
            } => {
                entry.kind = *kind;
                if *kind == Kind::Other {
                    entry.error =
                        Some("ELF file that is neither an executable nor a shared library".into());
                    return entry;
                }
                entry.language = Some(verdict.language);
                entry.detail = verdict.detail.map(String::from);
                entry.evidence = verdict.evidence.clone();
                self.note_rust_libraries(&mut entry, facts, &real);
                if let Some(wrapper) = self.elf_wrapper(facts, &real) {
                    self.follow(&mut entry, wrapper, depth);
                }
            }
            Content::Script(s) => {
                entry.kind = Kind::Script;
                if let Some(target) = &s.exec_target {
                    self.follow(
                        &mut entry,
                        Wrapper {
                            kind: WrapperKind::ShellWrapper,
                            target: target.clone(),
                        },
                        depth,
                    );
                }
                let mut interp = Interpreter {
                    command: s.shebang.clone(),
                    path: None,
                    language: None,
                };
                match self.resolve_interpreter(s, &mut entry.evidence) {
                    Ok(p) if depth < MAX_DEPTH => {
                        let t = self.classify_at(&p, depth + 1);
                        interp.path =
                            Some(t.target.clone().unwrap_or_else(|| t.real().to_string()));
                        interp.language = t.language;
                        if let Some(e) = &t.error {
                            entry.evidence.push(format!("interpreter: {e}"));
                        }
                    }
                    Ok(_) => entry.error = Some("interpreter chain too deep".into()),
                    Err(e) => entry.evidence.push(e),
                }
                if entry.wrapper.is_none() {
                    entry.language = interp.language;
                    entry.target = interp.path.clone();
                }
                entry.interpreter = Some(interp);
            }
        }
        entry
    }

    /// Makes `entry` count as what `wrapper` runs.
    fn follow(&self, entry: &mut Entry, wrapper: Wrapper, depth: usize) {
        entry.evidence.push(format!(
            "{} running {}",
            wrapper.kind.as_str(),
            wrapper.target
        ));
        if depth >= MAX_DEPTH {
            entry.error = Some("wrapper chain too deep".into());
        } else {
            let t = self.classify_at(Path::new(&wrapper.target), depth + 1);
            if entry.language != t.language {
                entry.file_language = entry.language;
            }
            entry.language = t.language;
            entry.detail = t.detail.clone();
            entry.target = Some(t.target.clone().unwrap_or_else(|| t.real().to_string()));
            if let Some(e) = t.error {
                entry.error = Some(format!("wrapper target {}: {e}", wrapper.target));
            }
        }
        entry.wrapper = Some(wrapper);
    }

    /// The wrapper an ELF file is, if any, and what it runs.
    fn elf_wrapper(&self, facts: &ElfFacts, real: &Path) -> Option<Wrapper> {
        if facts.has(Class::MakeBinaryWrapper) {
            let target = facts
                .docstring_target
                .clone()
                .or_else(|| pick_target(&facts.rodata_paths))?;
            return Some(Wrapper {
                kind: WrapperKind::MakeBinaryWrapper,
                target,
            });
        }
        if facts.has(Class::NixosSecurityWrapper) {
            // Before nixpkgs compiled the target in (SOURCE_PROG), the
            // wrapper read it from `<itself>.real`.
            let dot_real = PathBuf::from(format!("{}.real", real.display()));
            let target = std::fs::read_to_string(&dot_real)
                .ok()
                .map(|s| s.trim_end_matches('\0').trim().to_string())
                .filter(|s| s.starts_with('/'))
                .or_else(|| pick_target(&facts.rodata_paths))?;
            return Some(Wrapper {
                kind: WrapperKind::NixosSecurityWrapper,
                target,
            });
        }
        None
    }

    /// Notes the needed libraries that are Rust.
    fn note_rust_libraries(&self, entry: &mut Entry, facts: &ElfFacts, real: &Path) {
        for name in &facts.needed {
            let Some(lib) = self.find_library(name, &facts.runpath, real) else {
                continue;
            };
            if let Content::Elf { verdict, .. } = &self.own(&lib).content {
                if verdict.language == Language::Rust {
                    entry.rust_libraries.push(name.clone());
                    entry.evidence.push(format!("links Rust library {name}"));
                }
            }
        }
    }

    /// Where the dynamic loader would find `name` for the file `real`
    /// (run path with `$ORIGIN`, then the usual directories).
    pub fn find_library(&self, name: &str, runpath: &[String], real: &Path) -> Option<PathBuf> {
        if name.contains('/') {
            return std::fs::canonicalize(name).ok();
        }
        let origin = real
            .parent()
            .unwrap_or(Path::new("/"))
            .display()
            .to_string();
        runpath
            .iter()
            .map(|d| PathBuf::from(d.replace("${ORIGIN}", &origin).replace("$ORIGIN", &origin)))
            .chain(self.lib_dirs.iter().cloned())
            .map(|d| d.join(name))
            .find(|p| p.is_file())
            .and_then(|p| std::fs::canonicalize(p).ok())
    }

    /// The program a script's `#!` line runs.
    fn resolve_interpreter(
        &self,
        s: &script::Script,
        notes: &mut Vec<String>,
    ) -> Result<PathBuf, String> {
        let Some(program) = s.program.as_deref() else {
            return Err("#! line names no interpreter".into());
        };
        let name = match &s.env_name {
            Some(n) => n.as_str(),
            None if Path::new(program).exists() => return Ok(PathBuf::from(program)),
            None => {
                // `/bin/sh` and the like do not exist inside a Nix build:
                // take the command of that name from the search path.
                let base = Path::new(program).file_name().and_then(|b| b.to_str());
                let found = base.and_then(|b| self.search(b));
                if let Some(f) = found {
                    notes.push(format!(
                        "{program} not found; took {} from the search path",
                        f.display()
                    ));
                    return Ok(f);
                }
                return Err(format!("interpreter {program} not found"));
            }
        };
        if name.contains('/') {
            return Ok(PathBuf::from(name));
        }
        self.search(name)
            .ok_or_else(|| format!("env: {name} not found in the search path"))
    }

    fn search(&self, name: &str) -> Option<PathBuf> {
        use std::os::unix::fs::PermissionsExt;
        self.search_path.iter().map(|d| d.join(name)).find(|p| {
            std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    }
}

/// The path a wrapper execs, among the absolute paths in its read-only
/// data: a store path first; else an executable file outside the system's
/// own files and library directories (a static wrapper carries libc's
/// `/lib64/ld-linux-x86-64.so.2`, `/bin/sh`, ...); else any executable;
/// else the first candidate (a target that does not exist here).
fn pick_target(paths: &[String]) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    const SYSTEM: &[&str] = &[
        "/proc/",
        "/sys/",
        "/dev/",
        "/etc/",
        "/bin/sh",
        "/usr/share/",
    ];
    const LIBS: &[&str] = &[
        "/lib/",
        "/lib64/",
        "/usr/lib/",
        "/usr/lib64/",
        "/usr/libexec/",
    ];
    let candidates: Vec<&String> = paths
        .iter()
        .filter(|p| !SYSTEM.iter().any(|s| p.starts_with(s)) && !p.contains(' '))
        .collect();
    let executable = |p: &&&String| {
        std::fs::metadata(p.as_str())
            .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    };
    candidates
        .iter()
        .find(|p| p.starts_with("/nix/store/"))
        .or_else(|| {
            candidates
                .iter()
                .filter(|p| !LIBS.iter().any(|l| p.starts_with(l)))
                .find(executable)
        })
        .or_else(|| candidates.iter().find(executable))
        .or(candidates.first())
        .map(|p| p.to_string())
}

//! The oxidation meter at boot time: how much of what a booted system
//! runs is Rust.
//!
//! After the login, one command typed into the guest's shell (framed like
//! a probe, [`listing_command`]) lists the running processes: pid, parent,
//! `comm`, the executable (`/proc/PID/exe`) and the files each maps
//! executable (its shared libraries), as root (`sudo -n` when the login is
//! not root), and resolves the commands the spec asks about on the login
//! user's PATH. Kernel threads and the listing's own processes are left
//! out. The output is parsed here ([`parse`]) and every executable and
//! library is classified on this machine with the [`Classifier`]
//! ([`measure`]):
//!
//! - a path in `/nix/store` is read from this machine's store: a NixOS
//!   VM's store is the host's (9p), so it is the very file the guest runs;
//! - a path outside the store is reported as such and not classified: this
//!   machine's file of that name may be another one;
//! - with the spec's `root`, the guest's files are under ROOT on this
//!   machine (a guest built from a directory tree, or from copies of this
//!   machine's files at the same paths with `root: "/"`), and every path
//!   is read there; the report says so.
//!
//! The console lines that say which init ran in stage 1 (the initrd) and
//! stage 2 are recorded by the judge ([`crate::patterns::init_notes`]) and
//! read by [`stages`]: the report quotes them and never guesses.

use super::{Classifier, Language};
use crate::judge::LineRef;
use crate::spec::{Oxidation, Requirement};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

// --- the listing, in the guest ---------------------------------------------

/// Run by `/bin/sh -c` as root (or as the user when sudo is refused) with
/// the login shell's pid as `$1`. It walks up from its own pid to the login
/// shell (those are the listing's own processes: this shell, sudo, the
/// probe's subshell) and prints them in its header, then for each process
/// that is no kernel thread (`PF_KTHREAD`, 0x00200000 in the flags of
/// /proc/PID/stat) its pid, parent and state, `comm`, executable, and the
/// paths of its executable mappings. POSIX sh (bash, dash, busybox ash,
/// brush), grep (GNU or busybox) and readlink; no single quotes, as it is
/// passed in them. No `[`/`test` either: brush 0.4.0 run as `sh` (`--sh`)
/// has no such builtin and looks them up on PATH, which sudo may have
/// reset to one without them; `case` and `$(( ))` are the shell's own.
const INNER: &str = concat!(
    r#"L=$1; s=; p=$$; while case $p in ""|0|1|"$L") false;; esac; do s="$s $p"; "#,
    r#"read -r t < /proc/$p/stat || break; t=${t##*)}; set -- $t; p=$2; done; "#,
    r#"echo "o2 $(id -u) $L$s"; k=0; for d in /proc/[0-9]*; do p=${d#/proc/}; "#,
    r#"case " $s " in *" $p "*) continue;; esac; "#,
    r#"read -r t 2>/dev/null < $d/stat || continue; t=${t##*)}; set -- $t; "#,
    r#"case $(($7 & 2097152)) in 0) ;; *) k=$((k+1)); continue;; esac; "#,
    r#"echo "P $p $2 $1"; read -r c 2>/dev/null < $d/comm; echo "c $c"; "#,
    r#"echo "x $(readlink $d/exe 2>/dev/null)"; "#,
    r#"grep " ..x. " $d/maps 2>/dev/null | grep -o "/.*"; done; echo "k $k""#,
);

/// The one line typed into the guest (inside the probe frame's subshell,
/// where `$$` is the login shell's pid): who may read every process, the
/// listing, then each command of the spec's requirements as the login
/// user's non-interactive `/bin/sh` resolves it (no aliases).
pub fn listing_command(o: &Oxidation) -> String {
    let mut line = format!(
        "L=$$; X='{INNER}'; \
         if [ \"$(id -u)\" = 0 ]; then R=root; elif command sudo -n true 2>/dev/null; then R=sudo; else R=user; fi; \
         echo \"o1 $R\"; \
         if [ $R = sudo ]; then command sudo -n /bin/sh -c \"$X\" sh $L; else /bin/sh -c \"$X\" sh $L; fi"
    );
    let commands: BTreeSet<&str> = o
        .require
        .iter()
        .filter_map(|r| r.command.as_deref())
        .collect();
    if !commands.is_empty() {
        line.push_str(
            "; /bin/sh -c 'for c in \"$@\"; do p=$(command -v \"$c\") || p=; r=; \
             case $p in /*) r=$(readlink -f \"$p\");; esac; \
             echo \"C $c\"; echo \"w $p\"; echo \"r $r\"; done' sh",
        );
        for c in commands {
            line.push(' ');
            line.push_str(c);
        }
    }
    line
}

/// Who read the processes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// The login is root.
    Root,
    /// The login is not root; `sudo -n` made it root.
    Sudo,
    /// Neither: other users' executables and maps could not be read.
    User,
}

/// A process as the guest listed it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listed {
    pub pid: u32,
    pub ppid: u32,
    /// The state letter of /proc/PID/stat (`Z`: a zombie, no executable).
    pub state: String,
    pub comm: String,
    /// `/proc/PID/exe`, when it could be read.
    pub exe: Option<String>,
    /// The files it maps executable, its own executable among them.
    pub maps: Vec<String>,
}

/// A command as the login user's shell resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListedCommand {
    pub name: String,
    /// `command -v`: a path, a builtin's name, or nothing.
    pub path: Option<String>,
    /// The path with every link followed (`readlink -f`).
    pub real: Option<String>,
}

/// What the guest printed, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub reader: Option<Reader>,
    /// The uid the processes were read as.
    pub uid: Option<u32>,
    pub login_shell: Option<u32>,
    /// The listing's own processes (its shell, sudo, the probe's subshell).
    pub own: Vec<u32>,
    pub processes: Vec<Listed>,
    pub kernel_threads: u64,
    pub commands: Vec<ListedCommand>,
    /// The listing printed its last line.
    pub complete: bool,
}

/// Parse the listing's output. Lines it does not know (a shell's error,
/// a kernel message the frame did not remove) are skipped.
pub fn parse(output: &str) -> Listing {
    let mut l = Listing {
        reader: None,
        uid: None,
        login_shell: None,
        own: Vec::new(),
        processes: Vec::new(),
        kernel_threads: 0,
        commands: Vec::new(),
        complete: false,
    };
    let num = |s: &str| s.parse::<u32>().ok();
    for line in output.lines() {
        let line = line.trim_end_matches('\r');
        if line.starts_with('/') {
            if let Some(p) = l.processes.last_mut() {
                if !p.maps.iter().any(|m| m == line) {
                    p.maps.push(line.to_string());
                }
            }
            continue;
        }
        let (tag, rest) = line.split_once(' ').unwrap_or((line, ""));
        match tag {
            "o1" => {
                l.reader = match rest {
                    "root" => Some(Reader::Root),
                    "sudo" => Some(Reader::Sudo),
                    "user" => Some(Reader::User),
                    _ => None,
                }
            }
            "o2" => {
                let mut w = rest.split_whitespace();
                l.uid = w.next().and_then(num);
                l.login_shell = w.next().and_then(num);
                l.own = w.filter_map(num).collect();
            }
            "P" => {
                let w: Vec<&str> = rest.split_whitespace().collect();
                if let [pid, ppid, state, ..] = w[..] {
                    if let (Some(pid), Some(ppid)) = (num(pid), num(ppid)) {
                        l.processes.push(Listed {
                            pid,
                            ppid,
                            state: state.to_string(),
                            ..Listed::default()
                        });
                    }
                }
            }
            "c" => {
                if let Some(p) = l.processes.last_mut() {
                    p.comm = rest.to_string();
                }
            }
            "x" => {
                if let Some(p) = l.processes.last_mut() {
                    p.exe = Some(rest.to_string()).filter(|e| e.starts_with('/'));
                }
            }
            "k" => {
                l.kernel_threads = rest.trim().parse().unwrap_or(0);
                l.complete = true;
            }
            "C" => l.commands.push(ListedCommand {
                name: rest.to_string(),
                ..ListedCommand::default()
            }),
            "w" => {
                if let Some(c) = l.commands.last_mut() {
                    c.path = Some(rest.to_string()).filter(|p| !p.is_empty());
                }
            }
            "r" => {
                if let Some(c) = l.commands.last_mut() {
                    c.real = Some(rest.to_string()).filter(|p| p.starts_with('/'));
                }
            }
            _ => {}
        }
    }
    l.processes.sort_by_key(|p| p.pid);
    l
}

// --- the report --------------------------------------------------------------

/// How far a path could be classified.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Read on this machine and classified.
    Classified,
    /// Not in /nix/store and no `root`: this machine's file of that name
    /// may be another one, so it is not read.
    OutsideStore,
    /// A store path (or a path under `root`) this machine does not have.
    NotHere,
    /// The guest could not read the executable (not root).
    Unreadable,
    /// A zombie: the process exited, its parent has not reaped it.
    Exited,
    /// Read, but not an ELF executable, library or script (see `error`).
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Classified => "classified",
            Status::OutsideStore => "outside the store",
            Status::NotHere => "not on this machine",
            Status::Unreadable => "unreadable",
            Status::Exited => "exited",
            Status::Error => "not classified",
        }
    }
}

/// A running process, classified.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Process {
    pub pid: u32,
    pub ppid: u32,
    pub comm: String,
    pub exe: Option<String>,
    pub status: Status,
    /// The language of what runs (the executable's).
    pub language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The other files it maps executable: its shared libraries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub libraries: Vec<String>,
    /// Those of its libraries that are Rust.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rust_libraries: Vec<String>,
}

/// A mapped library, classified, and how many processes map it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Library {
    pub path: String,
    pub status: Status,
    pub language: Option<Language>,
    pub processes: usize,
}

/// A command the spec asked about, as the login user's shell resolves it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Command {
    pub name: String,
    /// `command -v`.
    pub path: Option<String>,
    /// The file it is, links followed.
    pub real: Option<String>,
    /// What runs when it is a wrapper the spec declares (`wrappers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wrapper_of: Option<String>,
    pub status: Status,
    pub language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A console line that says which init runs.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct InitLine {
    /// The program and version the line names (`systemd 259.1`), when it
    /// is a service manager's banner.
    pub program: Option<String>,
    pub line: String,
    pub line_number: u64,
}

/// Whether a requirement holds.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Met {
    Met,
    Unmet,
    /// A library no process maps: nothing runs that could be C.
    NothingToCheck,
}

/// A requirement of the spec and whether it holds.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Required {
    pub component: String,
    /// `process ntp-daemon`, `command sudo`, `library libz.so`, `PID 1`,
    /// `the login shell`.
    pub what: String,
    pub status: Met,
    pub why: String,
}

/// The counts of the headline.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
pub struct Counts {
    /// Processes listed (kernel threads and the listing's own left out).
    pub processes: usize,
    /// Of those, the Rust ones.
    pub rust: usize,
    /// Classified processes per language.
    pub languages: BTreeMap<String, usize>,
    /// Processes not classified, per reason.
    pub not_classified: BTreeMap<String, usize>,
    pub kernel_threads: u64,
    /// The listing's own processes, left out.
    pub listing: usize,
}

/// The `oxidation` section of a report.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct BootOxidation {
    /// `Rust: 9 of 27 processes`, or `not measured`.
    pub headline: String,
    /// Why no processes were listed (`scan`, no login, the listing
    /// failed); left out when they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_measured: Option<String>,
    /// Who read the processes: `root`, `root (sudo -n)`, or a uid that
    /// could not read other users' processes.
    pub read_as: Option<String>,
    /// Where the files were read to classify them.
    pub classified_from: String,
    pub pid1: Option<Process>,
    /// The line that says which init ran in the initrd (stage 1).
    pub stage1: Option<InitLine>,
    /// The line that says which init runs the system (stage 2).
    pub stage2: Option<InitLine>,
    /// Every line that says which init runs, in order.
    pub init_lines: Vec<InitLine>,
    pub counts: Counts,
    /// The long-running services (children of PID 1 outside the login
    /// session) that are Rust, by `comm`.
    pub rust_services: Vec<String>,
    /// Every long-running service: pid and `comm`, with its language.
    pub services: Vec<Service>,
    pub login_shell: Option<u32>,
    pub processes: Vec<Process>,
    pub libraries: Vec<Library>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub commands: Vec<Command>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requirements: Vec<Required>,
    /// Milliseconds spent classifying on this machine.
    pub classify_ms: u64,
}

/// A long-running service: a child of PID 1 outside the login session.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub pid: u32,
    pub comm: String,
    pub language: Option<Language>,
}

impl BootOxidation {
    /// A section with nothing measured (the init lines only), saying why.
    pub fn not_measured(o: &Oxidation, why: &str, notes: &[LineRef]) -> BootOxidation {
        let (stage1, stage2, init_lines) = stages(notes);
        BootOxidation {
            headline: format!("not measured: {why}"),
            not_measured: Some(why.to_string()),
            read_as: None,
            classified_from: classified_from(o),
            pid1: None,
            stage1,
            stage2,
            init_lines,
            counts: Counts::default(),
            rust_services: Vec::new(),
            services: Vec::new(),
            login_shell: None,
            processes: Vec::new(),
            libraries: Vec::new(),
            commands: Vec::new(),
            requirements: o
                .require
                .iter()
                .map(|r| Required {
                    component: r.component.clone(),
                    what: r.what(),
                    status: Met::Unmet,
                    why: format!("not measured: {why}"),
                })
                .collect(),
            classify_ms: 0,
        }
    }

    /// The requirements that do not hold.
    pub fn unmet(&self) -> impl Iterator<Item = &Required> {
        self.requirements.iter().filter(|r| r.status == Met::Unmet)
    }
}

fn classified_from(o: &Oxidation) -> String {
    match &o.root {
        Some(r) => format!("{r} on this machine: every path of the guest is read there"),
        None => "this machine's /nix/store (a NixOS VM's store is this machine's); paths outside it are not classified".into(),
    }
}

// --- stage 1 and stage 2, from the console ---------------------------------

/// `systemd 259.1` from a banner `... systemd 259.1 running in system mode`.
fn banner_program(line: &str) -> Option<String> {
    let head = &line[..line.find(" running in system mode")?];
    let words: Vec<&str> = head.split_whitespace().collect();
    match words[..] {
        [.., name, version] => Some(format!("{name} {version}")),
        _ => None,
    }
}

/// Which init ran in stage 1 and in stage 2, from the recorded console
/// lines ([`crate::patterns::init_notes`]), and every such line. Only what
/// the console says: stage 1 is the banner before systemd's `Switching
/// root.`, or NixOS's scripted stage 1 (`<<< NixOS Stage 1 >>>`); stage 2
/// is the banner after `Switching root.` or after `<<< NixOS Stage 2 >>>`
/// (or that line itself when no banner follows). A banner with neither
/// around it is listed, and neither stage is named from it.
pub fn stages(notes: &[LineRef]) -> (Option<InitLine>, Option<InitLine>, Vec<InitLine>) {
    let lines: Vec<InitLine> = notes
        .iter()
        .map(|n| InitLine {
            program: banner_program(&n.line),
            line: n.line.clone(),
            line_number: n.line_number,
        })
        .collect();
    let has = |l: &InitLine, s: &str| l.line.contains(s);
    let switch = lines.iter().position(|l| has(l, "Switching root."));
    let scripted1 = lines.iter().position(|l| has(l, "<<< NixOS Stage 1 >>>"));
    let scripted2 = lines.iter().position(|l| has(l, "<<< NixOS Stage 2 >>>"));
    let banner_after = |i: usize| lines[i + 1..].iter().find(|l| l.program.is_some()).cloned();
    let stage1 = match (switch, scripted1) {
        (Some(s), _) => lines[..s]
            .iter()
            .rev()
            .find(|l| l.program.is_some())
            .cloned(),
        (None, Some(i)) => Some(lines[i].clone()),
        (None, None) => None,
    };
    let stage2 = match (switch, scripted2) {
        (Some(s), _) => banner_after(s),
        (None, Some(i)) => banner_after(i).or_else(|| Some(lines[i].clone())),
        (None, None) => None,
    };
    (stage1, stage2, lines)
}

// --- classification on this machine ----------------------------------------

/// What classifying one guest path gave.
#[derive(Debug, Clone)]
struct Found {
    status: Status,
    language: Option<Language>,
    detail: Option<String>,
    error: Option<String>,
}

/// Where this machine reads a guest path, or why it does not.
fn locate(o: &Oxidation, guest: &str) -> Result<PathBuf, Status> {
    let here = match &o.root {
        Some(root) => Path::new(root).join(guest.trim_start_matches('/')),
        None if guest.starts_with("/nix/store/") => PathBuf::from(guest),
        None => return Err(Status::OutsideStore),
    };
    if std::fs::symlink_metadata(&here).is_ok() {
        Ok(here)
    } else {
        Err(Status::NotHere)
    }
}

fn classify_one(c: &Classifier, o: &Oxidation, guest: &str) -> Found {
    let here = match locate(o, guest) {
        Ok(p) => p,
        Err(status) => {
            return Found {
                status,
                language: None,
                detail: None,
                error: None,
            }
        }
    };
    let e = c.classify(&here);
    match e.language {
        Some(_) => Found {
            status: Status::Classified,
            language: e.language,
            detail: e.detail,
            error: e.error,
        },
        None => Found {
            status: Status::Error,
            language: None,
            detail: None,
            error: e
                .error
                .or_else(|| Some("not an executable or a library".into())),
        },
    }
}

/// Classify every path once, on a few threads (the classifier is shared
/// and caches each real file).
fn classify_all(o: &Oxidation, paths: &[String]) -> HashMap<String, Found> {
    let c = Classifier::new();
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4)
        .min(paths.len().max(1));
    let mut found = HashMap::with_capacity(paths.len());
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = paths.get(i) else { break };
                        mine.push((p.clone(), classify_one(&c, o, p)));
                    }
                    mine
                })
            })
            .collect();
        for w in workers {
            if let Ok(mine) = w.join() {
                found.extend(mine);
            }
        }
    });
    found
}

/// The section from the listing: every process, library and command
/// classified, the counts, the services, the requirements checked.
pub fn measure(o: &Oxidation, listing: &Listing, notes: &[LineRef]) -> BootOxidation {
    let started = Instant::now();
    let (stage1, stage2, init_lines) = stages(notes);
    // Each path once: executables, mapped files, commands (a declared
    // wrapper's target in place of the wrapper).
    let mut paths: BTreeSet<String> = BTreeSet::new();
    for p in &listing.processes {
        paths.extend(p.exe.iter().cloned());
        paths.extend(p.maps.iter().cloned());
    }
    for c in &listing.commands {
        let file = match c.path.as_ref().and_then(|p| o.wrappers.get(p)) {
            Some(target) => Some(target.clone()),
            None => c.real.clone(),
        };
        paths.extend(file);
    }
    let paths: Vec<String> = paths.into_iter().collect();
    let found = classify_all(o, &paths);
    let get = |p: &str| found.get(p).cloned();

    let processes: Vec<Process> = listing
        .processes
        .iter()
        .map(|l| {
            let f = match &l.exe {
                Some(e) => get(e),
                None => None,
            };
            let status = match (&f, l.state.as_str()) {
                (Some(f), _) => f.status,
                (None, "Z") => Status::Exited,
                (None, _) => Status::Unreadable,
            };
            let libraries: Vec<String> = l
                .maps
                .iter()
                .filter(|m| Some(*m) != l.exe.as_ref())
                .cloned()
                .collect();
            let rust_libraries = libraries
                .iter()
                .filter(|m| get(m).and_then(|f| f.language) == Some(Language::Rust))
                .cloned()
                .collect();
            Process {
                pid: l.pid,
                ppid: l.ppid,
                comm: l.comm.clone(),
                exe: l.exe.clone(),
                status,
                language: f.as_ref().and_then(|f| f.language),
                detail: f.as_ref().and_then(|f| f.detail.clone()),
                error: f.and_then(|f| f.error),
                libraries,
                rust_libraries,
            }
        })
        .collect();

    let mut mapped: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &processes {
        for l in &p.libraries {
            *mapped.entry(l).or_default() += 1;
        }
    }
    let libraries: Vec<Library> = mapped
        .into_iter()
        .map(|(path, n)| {
            let f = get(path);
            Library {
                path: path.to_string(),
                status: f.as_ref().map_or(Status::Error, |f| f.status),
                language: f.and_then(|f| f.language),
                processes: n,
            }
        })
        .collect();

    let commands: Vec<Command> = listing
        .commands
        .iter()
        .map(|c| {
            let wrapper_of = c.path.as_ref().and_then(|p| o.wrappers.get(p)).cloned();
            let file = wrapper_of.clone().or_else(|| c.real.clone());
            let f = file.as_deref().and_then(get);
            Command {
                name: c.name.clone(),
                path: c.path.clone(),
                real: c.real.clone(),
                wrapper_of,
                status: f.as_ref().map_or(Status::NotHere, |f| f.status),
                language: f.as_ref().and_then(|f| f.language),
                error: f.and_then(|f| f.error),
            }
        })
        .collect();

    let mut counts = Counts {
        processes: processes.len(),
        kernel_threads: listing.kernel_threads,
        listing: listing.own.len(),
        ..Counts::default()
    };
    for p in &processes {
        match (p.status, p.language) {
            (Status::Classified, Some(l)) => {
                *counts.languages.entry(l.as_str().to_string()).or_default() += 1;
            }
            (s, _) => {
                *counts
                    .not_classified
                    .entry(s.as_str().to_string())
                    .or_default() += 1;
            }
        }
    }
    counts.rust = counts.languages.get("rust").copied().unwrap_or(0);

    // The login session: the login shell and its ancestors up to PID 1.
    let by_pid: HashMap<u32, &Process> = processes.iter().map(|p| (p.pid, p)).collect();
    let mut session = BTreeSet::new();
    let mut at = listing.login_shell;
    while let Some(pid) = at.filter(|p| *p > 1 && session.insert(*p)) {
        at = by_pid.get(&pid).map(|p| p.ppid);
    }
    let services: Vec<Service> = processes
        .iter()
        .filter(|p| p.ppid == 1 && !session.contains(&p.pid))
        .map(|p| Service {
            pid: p.pid,
            comm: p.comm.clone(),
            language: p.language,
        })
        .collect();
    let mut rust_services: Vec<String> = services
        .iter()
        .filter(|s| s.language == Some(Language::Rust))
        .map(|s| s.comm.clone())
        .collect();
    rust_services.dedup();

    let read_as = listing.reader.map(|r| match (r, listing.uid) {
        (Reader::Root, _) => "root".to_string(),
        (Reader::Sudo, Some(0)) => "root (sudo -n)".to_string(),
        (Reader::Sudo | Reader::User, uid) => format!(
            "uid {}: sudo -n refused, other users' processes could not be read",
            uid.map_or("?".into(), |u| u.to_string())
        ),
    });
    let pid1 = processes.iter().find(|p| p.pid == 1).cloned();
    let mut section = BootOxidation {
        headline: format!("Rust: {} of {} processes", counts.rust, counts.processes),
        not_measured: None,
        read_as,
        classified_from: classified_from(o),
        pid1,
        stage1,
        stage2,
        init_lines,
        counts,
        rust_services,
        services,
        login_shell: listing.login_shell,
        processes,
        libraries,
        commands,
        requirements: Vec::new(),
        classify_ms: 0,
    };
    if !listing.complete {
        section.not_measured =
            Some("the listing did not finish: the counts are of the processes it printed".into());
    }
    section.requirements = o.require.iter().map(|r| check(r, &section)).collect();
    section.classify_ms = started.elapsed().as_millis() as u64;
    section
}

// --- requirements ------------------------------------------------------------

/// `ntp-daemon (pid 412, c)`, `sudo (/run/wrappers/bin/sudo, outside the store)`.
fn shown(name: &str, at: &str, status: Status, language: Option<Language>) -> String {
    let what = match (status, language) {
        (Status::Classified, Some(l)) => l.as_str().to_string(),
        (s, _) => s.as_str().to_string(),
    };
    format!("{name} ({at}, {what})")
}

fn is_rust(status: Status, language: Option<Language>) -> bool {
    status == Status::Classified && language == Some(Language::Rust)
}

/// Whether the `comm` of a process is `name` (the kernel keeps 15 bytes of
/// it), or its executable's file name is.
fn named(p: &Process, name: &str) -> bool {
    let comm_of = |n: &str| {
        let mut end = n.len().min(15);
        while !n.is_char_boundary(end) {
            end -= 1;
        }
        n[..end].to_string()
    };
    p.comm == comm_of(name)
        || p.exe
            .as_deref()
            .and_then(|e| e.rsplit('/').next())
            .is_some_and(|b| b == name)
}

fn check(r: &Requirement, s: &BootOxidation) -> Required {
    let (status, why) = if r.pid1 {
        match &s.pid1 {
            None => (Met::Unmet, "PID 1 was not listed".to_string()),
            Some(p) => {
                let at = p.exe.clone().unwrap_or_else(|| "pid 1".into());
                let said = shown(&p.comm, &at, p.status, p.language);
                if is_rust(p.status, p.language) {
                    (Met::Met, said)
                } else {
                    (Met::Unmet, format!("PID 1 is {said}"))
                }
            }
        }
    } else if r.login_shell {
        match s
            .login_shell
            .and_then(|l| s.processes.iter().find(|p| p.pid == l))
        {
            None => (Met::Unmet, "the login shell was not listed".into()),
            Some(p) => {
                let said = shown(&p.comm, &format!("pid {}", p.pid), p.status, p.language);
                if is_rust(p.status, p.language) {
                    (Met::Met, said)
                } else {
                    (Met::Unmet, format!("the login shell is {said}"))
                }
            }
        }
    } else if let Some(name) = &r.process {
        let running: Vec<&Process> = s.processes.iter().filter(|p| named(p, name)).collect();
        let not: Vec<String> = running
            .iter()
            .filter(|p| !is_rust(p.status, p.language))
            .map(|p| shown(&p.comm, &format!("pid {}", p.pid), p.status, p.language))
            .collect();
        match (running.len(), not.is_empty()) {
            (0, _) => (Met::Unmet, format!("no process {name} runs")),
            (n, true) => (
                Met::Met,
                format!("{n} process{} {name}, Rust", if n == 1 { "" } else { "es" }),
            ),
            (_, false) => (Met::Unmet, format!("not Rust: {}", not.join(", "))),
        }
    } else if let Some(name) = &r.command {
        match s.commands.iter().find(|c| c.name == *name) {
            None => (Met::Unmet, format!("the command {name} was not resolved")),
            Some(c) => match (&c.path, &c.real) {
                (None, _) => (
                    Met::Unmet,
                    format!("{name} is not on the login user's PATH"),
                ),
                (Some(p), None) if c.wrapper_of.is_none() => (
                    Met::Unmet,
                    format!("{name} is {p}, not a file (a shell builtin?)"),
                ),
                (Some(p), _) => {
                    let at = match (&c.wrapper_of, &c.real) {
                        (Some(t), _) => format!("{p}, a wrapper of {t}"),
                        (None, Some(r)) if r != p => format!("{p} -> {r}"),
                        _ => p.clone(),
                    };
                    let said = shown(name, &at, c.status, c.language);
                    if is_rust(c.status, c.language) {
                        (Met::Met, said)
                    } else {
                        (Met::Unmet, format!("{name} is not Rust: {said}"))
                    }
                }
            },
        }
    } else if let Some(prefix) = &r.library {
        let mapped: Vec<&Library> = s
            .libraries
            .iter()
            .filter(|l| {
                l.path
                    .rsplit('/')
                    .next()
                    .is_some_and(|b| b.starts_with(prefix.as_str()))
            })
            .collect();
        let not: Vec<String> = mapped
            .iter()
            .filter(|l| !is_rust(l.status, l.language))
            .map(|l| {
                shown(
                    &l.path,
                    &format!("{} processes", l.processes),
                    l.status,
                    l.language,
                )
            })
            .collect();
        match (mapped.len(), not.is_empty()) {
            (0, _) => (
                Met::NothingToCheck,
                format!("no running process maps {prefix}*"),
            ),
            (n, true) => (
                Met::Met,
                format!(
                    "{n} mapped {prefix}* file{}, Rust",
                    if n == 1 { "" } else { "s" }
                ),
            ),
            (_, false) => (Met::Unmet, format!("not Rust: {}", not.join(", "))),
        }
    } else {
        (Met::Unmet, "the requirement names nothing".into())
    };
    Required {
        component: r.component.clone(),
        what: r.what(),
        status,
        why,
    }
}

// --- what people read --------------------------------------------------------

/// The lines of the human summary (each without indentation).
pub fn human_lines(s: &BootOxidation) -> Vec<String> {
    let mut out = Vec::new();
    let pid1 = match &s.pid1 {
        Some(p) => format!(
            "; PID 1 {}",
            shown(
                &p.comm,
                p.exe.as_deref().unwrap_or("executable unread"),
                p.status,
                p.language
            )
        ),
        None => String::new(),
    };
    out.push(format!("oxidation: {}{pid1}", s.headline));
    let stage = |st: &Option<InitLine>| match st {
        Some(l) => format!(
            "{} (line {})",
            l.program
                .clone()
                .unwrap_or_else(|| l.line.trim().to_string()),
            l.line_number
        ),
        None => "not said on the console".into(),
    };
    if s.stage1.is_some() || s.stage2.is_some() || !s.init_lines.is_empty() {
        out.push(format!(
            "  stage 1: {}; stage 2: {}",
            stage(&s.stage1),
            stage(&s.stage2)
        ));
    }
    if s.not_measured.is_none() || !s.processes.is_empty() {
        out.push(format!(
            "  Rust services: {}",
            if s.rust_services.is_empty() {
                "none".to_string()
            } else {
                s.rust_services.join(", ")
            }
        ));
    }
    if !s.counts.not_classified.is_empty() {
        let parts: Vec<String> = s
            .counts
            .not_classified
            .iter()
            .map(|(why, n)| format!("{n} {why}"))
            .collect();
        out.push(format!("  not classified: {}", parts.join(", ")));
    }
    if let Some(r) = &s.read_as {
        if r != "root" && r != "root (sudo -n)" {
            out.push(format!("  read as {r}"));
        }
    }
    if s.not_measured.is_some() && !s.processes.is_empty() {
        out.push(format!(
            "  {}",
            s.not_measured.as_deref().unwrap_or_default()
        ));
    }
    for r in &s.requirements {
        let word = match r.status {
            Met::Met => "ok  ",
            Met::Unmet => "FAIL",
            Met::NothingToCheck => "--  ",
        };
        out.push(format!(
            "  {word} {} must be Rust: {}: {}",
            r.component, r.what, r.why
        ));
    }
    out
}

/// JUnit `<property>` pairs.
pub fn junit_properties(s: &BootOxidation) -> Vec<(String, String)> {
    let mut p = vec![("oxidation.headline".to_string(), s.headline.clone())];
    if s.not_measured.is_none() || !s.processes.is_empty() {
        p.push(("oxidation.processes".into(), s.counts.processes.to_string()));
        p.push(("oxidation.processes.rust".into(), s.counts.rust.to_string()));
    }
    if let Some(pid1) = &s.pid1 {
        p.push((
            "oxidation.pid1".into(),
            pid1.exe.clone().unwrap_or_else(|| pid1.comm.clone()),
        ));
        p.push((
            "oxidation.pid1.language".into(),
            pid1.language
                .map_or(pid1.status.as_str(), Language::as_str)
                .to_string(),
        ));
    }
    for (key, st) in [
        ("oxidation.stage1", &s.stage1),
        ("oxidation.stage2", &s.stage2),
    ] {
        if let Some(l) = st {
            p.push((
                key.into(),
                l.program.clone().unwrap_or_else(|| l.line.clone()),
            ));
        }
    }
    p.push(("oxidation.rust_services".into(), s.rust_services.join(",")));
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::PatternKind;

    fn note(line: &str, n: u64) -> LineRef {
        LineRef {
            kind: PatternKind::parse("init-line"),
            line: line.into(),
            line_number: n,
            offset_ms: None,
        }
    }

    #[test]
    fn the_listing_is_one_line_without_single_quotes_inside_the_inner_script() {
        assert!(!INNER.contains('\''));
        let spec: Oxidation = serde_json::from_str(
            r#"{"require": [{"component": "sudo", "command": "sudo"},
                            {"component": "coreutils", "command": "ls"},
                            {"component": "x", "command": "ls"}]}"#,
        )
        .unwrap();
        let line = listing_command(&spec);
        assert!(!line.contains('\n'));
        assert!(line.ends_with(" sh ls sudo"), "{line}");
        assert!(line.len() < 2000, "{} bytes", line.len());
        let plain: Oxidation = serde_json::from_str("{}").unwrap();
        assert!(!listing_command(&plain).contains("command -v"));
    }

    const LISTING: &str = "o1 sudo\n\
        o2 0 300 320 318 317\n\
        P 1 0 S\nc systemd\nx /nix/store/aaa-systemd-259/lib/systemd/systemd\n\
        /nix/store/aaa-systemd-259/lib/systemd/systemd\n/nix/store/bbb-glibc/lib/libc.so.6\n/nix/store/bbb-glibc/lib/libc.so.6\n\
        P 412 1 S\nc ntp-daemon\nx /nix/store/ccc-ntpd-rs/bin/ntp-daemon\n\
        /nix/store/ccc-ntpd-rs/bin/ntp-daemon\n/nix/store/bbb-glibc/lib/libc.so.6\n\
        [   12.000000] random: crng init done\n\
        P 77 1 Z\nc defunct one\nx \n\
        P 300 299 S\nc brush\nx /nix/store/ddd-brush/bin/brush\n\
        P 299 1 S\nc login\nx /nix/store/eee-shadow/bin/login\n\
        k 93\n\
        C sudo\nw /run/wrappers/bin/sudo\nr /run/wrappers/wrappers.x1/sudo\n\
        C echo\nw echo\nr \n";

    #[test]
    fn the_listing_is_parsed_whatever_else_is_on_the_console() {
        let l = parse(LISTING);
        assert_eq!(l.reader, Some(Reader::Sudo));
        assert_eq!((l.uid, l.login_shell), (Some(0), Some(300)));
        assert_eq!(l.own, [320, 318, 317]);
        assert!(l.complete);
        assert_eq!(l.kernel_threads, 93);
        let pids: Vec<u32> = l.processes.iter().map(|p| p.pid).collect();
        assert_eq!(pids, [1, 77, 299, 300, 412]);
        // Duplicated mappings once, the executable among them.
        assert_eq!(
            l.processes[0].maps,
            [
                "/nix/store/aaa-systemd-259/lib/systemd/systemd",
                "/nix/store/bbb-glibc/lib/libc.so.6"
            ]
        );
        assert_eq!(l.processes[1].comm, "defunct one");
        assert_eq!(l.processes[1].exe, None);
        assert_eq!(
            l.commands[0].path.as_deref(),
            Some("/run/wrappers/bin/sudo")
        );
        assert_eq!(l.commands[1].path.as_deref(), Some("echo"));
        assert_eq!(l.commands[1].real, None);
        // Cut short: no `k` line.
        let cut = parse(&LISTING[..LISTING.find("k 93").unwrap()]);
        assert!(!cut.complete);
        assert_eq!(cut.processes.len(), 5);
    }

    #[test]
    fn store_paths_this_machine_lacks_and_paths_outside_are_not_classified() {
        let spec: Oxidation = serde_json::from_str(
            r#"{"require": [{"component": "ntp", "process": "ntp-daemon"},
                            {"component": "systemd", "pid1": true},
                            {"component": "shell", "login_shell": true},
                            {"component": "zlib", "library": "libz.so"},
                            {"component": "sudo", "command": "sudo"}]}"#,
        )
        .unwrap();
        let s = measure(&spec, &parse(LISTING), &[]);
        assert_eq!(s.headline, "Rust: 0 of 5 processes");
        assert_eq!(
            s.counts.not_classified,
            BTreeMap::from([
                ("exited".to_string(), 1),
                ("not on this machine".to_string(), 4)
            ])
        );
        assert_eq!(s.read_as.as_deref(), Some("root (sudo -n)"));
        // Services: children of PID 1, the login session (login, the
        // shell) aside.
        let services: Vec<&str> = s.services.iter().map(|s| s.comm.as_str()).collect();
        assert_eq!(services, ["defunct one", "ntp-daemon"]);
        let why: Vec<(Met, &str)> = s
            .requirements
            .iter()
            .map(|r| (r.status, r.why.as_str()))
            .collect();
        assert_eq!(
            why,
            [
                (Met::Unmet, "not Rust: ntp-daemon (pid 412, not on this machine)"),
                (
                    Met::Unmet,
                    "PID 1 is systemd (/nix/store/aaa-systemd-259/lib/systemd/systemd, not on this machine)"
                ),
                (Met::Unmet, "the login shell is brush (pid 300, not on this machine)"),
                (Met::NothingToCheck, "no running process maps libz.so*"),
                (
                    Met::Unmet,
                    "sudo is not Rust: sudo (/run/wrappers/bin/sudo -> /run/wrappers/wrappers.x1/sudo, outside the store)"
                ),
            ]
        );
        assert_eq!(s.libraries[0].processes, 2);
    }

    #[test]
    fn stage_1_and_stage_2_are_what_the_console_says() {
        // systemd in the initrd, then the Rust systemd after switching root.
        let notes = [
            note("[    0.9] Run /init as init process", 300),
            note(
                "[    1.0] systemd[1]: systemd 259.1 running in system mode (+PAM +AUDIT)",
                301,
            ),
            note("[    1.1] systemd[1]: Running in initrd.", 302),
            note("[    4.0] systemd[1]: Switching root.", 350),
            note(
                "[    4.5] systemd[1]: systemd-rs 0.1.0 running in system mode",
                360,
            ),
        ];
        let (one, two, lines) = stages(&notes);
        assert_eq!(one.unwrap().program.as_deref(), Some("systemd 259.1"));
        let two = two.unwrap();
        assert_eq!(two.program.as_deref(), Some("systemd-rs 0.1.0"));
        assert_eq!(two.line_number, 360);
        assert_eq!(lines.len(), 5);
        // Scripted stage 1: its marker; stage 2's banner after its marker.
        let (one, two, _) = stages(&[
            note("<<< NixOS Stage 1 >>>", 10),
            note("<<< NixOS Stage 2 >>>", 40),
            note("systemd[1]: systemd 258.2 running in system mode", 41),
        ]);
        assert_eq!(one.unwrap().line, "<<< NixOS Stage 1 >>>");
        assert_eq!(two.unwrap().program.as_deref(), Some("systemd 258.2"));
        // A banner alone: which stage it is, the console does not say.
        let (one, two, lines) = stages(&[note(
            "[   14.0] systemd[1]: systemd 252.22-1~deb12u1 running in system mode (+PAM)",
            900,
        )]);
        assert_eq!((one, two), (None, None));
        assert_eq!(
            lines[0].program.as_deref(),
            Some("systemd 252.22-1~deb12u1")
        );
    }
}

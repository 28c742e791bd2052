//! `bootcheck oxidation`: the command line.
//!
//! ```text
//! bootcheck oxidation [--json FILE|-] [--markdown FILE] [--name NAME] PATH...
//! bootcheck oxidation --system TOPLEVEL --closure FILE [--json ...] [--markdown ...] [--name NAME]
//! bootcheck oxidation compare A.json B.json
//! ```
//!
//! Exit codes: 0 when the report was written (entries may carry errors:
//! a missing path or a truncated ELF is a line of the report, not a failed
//! run); 2 for usage errors (no PATH, bad flags), an unreadable closure
//! file or report, or an output that cannot be written.

use super::report::{self, Report};
use super::walk::{self, Found};
use super::Classifier;
use clap::{Args, Subcommand};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Arguments of `bootcheck oxidation`.
#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct OxidationArgs {
    #[command(subcommand)]
    pub command: Option<OxidationCmd>,
    /// Write the JSON report here (- for stdout; the summary then goes to stderr).
    #[arg(long, value_name = "FILE")]
    pub json: Option<String>,
    /// Write a Markdown report here.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// The first word of the headline (default: the toplevel's name, or "oxidation").
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// A NixOS system's toplevel: report the commands of TOPLEVEL/sw/bin and the closure.
    #[arg(
        long,
        value_name = "TOPLEVEL",
        requires = "closure",
        conflicts_with = "paths"
    )]
    pub system: Option<PathBuf>,
    /// The closure's store paths, one per line (closureInfo's store-paths).
    #[arg(long, value_name = "FILE", requires = "system")]
    pub closure: Option<PathBuf>,
    /// Threads (default: the number of cores).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// No human summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// Files, directories or store paths (directories are followed into
    /// bin/, sbin/, lib/, libexec/ when present).
    #[arg(value_name = "PATH", required_unless_present = "system")]
    pub paths: Vec<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum OxidationCmd {
    /// What moved between two oxidation reports, by language.
    Compare { a: PathBuf, b: PathBuf },
}

fn fail(msg: &str) -> i32 {
    eprintln!("bootcheck oxidation: {msg}");
    2
}

fn load(path: &Path) -> Result<Report, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{}: not an oxidation report: {e}", path.display()))
}

/// Runs the command; returns the exit code.
pub fn run(args: OxidationArgs) -> i32 {
    if let Some(OxidationCmd::Compare { a, b }) = &args.command {
        return match (load(a), load(b)) {
            (Ok(a), Ok(b)) => {
                print!("{}", report::compare(&a, &b));
                0
            }
            (Err(e), _) | (_, Err(e)) => fail(&e),
        };
    }
    if args.system.is_some() != args.closure.is_some() {
        return fail("--system and --closure go together");
    }
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut classifier = Classifier::new();
    let mut report = if let (Some(top), Some(closure)) = (&args.system, &args.closure) {
        // Scripts of the system find `env`'s commands on its own PATH.
        classifier.search_path.insert(0, top.join("sw/bin"));
        let store_paths = match walk::read_closure(closure) {
            Ok(p) => p,
            Err(e) => return fail(&e),
        };
        let commands = match walk::system_commands(top) {
            Ok(c) => c,
            Err(e) => return fail(&e),
        };
        let (commands, _) = walk::classify_all(&classifier, &commands, threads);
        // All files of the closure at once (one pool), then grouped back.
        let mut all: Vec<Found> = Vec::new();
        let mut bounds = Vec::new();
        for p in &store_paths {
            let start = all.len();
            all.extend(walk::expand(p, true));
            bounds.push((p.display().to_string(), start, all.len()));
        }
        let entries = walk::classify_slots(&classifier, &all, threads);
        let skipped = entries.iter().filter(|e| e.is_none()).count() as u64;
        let closure = bounds
            .into_iter()
            .map(|(p, s, e)| (p, entries[s..e].iter().flatten().cloned().collect()))
            .collect();
        let name = args.name.clone().unwrap_or_else(|| {
            let real = std::fs::canonicalize(top).unwrap_or_else(|_| top.clone());
            walk::store_name(&real.display().to_string())
        });
        report::system(&name, top.display().to_string(), commands, closure, skipped)
    } else {
        let mut found = Vec::new();
        for p in &args.paths {
            found.extend(walk::expand(p, false));
        }
        let (entries, skipped) = walk::classify_all(&classifier, &found, threads);
        let name = args.name.clone().unwrap_or_else(|| "oxidation".into());
        report::plain(
            &name,
            args.paths.iter().map(|p| p.display().to_string()).collect(),
            entries,
            skipped,
        )
    };
    report.bytes_searched = classifier.bytes_read();

    let json = match serde_json::to_string_pretty(&report) {
        Ok(j) => j + "\n",
        Err(e) => return fail(&format!("cannot encode the report: {e}")),
    };
    let summary_to_stderr = args.json.as_deref() == Some("-");
    match args.json.as_deref() {
        Some("-") => {
            if let Err(e) = std::io::stdout().write_all(json.as_bytes()) {
                return fail(&format!("stdout: {e}"));
            }
        }
        Some(path) => {
            if let Err(e) = std::fs::write(path, &json) {
                return fail(&format!("{path}: {e}"));
            }
        }
        None => {}
    }
    if let Some(md) = &args.markdown {
        if let Err(e) = std::fs::write(md, report::markdown(&report)) {
            return fail(&format!("{}: {e}", md.display()));
        }
    }
    if !args.quiet {
        let text = report::human(&report);
        if summary_to_stderr {
            eprint!("{text}");
        } else {
            print!("{text}");
        }
    }
    0
}

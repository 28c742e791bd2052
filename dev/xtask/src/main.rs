//! The test runner of nixos-rs (`cargo xtask`): every stage of
//! scripts/test, with one way to report (report.rs), one way to call Nix
//! (nix.rs) and one place nixpkgs' lib comes from (nixlib.rs).

mod nix;
mod nixlib;
mod report;
mod results;
mod stages;
mod util;

use clap::{Parser, Subcommand};
use stages::{Ctx, Stage, STAGES};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

#[derive(Parser, Debug)]
#[command(
    name = "xtask",
    about = "The test runner of nixos-rs",
    after_help = "Environment: NIXPKGS_LIB (a checkout of nixpkgs or nixpkgs.lib, or its lib/), \
                  NIXOS_RS_CI=1 (a skipped stage fails), NIXOS_RS_NIX_ENV (a command prefix every \
                  Nix command runs under), NIXOS_RS_PROBE_TOOLS, NIXOS_RS_PROBES_KEEP."
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Run the stages named, in their order (every stage when none is).
    Test {
        /// Run the setup stage (scripts/setup) first.
        #[arg(long)]
        setup: bool,
        stages: Vec<String>,
    },
    /// The stages, in order, and what each checks.
    List,
    /// Write the generated documents: docs/options.md from the modules, the
    /// README's component table from the component list.
    Generate,
    /// Run the probes stage.
    Probes {
        /// Write the result table into modules/README.md.
        #[arg(long)]
        update: bool,
    },
}

/// The repository's root: two levels above this crate.
fn root() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors()
        .nth(2)
        .map_or_else(|| here.to_path_buf(), Path::to_path_buf)
}

/// Runs `stages` with the driver's lines and summary; whether none failed.
fn drive(ctx: &Ctx, stages: &[&Stage]) -> bool {
    let mut done = Vec::new();
    for s in stages {
        println!("==> stage {}", s.name);
        let start = Instant::now();
        let outcome = (s.run)(ctx);
        let secs = start.elapsed().as_secs();
        println!(
            "<== stage {}: {}",
            s.name,
            report::status(&outcome, secs, ctx.ci).1
        );
        done.push((s.name.to_string(), outcome, secs));
        if s.name == "setup" {
            // The setup may have made the Nix 2.26 chroot: choose again.
            choose_nix(&root(), true);
        }
    }
    let (lines, ok) = report::summary(&done, ctx.ci);
    for l in lines {
        println!("{l}");
    }
    ok
}

/// The stages named (with setup when asked), in the suite's order.
fn select(names: &[String], setup: bool) -> Result<Vec<&'static Stage>, String> {
    if let Some(bad) = names.iter().find(|n| !STAGES.iter().any(|s| s.name == *n)) {
        let all: Vec<&str> = STAGES.iter().map(|s| s.name).collect();
        return Err(format!("no stage {bad} (stages: {})", all.join(" ")));
    }
    Ok(STAGES
        .iter()
        .filter(|s| {
            names.is_empty() || names.iter().any(|n| n == s.name) || (setup && s.name == "setup")
        })
        .collect())
}

/// Which Nix the stages run: `NIXOS_RS_NIX_ENV` when set; else the Nix on
/// PATH when it is one nixpkgs supports (2.18 or newer, lib/minver.nix);
/// else Nix 2.26 in scripts/nix-chroot's chroot when there is one (the
/// runner passes its NIX_CONFIG in). Also makes NIXPKGS_LIB absolute, so
/// that it names the same directory wherever Nix runs. With `say`, a Nix
/// too old and no chroot is said on stderr (the Nix stages then fail on
/// nixpkgs' lib); without, the setup still to come may make the chroot.
fn choose_nix(root: &Path, say: bool) {
    if let Ok(lib) = std::env::var("NIXPKGS_LIB") {
        if let Ok(abs) = std::fs::canonicalize(root.join(&lib)) {
            std::env::set_var("NIXPKGS_LIB", abs);
        }
    }
    if std::env::var(nix::ENV_PREFIX).is_ok_and(|p| !p.trim().is_empty()) {
        return;
    }
    let host = nix::Nix::from_env(nix::Profile::Eval)
        .and_then(|n| n.version())
        .ok()
        .and_then(|v| nix::version_of(&v));
    if host.is_some_and(|v| v >= (2, 18)) {
        return;
    }
    let chroot = root.join("scripts/nix-chroot");
    let ready = std::process::Command::new(&chroot)
        .arg("status")
        .output()
        .is_ok_and(|o| o.status.success());
    if ready {
        let prefix = format!("{} run --env NIX_CONFIG", chroot.display());
        std::env::set_var(nix::ENV_PREFIX, prefix);
        if let Ok(o) = std::process::Command::new(&chroot).arg("path").output() {
            let dir = String::from_utf8_lossy(&o.stdout).trim().to_string();
            std::env::set_var(nix::ENV_ROOT, dir);
        }
    } else if say {
        let found = host.map_or("no Nix".to_string(), |(a, b)| format!("Nix {a}.{b}"));
        eprintln!(
            "xtask: {found} on PATH, older than the 2.18 nixpkgs' lib needs, and no Nix 2.26 chroot \
             (scripts/test --setup makes one, as root): the Nix stages will fail"
        );
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let setup_first = matches!(cli.command, Cmd::Test { setup: true, .. });
    choose_nix(&root(), !setup_first);
    let ci = std::env::var("NIXOS_RS_CI").is_ok_and(|v| v == "1");
    let mut ctx = Ctx::new(root(), ci);
    let ok = match cli.command {
        Cmd::Test { setup, stages } => {
            ctx.setup = setup;
            match select(&stages, setup) {
                Ok(s) => drive(&ctx, &s),
                Err(e) => {
                    eprintln!("xtask test: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        Cmd::List => {
            for s in STAGES {
                println!("{:<13} {}", s.name, s.what);
            }
            true
        }
        Cmd::Generate => match generate(&ctx) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("xtask generate: {e}");
                false
            }
        },
        Cmd::Probes { update } => {
            ctx.update_probes_table = update;
            let probes = STAGES
                .iter()
                .filter(|s| s.name == "probes")
                .collect::<Vec<_>>();
            drive(&ctx, &probes)
        }
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The generated documents, written: docs/options.md from the modules,
/// the README's component table from the component list.
fn generate(ctx: &Ctx) -> Result<(), String> {
    let nix = nix::Nix::from_env(nix::Profile::Eval)?;
    let lib = match ctx.nixpkgs_lib() {
        nixlib::Lib::Found { dir, .. } => dir.clone(),
        nixlib::Lib::Missing(why) | nixlib::Lib::Invalid(why) => return Err(why.clone()),
    };
    let text = stages::options_doc(ctx, &nix, &lib)?;
    let path = ctx.path(stages::OPTIONS_MD);
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote {}", stages::OPTIONS_MD);
    let table = stages::readme_components(ctx, &nix)?;
    let path = ctx.path(stages::README);
    let readme = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let new = stages::with_components(&readme, &table)
        .ok_or_else(|| format!("{} has no component table markers", stages::README))?;
    std::fs::write(&path, new).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("wrote the component table of {}", stages::README);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_run_in_the_suites_order() {
        let names = |v: Vec<&Stage>| v.iter().map(|s| s.name).collect::<Vec<_>>();
        let all = select(&[], false).unwrap();
        assert_eq!(all.len(), STAGES.len());
        assert_eq!(
            names(select(&["template".into(), "format".into()], false).unwrap()),
            ["format", "template"]
        );
        assert_eq!(
            names(select(&["probes".into()], true).unwrap()),
            ["setup", "probes"]
        );
        assert_eq!(
            select(&["nope".into()], false).unwrap_err(),
            format!(
                "no stage nope (stages: {})",
                STAGES.iter().map(|s| s.name).collect::<Vec<_>>().join(" ")
            )
        );
    }

    #[test]
    fn the_root_has_the_workspace() {
        assert!(root().join("Cargo.toml").is_file());
        assert!(root().join("dev/xtask/Cargo.toml").is_file());
    }

    #[test]
    fn the_stage_names_are_the_suites() {
        let names: Vec<&str> = STAGES.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "setup",
                "format",
                "rust-clippy",
                "rust-tests",
                "nix-syntax",
                "entry-points",
                "nix-modules",
                "probes",
                "flake-eval",
                "nix-sandbox",
                "template"
            ]
        );
    }
}

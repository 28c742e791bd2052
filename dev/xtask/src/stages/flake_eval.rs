//! flake-eval: every output of this flake, of a downstream flake
//! (tests/flake-eval/consumer) and of each template initialised into a
//! fresh directory, evaluated offline with nixpkgs replaced by the stand-in
//! of tests/stand-in/nixpkgs (nixpkgs' real lib, stub NixOS modules, a
//! package set of derivations that build). One item per output.
//!
//! The stand-in's replaceDependencies reads closures by import-from-
//! derivation (IFD), as nixpkgs' does: evaluating a configuration that
//! swaps packages closure-wide builds, so this stage runs Nix with the
//! sandbox and build users of the building profile, and checks where IFD
//! must not be needed (`nix flake check --no-build`, Hydra's jobs) with it
//! turned off.

use super::{need_lib, stand_in, start_nix, Ctx};
use crate::nix::{Nix, Profile, NO_IFD};
use crate::report::{Outcome, Tally};
use crate::util;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The systems the flake's per-system outputs have.
const SYSTEMS: &[&str] = &["x86_64-linux", "aarch64-linux"];

/// The Rust packages whose filtered source (pkgs/workspace.nix) must build.
const RUST_PACKAGES: &[&str] = &["bootcheck", "brush-bash"];

/// The lib exports that must be functions.
const LIB_FUNCTIONS: &[&str] = &[
    "lib.mkBootCheck",
    "lib.mkSystemdOverlay",
    "lib.sameNameAs",
    "lib.mkCommandReplacement",
    "lib.mkLibraryReplacement",
    "lib.mkLibraryImportsCheck",
];

/// A configuration of the downstream flake that swaps packages
/// closure-wide: evaluating its toplevel needs import-from-derivation.
const IFD_CONFIGURATION: &str = "everything";

/// Nix's words when IFD is off and an evaluation needs it (Nix 2.8:
/// "cannot build '…' during evaluation because the option
/// 'allow-import-from-derivation' is disabled").
const IFD_OFF_MESSAGE: &str = "allow-import-from-derivation";

/// Nix's words when a derivation is for a system this machine cannot
/// build ("a 'aarch64-linux' with features {} is required to build '…'").
const WRONG_SYSTEM_MESSAGE: &str = "is required to build";

/// The system this machine builds for.
fn host_system() -> String {
    format!("{}-linux", std::env::consts::ARCH)
}

struct FlakeEval<'a> {
    nix: &'a Nix,
    root: &'a Path,
    t: Tally,
}

impl FlakeEval<'_> {
    /// `nix ARGS...` in the repository.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = self.nix.nix(args);
        c.current_dir(self.root);
        c
    }

    fn run(&self, args: &[&str]) -> util::Ran {
        util::run(&mut self.cmd(args))
    }

    /// One output: `ok` when `nix ARGS...` succeeds, else its first error.
    fn check(&mut self, name: &str, args: &[&str]) -> bool {
        let r = self.run(args);
        self.t.check(name, if r.ok { Ok(()) } else { Err(r.why()) });
        r.ok
    }

    /// `nix eval --json ARGS...`, parsed.
    fn json(&self, args: &[&str]) -> Result<Value, String> {
        let r = self.run(&[&["eval", "--no-write-lock-file", "--json"], args].concat());
        if !r.ok {
            return Err(r.why());
        }
        serde_json::from_str(&r.stdout).map_err(|e| e.to_string())
    }

    /// `nix eval --raw ARGS...`.
    fn raw(&self, args: &[&str]) -> Result<String, String> {
        let r = self.run(&[&["eval", "--no-write-lock-file", "--raw"], args].concat());
        if r.ok {
            Ok(r.stdout)
        } else {
            Err(r.why())
        }
    }

    /// The attribute names of `installable`.
    fn names(&self, flake: &[&str], installable: &str) -> Result<Vec<String>, String> {
        let v = self.json(&[flake, &[installable, "--apply", "builtins.attrNames"]].concat())?;
        serde_json::from_value(v).map_err(|e| e.to_string())
    }

    /// Every configuration's toplevel, VM and report.
    fn configurations(&mut self, label: &str, flake_ref: &str, flake: &[&str]) {
        let names = match self.names(flake, &format!("{flake_ref}#nixosConfigurations")) {
            Ok(n) => n,
            Err(e) => {
                self.t.fail(&format!("{label}#nixosConfigurations"), &e);
                return;
            }
        };
        for n in names {
            for a in [
                "config.system.build.toplevel.drvPath",
                "config.system.build.vm.drvPath",
            ] {
                let attr = format!("{flake_ref}#nixosConfigurations.\"{n}\".{a}");
                let name = format!("{label}#nixosConfigurations.{n}.{a}");
                self.check(
                    &name,
                    &[&["eval", "--no-write-lock-file", "--raw"], flake, &[&attr]].concat(),
                );
            }
            let attr = format!("{flake_ref}#nixosConfigurations.\"{n}\".config.oxidized.report");
            let name = format!("{label}#nixosConfigurations.{n}.config.oxidized.report");
            self.check(
                &name,
                &[&["eval", "--no-write-lock-file", "--json"], flake, &[&attr]].concat(),
            );
        }
    }
}

/// `--override-input NAME REF` pairs as arguments.
fn overrides(pairs: &[(&str, &str)]) -> Vec<String> {
    pairs
        .iter()
        .flat_map(|(n, r)| ["--override-input".to_string(), n.to_string(), r.to_string()])
        .collect()
}

pub fn stage(ctx: &Ctx) -> Outcome {
    let mut t = Tally::new("flake-eval");
    let nix = match start_nix(&mut t, Profile::Build) {
        Ok(n) => n,
        Err(o) => return o,
    };
    let lib = match need_lib(ctx, &mut t) {
        Ok(l) => l,
        Err(o) => return o,
    };
    let work = match ctx.work_dir(&mut t) {
        Ok(w) => w,
        Err(o) => return o,
    };
    let w = work.path();
    if let Err(e) = stand_in(ctx, &w.join("nixpkgs"), &lib, &[]) {
        t.fail("laying out the stand-in", &e);
        return t.finish();
    }
    // Files git does not track are not part of the flake: say so rather
    // than evaluate something else than the working tree.
    let untracked = util::run(
        Command::new("git")
            .args(["ls-files", "--others", "--exclude-standard", "--", "*.nix"])
            .current_dir(&ctx.root),
    );
    if !untracked.stdout.trim().is_empty() {
        t.line("note: untracked .nix files are not part of the flake (git add them):");
        t.detail(untracked.stdout.lines());
    }

    let standin = format!("path:{}", w.join("nixpkgs").display());
    let self_ref = format!("git+file://{}", ctx.root.display());
    let nixpkgs = overrides(&[("nixpkgs", &standin)]);
    let downstream = overrides(&[
        ("nixpkgs", &standin),
        ("nixos-rs", &self_ref),
        ("nixos-rs/nixpkgs", &standin),
    ]);
    let mut e = FlakeEval {
        nix: &nix,
        root: &ctx.root,
        t,
    };
    let flake: Vec<&str> = std::iter::once("--no-write-lock-file")
        .chain(nixpkgs.iter().map(String::as_str))
        .collect();

    this_flake(&mut e, &flake);
    closure_checks(&mut e, &flake);
    for pkg in RUST_PACKAGES {
        rust_source(ctx, &mut e, &flake, w, pkg);
    }
    e.configurations("", ".", &flake);
    for f in LIB_FUNCTIONS {
        let attr = format!(".#{f}");
        let apply = "f: if builtins.isFunction f then true else throw \"not a function\"";
        e.check(
            &format!("{f} is a function"),
            &[&["eval"], &flake[..], &[&attr, "--apply", apply]].concat(),
        );
    }

    // ---- a downstream flake ----
    let consumer = w.join("consumer");
    match util::copy_tree(&ctx.path("tests/flake-eval/consumer"), &consumer) {
        Err(err) => e.t.fail("tests/flake-eval/consumer", &err),
        Ok(()) => {
            let args: Vec<&str> = downstream.iter().map(String::as_str).collect();
            let r = format!("path:{}", consumer.display());
            e.configurations("consumer", &r, &args);
            needs_ifd(&mut e, &r, &args);
        }
    }

    // ---- the templates, as `nix flake init -t` lays them out ----
    templates(ctx, &mut e, &flake, &downstream, &self_ref, w);
    e.t.finish()
}

/// This flake's own outputs, system by system. What `nix flake check
/// --no-build` and Hydra evaluate is evaluated as they do, without
/// import-from-derivation: one item per output names what needs it.
fn this_flake(e: &mut FlakeEval, flake: &[&str]) {
    e.check(
        "nix flake show",
        &[&["flake", "show"], flake, &["."]].concat(),
    );
    e.check(
        "nix flake check --no-build, import-from-derivation off",
        &[
            &["flake", "check", "--no-build"],
            &NO_IFD[..],
            flake,
            &["."],
        ]
        .concat(),
    );
    e.t.line("note: checks, packages, devShells, apps, formatter and hydraJobs evaluated with import-from-derivation off");
    let no_ifd: Vec<&str> = [&NO_IFD[..], flake].concat();
    let flake = &no_ifd[..];
    for sys in SYSTEMS {
        for kind in ["checks", "packages", "devShells"] {
            let names = match e.names(flake, &format!(".#{kind}.{sys}")) {
                Ok(n) => n,
                Err(err) => {
                    e.t.fail(&format!("{kind}.{sys}"), &err);
                    continue;
                }
            };
            for n in names {
                let attr = format!(".#{kind}.{sys}.\"{n}\".drvPath");
                e.check(
                    &format!("{kind}.{sys}.{n}"),
                    &[&["eval", "--raw"], flake, &[&attr]].concat(),
                );
            }
        }
        match e.names(flake, &format!(".#apps.{sys}")) {
            Err(err) => e.t.fail(&format!("apps.{sys}"), &err),
            Ok(names) => {
                for n in names {
                    let attr = format!(".#apps.{sys}.\"{n}\".program");
                    e.check(
                        &format!("apps.{sys}.{n}.program"),
                        &[&["eval", "--raw"], flake, &[&attr]].concat(),
                    );
                }
            }
        }
        let attr = format!(".#formatter.{sys}.drvPath");
        e.check(
            &format!("formatter.{sys}"),
            &[&["eval", "--raw"], flake, &[&attr]].concat(),
        );
        hydra_jobs(e, flake, sys);
    }
}

/// Hydra evaluates without import-from-derivation (`flake` turns it off):
/// its jobs evaluate so, and they are exactly the checks that do not need
/// it.
fn hydra_jobs(e: &mut FlakeEval, flake: &[&str], sys: &str) {
    for job in ["checks", "packages"] {
        let attr = format!(".#hydraJobs.{job}.{sys}");
        e.check(
            &format!("hydraJobs.{job}.{sys}"),
            &[
                &["eval", "--json"],
                flake,
                &[&attr, "--apply", "builtins.mapAttrs (_: j: j.drvPath)"],
            ]
            .concat(),
        );
    }
    let attr = format!(".#hydraJobs.required.{sys}.drvPath");
    e.check(
        &format!("hydraJobs.required.{sys}"),
        &[&["eval", "--raw"], flake, &[&attr]].concat(),
    );
    let without_ifd = "cs: builtins.filter (n: (cs.${n}.result.config.system.replaceDependencies.replacements or []) == []) (builtins.attrNames cs)";
    let checks = e.json(&[flake, &[&format!(".#checks.{sys}"), "--apply", without_ifd]].concat());
    let jobs = e.names(flake, &format!(".#hydraJobs.checks.{sys}"));
    let name = format!("hydraJobs.checks.{sys}: the checks that need no import-from-derivation");
    match (checks, jobs) {
        (Ok(checks), Ok(jobs)) => {
            let checks: Vec<String> = serde_json::from_value(checks).unwrap_or_default();
            if !jobs.is_empty() && jobs == checks {
                e.t.ok(&name);
            } else {
                e.t.fail(
                    &name,
                    &format!("jobs {jobs:?}, checks without IFD {checks:?}"),
                );
            }
        }
        (Err(err), _) | (_, Err(err)) => e.t.fail(&name, &err),
    }
}

/// `legacyPackages.<system>.closureChecks`: the boot checks of
/// configurations that swap packages closure-wide, kept out of `checks`
/// because evaluating them needs import-from-derivation. On this machine's
/// system each must evaluate with it; on another, evaluating one must fail
/// because nothing here builds for that system.
fn closure_checks(e: &mut FlakeEval, flake: &[&str]) {
    let which = "lp: builtins.mapAttrs (_: p: if p ? closureChecks then builtins.attrNames p.closureChecks else null) lp";
    let found = match e.json(&[flake, &[".#legacyPackages", "--apply", which]].concat()) {
        Ok(v) => v,
        Err(err) if err.contains("does not provide attribute") => {
            e.t.skip(
                "legacyPackages.<system>.closureChecks",
                "the flake has no legacyPackages yet",
            );
            return;
        }
        Err(err) => {
            e.t.fail("legacyPackages", &err);
            return;
        }
    };
    let host = host_system();
    for sys in SYSTEMS {
        let base = format!("legacyPackages.{sys}.closureChecks");
        let names: Vec<String> = match found.get(*sys) {
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(|n| n.as_str().map(String::from))
                .collect(),
            _ => {
                e.t.skip(&base, "not in the flake yet");
                continue;
            }
        };
        if *sys == host {
            for n in &names {
                let attr = format!(".#{base}.\"{n}\".drvPath");
                e.check(
                    &format!("{base}.{n}"),
                    &[&["eval", "--raw"], flake, &[&attr]].concat(),
                );
            }
        } else if let Some(n) = names.first() {
            let attr = format!(".#{base}.\"{n}\".drvPath");
            let r = e.run(&[&["eval", "--raw"], flake, &[&attr]].concat());
            let name = format!("{base}.{n}: needs a builder for {sys} to evaluate");
            if r.ok {
                e.t.fail(&name, &format!("it evaluated on {host}"));
            } else if r.stderr.contains(WRONG_SYSTEM_MESSAGE) {
                e.t.ok(&format!("{name} (expected failure: {})", r.why()));
            } else {
                e.t.fail(&name, &r.why());
            }
        }
    }
}

/// A Rust package's source as Nix filters it (pkgs/workspace.nix): the
/// workspace with the package's crate and the other members' manifests,
/// postPatch run on it, must load with Cargo and build the package's crate.
fn rust_source(ctx: &Ctx, e: &mut FlakeEval, flake: &[&str], work: &Path, pkg: &str) {
    let attr = |a: &str| format!(".#packages.x86_64-linux.{pkg}.{a}");
    let parts = e.raw(&[flake, &[&attr("src")]].concat()).and_then(|src| {
        let patch = e.raw(&[flake, &[&attr("postPatch")]].concat())?;
        let flags = e.raw(&[flake, &[&attr("cargoBuildFlags"), "--apply", "toString"]].concat())?;
        Ok((src, patch, flags))
    });
    let (src, patch, flags) = match parts {
        Ok(p) => p,
        Err(err) => {
            e.t.fail(&format!("packages.{pkg}: its source"), &err);
            return;
        }
    };
    let dir = work.join(format!("rust-{pkg}"));
    // The source is in the store of the Nix that evaluated it: copied out
    // by a `cp` where that Nix runs (the work directory is seen there too).
    let mut cp = e.nix.command("cp");
    cp.args(["-r", "--no-preserve=mode"]).arg(&src).arg(&dir);
    let copied = util::run(&mut cp);
    let copied = if copied.ok {
        Ok(())
    } else {
        Err(format!("copying {src}: {}", copied.why()))
    };
    let built = copied.and_then(|()| {
        let r = util::run(
            Command::new("bash")
                .args(["-euo", "pipefail", "-c", &patch])
                .current_dir(&dir),
        );
        if !r.ok {
            return Err(format!("postPatch: {}", r.why()));
        }
        let mut args = vec!["check", "--quiet", "--offline", "--locked"];
        args.extend(flags.split_whitespace());
        let mut cargo = ctx.cargo(&args);
        cargo.current_dir(&dir);
        let r = util::run(&mut cargo);
        if r.ok {
            Ok(())
        } else {
            let out = format!("{}{}", r.stdout, r.stderr);
            let line = out.lines().find(|l| l.to_lowercase().contains("error"));
            Err(line.unwrap_or(&r.status()).to_string())
        }
    });
    let name = format!("packages.{pkg}: its filtered source builds ({flags})");
    match built {
        Ok(()) => e.t.ok(&name),
        Err(err) => e.t.fail(
            &format!("packages.{pkg}: its filtered source does not build"),
            &err,
        ),
    }
}

/// Evaluating a closure-strategy configuration's toplevel needs
/// import-from-derivation: with it off Nix refuses with its own message,
/// with it on the toplevel evaluates.
fn needs_ifd(e: &mut FlakeEval, consumer: &str, args: &[&str]) {
    let attr = format!(
        "{consumer}#nixosConfigurations.{IFD_CONFIGURATION}.config.system.build.toplevel.drvPath"
    );
    let name = format!("consumer#nixosConfigurations.{IFD_CONFIGURATION}: its toplevel needs import-from-derivation");
    let base = [&["eval", "--no-write-lock-file", "--raw"], args].concat();
    let off = e.run(&[&base[..], &NO_IFD[..], &[&attr]].concat());
    let on = e.run(&[&base[..], &[&attr]].concat());
    let verdict = if off.ok {
        Err("it evaluates with import-from-derivation off".to_string())
    } else if !off.stderr.contains(IFD_OFF_MESSAGE) {
        Err(format!("with it off, another error: {}", off.why()))
    } else if !on.ok {
        Err(format!("with it on: {}", on.why()))
    } else {
        Ok(())
    };
    e.t.check(&name, verdict);
}

/// Each template initialised into a fresh directory, its inputs
/// overridden: its checks, `nix flake check --no-build` without
/// import-from-derivation, every configuration.
fn templates(
    ctx: &Ctx,
    e: &mut FlakeEval,
    flake: &[&str],
    downstream: &[String],
    self_ref: &str,
    work: &Path,
) {
    let names = match e.names(flake, ".#templates") {
        Ok(n) => n,
        Err(err) => {
            e.t.fail("templates", &err);
            return;
        }
    };
    // The systemd-rs template's monorepo input, by a flake of the same shape.
    let noverby = format!(
        "path:{}",
        ctx.path("tests/stand-ins/rust-systemd").display()
    );
    for t in names {
        let dir = work.join(format!("template-{t}"));
        let init = std::fs::create_dir_all(&dir)
            .map_err(|err| err.to_string())
            .and_then(|()| {
                let mut c = e
                    .nix
                    .nix(["flake", "init", "-t", &format!("{self_ref}#{t}")]);
                c.current_dir(&dir);
                let r = util::run(&mut c);
                if r.ok {
                    Ok(())
                } else {
                    Err(r.why())
                }
            });
        if let Err(err) = init {
            e.t.fail(&format!("template {t}: nix flake init"), &err);
            continue;
        }
        let mut inputs: Vec<String> = std::iter::once("--no-write-lock-file".to_string())
            .chain(downstream.iter().cloned())
            .collect();
        let text = std::fs::read_to_string(dir.join("flake.nix")).unwrap_or_default();
        if text.contains("noverby") {
            inputs.extend(overrides(&[("noverby", &noverby)]));
        }
        let inputs: Vec<&str> = inputs.iter().map(String::as_str).collect();
        let r = format!("path:{}", dir.display());
        e.check(
            &format!("template {t}: checks.x86_64-linux"),
            &[
                &["eval", "--json"],
                &inputs[..],
                &[
                    &format!("{r}#checks.x86_64-linux"),
                    "--apply",
                    "builtins.mapAttrs (_: c: c.drvPath)",
                ],
            ]
            .concat(),
        );
        e.check(
            &format!("template {t}: nix flake check --no-build, import-from-derivation off"),
            &[
                &["flake", "check", "--no-build"],
                &NO_IFD[..],
                &inputs[..],
                &[&r],
            ]
            .concat(),
        );
        e.configurations(&format!("template {t}"), &r, &inputs);
    }
}

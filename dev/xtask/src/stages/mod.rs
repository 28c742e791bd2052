//! The stages of the test suite, in the order they run, and what they
//! share: the repository, nixpkgs' lib, Nix, cargo.

use crate::nix::{Nix, Profile};
use crate::nixlib::{self, Lib};
use crate::report::{Outcome, Tally};
use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::process::Command;

mod flake_eval;
mod modules;
mod nix_files;
mod probes;
mod sandbox;
mod template;
mod tools;

pub use modules::{options_doc, readme_components, with_components, OPTIONS_MD, README};

/// A stage: its name on the command line, what it checks, how it runs.
#[derive(Debug)]
pub struct Stage {
    pub name: &'static str,
    pub what: &'static str,
    pub run: fn(&Ctx) -> Outcome,
}

/// Every stage, in the order they run.
pub const STAGES: &[Stage] = &[
    Stage {
        name: "setup",
        what: "with --setup: scripts/setup installs what the stages need",
        run: tools::setup,
    },
    Stage {
        name: "format",
        what: "treefmt --ci with treefmt.toml (alejandra's formatting, deadnix, rustfmt, shellcheck)",
        run: tools::format,
    },
    Stage {
        name: "rust-clippy",
        what: "cargo clippy --workspace --all-targets -- -D warnings",
        run: tools::clippy,
    },
    Stage {
        name: "rust-tests",
        what: "cargo test --workspace",
        run: tools::tests,
    },
    Stage {
        name: "nix-syntax",
        what: "every tracked .nix file parses",
        run: nix_files::syntax,
    },
    Stage {
        name: "entry-points",
        what: "tests/entry-points.nix: checks/, lib and templates called as their callers call them, builtins only",
        run: nix_files::entry_points,
    },
    Stage {
        name: "nix-modules",
        what: "the module tests with nixpkgs' lib, and docs/options.md current",
        run: modules::stage,
    },
    Stage {
        name: "probes",
        what: "every probe passes on a QEMU guest with the Rust programs and fails on one with the C ones",
        run: probes::stage,
    },
    Stage {
        name: "flake-eval",
        what: "every output of the flake, a downstream flake and the templates, evaluated against the nixpkgs stand-in",
        run: flake_eval::stage,
    },
    Stage {
        name: "nix-sandbox",
        what: "lib.mkBootCheck built in Nix's sandbox, booting QEMU guests",
        run: sandbox::stage,
    },
    Stage {
        name: "template",
        what: "nix flake init -t of each template into a fresh directory; what lands there",
        run: template::stage,
    },
];

/// What the stages share.
#[derive(Debug)]
pub struct Ctx {
    /// The repository's root.
    pub root: PathBuf,
    /// In CI (`NIXOS_RS_CI=1`): a skipped stage fails.
    pub ci: bool,
    /// `--setup`: the setup stage runs scripts/setup.
    pub setup: bool,
    /// `probes --update`: the probes stage writes its table.
    pub update_probes_table: bool,
    lib: OnceCell<Lib>,
}

impl Ctx {
    pub fn new(root: PathBuf, ci: bool) -> Ctx {
        Ctx {
            root,
            ci,
            setup: false,
            update_probes_table: false,
            lib: OnceCell::new(),
        }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The workspace's one target directory.
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(d) if !d.is_empty() => self.root.join(d),
            _ => self.root.join("target"),
        }
    }

    /// `cargo ARGS...` in the repository, with the workspace's target
    /// directory and no colours.
    pub fn cargo(&self, args: &[&str]) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut c = Command::new(cargo);
        c.args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.target_dir())
            .env("CARGO_TERM_COLOR", "never");
        c
    }

    /// nixpkgs' lib, resolved once for every stage (nixlib.rs).
    pub fn nixpkgs_lib(&self) -> &Lib {
        self.lib.get_or_init(|| {
            let env = std::env::var("NIXPKGS_LIB").ok();
            nixlib::resolve(env.as_deref(), &self.root, || {
                let nix = Nix::from_env(Profile::Eval)?;
                nixlib::fetch_locked(&nix, &self.root)
            })
        })
    }

    /// A fresh directory for a stage's files, removed when dropped; a
    /// failed item when there is none. It is in the target directory, which
    /// Nix sees at the same path when it runs in another installation
    /// (scripts/nix-chroot mounts the checkout and the target directory).
    pub fn work_dir(&self, t: &mut Tally) -> Result<tempfile::TempDir, Outcome> {
        let base = self.target_dir().join("xtask");
        std::fs::create_dir_all(&base).map_err(|e| {
            fail(
                t,
                "a temporary directory",
                &format!("{}: {e}", base.display()),
            )
        })?;
        tempfile::Builder::new()
            .prefix("nixos-rs-test-")
            .tempdir_in(&base)
            .map_err(|e| fail(t, "a temporary directory", &e.to_string()))
    }
}

/// A failure that ends the stage: its item, then the stage's counts.
pub fn fail(t: &mut Tally, name: &str, why: &str) -> Outcome {
    t.fail(name, why);
    t.finish()
}

/// Nix for a stage's `profile`; prints the Nix version as the stage's
/// first line. Skips the stage when Nix cannot run, or (building) has no
/// build users.
pub fn start_nix(t: &mut Tally, profile: Profile) -> Result<Nix, Outcome> {
    let nix = Nix::from_env(profile).map_err(|e| fail(t, crate::nix::ENV_PREFIX, &e))?;
    match nix.version() {
        Ok(v) => t.line(v),
        Err(e) => return Err(Outcome::Skipped(e)),
    }
    nix.build_users().map_err(Outcome::Skipped)?;
    Ok(nix)
}

/// nixpkgs' lib for a stage: its lib/ directory, printed; a skip when it
/// cannot be had, a failure when NIXPKGS_LIB names something else.
pub fn need_lib(ctx: &Ctx, t: &mut Tally) -> Result<PathBuf, Outcome> {
    match ctx.nixpkgs_lib() {
        Lib::Found { dir, from } => {
            t.line(format!("nixpkgs' lib: {} (from {from})", dir.display()));
            Ok(dir.clone())
        }
        Lib::Missing(why) => Err(Outcome::Skipped(why.clone())),
        Lib::Invalid(why) => Err(fail(t, "nixpkgs' lib", why)),
    }
}

/// `import <dir>` for `--arg lib`.
pub fn import(dir: &Path) -> String {
    format!("import {}", dir.display())
}

/// Lays the nixpkgs stand-in (tests/stand-in/nixpkgs) out in `dir`, ready
/// for `--override-input nixpkgs path:DIR`: nixpkgs' lib/ copied in (a
/// flake reads only files inside itself) and, if given, the files of
/// `prebuilt` (bootcheck, vmlinuz, busybox) in prebuilt/.
pub fn stand_in(
    ctx: &Ctx,
    dir: &Path,
    lib: &Path,
    prebuilt: &[(&Path, &str)],
) -> Result<(), String> {
    crate::util::copy_tree(&ctx.path("tests/stand-in/nixpkgs"), dir)?;
    crate::util::copy_tree(lib, &dir.join("lib"))?;
    if !prebuilt.is_empty() {
        let p = dir.join("prebuilt");
        std::fs::create_dir_all(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        for (from, name) in prebuilt {
            std::fs::copy(from, p.join(name)).map_err(|e| format!("{}: {e}", from.display()))?;
        }
    }
    Ok(())
}

/// A Nix test file evaluated to its results (results.rs), each printed as
/// an item; a file that does not evaluate is one failure.
pub fn nix_tests(nix: &Nix, t: &mut Tally, root: &Path, file: &str, lib: Option<&Path>) {
    let mut cmd = nix.instantiate(["--eval", "--strict", "--json", file]);
    cmd.current_dir(root);
    if let Some(lib) = lib {
        cmd.args(["--arg", "lib", &import(lib)]);
    }
    let r = crate::util::run(&mut cmd);
    if !r.ok {
        t.fail(file, &format!("does not evaluate: {}", r.why()));
        t.detail(crate::util::tail(&crate::util::strip_ansi(&r.stderr), 10));
        return;
    }
    match crate::results::parse(&r.stdout) {
        Ok(res) => crate::results::report(&res, t),
        Err(e) => t.fail(file, &e),
    }
}

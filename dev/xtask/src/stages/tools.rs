//! The stages that run one tool each: setup, format, rust-clippy,
//! rust-tests. The tool's output is shown as it comes; the stage's item
//! is the tool's verdict.

use super::Ctx;
use crate::report::{Outcome, Tally};
use crate::util;
use std::process::Command;

/// One tool run as the stage's one item.
fn one(stage: &str, name: &str, mut cmd: Command) -> Outcome {
    let mut t = Tally::new(stage);
    let r = util::run_shown(&mut cmd);
    t.check(name, if r.ok { Ok(()) } else { Err(r.why()) });
    t.finish()
}

pub fn setup(ctx: &Ctx) -> Outcome {
    if !ctx.setup {
        return Outcome::Skipped("run with --setup to install what the stages need".into());
    }
    let mut cmd = Command::new(ctx.path("scripts/setup"));
    cmd.current_dir(&ctx.root);
    one("setup", "scripts/setup", cmd)
}

/// Formatting and lints of every language, from the one configuration in
/// treefmt.toml.
pub fn format(ctx: &Ctx) -> Outcome {
    let mut t = Tally::new("format");
    let missing: Vec<&str> = ["treefmt", "fmt-nix", "deadnix", "rustfmt", "shellcheck"]
        .into_iter()
        .filter(|p| util::which(p).is_none())
        .collect();
    for p in &missing {
        t.fail(p, "not found: run scripts/setup");
    }
    if missing.is_empty() {
        let mut cmd = Command::new("treefmt");
        cmd.arg("--ci").current_dir(&ctx.root);
        let r = util::run_shown(&mut cmd);
        t.check("treefmt --ci", if r.ok { Ok(()) } else { Err(r.why()) });
    }
    t.finish()
}

pub fn clippy(ctx: &Ctx) -> Outcome {
    let args = [
        "clippy",
        "--workspace",
        "--all-targets",
        "--locked",
        "--",
        "-D",
        "warnings",
    ];
    one(
        "rust-clippy",
        &format!("cargo {}", args.join(" ")),
        ctx.cargo(&args),
    )
}

/// Every Rust test of the workspace: bootcheck's (unit, saved logs, a
/// corpus of real logs, fake consoles, a pty, real QEMU boots), brush-bash's
/// (snapshots, differential against bash and brush), probe-guests' and
/// this runner's.
pub fn tests(ctx: &Ctx) -> Outcome {
    let args = ["test", "--workspace", "--locked"];
    one(
        "rust-tests",
        &format!("cargo {}", args.join(" ")),
        ctx.cargo(&args),
    )
}

//! The Nix stages that need no nixpkgs: nix-syntax and entry-points.

use super::{fail, nix_tests, start_nix, Ctx};
use crate::nix::Profile;
use crate::report::{Outcome, Tally};
use crate::util;
use std::process::Command;

/// The tracked files matching `pattern` that are in the working tree.
pub fn tracked(ctx: &Ctx, pattern: &str) -> Result<Vec<String>, String> {
    let r = util::run(
        Command::new("git")
            .args(["ls-files", "-z", "--", pattern])
            .current_dir(&ctx.root),
    );
    if !r.ok {
        return Err(format!("git ls-files: {}", r.why()));
    }
    Ok(r.stdout
        .split('\0')
        .filter(|f| !f.is_empty() && ctx.root.join(f).is_file())
        .map(str::to_string)
        .collect())
}

/// Every tracked .nix file parses.
pub fn syntax(ctx: &Ctx) -> Outcome {
    let mut t = Tally::new("nix-syntax");
    let nix = match start_nix(&mut t, Profile::Eval) {
        Ok(n) => n,
        Err(o) => return o,
    };
    let files = match tracked(ctx, "*.nix") {
        Ok(f) if !f.is_empty() => f,
        Ok(_) => return fail(&mut t, "git ls-files '*.nix'", "no tracked .nix file"),
        Err(e) => return fail(&mut t, "git ls-files '*.nix'", &e),
    };
    for f in files {
        let mut cmd = nix.instantiate(["--parse", &f]);
        cmd.current_dir(&ctx.root);
        let r = util::run(&mut cmd);
        t.check(&f, if r.ok { Ok(()) } else { Err(r.why()) });
    }
    t.finish()
}

/// Every checks/ file, lib export and template called as its caller calls
/// it, with builtins only (tests/entry-points.nix).
pub fn entry_points(ctx: &Ctx) -> Outcome {
    let mut t = Tally::new("entry-points");
    let nix = match start_nix(&mut t, Profile::Eval) {
        Ok(n) => n,
        Err(o) => return o,
    };
    nix_tests(&nix, &mut t, &ctx.root, "tests/entry-points.nix", None);
    t.finish()
}

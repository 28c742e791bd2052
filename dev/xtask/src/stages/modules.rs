//! nix-modules: the module tests, with nixpkgs' lib, part by part, and
//! docs/options.md checked current.

use super::{import, need_lib, nix_tests, start_nix, Ctx};
use crate::nix::{Nix, Profile};
use crate::report::{Outcome, Tally};
use crate::util;
use std::path::Path;

/// A part of the module tests.
#[derive(Debug, Clone, Copy)]
enum Part {
    /// A Nix file evaluated with `--arg lib` to `{ passed; failed; }`.
    NixTests(&'static str),
    /// A script called with nixpkgs' lib/ directory: it prints its own
    /// `ok`/`FAIL` lines and, last, `<passed> <failed>`.
    Script(&'static str),
    /// docs/options.md is what the modules make.
    OptionsDoc,
}

/// The parts, in order. The two scripts run the build scripts against
/// fake package trees; they are to be replaced by Nix tests.
const PARTS: &[Part] = &[
    Part::NixTests("tests/modules/default.nix"),
    Part::Script("tests/modules/build-scripts"),
    Part::NixTests("tests/modules/systemd.nix"),
    Part::Script("tests/modules/systemd-build-script"),
    Part::OptionsDoc,
];

pub fn stage(ctx: &Ctx) -> Outcome {
    let mut t = Tally::new("nix-modules");
    let nix = match start_nix(&mut t, Profile::Build) {
        Ok(n) => n,
        Err(o) => return o,
    };
    let lib = match need_lib(ctx, &mut t) {
        Ok(l) => l,
        Err(o) => return o,
    };
    for part in PARTS {
        match *part {
            Part::NixTests(file) => nix_tests(&nix, &mut t, &ctx.root, file, Some(&lib)),
            Part::Script(script) => self::script(ctx, &nix, &mut t, script, &lib),
            Part::OptionsDoc => {
                let current = options_doc(ctx, &nix, &lib).and_then(|new| {
                    let path = ctx.path(OPTIONS_MD);
                    let old = std::fs::read_to_string(&path).unwrap_or_default();
                    match first_difference(&old, &new) {
                        None => Ok(()),
                        Some(d) => Err(format!("stale ({d}): run cargo xtask options-doc")),
                    }
                });
                t.check(&format!("{OPTIONS_MD} is current"), current);
            }
        }
    }
    t.finish()
}

/// A script part: its lines as they are, its counts from its last line; a
/// script that does not end so did not finish, which is a failure.
fn script(ctx: &Ctx, nix: &Nix, t: &mut Tally, script: &str, lib: &Path) {
    let mut cmd = std::process::Command::new(ctx.path(script));
    cmd.arg(lib)
        .current_dir(&ctx.root)
        .env("NIX_CONFIG", crate::nix::config(nix.profile()));
    let r = util::run(&mut cmd);
    let mut lines: Vec<&str> = r.stdout.lines().collect();
    let counts = lines.last().and_then(|l| {
        let (p, f) = l.split_once(' ')?;
        Some((p.parse::<usize>().ok()?, f.parse::<usize>().ok()?))
    });
    if counts.is_some() {
        lines.pop();
    }
    for l in &lines {
        t.line(*l);
    }
    match counts {
        Some((p, f)) => t.add(p, f, 0),
        None => {
            t.fail(script, &format!("did not finish ({})", r.status()));
            t.detail(util::tail(&r.stderr, 15));
        }
    }
}

/// The options reference, checked by nix-modules and written by `cargo
/// xtask options-doc`.
pub const OPTIONS_MD: &str = "docs/options.md";

/// docs/options.md as the modules make it (lib/options-doc.nix over
/// tests/options-doc.nix's evaluation).
pub fn options_doc(ctx: &Ctx, nix: &Nix, lib: &Path) -> Result<String, String> {
    let mut cmd = nix.instantiate(["--eval", "--strict", "--json", "tests/options-doc.nix"]);
    cmd.args(["--arg", "lib", &import(lib)])
        .current_dir(&ctx.root);
    let r = util::run(&mut cmd);
    if !r.ok {
        return Err(format!("tests/options-doc.nix: {}", r.why()));
    }
    serde_json::from_str::<String>(&r.stdout)
        .map_err(|e| format!("tests/options-doc.nix: not a string: {e}"))
}

/// Where two texts first differ, as `line N: "old" became "new"`.
pub fn first_difference(old: &str, new: &str) -> Option<String> {
    if old == new {
        return None;
    }
    let (mut a, mut b) = (old.lines(), new.lines());
    for n in 1.. {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => return Some(format!("line {n}: the final newline differs")),
            (x, y) => {
                let show = |l: Option<&str>| l.map_or("end of file".into(), |l| format!("{l:?}"));
                return Some(format!("line {n}: {} became {}", show(x), show(y)));
            }
        }
    }
    unreachable!("the loop returns")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_line_that_differs() {
        assert_eq!(first_difference("a\nb\n", "a\nb\n"), None);
        assert_eq!(
            first_difference("a\nb\n", "a\nc\n").unwrap(),
            r#"line 2: "b" became "c""#
        );
        assert_eq!(
            first_difference("a\n", "a\nb\n").unwrap(),
            r#"line 2: end of file became "b""#
        );
        assert_eq!(
            first_difference("a\n", "a").unwrap(),
            "line 2: the final newline differs"
        );
    }
}

//! nix-modules: the Nix unit tests (tests/nix/default.nix, evaluated),
//! the build tests (tests/nix/builds.nix, each attribute built in Nix's
//! sandbox), and the generated documents checked current: docs/options.md
//! and the README's component table.

use super::{import, need_lib, nix_tests, start_nix, Ctx};
use crate::nix::{Nix, Profile};
use crate::report::{Outcome, Tally};
use crate::util;
use std::path::Path;

/// The unit tests and the build tests.
const UNIT_TESTS: &str = "tests/nix/default.nix";
const BUILD_TESTS: &str = "tests/nix/builds.nix";

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
    nix_tests(&nix, &mut t, &ctx.root, UNIT_TESTS, Some(&lib));
    builds(ctx, &nix, &mut t, &lib);
    let current = options_doc(ctx, &nix, &lib).and_then(|new| stale(ctx, OPTIONS_MD, &new));
    t.check(
        &format!("{OPTIONS_MD} is current"),
        current.map_err(|e| format!("{e}: run cargo xtask generate")),
    );
    let current = readme_components(ctx, &nix).and_then(|new| {
        let readme =
            std::fs::read_to_string(ctx.path(README)).map_err(|e| format!("{README}: {e}"))?;
        let old = components_section(&readme)
            .ok_or_else(|| format!("{README} has no {START} ... {END} section"))?;
        match first_difference(old, &new) {
            None => Ok(()),
            Some(d) => Err(format!("stale ({d})")),
        }
    });
    t.check(
        "README.md's component table is the component list's",
        current.map_err(|e| format!("{e}: run cargo xtask generate")),
    );
    t.finish()
}

/// Each attribute of tests/nix/builds.nix built: a derivation must build,
/// `{ drv; fails = "text"; }` must fail with `text` in its log.
fn builds(ctx: &Ctx, nix: &Nix, t: &mut Tally, lib: &Path) {
    let lib_arg = import(lib);
    let expr = format!(
        "builtins.mapAttrs (_: t: if t ? fails then t.fails else null) (import ./{BUILD_TESTS} {{lib = {lib_arg};}})"
    );
    let mut cmd = nix.instantiate([
        "--read-write-mode",
        "--eval",
        "--strict",
        "--json",
        "--expr",
        &expr,
    ]);
    cmd.current_dir(&ctx.root);
    let r = util::run(&mut cmd);
    if !r.ok {
        t.fail(BUILD_TESTS, &format!("does not evaluate: {}", r.why()));
        t.detail(util::tail(&util::strip_ansi(&r.stderr), 10));
        return;
    }
    let cases: serde_json::Map<String, serde_json::Value> = match serde_json::from_str(&r.stdout) {
        Ok(c) => c,
        Err(e) => return t.fail(BUILD_TESTS, &format!("not an attribute set: {e}")),
    };
    for (name, fails) in cases {
        let attr = match &fails {
            serde_json::Value::String(_) => format!("{name}.drv"),
            _ => name.clone(),
        };
        let mut cmd = nix.command("nix-build");
        cmd.args([
            "--no-out-link",
            BUILD_TESTS,
            "--arg",
            "lib",
            &lib_arg,
            "-A",
            &attr,
        ])
        .current_dir(&ctx.root);
        let r = util::run(&mut cmd);
        let log = util::strip_ansi(&r.stderr);
        let verdict = match (&fails, r.ok) {
            (serde_json::Value::String(_), true) => Err("built, but must fail".to_string()),
            (serde_json::Value::String(text), false) if log.contains(text.as_str()) => Ok(()),
            (serde_json::Value::String(text), false) => {
                Err(format!("failed without saying {text:?}"))
            }
            (_, true) => Ok(()),
            (_, false) => Err(format!("does not build: {}", r.why())),
        };
        let failed = verdict.is_err();
        t.check(&format!("build {name}"), verdict);
        if failed {
            t.detail(util::tail(&log, 10));
        }
    }
}

/// `Ok` when the file at `rel` holds `new`, else where they differ.
fn stale(ctx: &Ctx, rel: &str, new: &str) -> Result<(), String> {
    let old = std::fs::read_to_string(ctx.path(rel)).unwrap_or_default();
    match first_difference(&old, new) {
        None => Ok(()),
        Some(d) => Err(format!("stale ({d})")),
    }
}

/// The README and the markers around its generated component table.
pub const README: &str = "README.md";
const START: &str = "<!-- components:start";
const END: &str = "<!-- components:end -->";

/// The README's generated section: what follows the start marker's line,
/// up to the end marker.
pub fn components_section(readme: &str) -> Option<&str> {
    let from = readme.find(START)?;
    let body = from + readme[from..].find('\n')? + 1;
    let to = body + readme[body..].find(END)?;
    Some(&readme[body..to])
}

/// The component table as nix/readme-components.nix makes it.
pub fn readme_components(ctx: &Ctx, nix: &Nix) -> Result<String, String> {
    let mut cmd = nix.instantiate(["--eval", "--strict", "--json", "nix/readme-components.nix"]);
    cmd.current_dir(&ctx.root);
    let r = util::run(&mut cmd);
    if !r.ok {
        return Err(format!("nix/readme-components.nix: {}", r.why()));
    }
    serde_json::from_str::<String>(&r.stdout)
        .map_err(|e| format!("nix/readme-components.nix: not a string: {e}"))
}

/// The README with its component table replaced by `table`.
pub fn with_components(readme: &str, table: &str) -> Option<String> {
    let old = components_section(readme)?;
    let at = readme.find(old)?;
    Some(format!(
        "{}{}{}",
        &readme[..at],
        table,
        &readme[at + old.len()..]
    ))
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

    #[test]
    fn the_component_table_is_found_and_replaced() {
        let readme =
            "# x\n<!-- components:start (generated) -->\n| old |\n<!-- components:end -->\nrest\n";
        assert_eq!(components_section(readme), Some("| old |\n"));
        assert_eq!(
            with_components(readme, "| new |\n").unwrap(),
            "# x\n<!-- components:start (generated) -->\n| new |\n<!-- components:end -->\nrest\n"
        );
        assert_eq!(components_section("# no markers\n"), None);
    }
}

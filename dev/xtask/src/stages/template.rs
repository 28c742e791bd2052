//! template: `nix flake init -t` of each template of this flake into a
//! fresh directory, as a user would, and what lands there: the files, that
//! every Nix file parses, that the flake wires nixos-rs' module and boot
//! check, that it lands in a project that already has a README.md, that a
//! second init keeps the user's edits, and that each CI workflow (the
//! templates' and this repository's own) is YAML whose nix commands the
//! documentation gives.

use super::{fail, start_nix, Ctx};
use crate::nix::{Nix, Profile};
use crate::report::{Outcome, Tally};
use crate::util;
use std::path::Path;

/// What a downstream flake must use.
const NEEDLES: &[&str] = &[
    "nixos-rs.nixosModules.oxidized",
    "nixos-rs.lib.mkBootCheck",
    "nixosConfigurations.my-host",
];

/// The files every template has. No README.md: a project has its own, and
/// `nix flake init` refuses to overwrite a file.
const FILES: &[&str] = &[
    "flake.nix",
    "configuration.nix",
    ".gitignore",
    ".github/workflows/check.yml",
];

/// Where the commands users are told to run are written.
fn documentation(root: &Path) -> String {
    let mut text = String::new();
    for f in ["README.md", "CONTRIBUTING.md"] {
        text += &std::fs::read_to_string(root.join(f)).unwrap_or_default();
    }
    for e in std::fs::read_dir(root.join("docs"))
        .into_iter()
        .flatten()
        .flatten()
    {
        if e.path().extension().is_some_and(|x| x == "md") {
            text += &std::fs::read_to_string(e.path()).unwrap_or_default();
        }
    }
    text
}

/// Each `nix ...` line of a workflow is YAML and written in the documentation.
fn workflow(t: &mut Tally, label: &str, text: &str, docs: &str) {
    match nix_commands(text) {
        Err(e) => t.fail(&format!("{label} is YAML"), &e),
        Ok(cmds) => {
            t.ok(&format!("{label} is YAML"));
            for c in cmds {
                t.check(
                    &format!("{label} runs '{c}'"),
                    if docs.contains(&c) {
                        Ok(())
                    } else {
                        Err("README.md, CONTRIBUTING.md and docs/ do not give it".into())
                    },
                );
            }
        }
    }
}

/// The flake's template names. `builtins.getFlake` reads only the
/// `templates` output, so nixpkgs is not fetched.
pub fn template_names(nix: &Nix, root: &Path) -> Result<Vec<String>, String> {
    let expr = format!(
        "builtins.attrNames (builtins.getFlake \"git+file://{}\").templates",
        root.display()
    );
    let r = util::run(&mut nix.nix(["eval", "--impure", "--json", "--expr", &expr]));
    if !r.ok {
        return Err(r.why());
    }
    serde_json::from_str(&r.stdout).map_err(|e| format!("the template names: {e}"))
}

pub fn stage(ctx: &Ctx) -> Outcome {
    let mut t = Tally::new("template");
    let nix = match start_nix(&mut t, Profile::Eval) {
        Ok(n) => n,
        Err(o) => return o,
    };
    let names = match template_names(&nix, &ctx.root) {
        Ok(n) if !n.is_empty() => n,
        Ok(_) => return fail(&mut t, "the flake's templates", "there are none"),
        Err(e) => return fail(&mut t, "the flake's templates", &e),
    };
    for name in names {
        let work = match ctx.work_dir(&mut t) {
            Ok(w) => w,
            Err(o) => return o,
        };
        template(ctx, &nix, &mut t, &name, work.path());
    }
    let docs = documentation(&ctx.root);
    let own = ".github/workflows/ci.yml";
    match std::fs::read_to_string(ctx.path(own)) {
        Ok(text) => workflow(&mut t, own, &text, &docs),
        Err(e) => t.fail(own, &e.to_string()),
    }
    t.finish()
}

fn init(nix: &Nix, root: &Path, name: &str, dir: &Path) -> util::Ran {
    let mut cmd = nix.nix(["flake", "init", "-t"]);
    cmd.arg(format!("{}#{name}", root.display()))
        .current_dir(dir);
    util::run(&mut cmd)
}

/// Every file under `dir`, relative to it.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                out.push(rel.display().to_string());
            }
        }
    }
    out.sort();
    out
}

fn template(ctx: &Ctx, nix: &Nix, t: &mut Tally, name: &str, dir: &Path) {
    // The project already has a README.md: init must land beside it.
    let mine = "# my project\n";
    if let Err(e) = std::fs::write(dir.join("README.md"), mine) {
        return t.fail(
            &format!("{name}: a README.md to init beside"),
            &e.to_string(),
        );
    }
    let r = init(nix, &ctx.root, name, dir);
    if !r.ok {
        t.fail(&format!("{name}: nix flake init"), &r.why());
        t.detail(util::tail(&r.stderr, 10));
        return;
    }
    let all = files(dir);
    t.ok(&format!(
        "{name}: nix flake init beside a README.md ({} files)",
        all.len()
    ));
    t.check(
        &format!("{name}: the project's README.md is untouched"),
        if std::fs::read_to_string(dir.join("README.md")).is_ok_and(|r| r == mine) {
            Ok(())
        } else {
            Err("it changed".into())
        },
    );
    for f in FILES {
        let there = dir.join(f).is_file();
        t.check(
            &format!("{name}: {f} is there"),
            if there { Ok(()) } else { Err("missing".into()) },
        );
    }
    for f in all.iter().filter(|f| f.ends_with(".nix")) {
        let r = util::run(&mut nix.instantiate(["--parse".as_ref(), dir.join(f).as_os_str()]));
        t.check(
            &format!("{name}: {f} parses"),
            if r.ok { Ok(()) } else { Err(r.why()) },
        );
    }
    let flake = std::fs::read_to_string(dir.join("flake.nix")).unwrap_or_default();
    for needle in NEEDLES {
        t.check(
            &format!("{name}: flake.nix uses {needle}"),
            if flake.contains(needle) {
                Ok(())
            } else {
                Err("it does not".into())
            },
        );
    }
    // A second init must not overwrite the user's edits.
    let conf = dir.join("configuration.nix");
    let edited = std::fs::read_to_string(&conf).unwrap_or_default() + "# edited\n";
    let kept = std::fs::write(&conf, &edited)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            init(nix, &ctx.root, name, dir);
            let now = std::fs::read_to_string(&conf).unwrap_or_default();
            if now.lines().last() == Some("# edited") {
                Ok(())
            } else {
                Err("the edit is gone".into())
            }
        });
    t.check(
        &format!("{name}: a second init keeps configuration.nix's edits"),
        kept,
    );
    let docs = documentation(&ctx.root);
    for wf in all
        .iter()
        .filter(|f| f.starts_with(".github/workflows/") && f.ends_with(".yml"))
    {
        let text = std::fs::read_to_string(dir.join(wf)).unwrap_or_default();
        workflow(t, &format!("{name}: {wf}"), &text, &docs);
    }
}

/// The `nix ...` command lines of a GitHub workflow's steps (`jobs.*.steps[].run`).
pub fn nix_commands(workflow: &str) -> Result<Vec<String>, String> {
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(workflow).map_err(|e| e.to_string())?;
    let jobs = doc
        .get("jobs")
        .and_then(|j| j.as_mapping())
        .ok_or("no jobs")?;
    let mut out = Vec::new();
    for (job, body) in jobs {
        let steps = body
            .get("steps")
            .and_then(|s| s.as_sequence())
            .ok_or_else(|| format!("job {}: no steps", job.as_str().unwrap_or("?")))?;
        for step in steps {
            if let Some(run) = step.get("run").and_then(|r| r.as_str()) {
                out.extend(
                    run.lines()
                        .map(str::trim)
                        .filter(|l| l.starts_with("nix "))
                        .map(str::to_string),
                );
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nix_commands_of_a_workflow() {
        let wf = "on: [push]\njobs:\n  check:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n          nix flake check -L\n          echo done\n      - name: build\n        run: nix build .#x\n";
        assert_eq!(
            nix_commands(wf).unwrap(),
            ["nix flake check -L", "nix build .#x"]
        );
        assert!(nix_commands("jobs: [").is_err());
        assert_eq!(nix_commands("on: push\n").unwrap_err(), "no jobs");
        assert_eq!(
            nix_commands("jobs:\n  a:\n    runs-on: x\n").unwrap_err(),
            "job a: no steps"
        );
    }
}

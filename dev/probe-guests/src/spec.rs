//! The bootcheck spec of the probes stage: every probe that needs no booted
//! NixOS, as bootcheck takes it, then controls that must pass on both
//! guests. The guests are set up as NixOS is, and a probe of the form
//! `GUARD && { BODY; }` (`nrs.whenRust`) must fail on the C guest because
//! of its guard only, its BODY working there too: BODY alone is a control.

use regex::Regex;
use serde::Serialize;
use serde_json::Value;

/// A probe as bootcheck takes it (the fields in this order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    pub name: Value,
    pub component: Value,
    pub command: Value,
    pub expect: Value,
    pub timeout: Value,
    pub ignore_exit: Value,
}

#[derive(Debug, Serialize)]
pub struct Login {
    pub autologin: bool,
    pub timeout: u32,
}

/// The oxidation meter's section: the guest's files under `root` on this
/// machine (its layout, [`crate::guest::build`]'s tree), and what must be
/// Rust.
#[derive(Debug, Clone, Serialize)]
pub struct Oxidation {
    pub root: Option<String>,
    pub require: Vec<Value>,
}

#[derive(Debug, Serialize)]
pub struct Spec {
    pub name: &'static str,
    pub timeout: u32,
    pub idle_timeout: u32,
    pub login: Login,
    pub probes: Vec<Probe>,
    pub oxidation: Oxidation,
}

/// What the components must run as Rust (tests/probes/eval.nix's
/// `rustAtRuntime`), those of components whose probes all need a booted
/// NixOS left out as their probes are (the Rust systemd as PID 1 and its
/// daemons: the guests' PID 1 is busybox).
pub fn requirements(eval: &Value) -> crate::Result<Vec<Value>> {
    let Some(Value::Array(all)) = eval.get("rustAtRuntime") else {
        return crate::err("the probes JSON has no `rustAtRuntime` list");
    };
    let probes = probes(eval)?;
    let runs = |component: &Value| {
        probes
            .iter()
            .any(|p| p.get("component") == Some(component) && is_run(p))
    };
    Ok(all
        .iter()
        .filter(|r| r.get("component").is_some_and(runs))
        .cloned()
        .collect())
}

/// Whether a probe of the evaluation is run (its `needsNixos` is null or absent).
pub fn is_run(probe: &Value) -> bool {
    probe.get("needsNixos").is_none_or(Value::is_null)
}

/// The probes of the evaluation (tests/probes/eval.nix's `probes` list).
pub fn probes(eval: &Value) -> crate::Result<&Vec<Value>> {
    match eval.get("probes") {
        Some(Value::Array(p)) => Ok(p),
        _ => crate::err("the probes JSON has no `probes` list"),
    }
}

fn control(name: &str, command: &str, expect: Value) -> Probe {
    Probe {
        name: format!("control:{name}").into(),
        component: "control".into(),
        command: command.into(),
        expect,
        timeout: 30.into(),
        ignore_exit: false.into(),
    }
}

/// The spec for the probes of the evaluation (`eval`).
pub fn spec(eval: &Value) -> crate::Result<Spec> {
    let mut run = Vec::new();
    for p in probes(eval)?.iter().filter(|p| is_run(p)) {
        let field = |k: &str| {
            p.get(k)
                .cloned()
                .ok_or_else(|| crate::Error(format!("a probe has no `{k}`: {p}")))
        };
        run.push(Probe {
            name: field("name")?,
            component: field("component")?,
            command: field("command")?,
            expect: field("expect")?,
            timeout: field("timeout")?,
            ignore_exit: field("ignore_exit")?,
        });
    }
    let mut controls = vec![
        control(
            "path-has-the-wrappers-first",
            r#"echo "$PATH""#,
            "^/run/wrappers/bin:.*:/run/current-system/sw/bin$".into(),
        ),
        control("ls-alias-of-nixos", "alias ls", "ls --color=tty".into()),
        control("user-in-wheel", "id -nG", r"\bwheel\b".into()),
        control("sudo-n-works", "sudo -n id -u", "^0$".into()),
    ];
    let guarded = Regex::new(r"\A(?:(.*) && \{ (.*); \})\z").expect("a valid regex");
    for p in &run {
        let (Value::String(name), Value::String(command)) = (&p.name, &p.command) else {
            return crate::err(format!("a probe's name or command is no string: {p:?}"));
        };
        if let Some(m) = guarded.captures(command) {
            controls.push(control(
                &format!("{name}-without-guard"),
                &m[2],
                p.expect.clone(),
            ));
        }
    }
    run.extend(controls);
    Ok(Spec {
        name: "probes",
        timeout: 900,
        idle_timeout: 180,
        login: Login {
            autologin: true,
            timeout: 180,
        },
        probes: run,
        oxidation: Oxidation {
            root: None,
            require: requirements(eval)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn probe(name: &str, command: &str, needs: Value) -> Value {
        json!({"name": name, "component": "c", "command": command, "expect": "^x$",
               "timeout": 30, "ignore_exit": false, "needsNixos": needs})
    }

    #[test]
    fn runs_what_needs_no_nixos_and_adds_controls() {
        let eval = json!({"packages": {}, "rustAtRuntime": [
            {"component": "c", "process": "x"},
            {"component": "systemd", "pid1": true}
        ], "probes": [
            probe("plain", "ls --version", Value::Null),
            probe("guarded", "a && { b && { c; }; } && { d; }", Value::Null),
            probe("booted", "systemctl status", json!("needs systemd")),
            probe("multi-line", "a && { b;\n}", Value::Null),
        ]});
        let s = spec(&eval).unwrap();
        let names: Vec<&str> = s.probes.iter().map(|p| p.name.as_str().unwrap()).collect();
        assert_eq!(
            names,
            [
                "plain",
                "guarded",
                "multi-line",
                "control:path-has-the-wrappers-first",
                "control:ls-alias-of-nixos",
                "control:user-in-wheel",
                "control:sudo-n-works",
                "control:guarded-without-guard",
            ]
        );
        // Greedy as a backtracking regex: the guard is up to the last ` && { `.
        assert_eq!(s.probes[7].command, json!("d"));
        assert_eq!(s.probes[7].expect, json!("^x$"));
        // As bootcheck reads it: the fields of its spec.
        let v = serde_json::to_value(&s).unwrap();
        assert_eq!(
            v["login"],
            json!({"autologin": true, "timeout": 180}),
            "{v}"
        );
        assert_eq!(
            (&v["timeout"], &v["idle_timeout"]),
            (&json!(900), &json!(180))
        );
        // Requirements of components with probes that run; systemd has
        // none here.
        assert_eq!(
            v["oxidation"],
            json!({"root": null, "require": [{"component": "c", "process": "x"}]})
        );
        assert_eq!(
            v["probes"][0],
            json!({"name": "plain", "component": "c", "command": "ls --version",
                   "expect": "^x$", "timeout": 30, "ignore_exit": false})
        );
    }
}

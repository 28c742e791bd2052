//! The JSON spec a Nix boot check hands to `bootcheck --spec`.
//! The schema is documented with an example in `checkers/README.md`.

use crate::error::{regex_reason, Error};
use crate::kind::PatternKind;
use crate::patterns::{Class, Overrides, Pattern};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Shown in reports and used as the JUnit suite name.
    pub name: Option<String>,
    /// Overall deadline in seconds.
    pub timeout: Option<f64>,
    /// Fail with `timeout` when the console is silent this long.
    pub idle_timeout: Option<f64>,
    #[serde(default)]
    pub success: Vec<SpecPattern>,
    #[serde(default)]
    pub failure: Vec<SpecPattern>,
    #[serde(default)]
    pub warning: Vec<SpecPattern>,
    /// Built-in pattern kinds to drop (e.g. `"login-incorrect"`).
    #[serde(default)]
    pub disable: Vec<PatternKind>,
    /// Warning kinds that fail the boot (e.g. `"unit-failed"`).
    #[serde(default)]
    pub fatal_warnings: Vec<PatternKind>,
    /// Failure kinds that are only warnings (e.g. `"rust-panic"` where a
    /// panicking service must not fail the boot).
    #[serde(default)]
    pub nonfatal: Vec<PatternKind>,
    pub login: Option<Login>,
    #[serde(default)]
    pub probes: Vec<Probe>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SpecPattern {
    pub kind: PatternKind,
    pub regex: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Login {
    /// User to type at the login prompt (not needed with autologin).
    pub user: Option<String>,
    /// Password, if the guest asks for one.
    pub password: Option<String>,
    /// The console logs in by itself (getty `--autologin`, or a shell on the console).
    #[serde(default)]
    pub autologin: bool,
    /// Seconds allowed from the login prompt to a working shell (default 60).
    pub timeout: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Probe {
    pub name: String,
    /// The component the probe proves (e.g. `sudo`); named in failures.
    pub component: Option<String>,
    /// A POSIX shell command run in the guest's login shell.
    pub command: String,
    /// Regex (Rust `regex` syntax) the command's output must match.
    pub expect: String,
    /// Seconds (default 30).
    pub timeout: Option<f64>,
    /// Accept a non-zero exit status (by default the command must exit 0).
    #[serde(default)]
    pub ignore_exit: bool,
}

impl Spec {
    /// Parse and check a spec; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::SpecInvalid {
            origin: origin.to_string(),
            reason,
        };
        let spec: Spec = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        spec.validate().map_err(invalid)?;
        Ok(spec)
    }

    pub fn load(path: &Path) -> Result<Self, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::SpecUnreadable {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text, &path.display().to_string())
    }

    fn validate(&self) -> Result<(), String> {
        for (field, v) in [
            ("timeout", self.timeout),
            ("idle_timeout", self.idle_timeout),
        ] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    return Err(format!(
                        "{field} must be a positive number of seconds, got {v}"
                    ));
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (i, p) in self.probes.iter().enumerate() {
            if p.name.trim().is_empty() {
                return Err(format!("probes[{i}]: name is empty"));
            }
            if !seen.insert(p.name.as_str()) {
                return Err(format!("probes[{i}]: duplicate probe name `{}`", p.name));
            }
            if p.command.trim().is_empty() {
                return Err(format!("probes[{i}] `{}`: command is empty", p.name));
            }
            if p.command.contains('\n') {
                return Err(format!(
                    "probes[{i}] `{}`: command must be one line (it is typed on the console)",
                    p.name
                ));
            }
            Regex::new(&p.expect).map_err(|e| {
                format!(
                    "probes[{i}] `{}`: bad expect regex: {}",
                    p.name,
                    regex_reason(&e)
                )
            })?;
            if let Some(t) = p.timeout {
                if !(t.is_finite() && t > 0.0) {
                    return Err(format!(
                        "probes[{i}] `{}`: timeout must be positive",
                        p.name
                    ));
                }
            }
        }
        if !self.probes.is_empty() {
            match &self.login {
                None => {
                    return Err("probes need a `login` section (user, or autologin: true)".into())
                }
                Some(l) if !l.autologin && l.user.is_none() => {
                    return Err("login: set `user` or `autologin: true`".into())
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// Pattern overrides from the spec plus command-line additions.
    pub fn overrides(&self, extra_success: &[String], extra_failure: &[String]) -> Overrides {
        let mut extra = Vec::new();
        let add = |extra: &mut Vec<Pattern>, list: &[SpecPattern], class| {
            extra.extend(
                list.iter()
                    .map(|p| Pattern::new(p.kind.clone(), class, &p.regex)),
            );
        };
        add(&mut extra, &self.failure, Class::Failure);
        extra.extend(
            extra_failure
                .iter()
                .map(|r| Pattern::new(PatternKind::parse("custom-failure"), Class::Failure, r)),
        );
        add(&mut extra, &self.success, Class::Success);
        extra.extend(
            extra_success
                .iter()
                .map(|r| Pattern::new(PatternKind::parse("custom-success"), Class::Success, r)),
        );
        add(&mut extra, &self.warning, Class::Warning);
        Overrides {
            extra,
            disable: self.disable.clone(),
            fatal_warnings: self.fatal_warnings.clone(),
            nonfatal: self.nonfatal.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::Builtin;

    #[test]
    fn full_example_parses() {
        let spec = Spec::from_json(
            r#"{
              "name": "nixos-rs",
              "timeout": 600,
              "idle_timeout": 120,
              "failure": [{"kind": "my-daemon", "regex": "mydaemon: fatal"}],
              "disable": ["login-incorrect"],
              "fatal_warnings": ["unit-failed"],
              "nonfatal": ["rust-panic"],
              "login": {"user": "nixos", "password": "nixos"},
              "probes": [{"name": "sudo-rs", "component": "sudo",
                          "command": "sudo --version", "expect": "sudo-rs"}]
            }"#,
            "test",
        )
        .unwrap();
        assert_eq!(spec.probes[0].component.as_deref(), Some("sudo"));
        let o = spec.overrides(&[], &["extra".into()]);
        assert_eq!(o.extra.len(), 2);
        assert_eq!(o.disable, [Builtin::LoginIncorrect]);
        assert_eq!(o.nonfatal, [Builtin::RustPanic]);
    }

    #[test]
    fn unknown_field_is_an_error_with_position() {
        let e = Spec::from_json(r#"{"timeoutt": 3}"#, "x.json").unwrap_err();
        assert!(e.to_string().contains("unknown field `timeoutt`"), "{e}");
        assert!(e.to_string().contains("line 1"), "{e}");
    }

    #[test]
    fn probes_are_validated() {
        let base = r#"{"login": {"autologin": true}, "probes": [PROBES]}"#;
        let check = |probes: &str| Spec::from_json(&base.replace("PROBES", probes), "s");
        assert!(check(r#"{"name": "a", "command": "true", "expect": "("}"#)
            .unwrap_err()
            .to_string()
            .contains("bad expect regex"));
        assert!(check(
            r#"{"name": "a", "command": "true", "expect": ""},
               {"name": "a", "command": "true", "expect": ""}"#
        )
        .unwrap_err()
        .to_string()
        .contains("duplicate probe name"));
        assert!(check(r#"{"name": "a", "command": "a\nb", "expect": ""}"#)
            .unwrap_err()
            .to_string()
            .contains("one line"));
        assert!(check(r#"{"name": "a", "command": "true", "expect": "x"}"#).is_ok());
    }

    #[test]
    fn probes_without_login_are_rejected() {
        let e = Spec::from_json(
            r#"{"probes": [{"name": "a", "command": "true", "expect": ""}]}"#,
            "s",
        )
        .unwrap_err();
        assert!(e.to_string().contains("need a `login` section"), "{e}");
    }
}

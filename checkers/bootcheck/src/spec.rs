//! The JSON spec a Nix boot check hands to `bootcheck --spec`.
//! The schema is documented with an example in `checkers/README.md`;
//! `bootcheck spec FILE` prints a spec with every default filled in.

use crate::error::{regex_reason, Error};
use crate::kind::PatternKind;
use crate::patterns::{builtin, Class, Overrides, Pattern};
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::path::Path;

/// The overall deadline, boot + login + probes, in seconds.
pub const DEFAULT_TIMEOUT: f64 = 300.0;
/// From the login prompt to a working shell, in seconds.
pub const DEFAULT_LOGIN_TIMEOUT: f64 = 120.0;
/// One probe, in seconds.
pub const DEFAULT_PROBE_TIMEOUT: f64 = 30.0;
/// The oxidation meter's process listing, in seconds.
pub const DEFAULT_OXIDATION_TIMEOUT: f64 = 60.0;

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Spec {
    /// Shown in reports and used as the JUnit suite name.
    pub name: Option<String>,
    /// Overall deadline in seconds (see [`Spec::timeout`]).
    #[serde(serialize_with = "seconds")]
    pub timeout: Option<f64>,
    /// Fail with `timeout` when the console is silent this long.
    #[serde(serialize_with = "seconds")]
    pub idle_timeout: Option<f64>,
    /// How many times slower than usual the VM runs (software emulation):
    /// every timeout, the defaults included, is multiplied by it when the
    /// spec is read.
    #[serde(serialize_with = "seconds")]
    pub slowdown: Option<f64>,
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
    /// The oxidation meter: after the login, list the running processes
    /// and classify them (off when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oxidation: Option<Oxidation>,
}

/// `oxidation`: which language the running system is written in, measured
/// after the login (`crate::oxidation::boot`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Oxidation {
    /// On by default when the section is there.
    #[serde(default = "yes")]
    pub enable: bool,
    /// Where this machine sees the guest's files (the guest's `/` is
    /// `ROOT/` here): every path is classified under it. Without it only
    /// store paths are classified, from this machine's `/nix/store`, which
    /// a NixOS VM shares; other paths are reported as outside the store.
    pub root: Option<String>,
    /// Programs outside the store that run a store path, as the
    /// configuration declares them: NixOS's security wrappers
    /// (`/run/wrappers/bin/sudo` -> `security.wrappers.sudo.source`).
    #[serde(default)]
    pub wrappers: BTreeMap<String, String>,
    /// What must be Rust at run time; an unmet one fails the run
    /// (`rust-missing`).
    #[serde(default)]
    pub require: Vec<Requirement>,
    /// Seconds for the listing (see [`Oxidation::timeout`]).
    #[serde(serialize_with = "seconds")]
    pub timeout: Option<f64>,
}

fn yes() -> bool {
    true
}

/// One thing that must be Rust while the system runs: exactly one of
/// `process`, `command`, `library`, `pid1`, `login_shell`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    /// The component that needs it (named in failures).
    pub component: String,
    /// A process of this name (`comm`, or the executable's file name)
    /// runs, and every one of that name is Rust.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<String>,
    /// The command of this name on the login user's PATH is Rust (through
    /// links and wrappers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// Every mapped library whose file name starts with this (`libz.so`)
    /// is Rust; nothing to check when no process maps one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library: Option<String>,
    /// PID 1 is Rust.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pid1: bool,
    /// The login shell's process is Rust.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub login_shell: bool,
}

impl Requirement {
    /// What is required, in words: `process ntp-daemon`, `PID 1`, ...
    pub fn what(&self) -> String {
        match (&self.process, &self.command, &self.library) {
            (Some(p), _, _) => format!("process {p}"),
            (_, Some(c), _) => format!("command {c}"),
            (_, _, Some(l)) => format!("library {l}"),
            _ if self.pid1 => "PID 1".into(),
            _ => "the login shell".into(),
        }
    }

    /// How many of the five are set (a valid requirement has one).
    fn kinds(&self) -> usize {
        [
            self.process.is_some(),
            self.command.is_some(),
            self.library.is_some(),
            self.pid1,
            self.login_shell,
        ]
        .into_iter()
        .filter(|b| *b)
        .count()
    }
}

impl Oxidation {
    pub fn timeout(&self) -> f64 {
        self.timeout.unwrap_or(DEFAULT_OXIDATION_TIMEOUT)
    }
}

/// A name typed into the guest's shell: letters, digits and `._+-`.
fn plain_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-'))
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
    /// Seconds allowed from the login prompt to a working shell (see
    /// [`Login::timeout`]).
    #[serde(serialize_with = "seconds")]
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
    /// Seconds (see [`Probe::timeout`]).
    #[serde(serialize_with = "seconds")]
    pub timeout: Option<f64>,
    /// Accept a non-zero exit status (by default the command must exit 0).
    #[serde(default)]
    pub ignore_exit: bool,
}

/// Seconds in JSON: a whole number without `.0`.
fn seconds<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) if v.fract() == 0.0 && *v >= 0.0 && *v < 9e15 => s.serialize_u64(*v as u64),
        Some(v) => s.serialize_f64(*v),
        None => s.serialize_none(),
    }
}

impl Login {
    pub fn timeout(&self) -> f64 {
        self.timeout.unwrap_or(DEFAULT_LOGIN_TIMEOUT)
    }
}

impl Probe {
    pub fn timeout(&self) -> f64 {
        self.timeout.unwrap_or(DEFAULT_PROBE_TIMEOUT)
    }
}

/// A positive, finite number of seconds, if set.
fn positive(v: Option<f64>) -> bool {
    v.is_none_or(|v| v.is_finite() && v > 0.0)
}

impl Spec {
    /// The overall deadline (`--timeout` wins over it).
    pub fn timeout(&self) -> f64 {
        self.timeout.unwrap_or(DEFAULT_TIMEOUT)
    }

    /// The oxidation section, when it is on.
    pub fn oxidation(&self) -> Option<&Oxidation> {
        self.oxidation.as_ref().filter(|o| o.enable)
    }

    /// Whether a login is made after the boot: to run probes, or to list
    /// the processes for the oxidation meter (when the spec says how to
    /// log in).
    pub fn wants_session(&self) -> bool {
        !self.probes.is_empty() || (self.oxidation().is_some() && self.login.is_some())
    }

    /// The spec as a run uses it: every default filled in. `name` (the
    /// VM command's file name by default) and `idle_timeout` (none by
    /// default) stay null when not set; a login's `user` and `password`
    /// too.
    pub fn normalised(&self) -> Spec {
        let mut s = self.clone();
        s.timeout = Some(self.timeout());
        if let Some(l) = &mut s.login {
            l.timeout = Some(l.timeout());
        }
        for p in &mut s.probes {
            p.timeout = Some(p.timeout());
        }
        if let Some(o) = &mut s.oxidation {
            o.timeout = Some(o.timeout());
        }
        s
    }

    /// Parse and check a spec; `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Self, Error> {
        let invalid = |reason: String| Error::SpecInvalid {
            origin: origin.to_string(),
            reason,
        };
        let spec: Spec = serde_json::from_str(text).map_err(|e| invalid(e.to_string()))?;
        spec.validate().map_err(invalid)?;
        Ok(spec.slowed())
    }

    /// Every timeout multiplied by `slowdown` (the defaults filled in
    /// first); the spec as it is without one.
    fn slowed(self) -> Spec {
        let Some(k) = self.slowdown else {
            return self;
        };
        let mut s = self.normalised();
        s.timeout = s.timeout.map(|t| t * k);
        s.idle_timeout = s.idle_timeout.map(|t| t * k);
        if let Some(l) = &mut s.login {
            l.timeout = l.timeout.map(|t| t * k);
        }
        for p in &mut s.probes {
            p.timeout = p.timeout.map(|t| t * k);
        }
        if let Some(o) = &mut s.oxidation {
            o.timeout = o.timeout.map(|t| t * k);
        }
        s
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
            ("slowdown", self.slowdown),
            ("login.timeout", self.login.as_ref().and_then(|l| l.timeout)),
            (
                "oxidation.timeout",
                self.oxidation.as_ref().and_then(|o| o.timeout),
            ),
        ] {
            if !positive(v) {
                return Err(format!(
                    "{field} must be a positive number of seconds, got {}",
                    v.unwrap_or_default()
                ));
            }
        }
        for (field, list) in [
            ("success", &self.success),
            ("failure", &self.failure),
            ("warning", &self.warning),
        ] {
            for (i, p) in list.iter().enumerate() {
                regex::bytes::Regex::new(&p.regex).map_err(|e| {
                    format!("{field}[{i}] `{}`: bad regex: {}", p.kind, regex_reason(&e))
                })?;
            }
        }
        // Each list names built-in kinds of a class; a name that is none
        // would be dropped without a word.
        let kinds: [(&str, &[PatternKind], Option<Class>, &str); 3] = [
            ("disable", &self.disable, None, "a built-in kind"),
            (
                "fatal_warnings",
                &self.fatal_warnings,
                Some(Class::Warning),
                "a built-in warning kind",
            ),
            (
                "nonfatal",
                &self.nonfatal,
                Some(Class::Failure),
                "a built-in failure kind",
            ),
        ];
        let builtins = builtin();
        for (field, list, class, what) in kinds {
            for k in list {
                let known = builtins
                    .iter()
                    .any(|p| p.kind == *k && class.is_none_or(|c| p.class == c));
                if !known {
                    return Err(format!(
                        "{field}: `{k}` is not {what} (`bootcheck patterns` lists them)"
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
            regex::Regex::new(&p.expect).map_err(|e| {
                format!(
                    "probes[{i}] `{}`: bad expect regex: {}",
                    p.name,
                    regex_reason(&e)
                )
            })?;
            if !positive(p.timeout) {
                return Err(format!(
                    "probes[{i}] `{}`: timeout must be positive",
                    p.name
                ));
            }
        }
        if let Some(o) = &self.oxidation {
            validate_oxidation(o, self.login.is_some())?;
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

    /// Pattern overrides from the spec plus command-line additions; with
    /// the oxidation meter on, the notes that record which init runs.
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
        if self.oxidation().is_some() {
            extra.extend(crate::patterns::init_notes());
        }
        Overrides {
            extra,
            disable: self.disable.clone(),
            fatal_warnings: self.fatal_warnings.clone(),
            nonfatal: self.nonfatal.clone(),
        }
    }
}

/// The `oxidation` section's own rules.
fn validate_oxidation(o: &Oxidation, login: bool) -> Result<(), String> {
    if let Some(root) = &o.root {
        if !root.starts_with('/') {
            return Err(format!(
                "oxidation.root must be an absolute path, got `{root}`"
            ));
        }
    }
    for (from, to) in &o.wrappers {
        if !from.starts_with('/') || !to.starts_with('/') {
            return Err(format!(
                "oxidation.wrappers: `{from}` -> `{to}`: both must be absolute paths"
            ));
        }
    }
    for (i, r) in o.require.iter().enumerate() {
        if r.component.trim().is_empty() {
            return Err(format!("oxidation.require[{i}]: component is empty"));
        }
        if r.kinds() != 1 {
            return Err(format!(
                "oxidation.require[{i}] ({}): set exactly one of process, command, library, pid1, login_shell",
                r.component
            ));
        }
        let named = [&r.process, &r.command, &r.library];
        if let Some(bad) = named.into_iter().flatten().find(|n| !plain_name(n)) {
            return Err(format!(
                "oxidation.require[{i}] ({}): `{bad}` is not a plain name (letters, digits, `._+-`)",
                r.component
            ));
        }
    }
    if !o.require.is_empty() && !o.enable {
        return Err("oxidation.require needs oxidation.enable".into());
    }
    if !o.require.is_empty() && !login {
        return Err(
            "oxidation.require needs a `login` section: the processes are listed in a shell".into(),
        );
    }
    Ok(())
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
    fn slowdown_multiplies_every_timeout_defaults_included() {
        let spec = Spec::from_json(
            r#"{"timeout": 60, "idle_timeout": 30, "slowdown": 2,
                "login": {"autologin": true},
                "probes": [{"name": "a", "command": "true", "expect": ""},
                           {"name": "b", "command": "true", "expect": "", "timeout": 5}]}"#,
            "s",
        )
        .unwrap();
        assert_eq!(spec.timeout, Some(120.0));
        assert_eq!(spec.idle_timeout, Some(60.0));
        assert_eq!(
            spec.login.unwrap().timeout,
            Some(DEFAULT_LOGIN_TIMEOUT * 2.0)
        );
        assert_eq!(spec.probes[0].timeout, Some(DEFAULT_PROBE_TIMEOUT * 2.0));
        assert_eq!(spec.probes[1].timeout, Some(10.0));
        let plain = Spec::from_json(r#"{"timeout": 60}"#, "s").unwrap();
        assert_eq!(plain.timeout, Some(60.0));
        assert!(Spec::from_json(r#"{"slowdown": 0}"#, "s")
            .unwrap_err()
            .to_string()
            .contains("slowdown must be a positive number"));
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
    fn the_oxidation_section_is_off_unless_given_and_checked() {
        let plain = Spec::from_json(r#"{"login": {"autologin": true}}"#, "s").unwrap();
        assert!(plain.oxidation().is_none());
        assert!(!plain.wants_session());
        // Old specs print as before: no `oxidation` key.
        assert!(!serde_json::to_string(&plain.normalised())
            .unwrap()
            .contains("oxidation"));
        let on = Spec::from_json(
            r#"{"slowdown": 2, "login": {"autologin": true}, "oxidation": {"require": [
                {"component": "ntp", "process": "ntp-daemon"},
                {"component": "systemd", "pid1": true}]}}"#,
            "s",
        )
        .unwrap();
        let o = on.oxidation().unwrap();
        assert_eq!(o.timeout, Some(DEFAULT_OXIDATION_TIMEOUT * 2.0));
        assert_eq!(o.require[1].what(), "PID 1");
        assert!(on.wants_session());
        let off = Spec::from_json(r#"{"oxidation": {"enable": false}}"#, "s").unwrap();
        assert!(off.oxidation().is_none());
        let bad = |json: &str| Spec::from_json(json, "s").unwrap_err().to_string();
        assert!(bad(
            r#"{"login": {"autologin": true}, "oxidation": {"require": [{"component": "x"}]}}"#
        )
        .contains("set exactly one of"));
        assert!(bad(r#"{"login": {"autologin": true}, "oxidation": {"require": [{"component": "x", "pid1": true, "command": "ls"}]}}"#)
            .contains("set exactly one of"));
        assert!(bad(r#"{"login": {"autologin": true}, "oxidation": {"require": [{"component": "x", "command": "ls; rm -rf /"}]}}"#)
            .contains("not a plain name"));
        assert!(
            bad(r#"{"oxidation": {"require": [{"component": "x", "pid1": true}]}}"#)
                .contains("needs a `login` section")
        );
        assert!(bad(r#"{"oxidation": {"root": "guest"}}"#).contains("absolute path"));
        assert!(bad(r#"{"oxidation": {"timeout": 0}}"#).contains("oxidation.timeout must be"));
        assert!(bad(r#"{"oxidation": {"colour": true}}"#).contains("unknown field `colour`"));
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

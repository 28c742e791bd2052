//! The one way the stages call Nix: every `nix`, `nix-instantiate` and
//! `nix-build` command is made here, with the same offline configuration.
//!
//! - `NIX_CONFIG`: flakes on, no binary cache to wait for; for the stages
//!   that build (`Profile::Build`), Nix's sandbox with the host's programs
//!   and libraries in it (the stand-in's builders run the build machine's
//!   bash and tools; /etc/alternatives is where Debian's `cc`, `awk` ...
//!   links lead) and the system features of the boot checks (no `kvm`:
//!   there is none here).
//! - `NIXOS_RS_NIX_ENV`: a command prefix every Nix command runs under
//!   (`NIXOS_RS_NIX_ENV="scripts/nix-env run"` runs them in another Nix
//!   installation); unset, the Nix on PATH.

use std::ffi::OsStr;
use std::process::Command;

/// The variable naming the command prefix Nix runs under.
pub const ENV_PREFIX: &str = "NIXOS_RS_NIX_ENV";
/// The variable naming the root directory of that other installation, under
/// which its /nix/store is seen from here (a chroot's directory).
pub const ENV_ROOT: &str = "NIXOS_RS_NIX_ROOT";

/// Where a path that Nix printed is seen from here: a store path of another
/// installation under its root, anything else as it is.
pub fn seen_from_here(path: &std::path::Path) -> std::path::PathBuf {
    match std::env::var_os(ENV_ROOT) {
        Some(root) if path.starts_with("/nix/store") => {
            std::path::Path::new(&root).join(path.strip_prefix("/").unwrap_or(path))
        }
        _ => path.to_path_buf(),
    }
}

/// The (major, minor) of a `nix --version` line (`nix (Nix) 2.26.3`).
pub fn version_of(line: &str) -> Option<(u32, u32)> {
    let v = line.split_whitespace().last()?;
    let mut parts = v.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor: String = parts
        .next()?
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let minor = minor.parse().ok()?;
    Some((major, minor))
}

/// What a stage does with Nix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Evaluates only.
    Eval,
    /// Builds, in the sandbox (import-from-derivation too).
    Build,
}

/// The `NIX_CONFIG` of a profile.
pub fn config(profile: Profile) -> String {
    let mut c = String::from("experimental-features = nix-command flakes\nsubstituters =\n");
    if profile == Profile::Build {
        c.push_str(
            "sandbox = true\n\
             extra-sandbox-paths = /usr /lib /lib64 /bin /etc/alternatives\n\
             system-features = nixos-test benchmark big-parallel\n",
        );
    }
    c
}

/// The option that turns import-from-derivation off, as `nix flake check
/// --no-build` and Hydra evaluate.
pub const NO_IFD: [&str; 3] = ["--option", "allow-import-from-derivation", "false"];

/// How the stages call Nix.
#[derive(Debug, Clone)]
pub struct Nix {
    prefix: Vec<String>,
    profile: Profile,
}

impl Nix {
    /// Nix for `profile`, under the prefix in `NIXOS_RS_NIX_ENV` if set.
    pub fn from_env(profile: Profile) -> Result<Nix, String> {
        let prefix = match std::env::var(ENV_PREFIX) {
            Ok(p) if !p.trim().is_empty() => {
                shlex::split(&p).ok_or_else(|| format!("{ENV_PREFIX}={p}: not a command line"))?
            }
            _ => Vec::new(),
        };
        Ok(Nix { prefix, profile })
    }

    /// Whether Nix runs under a prefix (another installation).
    pub fn prefixed(&self) -> bool {
        !self.prefix.is_empty()
    }

    /// A Nix program (`nix`, `nix-instantiate`, `nix-build`) as a command,
    /// with the profile's configuration.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = match self.prefix.split_first() {
            Some((first, rest)) => {
                let mut c = Command::new(first);
                c.args(rest).arg(program);
                c
            }
            None => Command::new(program),
        };
        cmd.env("NIX_CONFIG", config(self.profile));
        cmd
    }

    /// `nix ARGS...`
    pub fn nix<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = self.command("nix");
        c.args(args);
        c
    }

    /// `nix-instantiate ARGS...`
    pub fn instantiate<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut c = self.command("nix-instantiate");
        c.args(args);
        c
    }

    /// `nix --version`, the first line every Nix stage prints; an error
    /// when Nix cannot be run.
    pub fn version(&self) -> Result<String, String> {
        let out = self.nix(["--version"]).output().map_err(|e| {
            match (e.kind(), self.prefix.first()) {
                (std::io::ErrorKind::NotFound, None) => {
                    "nix not found (apt-get install nix-bin)".to_string()
                }
                (_, Some(p)) => format!("{p} (from {ENV_PREFIX}): {e}"),
                (_, None) => format!("nix: {e}"),
            }
        })?;
        if !out.status.success() {
            return Err(format!(
                "nix --version: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// What a building profile needs on this machine that Nix does not
    /// check itself up front: its build users. Under a prefix the other
    /// installation is its own judge.
    pub fn build_users(&self) -> Result<(), String> {
        if self.profile != Profile::Build || self.prefixed() {
            return Ok(());
        }
        let groups = std::fs::read_to_string("/etc/group").unwrap_or_default();
        if groups.lines().any(|l| l.starts_with("nixbld:")) {
            Ok(())
        } else {
            Err("no Nix build users: group nixbld missing (scripts/setup creates it)".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_adds_the_sandbox_to_the_offline_config() {
        let eval = config(Profile::Eval);
        assert_eq!(
            eval,
            "experimental-features = nix-command flakes\nsubstituters =\n"
        );
        let build = config(Profile::Build);
        assert!(build.starts_with(&eval));
        for line in [
            "sandbox = true",
            "extra-sandbox-paths = /usr /lib /lib64 /bin /etc/alternatives",
            "system-features = nixos-test benchmark big-parallel",
        ] {
            assert!(build.lines().any(|l| l == line), "{line}");
        }
    }

    #[test]
    fn versions_are_read_from_nix_version() {
        assert_eq!(version_of("nix (Nix) 2.26.3"), Some((2, 26)));
        assert_eq!(version_of("nix (Nix) 2.8.0"), Some((2, 8)));
        assert_eq!(version_of("nix (Nix) 2.18pre20231001_abc"), Some((2, 18)));
        assert_eq!(version_of("nonsense"), None);
    }

    #[test]
    fn a_prefix_goes_before_the_program() {
        let n = Nix {
            prefix: vec!["scripts/nix-env".into(), "run".into()],
            profile: Profile::Eval,
        };
        let c = n.instantiate(["--parse", "x.nix"]);
        assert_eq!(c.get_program(), "scripts/nix-env");
        let args: Vec<_> = c.get_args().collect();
        assert_eq!(args, ["run", "nix-instantiate", "--parse", "x.nix"]);
        let plain = Nix {
            prefix: vec![],
            profile: Profile::Build,
        };
        let c = plain.nix(["--version"]);
        assert_eq!(c.get_program(), "nix");
        let env: Vec<_> = c.get_envs().collect();
        assert_eq!(env.len(), 1);
        assert_eq!(env[0].0, "NIX_CONFIG");
    }
}

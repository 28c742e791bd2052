//! The one place nixpkgs' lib comes from, for every stage that needs it:
//!
//! 1. `NIXPKGS_LIB`: a checkout of nixpkgs or of nixpkgs.lib, or its lib/
//!    directory (relative to the repository's root when relative);
//! 2. else the flake's locked `nixpkgs` input, if Nix can fetch it (in a
//!    time limit: without a network it fails at once);
//! 3. else the stage is skipped, saying how to get it.

use crate::nix::Nix;
use crate::util;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long fetching the locked nixpkgs may take (a tarball of some 40 MB).
pub const FETCH_LIMIT: Duration = Duration::from_secs(300);

/// What to do when nixpkgs' lib cannot be had.
pub const HOW_TO_GET_IT: &str =
    "set NIXPKGS_LIB to a checkout of nixpkgs or https://github.com/nix-community/nixpkgs.lib";

/// nixpkgs' lib, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lib {
    /// The lib/ directory (absolute), and where it came from.
    Found { dir: PathBuf, from: String },
    /// Not set and not fetched: the stage is skipped.
    Missing(String),
    /// Set, but not nixpkgs' lib: the stage fails.
    Invalid(String),
}

/// The lib/ directory of `p`: `p/lib` of a checkout, or `p` itself.
pub fn lib_dir(p: &Path) -> Option<PathBuf> {
    let is_lib = |d: &Path| d.join("default.nix").is_file() && d.join("modules.nix").is_file();
    if is_lib(&p.join("lib")) {
        Some(p.join("lib"))
    } else if is_lib(p) {
        Some(p.to_path_buf())
    } else {
        None
    }
}

/// nixpkgs' lib from `NIXPKGS_LIB` (`env`, relative to `root`), else from
/// `fetch` (the locked input's source directory, or why not).
pub fn resolve(
    env: Option<&str>,
    root: &Path,
    fetch: impl FnOnce() -> Result<PathBuf, String>,
) -> Lib {
    match env {
        Some(v) if !v.is_empty() => {
            let p = root.join(v);
            match lib_dir(&p).map(|d| d.canonicalize()) {
                Some(Ok(dir)) => Lib::Found {
                    dir,
                    from: "NIXPKGS_LIB".into(),
                },
                _ => Lib::Invalid(format!(
                    "NIXPKGS_LIB={v} is not a nixpkgs or nixpkgs.lib checkout, nor its lib/ directory"
                )),
            }
        }
        _ => match fetch() {
            Ok(src) => match lib_dir(&src) {
                Some(dir) => Lib::Found {
                    dir,
                    from: "the flake's locked nixpkgs".into(),
                },
                None => Lib::Missing(format!(
                    "the locked nixpkgs ({}) has no lib/; {HOW_TO_GET_IT}",
                    src.display()
                )),
            },
            Err(why) => Lib::Missing(format!(
                "nixpkgs' lib: NIXPKGS_LIB is not set and Nix could not fetch the flake's locked nixpkgs ({why}); {HOW_TO_GET_IT}"
            )),
        },
    }
}

/// The source of the flake's locked `nixpkgs` input, fetched by Nix
/// (`nix flake archive --json`).
pub fn fetch_locked(nix: &Nix, root: &Path) -> Result<PathBuf, String> {
    let mut cmd = nix.nix(["flake", "archive", "--json", "--no-write-lock-file"]);
    cmd.arg(root);
    let r = util::run_for(&mut cmd, FETCH_LIMIT);
    if !r.ok {
        return Err(r.why());
    }
    locked_path(&r.stdout)
}

/// `inputs.nixpkgs.path` of `nix flake archive --json`'s answer.
pub fn locked_path(json: &str) -> Result<PathBuf, String> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("nix flake archive --json: {e}"))?;
    match v.pointer("/inputs/nixpkgs/path") {
        Some(serde_json::Value::String(p)) => Ok(PathBuf::from(p)),
        _ => Err("nix flake archive --json names no nixpkgs input".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib_at(dir: &Path) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("default.nix"), "{}").unwrap();
        std::fs::write(dir.join("modules.nix"), "{}").unwrap();
    }

    fn no_fetch() -> Result<PathBuf, String> {
        panic!("NIXPKGS_LIB is set: nothing is fetched")
    }

    #[test]
    fn nixpkgs_lib_from_the_variable() {
        let t = tempfile::tempdir().unwrap();
        let root = t.path().join("repo");
        std::fs::create_dir_all(&root).unwrap();
        let checkout = t.path().join("nixpkgs.lib");
        lib_at(&checkout.join("lib"));
        let lib = checkout.join("lib").canonicalize().unwrap();
        let found = |dir: &Path| Lib::Found {
            dir: dir.to_path_buf(),
            from: "NIXPKGS_LIB".into(),
        };
        // A checkout, its lib/, relative to the root.
        assert_eq!(resolve(checkout.to_str(), &root, no_fetch), found(&lib));
        assert_eq!(resolve(lib.to_str(), &root, no_fetch), found(&lib));
        assert_eq!(
            resolve(Some("../nixpkgs.lib"), &root, no_fetch),
            found(&lib)
        );
        // Set and wrong: an error, not a skip.
        let wrong = resolve(Some("../elsewhere"), &root, no_fetch);
        assert_eq!(
            wrong,
            Lib::Invalid(
                "NIXPKGS_LIB=../elsewhere is not a nixpkgs or nixpkgs.lib checkout, nor its lib/ directory".into()
            )
        );
    }

    #[test]
    fn nixpkgs_lib_from_the_locked_input() {
        let t = tempfile::tempdir().unwrap();
        let src = t.path().join("source");
        lib_at(&src.join("lib"));
        assert_eq!(
            resolve(None, t.path(), || Ok(src.clone())),
            Lib::Found {
                dir: src.join("lib"),
                from: "the flake's locked nixpkgs".into()
            }
        );
        // An empty variable is no variable.
        assert!(matches!(
            resolve(Some(""), t.path(), || Ok(src.clone())),
            Lib::Found { .. }
        ));
        let Lib::Missing(why) = resolve(None, t.path(), || Err("unable to download".into())) else {
            panic!("a failed fetch skips");
        };
        assert!(why.contains("(unable to download)"), "{why}");
        assert!(why.ends_with(HOW_TO_GET_IT), "{why}");
        assert!(matches!(
            resolve(None, t.path(), || Ok(t.path().join("nothing"))),
            Lib::Missing(_)
        ));
    }

    #[test]
    fn the_archived_input_path() {
        let json = r#"{"path":"/nix/store/a-source","inputs":{"nixpkgs":{"path":"/nix/store/b-source","inputs":{}}}}"#;
        assert_eq!(locked_path(json).unwrap(), Path::new("/nix/store/b-source"));
        assert!(locked_path(r#"{"path":"/x","inputs":{}}"#).is_err());
        assert!(locked_path("not json").is_err());
    }
}

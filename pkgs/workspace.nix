# The Cargo workspace (Cargo.toml at the repository's root) as one package
# builds it: the root manifest and lock, the package's own crate, and of
# every other member only its Cargo.toml, so that editing one crate changes
# no other package's source. Cargo loads every member to load the
# workspace, and each member must have the targets its manifest implies:
# `stubOthers` gives the members left out an empty src/lib.rs and
# src/main.rs (run it in postPatch).
{lib}: let
  root = ../.;
  manifest = lib.importTOML ../Cargo.toml;
  inherit (manifest.workspace) members;
in {
  inherit members;
  inherit (manifest.workspace.package) version;
  # The source for the member at `dir` (e.g. "checkers/bootcheck"), with
  # `extra` member directories kept whole (a crate's benchmark, say).
  src = dir: extra:
    lib.fileset.toSource {
      inherit root;
      fileset = lib.fileset.unions (
        [../Cargo.toml ../Cargo.lock]
        ++ map (m: root + "/${m}/Cargo.toml") members
        ++ map (m: root + "/${m}") ([dir] ++ extra)
      );
    };
  stubOthers = kept:
    lib.concatMapStrings (m:
      lib.optionalString (!lib.elem m kept) ''
        mkdir -p ${m}/src
        [ -e ${m}/src/lib.rs ] || : > ${m}/src/lib.rs
        [ -e ${m}/src/main.rs ] || echo 'fn main() {}' > ${m}/src/main.rs
      '')
    members;
  cargoLock = ../Cargo.lock;
}

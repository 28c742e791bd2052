# clippy over the whole Cargo workspace with its lint policy
# ([workspace.lints] in Cargo.toml), as a derivation that fails on any
# warning: the `clippy` flake check. Formatting (rustfmt) is the
# `formatting` check's (treefmt.toml).
{
  lib,
  rustPlatform,
  clippy,
}: let
  ws = import ../workspace.nix {inherit lib;};
in
  rustPlatform.buildRustPackage {
    pname = "nixos-rs-clippy";
    inherit (ws) version;
    src = ws.src (lib.head ws.members) (lib.tail ws.members);
    cargoLock.lockFile = ws.cargoLock;
    nativeBuildInputs = [clippy];
    buildPhase = ''
      runHook preBuild
      cargo clippy --workspace --all-targets --offline -- -D warnings
      runHook postBuild
    '';
    doCheck = false;
    installPhase = ''
      runHook preInstall
      touch $out
      runHook postInstall
    '';
    meta.description = "clippy -D warnings over nixos-rs' Cargo workspace";
  }

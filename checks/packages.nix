# Every package of the flake is built by `nix flake check`; building a
# Rust package runs its own tests (cargo test), clippy runs with -D warnings,
# nixosOptionsDoc fails on options without descriptions.
{
  self,
  pkgs,
  lib,
}:
lib.mapAttrs' (n: lib.nameValuePair "package-${n}") (removeAttrs self.packages.${pkgs.stdenv.hostPlatform.system} ["default"])

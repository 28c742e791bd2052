# The boot checks that need no import-from-derivation (nix/boot-checks.nix;
# the closure-wide swaps are legacyPackages.<system>.closureChecks).
{
  pkgs,
  self,
  mkHost,
  lib,
}:
(import ../nix/boot-checks.nix {inherit pkgs self mkHost lib;}).checks

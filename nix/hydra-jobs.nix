# hydraJobs: the flake's checks and packages per system, and for each system
# one aggregate job, `required`, that Hydra shows green only when every
# other job of that system is (Hydra's _hydraAggregate convention).
#
# Hydra evaluates without import-from-derivation; `checks` needs none (the
# boot checks of closure-wide swaps, which do, are in
# legacyPackages.<system>.closureChecks, nix/boot-checks.nix).
{
  lib,
  self,
  pkgsFor,
}: let
  inherit (self) checks;
  packages = lib.mapAttrs (_: p: removeAttrs p ["default"]) self.packages;
in {
  inherit checks packages;
  required = lib.mapAttrs (system: jobs:
    (pkgsFor system).runCommand "nixos-rs-required-${system}" {
      _hydraAggregate = true;
      constituents = lib.attrValues jobs ++ lib.attrValues packages.${system};
      meta.description = "Every check and package of nixos-rs on ${system}";
    } ''
      mkdir -p "$out/nix-support"
      for c in $constituents; do
        [ ! -e "$c/nix-support/failed" ] || touch "$out/nix-support/failed"
      done
    '')
  checks;
}

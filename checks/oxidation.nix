# How much of each of this flake's systems is Rust, and what moved from
# the baseline to the oxidized system (lib/oxidation-report.nix).
{
  pkgs,
  self,
  lib,
}: let
  suffix = (import ../nix/vm.nix {inherit lib;}).hostSuffix pkgs.stdenv.hostPlatform.system;
  report = host: self.lib.mkOxidationReport {nixosConfiguration = self.nixosConfigurations."${host}${suffix}";};
in rec {
  oxidation-nixos-nix = report "nixos-nix";
  oxidation-nixos-rs = report "nixos-rs";
  oxidation-compare = self.lib.mkOxidationCompare {
    before = oxidation-nixos-nix;
    after = oxidation-nixos-rs;
    inherit pkgs;
  };
}

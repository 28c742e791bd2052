# This flake's own parts derived from the component list: every component
# that can be booted alone has its boot check, in `checks` when it needs no
# import-from-derivation, else in `closureChecks`; every uutils component
# has its replacement package.
{
  lib,
  h,
}: let
  mkHost = system: modules:
    h.standIn.lib.nixosSystem {
      modules = [../../modules/vm-guest.nix ../../modules/oxidized {nixpkgs.hostPlatform = system;}] ++ modules;
    };
  self = {
    lib = h.nrsLib;
    nixosConfigurations = {
      nixos-nix = mkHost "x86_64-linux" [../../hosts/nixos-nix.nix];
      nixos-rs = mkHost "x86_64-linux" [../../hosts/nixos-rs.nix];
    };
  };
  boot = import ../../nix/boot-checks.nix {
    inherit (h) pkgs;
    inherit self mkHost lib;
  };
  components = import ../../modules/oxidized/components.nix;
  packages = import ../../pkgs {
    inherit (h) pkgs;
    inherit (mkHost "x86_64-linux" []) options;
  };
in {
  every-component-has-its-boot-check = {
    expr = {
      booted = lib.sort lib.lessThan (map (n: lib.removePrefix "boot-component-" n) (lib.filter (lib.hasPrefix "boot-component-") (lib.attrNames boot.checks ++ lib.attrNames boot.closureChecks)));
      # In closureChecks exactly those that swap closure-wide by default.
      closure = lib.attrNames boot.closureChecks;
      hosts = lib.filter (n: !lib.hasPrefix "boot-component-" n) (lib.attrNames boot.checks);
    };
    expected = {
      booted = lib.sort lib.lessThan (map (c: c.name) (lib.filter (c: c.bootCheck) components));
      # The uutils components whose default is closure-wide, the shell, and
      # the libraries (closure-wide only).
      closure = lib.sort lib.lessThan (map (c: "boot-component-${c.name}") (lib.filter (c: c ? uutils && (c.uutils.strategy or "closure") == "closure" || c.name == "shell" || c ? library) components));
      hosts = ["boot-nixos-nix" "boot-nixos-rs"];
    };
  };
  only-systemd-needs-the-users-package = {
    expr = map (c: c.name) (lib.filter (c: !c.bootCheck) components);
    expected = ["systemd"];
  };
  every-swapped-package-has-its-replacement-package = {
    expr = lib.sort lib.lessThan (lib.filter (lib.hasSuffix "-replacement") (lib.attrNames packages));
    expected = lib.sort lib.lessThan (map (c: "${c.name}-replacement") (lib.filter (c: c ? uutils || c ? library) components));
  };
}

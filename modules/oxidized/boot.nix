# NixOS's own Rust boot path: nixos-init runs stage 2 without the bash
# activation scripts, userborn creates users and groups without the Perl
# script. nixos-init asserts systemd in the initrd, an overlay /etc,
# userborn or systemd-sysusers, and no boot.postBootCommands
# (nixos/modules/system/activation/nixos-init.nix); this component sets the
# first three. userborn asserts that systemd-sysusers is off
# (nixos/modules/services/system/userborn.nix).
#
# The VM of a configuration (virtualisation.vmVariant) loads its store
# database from boot.postBootCommands in nixos/modules/virtualisation/qemu-vm.nix
# of nixpkgs before PR #496852 (2026-03), which made that a systemd service;
# with such a nixpkgs the VM fails nixos-init's assertion.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.boot;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "boot";
in {
  options.oxidized.boot =
    {
      enable = lib.mkEnableOption "nixos-init and userborn in place of the bash and Perl activation (experimental)";
      package = lib.mkPackageOption pkgs "nixos-init" {};
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.boot.reportRow = {
        enabled = cfg.enable;
        stability = "experimental";
        original = "activation scripts (bash), update-users-groups.pl (perl)";
        replacement = "${cfg.package.name}, ${config.services.userborn.package.name}";
        strategy = "module";
      };
    }
    (lib.mkIf cfg.enable {
      system.nixos-init = {
        enable = true;
        inherit (cfg) package;
      };
      services.userborn.enable = true;
      system.etc.overlay.enable = true;
      boot.initrd.systemd.enable = true;
      oxidized.boot.probes = [
        # The system built without a bash stage 2: top-level.nix writes
        # prepare-root only when nixos-init is off.
        (probe "stage2-is-nixos-init" "if [ -e /run/current-system/prepare-root ]; then echo prepare-root; else echo nixos-init; fi" "^nixos-init$")
        (probe "userborn-active" "systemctl is-active userborn.service" "^active$")
        (probe "etc-is-an-overlay" "findmnt -n -o FSTYPE /etc" "^overlay$")
      ];
    })
  ];
}

# NixOS's own Rust boot path: nixos-init runs stage 2 without bash
# activation scripts, userborn creates users and groups without the Perl
# script. nixos-init asserts systemd in the initrd, an overlay /etc and
# userborn or sysusers (nixos/modules/system/activation/nixos-init.nix);
# this component sets all of them.
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
      enable = lib.mkEnableOption "nixos-init and userborn in place of the bash/perl activation (experimental)";
      package = lib.mkPackageOption pkgs "nixos-init" {};
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.boot.reportRow = {
        enabled = cfg.enable;
        stability = "experimental";
        original = "activation scripts (bash), users-groups (perl)";
        replacement = "${cfg.package.name}, ${pkgs.userborn.name}";
        strategy = "module";
      };
    }
    (lib.mkIf cfg.enable {
      assertions = [
        {
          assertion = config.boot.postBootCommands == "";
          message = "oxidized.boot: nixos-init runs no boot.postBootCommands; move them into a systemd service.";
        }
      ];
      system.nixos-init = {
        enable = true;
        inherit (cfg) package;
      };
      services.userborn.enable = true;
      system.etc.overlay.enable = true;
      boot.initrd.systemd.enable = true;
      oxidized.boot.probes = [
        (probe "userborn-active" "systemctl is-active userborn.service" "^active$")
        (probe "etc-is-overlay" "findmnt -n -o FSTYPE /etc" "^overlay$")
      ];
    })
  ];
}

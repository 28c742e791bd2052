# nixos/modules/system/activation/nixos-init.nix (nixpkgs PR #433154,
# 2025-08): system.nixos-init, a Rust stage 2 without the bash activation
# scripts. It asserts systemd in the initrd, an overlay /etc, userborn or
# systemd-sysusers, and (nixpkgs PR #474454) no boot.postBootCommands.
{
  config,
  lib,
  pkgs,
  ...
}: {
  options.system.nixos-init = {
    enable = lib.mkEnableOption "nixos-init";
    package = lib.mkPackageOption pkgs "nixos-init" {};
  };
  config.assertions = lib.optionals config.system.nixos-init.enable [
    {
      assertion = config.boot.initrd.systemd.enable;
      message = "nixos-init can only be used with boot.initrd.systemd.enable";
    }
    {
      assertion = config.system.etc.overlay.enable;
      message = "nixos-init can only be used with system.etc.overlay.enable";
    }
    {
      assertion = config.services.userborn.enable || config.systemd.sysusers.enable;
      message = "nixos-init can only be used with services.userborn.enable or systemd.sysusers.enable";
    }
    {
      assertion = config.boot.postBootCommands == "";
      message = "nixos-init cannot be used with boot.postBootCommands";
    }
  ];
}

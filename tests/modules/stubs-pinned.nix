# What the nixpkgs revision flake.lock pins has and older ones do not:
# security.shadow.su.package (nixos/modules/programs/shadow.nix, nixpkgs
# PR #495216), which sudo-rs.nix sets to sudo-rs' su, and system.nixos-init
# (nixos/modules/system/activation/nixos-init.nix). Module tests that stand
# for an older nixpkgs leave this file out with disabledModules.
{
  config,
  lib,
  pkgs,
  ...
}: let
  package = default:
    lib.mkOption {
      type = lib.types.package;
      inherit default;
    };
in {
  options = {
    security.shadow.su.package = package pkgs.shadow.su;
    system.nixos-init = {
      enable = lib.mkEnableOption "nixos-init";
      package = package pkgs.nixos-init;
    };
  };
  # sudo-rs.nix: su from sudo-rs by default.
  config.security.shadow.su.package = lib.mkIf config.security.sudo-rs.enable (lib.mkDefault config.security.sudo-rs.package);
}

# Declarations of the upstream NixOS options the oxidized modules set or
# read, with the types nixpkgs gives them (files named in comments). With
# these, lib.evalModules evaluates the modules without nixpkgs' module tree.
{
  config,
  lib,
  ...
}: let
  inherit (lib) mkOption types;
  opt = type: default: mkOption {inherit type default;};
  bool = default: opt types.bool default;
  lines = opt types.lines "";
in {
  options = {
    # nixos/modules/misc/assertions.nix
    assertions = opt (types.listOf (types.submodule {
      options = {
        assertion = mkOption {type = types.bool;};
        message = mkOption {type = types.str;};
      };
    })) [];
    warnings = opt (types.listOf types.str) [];

    # nixos/modules/security/sudo.nix, sudo-rs.nix
    security.sudo.enable = bool true;
    security.sudo.wheelNeedsPassword = bool true;
    security.sudo-rs = {
      enable = bool false;
      package = opt types.package null;
      wheelNeedsPassword = bool true;
    };

    # nixos/modules/services/networking/ntp/ntpd-rs.nix, timesyncd.nix
    services.ntpd-rs = {
      enable = bool false;
      package = opt types.package null;
    };
    services.timesyncd.enable = bool true;

    # nixos/modules/system/activation/top-level.nix
    system.replaceDependencies = {
      replacements = opt (types.listOf (types.submodule {
        options = {
          oldDependency = mkOption {type = types.package;};
          newDependency = mkOption {type = types.package;};
        };
      })) [];
      cutoffPackages = opt (types.listOf types.package) [];
    };
    system.build = opt (types.lazyAttrsOf types.unspecified) {};

    # nixos/modules/config/system-path.nix, shells-environment.nix,
    # programs/shadow.nix, programs/bash/bash.nix
    environment.systemPackages = opt (types.listOf types.package) [];
    environment.binsh = opt types.path "/bin/sh-default";
    environment.shells = opt (types.listOf (types.either types.shellPackage types.path)) [];
    environment.interactiveShellInit = lines;
    environment.loginShellInit = lines;
    environment.shellInit = lines;
    users.defaultUserShell = opt (types.either types.path types.shellPackage) "/bin/sh";
    programs.bash = {
      interactiveShellInit = lines;
      loginShellInit = lines;
      shellInit = lines;
    };

    # nixos/modules/system/activation/nixos-init.nix, services/system/userborn.nix,
    # system/etc/etc.nix, system/boot/systemd/initrd.nix, system/boot/stage-2.nix
    system.nixos-init = {
      enable = bool false;
      package = opt types.package null;
    };
    services.userborn.enable = bool false;
    system.etc.overlay.enable = bool false;
    boot.initrd.systemd.enable = bool false;
    boot.postBootCommands = lines;

    # nixos/modules/system/boot/systemd.nix
    systemd.package = opt types.package null;
  };

  # What the upstream modules do when enabled, as far as these tests see:
  # sudo-rs turns sudo off by default (security/sudo-rs.nix), ntpd-rs turns
  # timesyncd off (services/networking/ntp/ntpd-rs.nix).
  config = {
    security.sudo.enable = lib.mkIf config.security.sudo-rs.enable (lib.mkDefault false);
    services.timesyncd.enable = lib.mkIf config.services.ntpd-rs.enable false;
  };
}

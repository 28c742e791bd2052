# Declarations of the upstream NixOS options the oxidized modules set or
# read, with the types and defaults nixpkgs gives them (files named in the
# comments), and the few upstream behaviours the tests rely on. With these,
# lib.evalModules evaluates the modules without nixpkgs' module tree.
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  opt = type: default: mkOption {inherit type default;};
  bool = default: opt types.bool default;
  lines = opt types.lines "";
  package = default: opt types.package default;
in {
  # The options of modules/oxidized/systemd.nix, and what only the pinned
  # nixpkgs has (left out with disabledModules to stand for an older one).
  imports = [./stubs-systemd.nix ./stubs-pinned.nix];

  options = {
    # nixos/modules/misc/assertions.nix
    assertions = opt (types.listOf (types.submodule {
      options = {
        assertion = mkOption {type = types.bool;};
        message = mkOption {type = types.str;};
      };
    })) [];
    warnings = opt (types.listOf types.str) [];

    # nixos/modules/security/sudo.nix, sudo-rs.nix, programs/shadow.nix
    security.sudo.enable = bool true;
    security.sudo.wheelNeedsPassword = bool true;
    security.sudo-rs = {
      enable = bool false;
      package = package pkgs.sudo-rs;
      wheelNeedsPassword = bool true;
    };

    # nixos/modules/services/networking/ntp/ntpd-rs.nix, timesyncd.nix
    services.ntpd-rs = {
      enable = bool false;
      package = package pkgs.ntpd-rs;
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
      cutoffPackages = opt (types.listOf types.package) (lib.optionals config.boot.initrd.enable [config.system.build.initialRamdisk]);
    };
    system.build = opt (types.lazyAttrsOf types.unspecified) {};
    # nixos/modules/system/boot/stage-1.nix, systemd/initrd.nix, stage-2.nix
    boot.initrd.enable = bool true;
    boot.initrd.systemd.enable = bool false;
    boot.postBootCommands = lines;

    # nixos/modules/config/system-path.nix, shells-environment.nix,
    # programs/shadow.nix, programs/bash/bash.nix
    environment.systemPackages = opt (types.listOf types.package) [];
    environment.binsh = opt types.path "/bin/sh-of-bash";
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
    # system/etc/etc.nix

    services.userborn = {
      enable = bool false;
      package = package pkgs.userborn;
    };
    system.etc.overlay.enable = bool false;

    # nixos/modules/system/boot/systemd.nix
    systemd.package = package pkgs.systemd;
  };

  config = {
    # sudo-rs.nix: sudo off by default.
    security.sudo.enable = lib.mkIf config.security.sudo-rs.enable (lib.mkDefault false);

    # ntpd-rs.nix: timesyncd off.
    services.timesyncd.enable = lib.mkIf config.services.ntpd-rs.enable false;
    system.build.initialRamdisk = pkgs.initrd;
  };
}

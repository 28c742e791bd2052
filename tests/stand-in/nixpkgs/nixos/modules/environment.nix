# nixos/modules/config/system-path.nix        environment.systemPackages, corePackages
# nixos/modules/config/shells-environment.nix  environment.binsh, shells, *ShellInit
# nixos/modules/programs/bash/bash.nix         programs.bash.*; bashInteractive is the default user shell
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  lines = mkOption {
    type = types.lines;
    default = "";
  };
in {
  options = {
    environment = {
      systemPackages = mkOption {
        type = types.listOf types.package;
        default = [];
      };
      corePackages = mkOption {
        type = types.listOf types.package;
        default = [pkgs.bashInteractive pkgs.coreutils-full pkgs.findutils pkgs.diffutils pkgs.shadow];
      };
      binsh = mkOption {
        type = types.path;
        default = "${config.system.build.binsh}/bin/sh";
        visible = false;
      };
      shells = mkOption {
        type = types.listOf (types.either types.shellPackage types.path);
        default = [];
      };
      shellInit = lines;
      loginShellInit = lines;
      interactiveShellInit = lines;
      etc = mkOption {
        type = types.attrsOf types.unspecified;
        default = {};
      };
    };
    programs.bash = {
      shellInit = lines;
      loginShellInit = lines;
      interactiveShellInit = lines;
    };
  };
  config = {
    environment.systemPackages = config.environment.corePackages;
    system.build.binsh = pkgs.bashInteractive;
    users.defaultUserShell = lib.mkDefault pkgs.bashInteractive;
    environment.shells = [pkgs.bashInteractive];
  };
}

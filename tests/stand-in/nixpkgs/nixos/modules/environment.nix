# The system path and the shells.
#   nixos/modules/config/system-path.nix        environment.systemPackages = corePackages
#     ++ defaultPackages, both lists with meta.priority + 3 (lower precedence)
#   nixos/modules/config/shells-environment.nix environment.binsh (invisible; a plain
#     path), environment.shells, the *ShellInit options
#   nixos/modules/programs/bash/bash.nix        programs.bash.*; the default user shell
#     is bashInteractive (mkDefault); its package is a shell
#   nixos/modules/system/etc/etc.nix            environment.etc
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
  lowered = names: map (n: lib.setPrio ((pkgs.${n}.meta.priority or lib.meta.defaultPriority) + 3) pkgs.${n}) names;
in {
  options = {
    environment = {
      systemPackages = mkOption {
        type = types.listOf types.package;
        default = [];
      };
      corePackages = mkOption {
        type = types.listOf types.package;
      };
      defaultPackages = mkOption {
        type = types.listOf types.package;
        default = lowered ["perl" "rsync" "strace"];
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
    environment.corePackages =
      lowered [
        "acl"
        "attr"
        "bashInteractive"
        "bzip2"
        "coreutils-full"
        "cpio"
        "curl"
        "diffutils"
        "findutils"
        "gawk"
        "getent"
        "getconf"
        "gnugrep"
        "gnupatch"
        "gnused"
        "gnutar"
        "gzip"
        "xz"
        "less"
        "libcap"
        "ncurses"
        "netcat"
        "mkpasswd"
        "procps"
        "su"
        "time"
        "util-linux"
        "which"
        "zstd"
      ]
      ++ [pkgs.stdenv.cc.libc];
    environment.systemPackages = config.environment.corePackages ++ config.environment.defaultPackages;
    system.build.binsh = pkgs.bashInteractive;
    users.defaultUserShell = lib.mkDefault pkgs.bashInteractive;
    environment.shells = [pkgs.bashInteractive];
  };
}

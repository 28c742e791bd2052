# Boot options nixos-rs and its test hosts set.
#   nixos/modules/system/boot/kernel.nix          boot.kernelParams, boot.initrd.*Modules
#   nixos/modules/system/boot/stage-1.nix         boot.initrd.enable, system.build.initialRamdisk
#   nixos/modules/system/boot/systemd/initrd.nix  boot.initrd.systemd.enable
#   nixos/modules/system/boot/stage-2.nix         boot.postBootCommands
#   nixos/modules/system/boot/loader/grub/grub.nix  boot.loader.grub.{enable,device}
#   nixos/modules/tasks/filesystems.nix           fileSystems
#   nixos/modules/system/activation/nixos-init.nix  system.nixos-init, with its assertions
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  listOfStr = mkOption {
    type = types.listOf types.str;
    default = [];
  };
in {
  options = {
    boot = {
      kernelParams = listOfStr;
      kernelModules = listOfStr;
      initrd = {
        enable = mkOption {
          type = types.bool;
          default = true;
        };
        availableKernelModules = listOfStr;
        kernelModules = listOfStr;
        systemd.enable = mkOption {
          type = types.bool;
          default = false;
        };
      };
      postBootCommands = mkOption {
        type = types.lines;
        default = "";
      };
      loader.grub = {
        enable = mkOption {
          type = types.bool;
          default = true;
        };
        device = mkOption {
          type = types.str;
          default = "";
        };
      };
    };
    fileSystems = mkOption {
      default = {};
      type = types.attrsOf (types.submodule ({name, ...}: {
        options = {
          mountPoint = mkOption {
            type = types.str;
            default = name;
          };
          device = mkOption {
            type = types.nullOr types.str;
            default = null;
          };
          fsType = mkOption {
            type = types.str;
            default = "auto";
          };
          options = listOfStr;
          neededForBoot = mkOption {
            type = types.bool;
            default = false;
          };
        };
      }));
    };
    system.nixos-init = {
      enable = lib.mkEnableOption "nixos-init";
      package = lib.mkPackageOption pkgs "nixos-init" {};
    };
  };

  config = {
    assertions =
      [
        {
          assertion = config.fileSystems ? "/";
          message = "The ‘fileSystems’ option does not specify your root file system.";
        }
      ]
      # nixos-init.nix; the last one came with nixpkgs PR #474454.
      ++ lib.optionals config.system.nixos-init.enable [
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
    system.build.initialRamdisk = lib.mkIf config.boot.initrd.enable (pkgs.runCommand "initrd-linux-${pkgs.linux.version}" {
      modules = config.boot.initrd.availableKernelModules ++ config.boot.initrd.kernelModules;
    } ''echo "$modules" > "$out"'');
  };
}

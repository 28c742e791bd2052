# Boot: the kernel's command line, stage 1, the boot loader, file systems.
#   nixos/modules/system/boot/kernel.nix           boot.kernelParams, boot.initrd.*Modules
#   nixos/modules/system/boot/stage-1.nix          boot.initrd.enable, system.build.initialRamdisk
#   nixos/modules/system/boot/systemd/initrd.nix   systemd stage 1: on by default since nixpkgs
#     PR #435781 (2026-04; the scripted stage 1 is deprecated); its package defaults to
#     config.systemd.package; the initrd's /init is "${package}/lib/systemd/systemd"; its
#     /bin holds package.kmod and package, mount comes from package.util-linux
#   nixos/modules/config/console.nix               reads boot.initrd.systemd.package.kbd
#   nixos/modules/system/boot/stage-2.nix          boot.postBootCommands
#   nixos/modules/system/boot/loader/grub/grub.nix boot.loader.grub.{enable,device,devices}:
#     with grub on and no device, "You must set the option ‘boot.loader.grub.devices’ ..."
#   nixos/modules/tasks/filesystems.nix            fileSystems and the root file system assertion
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
  initrd = config.boot.initrd;
  stage1 = initrd.systemd;
  grub = config.boot.loader.grub;
in {
  options = {
    boot = {
      kernelParams = listOfStr;
      kernelModules = listOfStr;
      initrd = {
        enable = mkOption {
          type = types.bool;
          default = !config.boot.isContainer;
        };
        availableKernelModules = listOfStr;
        kernelModules = listOfStr;
        systemd = {
          enable = mkOption {
            type = types.bool;
            default = true;
          };
          package = mkOption {
            type = types.package;
            default = config.systemd.package;
            defaultText = lib.literalExpression "config.systemd.package";
          };
          # The files of the initrd; the stand-in models the source of each.
          contents = mkOption {
            type = types.attrsOf (types.submodule {
              options.source = mkOption {type = types.str;};
            });
            default = {};
          };
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
        devices = mkOption {
          type = types.listOf types.str;
          default = [];
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
  };

  config = lib.mkMerge [
    {
      assertions = [
        {
          assertion = lib.any (fs: fs.mountPoint == "/") (lib.attrValues config.fileSystems);
          message = "The ‘fileSystems’ option does not specify your root file system.";
        }
      ];
      boot.loader.grub.devices = lib.optional (grub.device != "") grub.device;
    }
    (lib.mkIf grub.enable {
      assertions = [
        {
          assertion = grub.devices != [];
          message = "You must set the option ‘boot.loader.grub.devices’ or 'boot.loader.grub.mirroredBoots' to make the system bootable.";
        }
      ];
    })
    (lib.mkIf (initrd.enable && stage1.enable) {
      boot.initrd.systemd.contents."/init".source = "${stage1.package}/lib/systemd/systemd";
      system.build.initialRamdisk = pkgs.runCommand "initrd-linux-${pkgs.linux.version}" {
        init = stage1.contents."/init".source;
        # What the initrd's /bin and the console setup take from the package.
        bin = [stage1.package stage1.package.kmod "${stage1.package.util-linux}/bin/mount" stage1.package.kbd];
        modules = initrd.availableKernelModules ++ initrd.kernelModules ++ lib.optional stage1.package.withEfi "efivarfs";
      } ''echo "init=$init bin=$bin modules=$modules" > "$out"'';
    })
    (lib.mkIf (initrd.enable && !stage1.enable) {
      # The scripted stage 1: a bash script, extra-utils, no systemd.
      system.build.initialRamdisk = pkgs.runCommand "initrd-linux-${pkgs.linux.version}" {
        init = "${pkgs.bashNonInteractive}/bin/bash";
        modules = initrd.availableKernelModules ++ initrd.kernelModules;
      } ''echo "init=$init modules=$modules" > "$out"'';
    })
  ];
}

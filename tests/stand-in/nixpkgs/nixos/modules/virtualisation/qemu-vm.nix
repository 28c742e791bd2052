# nixos/modules/virtualisation/qemu-vm.nix, as the stand-in has it.
#
# The options nixos-rs reads or sets, with nixpkgs' defaults, and a VM
# whose run script honours what nixpkgs' run script honours:
#   NIX_DISK_IMAGE   created when missing, attached only with a disk image;
#   TMPDIR + USE_TMPDIR  state directory reused only when both are set,
#                    else a fresh `mktemp -d nix-vm.XXXXXXXXXX`;
#   QEMU_OPTS        appended to QEMU's arguments;
#   QEMU_KERNEL_PARAMS  appended to -append (direct kernel boot only);
#   QEMU_NET_OPTS    appended to the user-mode -netdev;
#   "$@"             passed to QEMU.
# Unlike nixpkgs' VM it boots no NixOS: it boots a kernel and a
# busybox-static initramfs whose /init is virtualisation.standIn.init, on
# QEMU of the build machine (qemu-system-* on the sandbox's PATH: /usr/bin
# in extra-sandbox-paths). The kernel and busybox are the stand-in's
# prebuilt/vmlinuz and prebuilt/busybox, which the nix-sandbox stage copies
# there from the build machine; evaluating the VM needs neither.
#
# At the revision flake.lock pins the VM loads its Nix store database from a
# systemd service, register-nix-paths (nixpkgs PR #496852, 2026-03), not
# from boot.postBootCommands (nixos/overrides/qemu-vm-post-boot.nix has the
# older way). The VM's grub device is set (mkVMOverride), so a VM passes
# grub's assertion.
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  cfg = config.virtualisation;
  name = config.system.name;
  serial =
    if pkgs.stdenv.hostPlatform.isAarch64
    then "ttyAMA0"
    else "ttyS0";
  consoles = lib.concatMapStringsSep " " (c: "console=${c}") cfg.qemu.consoles;

  prebuilt = file: let
    p = ../../../prebuilt + "/${file}";
  in
    if builtins.pathExists p
    then p
    else "/missing/prebuilt/${file}";
  kernel = prebuilt "vmlinuz";
  initrd =
    pkgs.runCommand "stand-in-initrd" {
      init = cfg.standIn.init;
      passAsFile = ["init"];
      busybox = prebuilt "busybox";
    } ''
      mkdir -p root/bin root/proc root/sys root/dev root/tmp root/etc
      cp "$busybox" root/bin/busybox
      chmod +x root/bin/busybox
      for a in $(root/bin/busybox --list); do [ "$a" = busybox ] || ln -s busybox "root/bin/$a"; done
      cp "$initPath" root/init
      chmod +x root/init
      (cd root && find . | ./bin/busybox cpio -o -H newc) > "$out" 2>/dev/null
    '';

  runScript = pkgs.writeText "run-${name}-vm" ''
    #!/bin/bash
    set -e
    NIX_DISK_IMAGE=$(readlink -f "''${NIX_DISK_IMAGE:-${toString cfg.diskImage}}") || test -z "$NIX_DISK_IMAGE"
    if test -n "$NIX_DISK_IMAGE" && ! test -e "$NIX_DISK_IMAGE"; then
      echo "Disk image do not exist, creating the virtualisation disk image..."
      qemu-img create -f qcow2 "$NIX_DISK_IMAGE" "${toString cfg.diskSize}M" >/dev/null
      echo "Virtualisation disk image created."
    fi
    if [ -z "$TMPDIR" ] || [ -z "$USE_TMPDIR" ]; then
      TMPDIR=$(mktemp -d nix-vm.XXXXXXXXXX --tmpdir)
    fi
    mkdir -p "$TMPDIR/xchg"
    cd "$TMPDIR"
    exec qemu-system-${pkgs.stdenv.hostPlatform.qemuArch} \
      -name ${name} \
      -m ${toString cfg.memorySize} \
      -smp ${toString cfg.cores} \
      ${lib.concatStringsSep " " cfg.qemu.networkingOptions} \
      ${lib.optionalString (cfg.diskImage != null) ''-drive file="$NIX_DISK_IMAGE",if=virtio,werror=report''} \
      ${lib.optionalString cfg.directBoot.enable ''-kernel ${kernel} -initrd ${initrd} -append "${lib.concatStringsSep " " config.boot.kernelParams} ${consoles} $QEMU_KERNEL_PARAMS"''} \
      ${lib.concatStringsSep " " cfg.qemu.options} \
      $QEMU_OPTS \
      "$@"
  '';
in {
  options.virtualisation = {
    memorySize = mkOption {
      type = types.ints.positive;
      default = 1024;
    };
    cores = mkOption {
      type = types.ints.positive;
      default = 1;
    };
    diskSize = mkOption {
      type = types.ints.positive;
      default = 1024;
    };
    diskImage = mkOption {
      type = types.nullOr types.str;
      default = "./${name}.qcow2";
    };
    graphics = mkOption {
      type = types.bool;
      default = true;
    };
    useBootLoader = mkOption {
      type = types.bool;
      default = false;
    };
    directBoot.enable = mkOption {
      type = types.bool;
      default = !cfg.useBootLoader;
    };
    qemu = {
      options = mkOption {
        type = types.listOf types.str;
        default = [];
      };
      networkingOptions = mkOption {
        type = types.listOf types.str;
        default = [];
      };
      # With graphics the serial console comes first and tty0 last (the
      # last console= is the primary one); without, the other way round.
      consoles = mkOption {
        type = types.listOf types.str;
        default = let
          c = ["${serial},115200n8" "tty0"];
        in
          if cfg.graphics
          then c
          else lib.reverseList c;
      };
    };
    # The stand-in's own option: what the guest does after the kernel
    # started it (a busybox sh script run as /init).
    standIn.init = mkOption {
      type = types.lines;
      default = ''
        #!/bin/sh
        mount -t proc proc /proc
        mount -t sysfs sys /sys
        mount -t devtmpfs dev /dev
        hostname ${name}
        echo "<<< Welcome to the stand-in of ${name} >>>"
        echo
        ${
          if config.services.getty.autologinUser != null
          then ''
            echo "${name} login: ${config.services.getty.autologinUser} (automatic login)"
            export PS1='[${config.services.getty.autologinUser}@${name}:~]$ '
            exec setsid cttyhack sh
          ''
          else ''
            printf '${name} login: '
            exec sleep 1000000
          ''
        }
      '';
    };
  };

  config = {
    systemd.services.register-nix-paths.wantedBy = ["sysinit.target"];
    boot.loader.grub.device = lib.mkOverride 10 "/dev/vda";
    # "Don't run ntpd in the guest."
    services.timesyncd.enable = false;
    networking.usePredictableInterfaceNames = false;
    virtualisation.qemu.networkingOptions = [
      "-net nic,netdev=user.0,model=virtio"
      ''-netdev user,id=user.0,"$QEMU_NET_OPTS"''
    ];
    virtualisation.qemu.options = lib.optional (!cfg.graphics) "-nographic";
    fileSystems."/" = lib.mkIf (cfg.diskImage == null) (lib.mkOverride 10 {
      device = "tmpfs";
      fsType = "tmpfs";
    });
    system.build.vm =
      pkgs.runCommand "nixos-vm" {
        preferLocalBuild = true;
        meta.mainProgram = "run-${name}-vm";
        toplevel = config.system.build.toplevel;
      } ''
        mkdir -p "$out/bin"
        ln -s "$toplevel" "$out/system"
        cp ${runScript} "$out/bin/run-${name}-vm"
        chmod +x "$out/bin/run-${name}-vm"
      '';
  };
}

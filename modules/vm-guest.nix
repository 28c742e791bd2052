# nixosModules.vm-guest: the test-machine profile. A QEMU guest with its
# console on the serial port, systemd-networkd and systemd-resolved, and a
# user in wheel logged in automatically on the console (the boot checks run
# their probes in that session). User systems do not need it.
{
  config,
  lib,
  modulesPath,
  pkgs,
  ...
}: let
  cfg = config.oxidized.vmGuest;
  serial = (import ../lib/vm.nix {inherit lib;}).serialConsole pkgs.stdenv.hostPlatform;
in {
  imports = [
    (modulesPath + "/profiles/qemu-guest.nix")
    # Everything nixos-rs declares lives under `oxidized`.
    (lib.mkRenamedOptionModule ["nixos-rs" "vmGuest" "user"] ["oxidized" "vmGuest" "user"])
  ];

  options.oxidized.vmGuest.user = lib.mkOption {
    type = lib.types.str;
    default = "nixos";
    description = "The wheel user logged in automatically on the serial console.";
  };

  config = {
    networking.hostName = lib.mkDefault "nixos";
    system.stateVersion = lib.mkDefault "25.11";

    # Booted directly (kernel + initrd) by the VM runner: no boot loader.
    boot.loader.grub.enable = lib.mkDefault false;
    boot.kernelParams = ["console=${serial},115200n8"];
    fileSystems."/" = lib.mkDefault {
      device = "/dev/disk/by-label/nixos";
      fsType = "ext4";
    };

    # The VM (nixos/modules/virtualisation/qemu-vm.nix): no graphics, so the
    # serial port is the primary console; no disk image, so / is a tmpfs
    # and nothing is left behind.
    virtualisation.vmVariant.virtualisation = {
      graphics = false;
      diskImage = null;
      memorySize = 1536;
      cores = 2;
    };

    networking.useNetworkd = true;
    networking.useDHCP = false;
    systemd.network = {
      enable = true;
      networks."10-ethernet" = {
        matchConfig.Name = "en* eth*";
        networkConfig.DHCP = "ipv4";
      };
      # Nothing waits for the network in a test VM.
      wait-online.enable = false;
    };
    services.resolved.enable = true;

    services.getty.autologinUser = cfg.user;
    users.users.${cfg.user} = {
      isNormalUser = true;
      extraGroups = ["wheel"];
      initialPassword = cfg.user;
    };
    # Probes that need root use `sudo -n`, whichever sudo is installed.
    security.sudo.wheelNeedsPassword = false;
    security.sudo-rs.wheelNeedsPassword = false;

    documentation.enable = lib.mkDefault false;
  };
}

# nixosModules.vm-guest: the profile of this flake's test machines. A QEMU
# guest with its console on the serial port, systemd-networkd and
# systemd-resolved, and a user in wheel. The login conveniences (automatic
# login on the console, the password, sudo without one) are set in
# virtualisation.vmVariant only: the VMs of `nixos-rebuild build-vm` and
# of the boot checks have them, a machine built from the same
# configuration does not. Downstream systems do not need this module:
# lib.mkBootCheck makes its own login for the check's VM.
{
  config,
  lib,
  modulesPath,
  pkgs,
  ...
}: let
  cfg = config.oxidized.vmGuest;
  serial = (import ../nix/vm.nix {inherit lib;}).serialConsole pkgs.stdenv.hostPlatform;
in {
  imports = [
    (modulesPath + "/profiles/qemu-guest.nix")
    # Everything nixos-rs declares lives under `oxidized`.
    (lib.mkRenamedOptionModule ["nixos-rs" "vmGuest" "user"] ["oxidized" "vmGuest" "user"])
  ];

  options.oxidized.vmGuest.user = lib.mkOption {
    type = lib.types.str;
    default = "nixos";
    description = "The wheel user, logged in automatically on the serial console of the VM.";
  };

  config = {
    networking.hostName = lib.mkDefault "nixos";
    system.stateVersion = lib.mkDefault "26.11";

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

    users.users.${cfg.user} = {
      isNormalUser = true;
      extraGroups = ["wheel"];
    };
    virtualisation.vmVariant = {
      services.getty.autologinUser = cfg.user;
      users.users.${cfg.user}.initialPassword = cfg.user;
      # Probes that need root use `sudo -n`; oxidized.sudo carries this
      # over to sudo-rs.
      security.sudo.wheelNeedsPassword = false;
    };

    documentation.enable = lib.mkDefault false;
  };
}

# my-host: rust-systemd as PID 1 and service manager, with the stable Rust
# components. `systemdPackages` comes from flake.nix.
{
  pkgs,
  systemdPackages,
  ...
}: {
  networking.hostName = "my-host";
  system.stateVersion = "26.11";

  oxidized.enable = true;
  oxidized.systemd = {
    enable = true;
    # Or `.own`: see flake.nix for what differs.
    package = (systemdPackages pkgs).mkSystemdOverlay;
    # On by default, each switch avoids one failure a Rust service manager
    # had; set one to false and run `nix flake check` to see whether your
    # rust-systemd still needs it:
    # compat.noPrivateDevices = false;     # resolved, timesyncd: PrivateDevices
    # compat.noNetworkdWaitOnline = false; # systemd-networkd-wait-online
    # compat.noLvmDevicesImport = false;   # lvm-devices-import.service
    # compat.noLogrotateCheck = false;     # services.logrotate.checkConfig
    # udevRulesOverride = false;           # rules calling systemctl in /etc/udev
  };

  # Networking as the configuration this grows from ran it: networkd with
  # DHCP, and resolved. The probes check both run rust-systemd's binaries.
  networking.useNetworkd = true;
  networking.useDHCP = false;
  systemd.network.networks."10-ethernet" = {
    matchConfig.Name = "en* eth*";
    networkConfig.DHCP = "ipv4";
  };
  services.resolved.enable = true;

  users.users.me = {
    isNormalUser = true;
    extraGroups = ["wheel"];
    initialPassword = "change-me";
  };

  # Replace with your hardware-configuration.nix.
  boot.loader.grub.device = "nodev";
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };

  # The VM that `nix flake check` boots: console on the serial port and a
  # shell there for the probes.
  virtualisation.vmVariant = {
    virtualisation.graphics = false;
    services.getty.autologinUser = "me";
    security.sudo-rs.wheelNeedsPassword = false;
  };
}

# my-host: pick the Rust components here. Each `oxidized.<name>` has
# `enable`, `package` and, where it applies, `strategy`; see
# `nix eval .#nixosConfigurations.my-host.config.oxidized.report --json`.
{pkgs, ...}: {
  networking.hostName = "my-host";
  system.stateVersion = "26.11";

  # The stable set: sudo -> sudo-rs, timesyncd -> ntpd-rs.
  oxidized.enable = true;

  # Experimental components, one by one:
  # oxidized.coreutils.enable = true;   # GNU coreutils -> uutils
  # oxidized.coreutils.keepGnu = ["cp" "mv" "rm"];
  # oxidized.findutils.enable = true;   # find, xargs -> uutils findutils
  # oxidized.diffutils.enable = true;   # diff, cmp -> uutils diffutils
  # oxidized.shell.enable = true;       # bash -> brush (through brush-bash)
  # oxidized.boot.enable = true;        # nixos-init, userborn
  # oxidized.systemd.enable = true;     # needs oxidized.systemd.package

  users.users.me = {
    isNormalUser = true;
    extraGroups = ["wheel"];
    initialPassword = "change-me";
  };
  environment.systemPackages = [pkgs.git];

  # Replace with your hardware-configuration.nix.
  boot.loader.grub.device = "nodev";
  fileSystems."/" = {
    device = "/dev/disk/by-label/nixos";
    fsType = "ext4";
  };

  # The VM that `nixos-rebuild build-vm` and `nix flake check` boot: its
  # console on the serial port.
  virtualisation.vmVariant.virtualisation.graphics = false;
}

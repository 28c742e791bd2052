# NixOS's own Rust boot path: nixos-init runs stage 2 without the bash
# activation scripts, userborn creates users and groups without the Perl
# script. nixos-init asserts systemd in the initrd, an overlay /etc,
# userborn or systemd-sysusers, and no boot.postBootCommands
# (nixos/modules/system/activation/nixos-init.nix); this component sets the
# first three. userborn asserts that systemd-sysusers is off
# (nixos/modules/services/system/userborn.nix).
#
# The VM of a configuration (virtualisation.vmVariant) loads its store
# database from boot.postBootCommands in nixos/modules/virtualisation/qemu-vm.nix
# of nixpkgs before PR #496852 (2026-03), which made that a systemd service;
# the revision flake.lock pins has that change. With an older nixpkgs the
# VM fails nixos-init's assertion (from PR #474454); the assertion here
# says so and names the files that set boot.postBootCommands. A nixpkgs
# without system.nixos-init at all gets an assertion too.
{
  config,
  lib,
  options,
  pkgs,
  ...
}: let
  cfg = config.oxidized.boot;
  hasNixosInit = options.system ? nixos-init;
  postBootFiles = lib.unique (map (d: toString d.file) (lib.filter (d: d.value != "") options.boot.postBootCommands.definitionsWithLocations));
  nrs = import ./lib.nix {inherit lib;};
  probe = nrs.mkProbe "boot";
  # What nixos-init needs, set at normal priority: a configuration that
  # sets one of them otherwise gets a conflict, not a silent change.
  forced = [
    "system.nixos-init.enable = true"
    "system.etc.overlay.enable = true (/etc is an overlay mount)"
    "services.userborn.enable = true (userborn writes users and groups, not the Perl script)"
    "boot.initrd.systemd.enable = true (systemd stage 1)"
  ];
in {
  options.oxidized.boot =
    {
      enable = lib.mkEnableOption "nixos-init and userborn in place of the bash and Perl activation (experimental)";
      package = lib.mkPackageOption pkgs "nixos-init" {};
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    # Defined only where the option exists, so that an older nixpkgs gets
    # the assertion below rather than an unknown-option error.
    (lib.optionalAttrs hasNixosInit {
      system.nixos-init = lib.mkIf cfg.enable {
        enable = true;
        inherit (cfg) package;
      };
    })
    {
      oxidized.boot.reportRow = {
        original = "activation scripts (bash), update-users-groups.pl (perl)";
        replacement =
          if hasNixosInit
          then "${cfg.package.name}, ${config.services.userborn.package.name}"
          else "none (this nixpkgs has no nixos-init)";
        strategy = "module";
        changes = lib.optionals cfg.enable forced;
      };
    }
    (lib.mkIf cfg.enable {
      warnings =
        nrs.notice config "boot-settings"
        "oxidized.boot sets ${lib.concatStringsSep "; " forced}. Turning it off later takes effect at the next boot, and the users and groups userborn created stay in /etc/passwd and /etc/group.";
      assertions = [
        {
          assertion = hasNixosInit;
          message = "oxidized.boot needs system.nixos-init, which this nixpkgs does not have (nixos/modules/system/activation/nixos-init.nix): update nixpkgs, or set oxidized.boot.enable = false.";
        }
        {
          assertion = postBootFiles == [];
          message = "oxidized.boot: nixos-init runs no boot.postBootCommands, and ${lib.concatStringsSep ", " postBootFiles} set(s) some. A VM (virtualisation.vmVariant) of a nixpkgs before PR #496852 (2026-03) sets them in qemu-vm.nix: update nixpkgs, or move those commands into a systemd service.";
        }
      ];
      services.userborn.enable = true;
      system.etc.overlay.enable = true;
      boot.initrd.systemd.enable = true;
      # Nothing of it keeps running: nixos-init execs systemd, userborn is
      # a oneshot unit. Its probes prove it; the meter has nothing to find.
      oxidized.boot.rustAtRuntime = [];
      oxidized.boot.probes = [
        # The system built without a bash stage 2: top-level.nix writes
        # prepare-root only when nixos-init is off.
        ((probe "stage2-is-nixos-init" "if [ -e /run/current-system/prepare-root ]; then echo prepare-root; else echo nixos-init; fi" "^nixos-init$")
          // {needsNixos = "reads the NixOS system's top-level (/run/current-system); a system without one passes it";})
        ((probe "userborn-active" "systemctl is-active userborn.service" "^active$")
          // {needsNixos = "asks systemd for NixOS's userborn unit";})
        ((probe "etc-is-an-overlay" "findmnt -n -o FSTYPE /etc" "^overlay$")
          // {needsNixos = "reads how NixOS mounted /etc (system.etc.overlay)";})
      ];
    })
  ];
}

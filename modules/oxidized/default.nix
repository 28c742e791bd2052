# nixosModules.oxidized: NixOS with a Rust user space, one component at a
# time. Each component lives in its own file with the same shape: `enable`,
# `package`, `strategy` where it applies, and the probes that prove at run
# time that the Rust code runs.
{
  config,
  lib,
  ...
}: let
  cfg = config.oxidized;
  nrs = import ../../lib/components.nix {inherit lib;};
  names = ["sudo" "ntp" "coreutils" "findutils" "diffutils" "shell" "boot" "systemd"];
  enabled = lib.filter (n: cfg.${n}.enable) names;
in {
  imports = [
    ./sudo.nix
    ./ntp.nix
    ./coreutils.nix
    ./findutils.nix
    ./diffutils.nix
    ./shell.nix
    ./boot.nix
    ./systemd.nix
  ];

  options.oxidized = {
    enable = lib.mkEnableOption ''
      the stable Rust components (sudo-rs, ntpd-rs). Experimental components
      (coreutils, findutils, diffutils, shell, boot, systemd) are enabled one
      by one'';

    probes = lib.mkOption {
      type = lib.types.listOf nrs.probeType;
      readOnly = true;
      description = ''
        Runtime checks that prove each enabled component is the Rust one.
        `lib.mkBootCheck` hands them to the serial-console checker.
      '';
    };

    report = lib.mkOption {
      type = lib.types.attrsOf nrs.reportRowType;
      readOnly = true;
      description = ''
        Every component, enabled or not: original -> replacement with
        versions, and how it is swapped. Print it with
        `nix eval --json .#nixosConfigurations.<host>.config.oxidized.report`.
      '';
    };
  };

  # Defined here, not as defaults: a read-only option takes one
  # definition, so users cannot set these by accident.
  config.oxidized = lib.mkMerge [
    {
      probes = lib.concatMap (n: cfg.${n}.probes) enabled;
      report = lib.genAttrs names (n: cfg.${n}.reportRow);
    }
    (lib.mkIf cfg.enable {
      sudo.enable = lib.mkDefault true;
      ntp.enable = lib.mkDefault true;
    })
  ];
}

# nixosModules.oxidized: NixOS with a Rust user space, one component at a
# time. Each component lives in its own file with the same shape: `enable`,
# `package`, `strategy` where it applies, the upstream options it sets, the
# probes that prove at run time that the Rust code runs, and its report row.
{
  config,
  lib,
  ...
}: let
  cfg = config.oxidized;
  nrs = import ../../lib/components.nix {inherit lib;};
  stable = ["sudo" "ntp"];
  names = stable ++ ["coreutils" "findutils" "diffutils" "shell" "boot" "systemd"];
in {
  imports = map (n: ./. + "/${n}.nix") names;

  options.oxidized = {
    enable = lib.mkEnableOption ''
      the stable Rust components (${lib.concatStringsSep ", " stable}).
      Experimental components are enabled one by one'';

    probes = lib.mkOption {
      type = lib.types.listOf nrs.probeType;
      readOnly = true;
      description = ''
        Runtime checks that prove each enabled component is the Rust one,
        in the serial-console checker's probe format. `lib.mkBootCheck`
        hands them to the checker.
      '';
    };

    report = lib.mkOption {
      type = nrs.reportType;
      readOnly = true;
      description = ''
        Every component, enabled or not: the original and the replacement
        with their versions, how it is swapped, and for the uutils
        components the commands that stay GNU's. Print it with
        `nix eval --json .#nixosConfigurations.<host>.config.oxidized.report`.
      '';
    };
  };

  # Defined here once: read-only options take a single definition.
  config.oxidized = lib.mkMerge [
    {
      probes = lib.concatMap (n: cfg.${n}.probes) (lib.filter (n: cfg.${n}.enable) names);
      report = lib.genAttrs names (n:
        nrs.reportRow ({
            enabled = cfg.${n}.enable;
            stability =
              if lib.elem n stable
              then "stable"
              else "experimental";
          }
          // cfg.${n}.reportRow));
    }
    (lib.mkIf cfg.enable (lib.genAttrs stable (_: {enable = lib.mkDefault true;})))
  ];
}

# nixosModules.oxidized: NixOS with a Rust user space, one component at a
# time. The components are listed in ./components.nix; each lives in its
# own file with the same shape: `enable`, `package`, `strategy` where it
# applies, the upstream options it sets, the probes that prove at run time
# that the Rust code runs, and its report row.
{
  config,
  lib,
  ...
}: let
  cfg = config.oxidized;
  nrs = import ./lib.nix {inherit lib;};
  components = import ./components.nix;
  names = map (c: c.name) components;
  stable = map (c: c.name) (lib.filter (c: c.stability == "stable") components);
in {
  imports = map (n: ./. + "/${n}.nix") names;

  options.oxidized = {
    enable = lib.mkEnableOption ''
      the stable Rust components (${lib.concatStringsSep ", " stable}).
      Experimental components are enabled one by one'';

    acknowledge = lib.mkOption {
      type = lib.types.listOf (lib.types.enum nrs.acknowledgeable);
      default = [];
      example = ["systemd-compat"];
      description = ''
        Warnings you have read and do not want to see again. A component
        warns where it changes something beyond the swap that you should
        know about (the settings `oxidized.boot` forces, the compat
        switches of `oxidized.systemd`, activation scripts run by brush);
        each warning names its entry here.
      '';
    };

    probes = lib.mkOption {
      type = lib.types.listOf nrs.probeType;
      readOnly = true;
      defaultText = lib.literalMD "the probes of every enabled component";
      description = ''
        Runtime checks that prove each enabled component is the Rust one,
        in the serial-console checker's probe format. `lib.mkBootCheck`
        hands them to the checker.
      '';
    };

    rustAtRuntime = lib.mkOption {
      type = lib.types.listOf (lib.types.attrsOf (lib.types.either lib.types.str lib.types.bool));
      readOnly = true;
      defaultText = lib.literalMD "what every enabled component must run as Rust";
      description = ''
        What must be Rust while the system runs, per enabled component, in
        the checker's `oxidation.require` format: `{ component; process |
        command | library | pid1 | login_shell; }` (the time daemon's
        process, `sudo` on PATH, PID 1 for the Rust systemd, ...).
        `lib.mkBootCheck { requireRust = true; }` fails the check when one
        does not hold on the booted VM.
      '';
    };

    report = lib.mkOption {
      type = nrs.reportType;
      readOnly = true;
      defaultText = lib.literalMD "a row for every component";
      description = ''
        Every component, enabled or not: the original and the replacement
        with their versions, how it is swapped, and for the uutils
        components the commands that stay GNU's, and what a component
        changes besides the swap (`changes`). Print it with
        `nix eval --json .#nixosConfigurations.<host>.config.oxidized.report`.
      '';
    };
  };

  # Defined here once: read-only options take a single definition.
  config.oxidized = lib.mkMerge [
    {
      probes = lib.concatMap (n: cfg.${n}.probes) (lib.filter (n: cfg.${n}.enable) names);
      rustAtRuntime = lib.concatMap (n: map (nrs.rustRequirement n) cfg.${n}.rustAtRuntime) (lib.filter (n: cfg.${n}.enable) names);
      report = lib.genAttrs names (n:
        nrs.reportRow ({
            enabled = cfg.${n}.enable;
            stability = (lib.findFirst (c: c.name == n) null components).stability;
          }
          // cfg.${n}.reportRow));
    }
    (lib.mkIf cfg.enable (lib.genAttrs stable (_: {enable = lib.mkDefault true;})))
  ];
}

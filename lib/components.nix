# The shape every oxidized component shares: its options, its probes and
# its report row, and the two ways a uutils-style package is swapped in.
{lib}: let
  inherit (lib) mkOption types;
in rec {
  probeType = types.submodule {
    options = {
      name = mkOption {
        type = types.str;
        description = "Unique name of the probe.";
      };
      component = mkOption {
        type = types.str;
        description = "The component the probe proves.";
      };
      command = mkOption {
        type = types.str;
        description = "One line of POSIX shell, run in the guest's login shell.";
      };
      expect = mkOption {
        type = types.str;
        description = "Regex (Rust syntax) the command's output must match.";
      };
      timeout = mkOption {
        type = types.int;
        default = 30;
        description = "Seconds.";
      };
      ignore_exit = mkOption {
        type = types.bool;
        default = false;
        description = "Accept a non-zero exit status.";
      };
    };
  };

  reportRowType = types.submodule {
    options = {
      enabled = mkOption {type = types.bool;};
      stability = mkOption {type = types.enum ["stable" "experimental"];};
      original = mkOption {type = types.str;};
      replacement = mkOption {type = types.str;};
      strategy = mkOption {type = types.str;};
      fallbacks = mkOption {
        type = types.listOf types.str;
        default = [];
      };
    };
  };

  # Options every component has besides `enable` and `package`: what it
  # proves at run time and how it reports itself. Set by the component,
  # collected by modules/oxidized/default.nix.
  componentInternals = {
    probes = mkOption {
      type = types.listOf probeType;
      default = [];
      internal = true;
      description = "Probes this component adds when enabled.";
    };
    reportRow = mkOption {
      type = reportRowType;
      internal = true;
      description = "This component's row of oxidized.report.";
    };
  };

  strategyOption = what:
    mkOption {
      type = types.enum ["closure" "path"];
      default = "closure";
      description = ''
        How ${what} is swapped in. `closure`: in the whole system closure with
        `system.replaceDependencies` (every store path that refers to the
        original is rewritten; needs import-from-derivation, so not on Hydra).
        `path`: only `/run/current-system/sw/bin` (no import-from-derivation).
      '';
    };

  mkProbe = component: name: command: expect: {inherit component name command expect;};

  # Swap GNU packages for their replacements. `pairs` is a list of
  # { original, replacement } with same-length names.
  swapConfig = {
    config,
    strategy,
    pairs,
  }: {
    # The structure of a module's config may not depend on config: both
    # branches are always there, mkIf picks one.
    system.replaceDependencies = lib.mkIf (strategy == "closure") {
      replacements =
        map (p: {
          oldDependency = p.original;
          newDependency = p.replacement;
        })
        pairs;
      # The replacement refers to the original for its fallbacks: keep it
      # out of the rewrite, as nixpkgs' replaceDependency does for its new
      # dependency (pkgs/top-level/all-packages.nix). Defining the option
      # drops its default, so the initrd is cut off again here
      # (nixos/modules/system/activation/top-level.nix).
      cutoffPackages =
        map (p: p.replacement) pairs
        ++ lib.optional (config.system.build ? initialRamdisk) config.system.build.initialRamdisk;
    };
    # Only the last pair is on PATH: coreutils-full and bashInteractive are
    # what the system path holds (nixos/modules/config/system-path.nix,
    # programs/bash/bash.nix); two replacements would collide there.
    environment.systemPackages = lib.mkIf (strategy == "path") [(lib.hiPrio (lib.last pairs).replacement)];
  };

  # Assertions that every pair can be swapped.
  sameLengthAssertions = component: pairs:
    map (p: {
      assertion = lib.stringLength p.original.name == lib.stringLength p.replacement.name;
      message = "oxidized.${component}: ${p.replacement.name} cannot replace ${p.original.name}: system.replaceDependencies needs store names of the same length";
    })
    pairs;
}

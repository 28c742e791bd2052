# The shape every oxidized component shares: the probes that prove at run
# time that the Rust code runs, its row of oxidized.report, and the
# `strategy` option of the components swapped by store path.
{lib}: let
  inherit (lib) mkOption types;
in rec {
  # One runtime check. The fields are the serial-console checker's probe
  # schema (checkers/README.md): lib/boot-check.nix hands them over as is.
  probeType = types.submodule {
    options = {
      name = mkOption {
        type = types.str;
        description = "Unique name of the probe.";
      };
      component = mkOption {
        type = types.str;
        description = "The oxidized component the probe proves (`sudo`, `coreutils`, ...).";
      };
      command = mkOption {
        type = types.str;
        description = ''
          One line of POSIX shell, typed into the login shell of the test
          machine's console user (which may be brush) and run in a subshell
          with `LC_ALL=C`; stdout and stderr are matched. Commands that need
          root use `sudo -n` (the vm-guest profile lets wheel do that).
        '';
      };
      expect = mkOption {
        type = types.str;
        description = "Regex in Rust `regex` syntax that the output must match.";
      };
      timeout = mkOption {
        type = types.ints.positive;
        default = 30;
        description = "Seconds the probe may take.";
      };
      ignore_exit = mkOption {
        type = types.bool;
        default = false;
        description = "Pass even when the command exits non-zero (the output must still match).";
      };
      needsNixos = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = ''
          Why the probe can pass only on a booted NixOS system (systemd
          as PID 1 and its units, the etc overlay, nixos-init's system),
          not on the component's programs alone; null when the programs
          decide. Not part of the checker's schema: lib/boot-check.nix
          leaves it out. The probes test (tests/probes) runs every probe
          without it on the real Rust and C programs and lists the others
          with this reason.
        '';
      };
    };
  };

  # One thing that must be Rust while the system runs, for the checker's
  # oxidation meter (checkers/README.md, "At boot time"): exactly one of
  # the fields. lib/boot-check.nix hands them over with `requireRust`.
  rustAtRuntimeType = types.submodule {
    options = {
      process = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "A process of this name (its `comm` or executable's file name) runs, and it is Rust.";
      };
      command = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "The command of this name on the login user's PATH is Rust (links and NixOS's security wrappers followed).";
      };
      library = mkOption {
        type = types.nullOr types.str;
        default = null;
        description = "Every library a running process maps whose file name starts with this (`libz.so`) is Rust.";
      };
      pid1 = mkOption {
        type = types.bool;
        default = false;
        description = "PID 1 is Rust.";
      };
      loginShell = mkOption {
        type = types.bool;
        default = false;
        description = "The login shell's process is Rust.";
      };
    };
  };

  # A requirement as the checker's spec spells it (oxidation.require[]):
  # the component, and the one field that is set.
  rustRequirement = component: r:
    {inherit component;}
    // lib.filterAttrs (_: v: v != null && v != false) {
      inherit (r) process command library pid1;
      login_shell = r.loginShell;
    };

  # The public report: strings, booleans and lists of strings only, so that
  # `nix eval --json` prints it.
  reportType = types.attrsOf (types.attrsOf (types.oneOf [types.bool types.str (types.listOf types.str)]));

  # What a component says of itself in oxidized.report; whether it is
  # enabled and how stable it is, modules/oxidized/default.nix adds.
  reportRowType = types.submodule {
    options = {
      original = mkOption {
        type = types.str;
        description = "The C program or package replaced, with its version.";
      };
      replacement = mkOption {
        type = types.str;
        description = "The Rust replacement, with its version.";
      };
      strategy = mkOption {
        type = types.enum ["module" "closure" "path"];
        description = "How it is swapped in: an upstream NixOS module, system.replaceDependencies, or PATH.";
      };
      fallbacks = mkOption {
        type = types.nullOr (types.listOf types.str);
        default = null;
        description = "Commands that still run the original's binary (uutils components).";
      };
      changes = mkOption {
        type = types.nullOr (types.listOf types.str);
        default = null;
        description = "What the component changes besides the swap (settings it forces, units it masks).";
      };
    };
  };

  # The warnings a configuration can acknowledge (oxidized.acknowledge),
  # each said once by the component that has it.
  acknowledgeable = ["shell-activation-under-brush" "systemd-compat" "boot-settings"];
  # notice config id text: the warning, unless acknowledged.
  notice = config: id: text:
    lib.optional (!lib.elem id config.oxidized.acknowledge)
    "${text} Add \"${id}\" to oxidized.acknowledge to silence this.";

  # A row without its unset fields.
  reportRow = row: lib.filterAttrs (_: v: v != null) row;

  # Options every component has besides `enable` and `package`, set by the
  # component and collected by modules/oxidized/default.nix.
  componentInternals = {
    probes = mkOption {
      type = types.listOf probeType;
      default = [];
      internal = true;
      description = "Probes this component adds when it is enabled.";
    };
    reportRow = mkOption {
      type = reportRowType;
      internal = true;
      description = "This component's row of oxidized.report.";
    };
    rustAtRuntime = mkOption {
      type = types.listOf rustAtRuntimeType;
      default = [];
      internal = true;
      description = "What must be Rust while the system runs when this component is enabled (a process, a command, a library, PID 1, the login shell).";
    };
  };

  strategyOption = what: default:
    mkOption {
      type = types.enum ["closure" "path"];
      inherit default;
      description = ''
        How ${what} is swapped in.

        - `closure`: in the whole system closure with
          `system.replaceDependencies`: every store path that refers to the
          original is rewritten to refer to the replacement. Needs
          import-from-derivation, so it does not evaluate on Hydra.
        - `path`: the replacement only wins `/run/current-system/sw/bin`;
          store paths that name the original keep running it. No
          import-from-derivation.
      '';
    };

  # probe "sudo" "sudo-is-sudo-rs" "sudo --version" "^sudo-rs "
  mkProbe = component: name: command: expect: {inherit component name command expect;};

  # `guard && { command; }`: a check of how the Rust program behaves (which
  # the C original would pass as well) that runs only when `guard`, a
  # command that tells the Rust program from the C one, succeeds. Without
  # the guard such a probe would pass on the C program and prove nothing.
  whenRust = guard: command: "${guard} && { ${command}; }";

  # A regex that matches paths inside a package's store path.
  storePrefix = pkg: "^${lib.escapeRegex "${pkg}"}/";

  # The shell command that prints where a command of the system path
  # really is. Probes ask /run/current-system/sw/bin, not the shell: in an
  # interactive NixOS shell `command -v ls` prints the alias
  # `ls --color=tty` (nixos/modules/config/shells-environment.nix).
  resolveInSystemPath = command: "readlink -f /run/current-system/sw/bin/${command}";
}

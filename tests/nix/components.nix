# The oxidized module as a whole: nothing enabled changes nothing, the
# stable set, the probes' shape, the report.
{
  lib,
  h,
}: let
  inherit (h) eval failing probeNames enabledRows;
  none = eval [];
  stable = eval [{oxidized.enable = true;}];
  stableNoSudo = eval [
    {
      oxidized.enable = true;
      oxidized.sudo.enable = false;
    }
  ];
  all = eval [h.allComponents];
  vanilla = (h.standIn.lib.nixosSystem {modules = [h.base];}).config;
in {
  nothing-enabled-changes-nothing = {
    expr = {
      probes = none.oxidized.probes;
      replacements = none.system.replaceDependencies.replacements;
      # The system path is the vanilla one.
      packages = h.systemPackageNames none == h.systemPackageNames vanilla;
      sudo-rs = none.security.sudo-rs.enable;
      ntpd-rs = none.services.ntpd-rs.enable;
      systemd = none.systemd.package.name;
      rows = lib.attrNames none.oxidized.report;
      enabled = enabledRows none;
      failing = failing none;
      warnings = none.warnings;
    };
    expected = {
      probes = [];
      replacements = [];
      packages = true;
      sudo-rs = false;
      ntpd-rs = false;
      systemd = "systemd-259";
      rows = lib.sort lib.lessThan (map (c: c.name) (import ../../modules/oxidized/components.nix));
      enabled = [];
      failing = [];
      warnings = [];
    };
  };
  enable-turns-on-the-stable-set-only = {
    expr = {
      enabled = enabledRows stable;
      sudo-rs = stable.security.sudo-rs.enable;
      ntpd-rs = stable.services.ntpd-rs.enable;
      sudo = stable.security.sudo.enable;
      timesyncd = stable.services.timesyncd.enable;
      probes = probeNames stable;
      failing = failing stable;
      replacements = stable.system.replaceDependencies.replacements;
    };
    expected = {
      enabled = ["ntp" "sudo"];
      sudo-rs = true;
      ntpd-rs = true;
      sudo = false;
      timesyncd = false;
      probes = ["sudo-is-sudo-rs" "sudo-rs-runs-as-root" "sudo-rs-names-an-unknown-user" "su-is-sudo-rs" "su-rs-names-an-unknown-user" "ntpd-rs-active" "ntpd-rs-runs-ntp-daemon" "ntpd-rs-runs-the-package"];
      failing = [];
      replacements = [];
    };
  };
  a-stable-component-can-be-left-out = {
    expr = {
      enabled = enabledRows stableNoSudo;
      sudo-rs = stableNoSudo.security.sudo-rs.enable;
    };
    expected = {
      enabled = ["ntp"];
      sudo-rs = false;
    };
  };
  probes-have-the-checker-fields-and-one-line-commands = {
    expr = {
      fields = lib.unique (map lib.attrNames all.oxidized.probes);
      timeouts = lib.unique (map (p: p.timeout) all.oxidized.probes);
      multiLine = map (p: p.name) (lib.filter (p: lib.hasInfix "\n" p.command) all.oxidized.probes);
      emptyExpect = map (p: p.name) (lib.filter (p: p.expect == "") all.oxidized.probes);
      components = lib.unique (map (p: p.component) all.oxidized.probes);
    };
    expected = {
      fields = [["command" "component" "expect" "ignore_exit" "name" "needsNixos" "timeout"]];
      timeouts = [30];
      multiLine = [];
      emptyExpect = [];
      components = ["sudo" "ntp" "coreutils" "findutils" "diffutils" "sed" "procps" "shell" "boot"];
    };
  };
  # The probes only a booted NixOS can pass: the probes stage runs all
  # others on the real Rust and C programs.
  probes-that-need-nixos-say-why = {
    expr = map (p: p.name) (lib.filter (p: p.needsNixos != null) all.oxidized.probes);
    expected = ["coreutils-services-path-is-uutils" "findutils-services-path-is-uutils" "stage2-is-nixos-init" "userborn-active" "etc-is-an-overlay"];
  };
  # What each component must run as Rust, in the checker's
  # oxidation.require format: one field besides the component.
  rust-at-runtime-has-one-thing-per-requirement = {
    expr = {
      none = none.oxidized.rustAtRuntime;
      stable = stable.oxidized.rustAtRuntime;
      all = all.oxidized.rustAtRuntime;
      shapes = lib.unique (map (r: lib.length (lib.attrNames r)) all.oxidized.rustAtRuntime);
    };
    expected = {
      none = [];
      stable = [
        {
          component = "sudo";
          command = "sudo";
        }
        {
          component = "sudo";
          command = "su";
        }
        {
          component = "ntp";
          process = "ntp-daemon";
        }
      ];
      all = [
        {
          component = "sudo";
          command = "sudo";
        }
        {
          component = "sudo";
          command = "su";
        }
        {
          component = "ntp";
          process = "ntp-daemon";
        }
        {
          component = "coreutils";
          command = "ls";
        }
        {
          component = "findutils";
          command = "find";
        }
        {
          component = "diffutils";
          command = "diff";
        }
        {
          component = "sed";
          command = "sed";
        }
        {
          component = "procps";
          command = "pgrep";
        }
        {
          component = "shell";
          command = "bash";
        }
        {
          component = "shell";
          login_shell = true;
        }
      ];
      shapes = [2];
    };
  };
  probe-names-are-unique = {
    expr = let
      n = probeNames all;
    in
      lib.length n - lib.length (lib.unique n);
    expected = 0;
  };
  everything-enabled-passes-its-assertions = {
    expr = failing all;
    expected = [];
  };
  # Probes are typed into an interactive shell: no shell lookups, which
  # print aliases (`ls --color=tty`), and no reliance on how a shell runs
  # the last command of -c.
  probes-ask-the-system-path-not-the-shell = {
    expr = {
      commandV = lib.filter (p: lib.hasInfix "command -v" p.command) all.oxidized.probes;
      onPath = lib.unique (map (p: lib.hasPrefix "readlink -f /run/current-system/sw/bin/" p.command) (lib.filter (p: lib.hasInfix "-on-path-" p.name) all.oxidized.probes));
      dashC = map (p: builtins.match ".*-c '[^']*; :'.*" p.command != null) (lib.filter (p: lib.hasInfix " -c '" p.command) all.oxidized.probes);
    };
    expected = {
      commandV = [];
      onPath = [true];
      dashC = [true true];
    };
  };
  report-is-plain-json = {
    expr = {
      sudo = builtins.fromJSON (builtins.toJSON stable.oxidized.report.sudo);
      shell = builtins.fromJSON (builtins.toJSON none.oxidized.report.shell);
    };
    expected = {
      sudo = {
        enabled = true;
        stability = "stable";
        original = "sudo-1.9.17p2";
        replacement = "sudo-rs-0.2.13";
        strategy = "module";
      };
      shell = {
        enabled = false;
        stability = "experimental";
        original = "bash-interactive-5.3p3";
        replacement = "brush-0.4.0 (through brush-bash-${(lib.importTOML ../../Cargo.toml).workspace.package.version})";
        strategy = "closure";
      };
    };
  };
  probes-and-report-are-read-only = {
    expr = {
      probes = h.throws (eval [{oxidized.probes = [];}]).oxidized.probes;
      report = h.throws (eval [{oxidized.report = {};}]).oxidized.report;
      fallbacks = h.throws (eval [{oxidized.coreutils.fallbacks = [];}]).oxidized.coreutils.fallbacks;
    };
    expected = {
      probes = true;
      report = true;
      fallbacks = true;
    };
  };
  # The two ends of the supported range (README: NixOS 25.11 to the pin):
  # the stable set and every component evaluate and pass NixOS's and
  # nixos-rs' assertions on both; only the su probe differs (25.11 has no
  # security.shadow.su.package).
  the-supported-range-holds-at-both-ends = let
    at = release: modules: eval ((lib.optional (release != "pin") h.standIn.releases.${release}) ++ modules);
    ends = ["pin" "nixos-25.11"];
  in {
    expr = lib.genAttrs ends (r: {
      stable = failing (at r [{oxidized.enable = true;}]);
      all = failing (at r [h.allComponents]);
      su = lib.elem "su-is-sudo-rs" (probeNames (at r [{oxidized.enable = true;}]));
      components = lib.length (lib.attrNames (at r []).oxidized.report);
    });
    expected = {
      pin = {
        stable = [];
        all = [];
        su = true;
        components = lib.length (import ../../modules/oxidized/components.nix);
      };
      "nixos-25.11" = {
        stable = [];
        all = [];
        su = false;
        components = lib.length (import ../../modules/oxidized/components.nix);
      };
    };
  };
}

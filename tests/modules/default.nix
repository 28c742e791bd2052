# Module unit tests: evaluate nixosModules.oxidized with nixpkgs' lib, the
# stub declarations of the upstream options it sets (stubs.nix) and a fake
# pkgs of small derivation-shaped attribute sets. Nothing is built.
#
#   nix-instantiate --eval --strict --json tests/modules/default.nix \
#     --arg lib 'import /path/to/nixpkgs/lib'
#
# Result: { passed = [ name ]; failed = [ { name; expected; got; } ]; }
{lib}: let
  h = import ./harness.nix {inherit lib;};
  inherit (h) pkg;

  fakePkgs = overrides: let
    self =
      h.builders self
      // {
        sudo = pkg "sudo" "1.9.17p2" {};
        sudo-rs = pkg "sudo-rs" "0.2.10" {meta.mainProgram = "sudo";};
        shadow = pkg "shadow" "4.18.0" {su = pkg "shadow-su" "4.18.0" {};};
        ntpd-rs = pkg "ntpd-rs" "1.6.2" {};
        coreutils = pkg "coreutils" "9.8" {};
        coreutils-full = pkg "coreutils-full" "9.8" {};
        # uutils-coreutils-noprefix = uutils-coreutils.override { prefix = null; }:
        # its name is uutils-coreutils-<version>.
        uutils-coreutils-noprefix = pkg "uutils-coreutils" "0.2.2" {};
        findutils = pkg "findutils" "4.10.0" {};
        uutils-findutils = pkg "uutils-findutils" "0.8.0" {};
        diffutils = pkg "diffutils" "3.12" {};
        uutils-diffutils = pkg "uutils-diffutils" "0.4.2" {};
        # `bash` is interactive and `bashNonInteractive` exists (nixpkgs
        # PR #379368); bashInteractive is the same package as bash.
        bashNonInteractive = pkg "bash" "5.3p3" {};
        bash = self.bashInteractive;
        bashInteractive = pkg "bash-interactive" "5.3p3" {};
        brush = pkg "brush" "0.2.20" {
          shellPath = "/bin/brush";
          meta.mainProgram = "brush";
        };
        nixos-init = pkg "nixos-init" "0.1.0" {};
        userborn = pkg "userborn" "0.4.0" {};
        initrd = pkg "initrd" "1" {};
        # mkDerivation puts passthru both on the result and under
        # `passthru` (pkgs/stdenv/generic/make-derivation.nix).
        systemd = let
          passthru = {
            interfaceVersion = 2;
            withNspawn = true;
            withRepart = true;
            withTimedated = true;
          };
        in
          pkg "systemd" "258.2" (passthru // {inherit passthru;});
      }
      // overrides self;
  in
    self;

  pkgs = fakePkgs (_: {});
  # A package set from before bash became interactive: a non-interactive
  # `bash`, a separate `bashInteractive`, no `bashNonInteractive`.
  oldPkgs = removeAttrs (fakePkgs (_: {
    bash = pkg "bash" "5.2p37" {};
    bashInteractive = pkg "bash-interactive" "5.2p37" {};
  })) ["bashNonInteractive"];

  evalAt = nixpkgsAge: p: modules:
    (lib.evalModules {
      modules =
        lib.optional (nixpkgsAge == "old") {disabledModules = [./stubs-pinned.nix];}
        ++ [
          ./stubs.nix
          ../../modules/oxidized
          {_module.args.pkgs = p;}
        ]
        ++ modules;
    })
    .config;
  evalWith = evalAt "pinned";
  eval = evalWith pkgs;
  # An older nixpkgs: no security.shadow.su.package, no system.nixos-init.
  evalOld = evalAt "old" pkgs;

  nrsLib = import ../../lib {inherit lib;};

  # lib.mkBootCheck over a configuration given as plain attribute sets;
  # `.result.buildScript` is what the result derivation would run.
  bootCheck = vm: args:
    import ../../lib/boot-check.nix {
      inherit lib;
      bootcheckFor = p: p.bootcheck or (pkg "bootcheck" "0.1.0" {});
    } ({
        config = {
          system.name = "t";
          system.build.vm = pkg "nixos-vm" "1" {meta.mainProgram = "run-t-vm";};
          virtualisation.vmVariant =
            {
              system.name = "t";
              services.getty.autologinUser = "nixos";
              oxidized.probes = [
                {
                  name = "p";
                  component = "c";
                  command = "true";
                  expect = "";
                  ignore_exit = true;
                  # nixos-rs' own field: not handed to the checker.
                  needsNixos = "a reason";
                }
              ];
            }
            // vm;
        };
        inherit pkgs;
      }
      // args);
  scriptOf = check: check.result.buildScript;

  failing = c: map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
  probeNames = c: map (p: p.name) c.oxidized.probes;
  probesOf = component: c: lib.filter (p: p.component == component) c.oxidized.probes;
  probe = c: name: lib.findFirst (p: p.name == name) null c.oxidized.probes;
  oldNew = c: map (r: [r.oldDependency.name r.newDependency.name]) c.system.replaceDependencies.replacements;
  names = map (p: p.name);
  enabledRows = c: lib.filter (n: c.oxidized.report.${n}.enabled) (lib.attrNames c.oxidized.report);
  isPrefixRegexOf = pkg: re: re == "^${lib.escapeRegex "${pkg}"}/";
  allComponents = {
    oxidized = {
      enable = true;
      coreutils.enable = true;
      findutils.enable = true;
      diffutils.enable = true;
      shell.enable = true;
      boot.enable = true;
    };
  };

  none = eval [];
  stable = eval [{oxidized.enable = true;}];
  stableNoSudo = eval [
    {
      oxidized.enable = true;
      oxidized.sudo.enable = false;
    }
  ];
  sudoForced = eval [
    {
      oxidized.sudo.enable = true;
      security.sudo.enable = lib.mkForce true;
    }
  ];
  sudoShadowSu = eval [
    ({pkgs, ...}: {
      oxidized.sudo.enable = true;
      security.shadow.su.package = pkgs.shadow.su;
    })
  ];
  sudoCustom = eval [
    {
      oxidized.sudo = {
        enable = true;
        package = pkg "sudo-rs" "0.3.0" {};
      };
    }
  ];
  sudoSuOff = eval [
    {
      oxidized.sudo.enable = true;
      oxidized.sudo.su = false;
    }
  ];
  sudoOld = evalOld [{oxidized.sudo.enable = true;}];
  sudoOldSuOff = evalOld [
    {
      oxidized.sudo.enable = true;
      oxidized.sudo.su = false;
    }
  ];
  bootOld = evalOld [{oxidized.boot.enable = true;}];
  bootPostBoot = eval [
    {
      _file = "a-vm-module.nix";
      oxidized.boot.enable = true;
      boot.postBootCommands = "echo hello";
    }
  ];
  ntpForced = eval [
    {
      oxidized.ntp.enable = true;
      services.timesyncd.enable = lib.mkForce true;
    }
  ];
  cu = eval [{oxidized.coreutils.enable = true;}];
  cuNoInitrd = eval [
    {
      oxidized.coreutils.enable = true;
      boot.initrd.enable = false;
    }
  ];
  cuCutoffForced = eval [
    {
      oxidized.coreutils.enable = true;
      system.replaceDependencies.cutoffPackages = lib.mkForce [];
    }
  ];
  cuPath = eval [
    {
      oxidized.coreutils = {
        enable = true;
        strategy = "path";
        keepGnu = ["cp" "mv" "rm"];
      };
    }
  ];
  cuKeepLs = eval [
    {
      oxidized.coreutils = {
        enable = true;
        keepGnu = ["ls"];
      };
    }
  ];
  cuBadKeep = eval [
    {
      oxidized.coreutils = {
        enable = true;
        keepGnu = ["cp" "frobnicate"];
      };
    }
  ];
  withVersions = gnu: uutils:
    evalWith (fakePkgs (_: {
      coreutils = pkg "coreutils" gnu {};
      coreutils-full = pkg "coreutils-full" gnu {};
      uutils-coreutils-noprefix = pkg "uutils-coreutils" uutils {};
    })) [{oxidized.coreutils.enable = true;}];
  cuOwnLists = eval [
    {
      oxidized.coreutils = {
        enable = true;
        commands = {
          gnu = ["cat" "ls" "sl"];
          rust = {
            cat = "cat";
            ls = "coreutils";
          };
        };
      };
    }
  ];
  cuOwnGnuList = eval [
    {
      oxidized.coreutils = {
        enable = true;
        commands.gnu = ["ls" "pinky"];
      };
    }
  ];
  findDiff = eval [
    {
      oxidized.findutils.enable = true;
      oxidized.diffutils.enable = true;
    }
  ];
  diff05 = evalWith (fakePkgs (_: {uutils-diffutils = pkg "uutils-diffutils" "0.5.0" {};})) [{oxidized.diffutils.enable = true;}];
  shell = eval [{oxidized.shell.enable = true;}];
  shellOld = evalWith oldPkgs [{oxidized.shell.enable = true;}];
  shellPath = eval [
    {
      oxidized.shell = {
        enable = true;
        strategy = "path";
        userShell = false;
        binsh = false;
      };
    }
  ];
  shellBoot = eval [
    {
      oxidized.shell.enable = true;
      oxidized.boot.enable = true;
    }
  ];
  shellWith = option: text:
    failing (eval [
      {oxidized.shell.enable = true;}
      (lib.setAttrByPath (lib.splitString "." option) text)
    ]);
  boot = eval [{oxidized.boot.enable = true;}];
  systemdNoPkg = eval [{oxidized.systemd.enable = true;}];
  overlay = nrsLib.mkSystemdOverlay {
    inherit pkgs;
    rust = pkg "systemd-rs" "0.1.0" {};
    passthru.withRepart = false;
  };
  systemdPkg = eval [
    {
      oxidized.systemd = {
        enable = true;
        package = overlay;
      };
    }
  ];
  systemdBare = eval [
    {
      oxidized.systemd = {
        enable = true;
        package = pkg "rust-systemd" "0.1.0" {interfaceVersion = 2;};
      };
    }
  ];
  all = eval [allComponents];

  launcher = pkgs.callPackage ../../pkgs/brush-bash/package.nix {};
  launcherAsBash = nrsLib.sameNameAs {
    inherit (pkgs) runCommand;
    original = pkgs.bashNonInteractive;
    replacement = launcher;
    passthru.shellPath = "/bin/bash";
    require = ["bin/bash"];
  };

  tests = {
    # qemu-vm.nix creates a disk at NIX_DISK_IMAGE whenever it is set, and
    # attaches one only when virtualisation.diskImage is not null.
    boot-check-sets-a-disk-image-only-when-the-vm-has-one = {
      expr = {
        none = builtins.match ".*export NIX_DISK_IMAGE.*" (scriptOf (bootCheck {virtualisation.diskImage = null;} {})) != null;
        noneUnset = lib.hasInfix "unset NIX_DISK_IMAGE" (scriptOf (bootCheck {virtualisation.diskImage = null;} {}));
        some = lib.hasInfix ''export NIX_DISK_IMAGE="$TMPDIR"/t.qcow2'' (scriptOf (bootCheck {virtualisation.diskImage = "./t.qcow2";} {}));
      };
      expected = {
        none = false;
        noneUnset = true;
        some = true;
      };
    };
    # QEMU_KERNEL_PARAMS reaches the kernel only on direct boot.
    boot-check-refuses-a-serial-console-it-cannot-force = {
      expr = {
        bootLoader = (builtins.tryEval (scriptOf (bootCheck {virtualisation.useBootLoader = true;} {}))).success;
        bootLoaderOff = (builtins.tryEval (scriptOf (bootCheck {virtualisation.useBootLoader = true;} {forceSerialConsole = false;}))).success;
        direct = lib.hasInfix "console=ttyS0,115200n8" (scriptOf (bootCheck {virtualisation.directBoot.enable = true;} {}));
      };
      expected = {
        bootLoader = false;
        bootLoaderOff = true;
        direct = true;
      };
    };
    boot-check-passes-every-probe-field = {
      expr = (bootCheck {} {}).spec.probes;
      expected = [
        {
          name = "p";
          component = "c";
          command = "true";
          expect = "";
          ignore_exit = true;
          timeout = 30;
        }
      ];
    };
    nothing-enabled-changes-nothing = {
      expr = {
        probes = none.oxidized.probes;
        replacements = none.system.replaceDependencies.replacements;
        packages = none.environment.systemPackages;
        sudo-rs = none.security.sudo-rs.enable;
        ntpd-rs = none.services.ntpd-rs.enable;
        systemd = none.systemd.package.name;
        rows = lib.attrNames none.oxidized.report;
        enabled = enabledRows none;
        failing = failing none;
      };
      expected = {
        probes = [];
        replacements = [];
        packages = [];
        sudo-rs = false;
        ntpd-rs = false;
        systemd = "systemd-258.2";
        rows = ["boot" "coreutils" "diffutils" "findutils" "ntp" "shell" "sudo" "systemd"];
        enabled = [];
        failing = [];
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
        components = ["sudo" "ntp" "coreutils" "findutils" "diffutils" "shell" "boot"];
      };
    };
    # The probes only a booted NixOS can pass: the probes test
    # (tests/probes) runs all others on the real Rust and C programs.
    probes-that-need-nixos-say-why = {
      expr = map (p: p.name) (lib.filter (p: p.needsNixos != null) all.oxidized.probes);
      expected = ["coreutils-services-path-is-uutils" "findutils-services-path-is-uutils" "stage2-is-nixos-init" "userborn-active" "etc-is-an-overlay"];
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

    sudo-goes-through-the-upstream-module = {
      expr = {
        inherit (stable.security.sudo-rs) enable;
        package = stable.security.sudo-rs.package.name;
        su = stable.security.shadow.su.package.name;
        probe = probe stable "sudo-is-sudo-rs";
      };
      expected = {
        enable = true;
        package = "sudo-rs-0.2.10";
        su = "sudo-rs-0.2.10";
        probe = {
          name = "sudo-is-sudo-rs";
          component = "sudo";
          command = "sudo --version";
          expect = "(?m)^sudo-rs \\d";
          ignore_exit = false;
          needsNixos = null;
          timeout = 30;
        };
      };
    };
    sudo-forced-on-names-the-option = {
      expr = failing sudoForced;
      expected = ["oxidized.sudo replaces sudo with sudo-rs, but security.sudo.enable is forced on: remove that setting, or set oxidized.sudo.enable = false."];
    };
    su-probe-only-when-su-is-sudo-rs = {
      expr = {
        default = lib.elem "su-is-sudo-rs" (probeNames stable);
        shadow = lib.elem "su-is-sudo-rs" (probeNames sudoShadowSu);
        shadowSays = failing sudoShadowSu;
        off = lib.elem "su-is-sudo-rs" (probeNames sudoSuOff);
        offFailing = failing sudoSuOff;
      };
      expected = {
        default = true;
        shadow = false;
        shadowSays = ["oxidized.sudo.su: security.shadow.su.package is shadow-su-4.18.0, not sudo-rs-0.2.10's su: remove that setting, or set oxidized.sudo.su = false."];
        off = false;
        offFailing = [];
      };
    };
    # A nixpkgs without security.shadow.su.package (before PR #495216): an
    # assertion, not a su probe that would fail at run time.
    su-on-an-older-nixpkgs-is-an-assertion = {
      expr = {
        probe = lib.elem "su-is-sudo-rs" (probeNames sudoOld);
        failing = failing sudoOld;
        offFailing = failing sudoOldSuOff;
      };
      expected = {
        probe = false;
        failing = ["oxidized.sudo.su: this nixpkgs has no security.shadow.su.package (added by nixpkgs PR #495216, 2026-03), so su stays shadow's: update nixpkgs, or set oxidized.sudo.su = false."];
        offFailing = [];
      };
    };
    sudo-package-option-reaches-upstream-and-report = {
      expr = {
        upstream = sudoCustom.security.sudo-rs.package.name;
        report = sudoCustom.oxidized.report.sudo.replacement;
      };
      expected = {
        upstream = "sudo-rs-0.3.0";
        report = "sudo-rs-0.3.0";
      };
    };

    ntp-goes-through-the-upstream-module = {
      expr = {
        inherit (stable.services.ntpd-rs) enable;
        package = stable.services.ntpd-rs.package.name;
        row = stable.oxidized.report.ntp;
      };
      expected = {
        enable = true;
        package = "ntpd-rs-1.6.2";
        row = {
          enabled = true;
          stability = "stable";
          original = "systemd-timesyncd-258.2";
          replacement = "ntpd-rs-1.6.2";
          strategy = "module";
        };
      };
    };
    timesyncd-forced-on-names-the-option = {
      expr = failing ntpForced;
      expected = ["oxidized.ntp replaces systemd-timesyncd with ntpd-rs, but services.timesyncd.enable is forced on: remove that setting, or set oxidized.ntp.enable = false."];
    };

    coreutils-closure-replaces-both-store-paths-under-their-names = {
      expr = {
        names = oldNew cu;
        newPaths = map (r: r.oldDependency.outPath != r.newDependency.outPath) cu.system.replaceDependencies.replacements;
        uses = map (r: r.newDependency.rust.name) cu.system.replaceDependencies.replacements;
        packages = cu.environment.systemPackages;
        failing = failing cu;
      };
      expected = {
        names = [["coreutils-9.8" "coreutils-9.8"] ["coreutils-full-9.8" "coreutils-full-9.8"]];
        newPaths = [true true];
        uses = ["uutils-coreutils-0.2.2" "uutils-coreutils-0.2.2"];
        packages = [];
        failing = [];
      };
    };
    coreutils-closure-cuts-off-its-replacements-and-the-initrd = {
      expr = {
        default = names cu.system.replaceDependencies.cutoffPackages;
        noInitrd = names cuNoInitrd.system.replaceDependencies.cutoffPackages;
      };
      expected = {
        default = ["coreutils-9.8" "coreutils-full-9.8" "initrd-1"];
        noInitrd = ["coreutils-9.8" "coreutils-full-9.8"];
      };
    };
    coreutils-forced-cutoff-list-is-an-error = {
      expr = failing cuCutoffForced;
      expected = [
        "oxidized.coreutils: coreutils-9.8 (the replacement of coreutils-9.8) must be in system.replaceDependencies.cutoffPackages, or the rewrite would point it at itself; add it back where that option is forced."
        "oxidized.coreutils: coreutils-full-9.8 (the replacement of coreutils-full-9.8) must be in system.replaceDependencies.cutoffPackages, or the rewrite would point it at itself; add it back where that option is forced."
      ];
    };
    coreutils-fallbacks-follow-both-versions = {
      expr = {
        "9.8+0.2.2" = cu.oxidized.coreutils.fallbacks;
        "9.8+0.4.0" = (withVersions "9.8" "0.4.0").oxidized.coreutils.fallbacks;
        "9.9+0.4.0" = (withVersions "9.9" "0.4.0").oxidized.coreutils.fallbacks;
        "9.10 drops kill and uptime" = lib.filter (c: lib.elem c ["kill" "uptime" "ls"]) (withVersions "9.10" "0.10.0").oxidized.coreutils.commands.gnu;
        gnuCommands = lib.length cu.oxidized.coreutils.commands.gnu;
      };
      expected = {
        "9.8+0.2.2" = ["b2sum" "chcon" "md5sum" "runcon" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum"];
        "9.8+0.4.0" = ["chcon" "runcon"];
        "9.9+0.4.0" = [];
        "9.10 drops kill and uptime" = ["ls"];
        gnuCommands = 107;
      };
    };
    coreutils-keep-gnu-adds-fallbacks-in-gnu-order = {
      expr = {
        fallbacks = cuPath.oxidized.coreutils.fallbacks;
        built = (lib.head cuPath.environment.systemPackages).fallbacks;
        keepGnu = (lib.head cuPath.environment.systemPackages).keepGnu;
        rustHasCp = lib.elem "cp" (lib.head cuPath.environment.systemPackages).rustCommands;
      };
      expected = {
        fallbacks = ["b2sum" "chcon" "cp" "md5sum" "mv" "rm" "runcon" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum"];
        built = ["b2sum" "chcon" "cp" "md5sum" "mv" "rm" "runcon" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum"];
        keepGnu = ["cp" "mv" "rm"];
        rustHasCp = false;
      };
    };
    coreutils-unknown-keep-gnu-is-an-error = {
      expr = failing cuBadKeep;
      expected = ["oxidized.coreutils.keepGnu: frobnicate is not a command of coreutils-9.8 (its commands: ${lib.concatStringsSep " " cuBadKeep.oxidized.coreutils.commands.gnu})."];
    };
    coreutils-path-strategy-wins-path-without-ifd = {
      expr = {
        replacements = cuPath.system.replaceDependencies.replacements;
        packages = names cuPath.environment.systemPackages;
        priority = map (p: p.meta.priority or null) cuPath.environment.systemPackages;
        original = (lib.head cuPath.environment.systemPackages).original.name;
        closureProbe = lib.elem "coreutils-services-path-is-uutils" (probeNames cuPath);
        row = cuPath.oxidized.report.coreutils.strategy;
      };
      expected = {
        replacements = [];
        packages = ["coreutils-full-9.8"];
        priority = [(-10)];
        original = "coreutils-full-9.8";
        closureProbe = false;
        row = "path";
      };
    };
    coreutils-own-command-lists-are-used = {
      expr = {
        fallbacks = cuOwnLists.oxidized.coreutils.fallbacks;
        built = map (r: r.newDependency.commands.gnu) cuOwnLists.system.replaceDependencies.replacements;
        # Setting one list keeps the other's default.
        gnuOnly = cuOwnGnuList.oxidized.coreutils.fallbacks;
        gnuOnlyRust = cuOwnGnuList.oxidized.coreutils.commands.rust ? pinky;
      };
      expected = {
        fallbacks = ["sl"];
        built = [["cat" "ls" "sl"] ["cat" "ls" "sl"]];
        gnuOnly = [];
        gnuOnlyRust = true;
      };
    };
    coreutils-probes-prove-uutils-runs = {
      expr = {
        names = map (p: p.name) (probesOf "coreutils" cu);
        version = (probe cu "coreutils-is-uutils").command;
        onPath = isPrefixRegexOf pkgs.uutils-coreutils-noprefix (probe cu "coreutils-on-path-is-the-package").expect;
        services = isPrefixRegexOf pkgs.uutils-coreutils-noprefix (probe cu "coreutils-services-path-is-uutils").expect;
        keptLs = (probe cuKeepLs "coreutils-is-uutils").command;
      };
      expected = {
        names = ["coreutils-is-uutils" "coreutils-on-path-is-the-package" "coreutils-rejects-options-like-uutils" "coreutils-date-reads-epoch" "coreutils-sort-by-version" "coreutils-services-path-is-uutils"];
        version = "command ls --version";
        onPath = true;
        services = true;
        keptLs = "command cat --version";
      };
    };

    findutils-and-diffutils-keep-gnu-names = {
      expr = {
        names = lib.sort (a: b: lib.head a < lib.head b) (oldNew findDiff);
        find = findDiff.oxidized.findutils.fallbacks;
        diff = findDiff.oxidized.diffutils.fallbacks;
        diff05 = diff05.oxidized.diffutils.fallbacks;
        failing = failing findDiff;
      };
      expected = {
        names = [["diffutils-3.12" "diffutils-3.12"] ["findutils-4.10.0" "findutils-4.10.0"]];
        find = [];
        diff = ["cmp" "diff3" "sdiff"];
        diff05 = ["diff3" "sdiff"];
        failing = [];
      };
    };
    findutils-and-diffutils-probes = {
      expr = {
        find = map (p: p.name) (probesOf "findutils" findDiff);
        diff = map (p: p.name) (probesOf "diffutils" findDiff);
        diff05 = map (p: p.name) (probesOf "diffutils" diff05);
        findPath = isPrefixRegexOf pkgs.uutils-findutils (probe findDiff "find-on-path-is-the-package").expect;
      };
      expected = {
        find = ["find-is-uutils" "find-on-path-is-the-package" "find-reports-errors-like-rust" "find-finds" "xargs-passes-arguments" "findutils-services-path-is-uutils"];
        diff = ["diff-on-path-is-the-package" "diff-rejects-options-like-uutils" "diff-finds-a-change"];
        diff05 = ["diff-on-path-is-the-package" "diff-rejects-options-like-uutils" "diff-finds-a-change" "cmp-on-path-is-the-package"];
        findPath = true;
      };
    };
    every-replacement-keeps-the-original-name = {
      expr = let
        rs = lib.concatMap (c: c.system.replaceDependencies.replacements) [all shellOld cuPath];
      in {
        count = lib.length rs;
        sameName = lib.all (r: r.oldDependency.name == r.newDependency.name) rs;
        sameLength = lib.all (r: nrsLib.sameNameLength r.oldDependency r.newDependency) rs;
      };
      expected = {
        count = 8;
        sameName = true;
        sameLength = true;
      };
    };
    same-length-helper-rejects-other-lengths = {
      expr = [
        (nrsLib.sameNameLength {name = "bash-5.3p3";} {name = "bash-0.4.0";})
        (nrsLib.sameNameLength {name = "bash-5.3p3";} {name = "brush-0.2.20";})
      ];
      expected = [true false];
    };

    shell-closure-replaces-every-bash-once = {
      expr = {
        new = oldNew shell;
        old = oldNew shellOld;
        cutoff = names shell.system.replaceDependencies.cutoffPackages;
        failing = failing shell;
      };
      expected = {
        new = [["bash-5.3p3" "bash-5.3p3"] ["bash-interactive-5.3p3" "bash-interactive-5.3p3"]];
        old = [["bash-5.2p37" "bash-5.2p37"] ["bash-interactive-5.2p37" "bash-interactive-5.2p37"]];
        cutoff = ["bash-5.3p3" "bash-interactive-5.3p3" "initrd-1"];
        failing = [];
      };
    };
    shell-is-bin-sh-and-user-shell = {
      expr = {
        binsh = lib.hasSuffix "-bash-interactive-5.3p3/bin/sh" shell.environment.binsh;
        binshIsReplacement = lib.hasPrefix (lib.last shell.system.replaceDependencies.replacements).newDependency.outPath shell.environment.binsh;
        userShell = shell.users.defaultUserShell.shellPath;
        shells = names shell.environment.shells;
        probes = map (p: p.name) (probesOf "shell" shell);
        runsBrush = isPrefixRegexOf pkgs.brush (probe shell "bash-runs-brush").expect;
        warnings = lib.length shell.warnings;
      };
      expected = {
        binsh = true;
        binshIsReplacement = true;
        userShell = "/bin/bash";
        shells = ["bash-interactive-5.3p3"];
        probes = ["bash-runs-brush" "bash-command-line" "bin-sh-runs-brush" "login-shell-is-brush" "login-shell-says-brush" "scripts-bash-is-the-launcher"];
        runsBrush = true;
        warnings = 1;
      };
    };
    shell-path-strategy-leaves-the-closure-alone = {
      expr = {
        replacements = shellPath.system.replaceDependencies.replacements;
        packages = names shellPath.environment.systemPackages;
        priority = map (p: p.meta.priority or null) shellPath.environment.systemPackages;
        userShell = shellPath.users.defaultUserShell;
        binsh = shellPath.environment.binsh;
        probes = map (p: p.name) (probesOf "shell" shellPath);
        warnings = shellPath.warnings;
      };
      expected = {
        replacements = [];
        packages = ["bash-interactive-5.3p3"];
        priority = [(-10)];
        userShell = "/bin/sh";
        binsh = "/bin/sh-of-bash";
        probes = ["bash-runs-brush" "bash-command-line"];
        warnings = [];
      };
    };
    shell-with-nixos-init-has-no-activation-script-to-check = {
      expr = {
        probes = lib.elem "scripts-bash-is-the-launcher" (probeNames shellBoot);
        inherit (shellBoot) warnings;
      };
      expected = {
        probes = false;
        warnings = [];
      };
    };
    shell-launcher-is-built-with-the-chosen-brush = {
      expr = {
        brush = shell.oxidized.shell.launcher.brush.name;
        launcher = shell.oxidized.shell.launcher.name;
        report = shell.oxidized.report.shell.replacement;
      };
      expected = {
        brush = "brush-0.2.20";
        launcher = "brush-bash-${(lib.importTOML ../../Cargo.toml).workspace.package.version}";
        report = "brush-0.2.20 (through brush-bash-${(lib.importTOML ../../Cargo.toml).workspace.package.version})";
      };
    };
    bash-only-startup-code-is-an-error = {
      expr = {
        waitN = shellWith "programs.bash.interactiveShellInit" "jobs_done() { wait -n; }";
        select = shellWith "environment.interactiveShellInit" "select opt in a b; do echo $opt; done";
        coproc = shellWith "programs.bash.loginShellInit" "coproc cat";
        disown = shellWith "environment.shellInit" "sleep 9 & disown";
        errTrap = shellWith "programs.bash.shellInit" "trap 'echo failed' ERR";
      };
      expected = {
        waitN = ["oxidized.shell: programs.bash.interactiveShellInit uses wait -n, which brush does not support: remove it, or set oxidized.shell.enable = false."];
        select = ["oxidized.shell: environment.interactiveShellInit uses select, which brush does not support: remove it, or set oxidized.shell.enable = false."];
        coproc = ["oxidized.shell: programs.bash.loginShellInit uses coproc, which brush does not support: remove it, or set oxidized.shell.enable = false."];
        disown = ["oxidized.shell: environment.shellInit uses disown, which brush does not support: remove it, or set oxidized.shell.enable = false."];
        errTrap = ["oxidized.shell: programs.bash.shellInit uses an ERR trap, which brush does not support: remove it, or set oxidized.shell.enable = false."];
      };
    };
    posix-startup-code-is-accepted = {
      expr = shellWith "programs.bash.interactiveShellInit" ''
        # select opt in a b; wait -n; disown
        selection=1; wait $pid; trap 'rm -f x' EXIT
        echo "coprocessor"
      '';
      expected = [];
    };

    boot-sets-what-nixos-init-asserts = {
      expr = {
        inherit (boot.system.nixos-init) enable;
        package = boot.system.nixos-init.package.name;
        userborn = boot.services.userborn.enable;
        etcOverlay = boot.system.etc.overlay.enable;
        initrdSystemd = boot.boot.initrd.systemd.enable;
        failing = failing boot;
        probes = map (p: p.name) (probesOf "boot" boot);
        row = boot.oxidized.report.boot.replacement;
      };
      expected = {
        enable = true;
        package = "nixos-init-0.1.0";
        userborn = true;
        etcOverlay = true;
        initrdSystemd = true;
        failing = [];
        probes = ["stage2-is-nixos-init" "userborn-active" "etc-is-an-overlay"];
        row = "nixos-init-0.1.0, userborn-0.4.0";
      };
    };

    boot-on-an-older-nixpkgs-is-an-assertion = {
      expr = {
        failing = failing bootOld;
        row = bootOld.oxidized.report.boot.replacement;
      };
      expected = {
        failing = ["oxidized.boot needs system.nixos-init, which this nixpkgs does not have (nixos/modules/system/activation/nixos-init.nix): update nixpkgs, or set oxidized.boot.enable = false."];
        row = "none (this nixpkgs has no nixos-init)";
      };
    };
    # nixpkgs before PR #496852 set boot.postBootCommands in every VM; the
    # assertion names the file that sets them.
    boot-names-who-sets-post-boot-commands = {
      expr = map (lib.hasInfix "and a-vm-module.nix set(s) some") (failing bootPostBoot);
      expected = [true];
    };

    # Probes are typed into an interactive shell: no shell lookups, which
    # print aliases (`ls --color=tty`), and no reliance on how a shell runs
    # the last command of -c.
    probes-ask-the-system-path-not-the-shell = {
      expr = {
        commandV = lib.filter (p: lib.hasInfix "command -v" p.command) all.oxidized.probes;
        onPath = lib.unique (map (p: lib.hasPrefix "readlink -f /run/current-system/sw/bin/" p.command) (lib.filter (p: lib.hasInfix "-on-path-" p.name) (all.oxidized.probes ++ findDiff.oxidized.probes)));
        dashC = map (p: builtins.match ".*-c '[^']*; :'.*" p.command != null) (lib.filter (p: lib.hasInfix " -c '" p.command) all.oxidized.probes);
      };
      expected = {
        commandV = [];
        onPath = [true];
        dashC = [true true];
      };
    };

    systemd-without-package-says-what-to-set = {
      expr = {
        failing = lib.length (failing systemdNoPkg);
        says = lib.hasPrefix "oxidized.systemd.enable needs oxidized.systemd.package" (lib.head (failing systemdNoPkg));
        example = lib.hasInfix "nixos-rs.lib.mkSystemdOverlay" (lib.head (failing systemdNoPkg));
        package = systemdNoPkg.systemd.package.name;
        row = systemdNoPkg.oxidized.report.systemd.replacement;
      };
      expected = {
        failing = 1;
        says = true;
        example = true;
        package = "systemd-258.2";
        row = "none (set oxidized.systemd.package)";
      };
    };
    systemd-package-is-used-and-probed = {
      expr = {
        package = systemdPkg.systemd.package.name;
        failing = failing systemdPkg;
        probes = map (p: p.name) (probesOf "systemd" systemdPkg);
        pid1 = isPrefixRegexOf overlay.rust (probe systemdPkg "pid1-is-rust").expect;
      };
      expected = {
        package = "systemd-rs-over-systemd-258.2";
        failing = [];
        probes = ["pid1-is-rust" "manager-reached-multi-user" "journald-is-rust"];
        pid1 = true;
      };
    };
    systemd-package-without-systemd-passthru-is-an-error = {
      expr = failing systemdBare;
      expected = ["oxidized.systemd.package (rust-systemd-0.1.0) lacks withNspawn, withRepart, withTimedated, which NixOS reads from systemd.package: build it with nixos-rs.lib.mkSystemdOverlay, which keeps systemd's passthru."];
    };
    systemd-overlay-keeps-and-overrides-passthru = {
      expr = {
        inherit (overlay) withNspawn withRepart withTimedated interfaceVersion version;
        passthru = overlay.passthru.withNspawn;
        rust = overlay.rust.name;
        systemd = overlay.systemd.name;
        pid1 = lib.hasInfix "makeBinaryWrapper ${overlay.rust}/bin/systemd" overlay.buildScript;
      };
      expected = {
        withNspawn = true;
        withRepart = false;
        withTimedated = true;
        interfaceVersion = 2;
        version = "258.2";
        passthru = true;
        rust = "systemd-rs-0.1.0";
        systemd = "systemd-258.2";
        pid1 = true;
      };
    };

    same-name-as-mirrors-the-launcher-under-bash-name = {
      expr = {
        inherit (launcherAsBash) name shellPath;
        replacement = launcherAsBash.replacement.name;
        requires = lib.hasInfix "for p in ${lib.escapeShellArg "bin/bash"}; do" launcherAsBash.buildScript;
      };
      expected = {
        name = "bash-5.3p3";
        shellPath = "/bin/bash";
        replacement = launcher.name;
        requires = true;
      };
    };
    report-is-plain-json = {
      expr = {
        coreutils = builtins.fromJSON (builtins.toJSON cuPath.oxidized.report.coreutils);
        sudo = builtins.fromJSON (builtins.toJSON stable.oxidized.report.sudo);
        shell = builtins.fromJSON (builtins.toJSON none.oxidized.report.shell);
      };
      expected = {
        coreutils = {
          enabled = true;
          stability = "experimental";
          original = "coreutils-9.8";
          replacement = "uutils-coreutils-0.2.2";
          strategy = "path";
          fallbacks = ["b2sum" "chcon" "cp" "md5sum" "mv" "rm" "runcon" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum"];
        };
        sudo = {
          enabled = true;
          stability = "stable";
          original = "sudo-1.9.17p2";
          replacement = "sudo-rs-0.2.10";
          strategy = "module";
        };
        shell = {
          enabled = false;
          stability = "experimental";
          original = "bash-interactive-5.3p3";
          replacement = "brush-0.2.20 (through brush-bash-${(lib.importTOML ../../Cargo.toml).workspace.package.version})";
          strategy = "closure";
        };
      };
    };
    probes-and-report-are-read-only = {
      expr = {
        probes = (builtins.tryEval (builtins.deepSeq (eval [{oxidized.probes = [];}]).oxidized.probes true)).success;
        report = (builtins.tryEval (builtins.deepSeq (eval [{oxidized.report = {};}]).oxidized.report true)).success;
        fallbacks = (builtins.tryEval (builtins.deepSeq (eval [{oxidized.coreutils.fallbacks = [];}]).oxidized.coreutils.fallbacks true)).success;
      };
      expected = {
        probes = false;
        report = false;
        fallbacks = false;
      };
    };
  };
in
  h.run tests

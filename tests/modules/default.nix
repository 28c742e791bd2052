# Module unit tests: evaluate nixosModules.oxidized with nixpkgs' lib, the
# stub declarations of the upstream options it sets (stubs.nix) and a fake
# pkgs of tiny derivation-shaped attribute sets. Nothing is built.
#
#   nix-instantiate --eval --strict --json tests/modules/default.nix \
#     --arg lib 'import /path/to/nixpkgs/lib'
#
# Result: { passed = [names]; failed = [{ name; expected; got; }]; }.
{lib}: let
  fakeDrv = pname: version: extra: let
    name =
      if version == ""
      then pname
      else "${pname}-${version}";
  in
    {
      type = "derivation";
      inherit name pname version;
      outPath = "/nix/store/${builtins.substring 0 32 (builtins.hashString "sha256" name)}-${name}";
      meta = {
        license = "mit";
        platforms = ["x86_64-linux"];
      };
      outputs = ["out"];
    }
    // extra;

  runCommand = name: attrs: script:
    fakeDrv name "" ({
        inherit script;
      }
      // (attrs.passthru or {})
      // {
        meta = attrs.meta or {};
        passthru = attrs.passthru or {};
      });

  pkgs = rec {
    inherit lib runCommand;
    callPackage = fn: args: let
      f =
        if builtins.isFunction fn
        then fn
        else import fn;
    in
      f (builtins.intersectAttrs (builtins.functionArgs f) pkgs // args);
    rustPlatform.buildRustPackage = attrs: fakeDrv attrs.pname attrs.version (attrs.passthru or {} // {meta = attrs.meta or {};});
    makeBinaryWrapper = fakeDrv "make-binary-wrapper-hook" "1" {};
    file = fakeDrv "file" "5.46" {};
    stdenv.hostPlatform = {
      system = "x86_64-linux";
      isAarch64 = false;
    };
    sudo = fakeDrv "sudo" "1.9.17p2" {};
    sudo-rs = fakeDrv "sudo-rs" "0.2.10" {};
    ntpd-rs = fakeDrv "ntpd-rs" "1.6.2" {};
    coreutils = fakeDrv "coreutils" "9.8" {};
    coreutils-full = fakeDrv "coreutils-full" "9.8" {};
    uutils-coreutils-noprefix = fakeDrv "uutils-coreutils-noprefix" "0.2.2" {};
    findutils = fakeDrv "findutils" "4.10.0" {};
    uutils-findutils = fakeDrv "uutils-findutils" "0.8.0" {};
    diffutils = fakeDrv "diffutils" "3.12" {};
    uutils-diffutils = fakeDrv "uutils-diffutils" "0.5.0" {};
    bash = fakeDrv "bash" "5.3p3" {};
    bashInteractive = fakeDrv "bash-interactive" "5.3p3" {};
    brush = fakeDrv "brush" "0.4.0" {shellPath = "/bin/brush";};
    nixos-init = fakeDrv "nixos-init" "0.1.0" {};
    userborn = fakeDrv "userborn" "0.4.0" {};
    # mkDerivation puts passthru both on the result and under `passthru`
    # (pkgs/stdenv/generic/make-derivation.nix).
    systemd = let
      passthru = {
        withNspawn = true;
        withRepart = true;
        interfaceVersion = 2;
      };
    in
      fakeDrv "systemd" "258.2" (passthru // {inherit passthru;});
  };

  eval = modules:
    (lib.evalModules {
      modules =
        [
          ./stubs.nix
          ../../modules/oxidized
          {
            _module.args.pkgs = pkgs;
            system.build.initialRamdisk = fakeDrv "initrd" "1" {};
          }
        ]
        ++ modules;
    })
    .config;

  failing = c: map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
  probeNames = c: map (p: p.name) c.oxidized.probes;
  names = map (p: p.name);
  oldNew = c: map (r: [r.oldDependency.name r.newDependency.name]) c.system.replaceDependencies.replacements;
  mentions = needle: msgs: lib.any (m: lib.hasInfix needle m) msgs;

  none = eval [];
  stable = eval [{oxidized.enable = true;}];
  sudoForced = eval [
    {
      oxidized.sudo.enable = true;
      security.sudo.enable = lib.mkForce true;
    }
  ];
  ntpForced = eval [
    {
      oxidized.ntp.enable = true;
      services.timesyncd.enable = lib.mkForce true;
    }
  ];
  cuClosure = eval [{oxidized.coreutils.enable = true;}];
  cuPath = eval [
    {
      oxidized.coreutils = {
        enable = true;
        strategy = "path";
        keepGnu = ["cp" "mv" "rm"];
      };
    }
  ];
  findDiff = eval [
    {
      oxidized.findutils.enable = true;
      oxidized.diffutils.enable = true;
    }
  ];
  systemdNoPkg = eval [{oxidized.systemd.enable = true;}];
  overlay = (import ../../lib {inherit lib;}).mkSystemdOverlay {
    inherit pkgs;
    rust = fakeDrv "systemd-rs" "0.1.0" {};
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
  shell = eval [{oxidized.shell.enable = true;}];
  shellPath = eval [
    {
      oxidized.shell = {
        enable = true;
        strategy = "path";
        userShell = false;
      };
    }
  ];
  shellWaitN = eval [
    {
      oxidized.shell.enable = true;
      programs.bash.interactiveShellInit = "jobs_done() { wait -n; }";
    }
  ];
  boot = eval [{oxidized.boot.enable = true;}];
  bootPostCmds = eval [
    {
      oxidized.boot.enable = true;
      boot.postBootCommands = "echo hi";
    }
  ];

  tests = {
    nothing-enabled-changes-nothing = {
      expr = {
        probes = none.oxidized.probes;
        replacements = none.system.replaceDependencies.replacements;
        sudo-rs = none.security.sudo-rs.enable;
        rows = lib.attrNames none.oxidized.report;
        enabled = lib.filter (n: none.oxidized.report.${n}.enabled) (lib.attrNames none.oxidized.report);
      };
      expected = {
        probes = [];
        replacements = [];
        sudo-rs = false;
        rows = ["boot" "coreutils" "diffutils" "findutils" "ntp" "shell" "sudo" "systemd"];
        enabled = [];
      };
    };
    enable-turns-on-the-stable-set-only = {
      expr = {
        enabled = lib.filter (n: stable.oxidized.report.${n}.enabled) (lib.attrNames stable.oxidized.report);
        sudo-rs = stable.security.sudo-rs.enable;
        ntpd-rs = stable.services.ntpd-rs.enable;
        probes = probeNames stable;
        failing = failing stable;
      };
      expected = {
        enabled = ["ntp" "sudo"];
        sudo-rs = true;
        ntpd-rs = true;
        probes = ["sudo-is-sudo-rs" "su-is-su-rs" "sudo-rs-escalates" "ntpd-rs-active" "ntpd-rs-runs-ntp-daemon" "timesyncd-stopped"];
        failing = [];
      };
    };
    probes-carry-component-and-timeout = {
      expr = lib.head stable.oxidized.probes;
      expected = {
        name = "sudo-is-sudo-rs";
        component = "sudo";
        command = "sudo --version";
        expect = "sudo-rs";
        timeout = 30;
        ignore_exit = false;
      };
    };
    sudo-forced-on-is-an-error = {
      expr = mentions "security.sudo.enable is set" (failing sudoForced);
      expected = true;
    };
    timesyncd-forced-on-is-an-error = {
      expr = mentions "services.timesyncd.enable is forced on" (failing ntpForced);
      expected = true;
    };
    coreutils-closure-replaces-both-store-paths-under-their-names = {
      expr = oldNew cuClosure;
      expected = [["coreutils-9.8" "coreutils-9.8"] ["coreutils-full-9.8" "coreutils-full-9.8"]];
    };
    coreutils-closure-cuts-off-replacements-and-initrd = {
      expr = map (p: p.name) cuClosure.system.replaceDependencies.cutoffPackages;
      expected = ["coreutils-9.8" "coreutils-full-9.8" "initrd-1"];
    };
    coreutils-closure-probes-the-activation-script = {
      expr = lib.elem "activation-coreutils-is-uutils" (probeNames cuClosure);
      expected = true;
    };
    coreutils-fallbacks-are-visible = {
      expr = {
        default = cuClosure.oxidized.coreutils.fallbacks;
        keep = cuPath.oxidized.coreutils.fallbacks;
        report = cuPath.oxidized.report.coreutils.fallbacks;
      };
      expected = {
        default = ["chcon" "runcon"];
        keep = ["chcon" "runcon" "cp" "mv" "rm"];
        report = ["chcon" "runcon" "cp" "mv" "rm"];
      };
    };
    coreutils-path-strategy-wins-path-without-ifd = {
      expr = {
        replacements = cuPath.system.replaceDependencies.replacements;
        packages = map (p: p.name) cuPath.environment.systemPackages;
        priority = map (p: p.meta.priority or null) cuPath.environment.systemPackages;
        keepGnu = (lib.head cuPath.environment.systemPackages).keepGnu;
        closureProbe = lib.elem "activation-coreutils-is-uutils" (probeNames cuPath);
      };
      expected = {
        replacements = [];
        packages = ["coreutils-full-9.8"];
        priority = [(-10)];
        keepGnu = ["cp" "mv" "rm"];
        closureProbe = false;
      };
    };
    findutils-and-diffutils-keep-gnu-names = {
      expr = lib.sort (a: b: lib.head a < lib.head b) (oldNew findDiff);
      expected = [["diffutils-3.12" "diffutils-3.12"] ["findutils-4.10.0" "findutils-4.10.0"]];
    };
    every-replacement-has-the-same-name-length = {
      expr = lib.all (r: lib.stringLength r.oldDependency.name == lib.stringLength r.newDependency.name) (
        findDiff.system.replaceDependencies.replacements
        ++ cuClosure.system.replaceDependencies.replacements
        ++ shell.system.replaceDependencies.replacements
      );
      expected = true;
    };
    same-length-helper-rejects-other-lengths = {
      expr = let
        l = import ../../lib {inherit lib;};
      in [
        (l.sameNameLength {name = "bash-5.3p3";} {name = "bash-0.4.0";})
        (l.sameNameLength {name = "bash-5.3p3";} {name = "brush-0.4.0";})
      ];
      expected = [true false];
    };
    systemd-without-package-says-what-to-set = {
      expr = mentions "oxidized.systemd.enable needs oxidized.systemd.package" (failing systemdNoPkg);
      expected = true;
    };
    systemd-package-is-used-and-probed = {
      expr = {
        package = systemdPkg.systemd.package.name;
        failing = failing systemdPkg;
        probe = lib.head (probeNames systemdPkg);
      };
      expected = {
        package = "systemd-rs-0.1.0";
        failing = [];
        probe = "pid1-is-rust";
      };
    };
    systemd-overlay-inherits-and-overrides-passthru = {
      expr = {
        inherit (overlay) withNspawn withRepart interfaceVersion;
        rust = overlay.rust.name;
      };
      expected = {
        withNspawn = true;
        withRepart = false;
        interfaceVersion = 2;
        rust = "systemd-rs-0.1.0";
      };
    };
    shell-closure-replaces-bash-and-bash-interactive = {
      expr = oldNew shell;
      expected = [["bash-5.3p3" "bash-5.3p3"] ["bash-interactive-5.3p3" "bash-interactive-5.3p3"]];
    };
    shell-is-bin-sh-and-user-shell = {
      expr = {
        binsh = lib.hasSuffix "-bash-interactive-5.3p3/bin/sh" shell.environment.binsh;
        userShell = shell.users.defaultUserShell.shellPath;
        shells = map (s: s.name) shell.environment.shells;
        probes = probeNames shell;
        warns = lib.length shell.warnings;
      };
      expected = {
        binsh = true;
        userShell = "/bin/bash";
        shells = ["bash-interactive-5.3p3"];
        probes = ["bash-runs-brush" "bash-c-arguments" "bin-sh-is-brush" "login-shell-is-brush"];
        warns = 1;
      };
    };
    shell-path-strategy-leaves-the-closure-alone = {
      expr = {
        replacements = shellPath.system.replaceDependencies.replacements;
        packages = map (p: p.name) shellPath.environment.systemPackages;
        userShell = shellPath.users.defaultUserShell;
        probes = probeNames shellPath;
      };
      expected = {
        replacements = [];
        packages = ["bash-interactive-5.3p3"];
        userShell = "/bin/sh";
        probes = ["bash-runs-brush" "bash-c-arguments" "bin-sh-is-brush"];
      };
    };
    shell-launcher-is-built-with-the-chosen-brush = {
      expr = shell.oxidized.shell.launcher.brush.name;
      expected = "brush-0.4.0";
    };
    bash-only-startup-code-is-an-error = {
      expr = failing shellWaitN;
      expected = ["oxidized.shell: programs.bash.interactiveShellInit uses wait -n, which brush does not support; remove it or disable oxidized.shell."];
    };
    boot-sets-what-nixos-init-asserts = {
      expr = {
        inherit (boot.system.nixos-init) enable;
        userborn = boot.services.userborn.enable;
        etcOverlay = boot.system.etc.overlay.enable;
        initrdSystemd = boot.boot.initrd.systemd.enable;
        failing = failing boot;
      };
      expected = {
        enable = true;
        userborn = true;
        etcOverlay = true;
        initrdSystemd = true;
        failing = [];
      };
    };
    boot-rejects-post-boot-commands = {
      expr = mentions "boot.postBootCommands" (failing bootPostCmds);
      expected = true;
    };
    report-is-plain-json = {
      expr = builtins.fromJSON (builtins.toJSON cuPath.oxidized.report.coreutils);
      expected = {
        enabled = true;
        stability = "experimental";
        original = "coreutils-9.8";
        replacement = "uutils-coreutils-noprefix-0.2.2";
        strategy = "path";
        fallbacks = ["chcon" "runcon" "cp" "mv" "rm"];
      };
    };
    probes-and-report-are-read-only = {
      expr = let
        r = builtins.tryEval (eval [{oxidized.probes = [];}]).oxidized.probes;
      in
        r.success;
      expected = false;
    };
    probe-names-are-unique = {
      expr = let
        all = eval [
          {
            oxidized = {
              enable = true;
              coreutils.enable = true;
              findutils.enable = true;
              diffutils.enable = true;
              shell.enable = true;
              boot.enable = true;
            };
          }
        ];
        n = names all.oxidized.probes;
      in
        lib.length n == lib.length (lib.unique n);
      expected = true;
    };
  };

  results =
    lib.mapAttrsToList (name: t: {
      inherit name;
      inherit (t) expected;
      got = t.expr;
      ok = t.expr == t.expected;
    })
    tests;
in {
  passed = map (r: r.name) (lib.filter (r: r.ok) results);
  failed = map (r: {inherit (r) name expected got;}) (lib.filter (r: !r.ok) results);
}

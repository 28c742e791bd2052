# The uutils components (coreutils, findutils, diffutils): the closure and
# path strategies, the command lists and fallbacks, keepGnu, the probes.
{
  lib,
  h,
}: let
  inherit (h) eval failing probeNames probesOf probe oldNew names isPrefixRegexOf;
  pkgs = h.pkgs;
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
  # GNU coreutils and uutils at other versions.
  withVersions = gnu: uutils: gnuBins:
    eval [
      (h.withPkgs (prev: {
        coreutils = prev.standIn.pkg "coreutils" gnu {bins = gnuBins;};
        coreutils-full = prev.standIn.pkg "coreutils-full" gnu {bins = gnuBins;};
        uutils-coreutils-noprefix = prev.standIn.pkg "uutils-coreutils" uutils {};
      }))
      {oxidized.coreutils.enable = true;}
    ];
  old = h.evalOn h.standIn.releases."nixos-25.11" [{oxidized.coreutils.enable = true;}];
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
  findDiffOld = h.evalOn h.standIn.releases."nixos-25.11" [
    {
      oxidized.findutils.enable = true;
      oxidized.diffutils.enable = true;
    }
  ];
  pathPkg = c: lib.findFirst (p: p ? rust && p ? original) null c.environment.systemPackages;
in {
  coreutils-closure-replaces-both-store-paths-under-their-names = {
    expr = {
      names = oldNew cu;
      newPaths = map (r: r.oldDependency.outPath != r.newDependency.outPath) cu.system.replaceDependencies.replacements;
      uses = map (r: r.newDependency.rust.name) cu.system.replaceDependencies.replacements;
      # Nothing on PATH: the rewrite reaches the system path.
      onPath = pathPkg cu;
      failing = failing cu;
    };
    expected = {
      names = [["coreutils-9.11" "coreutils-9.11"] ["coreutils-full-9.11" "coreutils-full-9.11"]];
      newPaths = [true true];
      uses = ["uutils-coreutils-0.11.0" "uutils-coreutils-0.11.0"];
      onPath = null;
      failing = [];
    };
  };
  coreutils-closure-cuts-off-its-replacements-and-the-initrd = {
    expr = {
      default = names cu.system.replaceDependencies.cutoffPackages;
      noInitrd = names cuNoInitrd.system.replaceDependencies.cutoffPackages;
    };
    expected = {
      default = ["coreutils-9.11" "coreutils-full-9.11" "initrd-linux-6.12.48"];
      noInitrd = ["coreutils-9.11" "coreutils-full-9.11"];
    };
  };
  coreutils-forced-cutoff-list-is-an-error = {
    expr = failing cuCutoffForced;
    expected = [
      "oxidized.coreutils: coreutils-9.11 (the replacement of coreutils-9.11) must be in system.replaceDependencies.cutoffPackages, or the rewrite would point it at itself; add it back where that option is forced."
      "oxidized.coreutils: coreutils-full-9.11 (the replacement of coreutils-full-9.11) must be in system.replaceDependencies.cutoffPackages, or the rewrite would point it at itself; add it back where that option is forced."
    ];
  };
  coreutils-fallbacks-follow-both-versions = {
    expr = {
      pin = cu.oxidized.coreutils.fallbacks;
      "nixos-25.11" = old.oxidized.coreutils.fallbacks;
      "9.8+0.4.0" = (withVersions "9.8" "0.4.0" []).oxidized.coreutils.fallbacks;
      "9.9+0.4.0" = (withVersions "9.9" "0.4.0" []).oxidized.coreutils.fallbacks;
      "9.10 drops kill and uptime" = lib.filter (c: lib.elem c ["kill" "uptime" "ls"]) (withVersions "9.10" "0.10.0" []).oxidized.coreutils.commands.gnu;
      gnuCommands = lib.length cu.oxidized.coreutils.commands.gnu;
    };
    expected = {
      pin = [];
      "nixos-25.11" = ["b2sum" "chcon" "md5sum" "runcon" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum"];
      "9.8+0.4.0" = ["chcon" "runcon"];
      "9.9+0.4.0" = [];
      "9.10 drops kill and uptime" = ["ls"];
      gnuCommands = 103;
    };
  };
  # The shipped lists say what the stand-in's GNU coreutils of the pin has.
  coreutils-lists-match-the-pin = {
    expr = lib.sort lib.lessThan cu.oxidized.coreutils.commands.gnu == lib.sort lib.lessThan pkgs.standIn.gnuCoreutils;
    expected = true;
  };
  coreutils-keep-gnu-adds-fallbacks-in-gnu-order = {
    expr = {
      fallbacks = cuPath.oxidized.coreutils.fallbacks;
      built = (pathPkg cuPath).fallbacks;
      keepGnu = (pathPkg cuPath).keepGnu;
      rustHasCp = lib.elem "cp" (pathPkg cuPath).rustCommands;
    };
    expected = {
      fallbacks = ["cp" "mv" "rm"];
      built = ["cp" "mv" "rm"];
      keepGnu = ["cp" "mv" "rm"];
      rustHasCp = false;
    };
  };
  coreutils-unknown-keep-gnu-is-an-error = {
    expr = failing cuBadKeep;
    expected = ["oxidized.coreutils.keepGnu: frobnicate is not a command of coreutils-9.11 (its commands: ${lib.concatStringsSep " " cuBadKeep.oxidized.coreutils.commands.gnu})."];
  };
  coreutils-path-strategy-wins-path-without-ifd = {
    expr = {
      replacements = cuPath.system.replaceDependencies.replacements;
      priority = (pathPkg cuPath).meta.priority;
      original = (pathPkg cuPath).original.name;
      closureProbe = lib.elem "coreutils-services-path-is-uutils" (probeNames cuPath);
      row = cuPath.oxidized.report.coreutils.strategy;
    };
    expected = {
      replacements = [];
      priority = -10;
      original = "coreutils-full-9.11";
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
      diffOld = findDiffOld.oxidized.diffutils.fallbacks;
      failing = failing findDiff;
    };
    expected = {
      names = [["diffutils-3.12" "diffutils-3.12"] ["findutils-4.10.0" "findutils-4.10.0"]];
      find = [];
      diff = ["diff3" "sdiff"];
      diffOld = ["cmp" "diff3" "sdiff"];
      failing = [];
    };
  };
  findutils-and-diffutils-probes = {
    expr = {
      find = map (p: p.name) (probesOf "findutils" findDiff);
      diff = map (p: p.name) (probesOf "diffutils" findDiff);
      diffOld = map (p: p.name) (probesOf "diffutils" findDiffOld);
      findPath = isPrefixRegexOf pkgs.uutils-findutils (probe findDiff "find-on-path-is-the-package").expect;
    };
    expected = {
      find = ["find-is-uutils" "find-on-path-is-the-package" "find-reports-errors-like-rust" "find-finds" "xargs-passes-arguments" "findutils-services-path-is-uutils"];
      diff = ["diff-on-path-is-the-package" "diff-rejects-options-like-uutils" "diff-finds-a-change" "cmp-on-path-is-the-package"];
      diffOld = ["diff-on-path-is-the-package" "diff-rejects-options-like-uutils" "diff-finds-a-change"];
      findPath = true;
    };
  };
  every-replacement-keeps-the-original-name = {
    expr = let
      rs = lib.concatMap (c: c.system.replaceDependencies.replacements) [(eval [h.allComponents]) cuPath];
    in {
      count = lib.length rs;
      sameName = lib.all (r: r.oldDependency.name == r.newDependency.name) rs;
      sameLength = lib.all (r: h.nrsLib.sameNameLength r.oldDependency r.newDependency) rs;
    };
    expected = {
      count = 6;
      sameName = true;
      sameLength = true;
    };
  };
  same-length-helper-rejects-other-lengths = {
    expr = [
      (h.nrsLib.sameNameLength {name = "bash-5.3p3";} {name = "bash-0.4.0";})
      (h.nrsLib.sameNameLength {name = "bash-5.3p3";} {name = "brush-0.2.20";})
    ];
    expected = [true false];
  };

  # sed and procps: on PATH by default (docs/frontier.md says why), the
  # closure when asked.
  sed-and-procps-go-on-path-by-default = let
    c = eval [
      {
        oxidized.sed.enable = true;
        oxidized.procps.enable = true;
      }
    ];
    onPath = map (p: p.name) (lib.filter (p: p ? rust) c.environment.systemPackages);
  in {
    expr = {
      strategies = [c.oxidized.sed.strategy c.oxidized.procps.strategy];
      replacements = c.system.replaceDependencies.replacements;
      inherit onPath;
      sedFallbacks = c.oxidized.sed.fallbacks;
      procpsFromRust = lib.attrNames (lib.filterAttrs (n: _: !lib.elem n c.oxidized.procps.fallbacks) c.oxidized.procps.commands.rust);
      procpsFallbacks = c.oxidized.procps.fallbacks;
      probes = map (p: p.name) (probesOf "sed" c ++ probesOf "procps" c);
      failing = failing c;
    };
    expected = {
      strategies = ["path" "path"];
      replacements = [];
      onPath = ["procps-4.0.4" "gnused-4.9"];
      sedFallbacks = [];
      procpsFromRust = ["free" "pgrep" "pidof" "pidwait" "pkill"];
      procpsFallbacks = ["kill" "pmap" "ps" "pwdx" "skill" "slabtop" "snice" "sysctl" "tload" "top" "uptime" "vmstat" "w" "watch"];
      probes = ["sed-is-uutils" "sed-on-path-is-the-package" "sed-rejects-options-like-uutils" "sed-edits" "pgrep-is-uutils" "pgrep-on-path-is-the-package" "pgrep-rejects-options-like-uutils" "pgrep-finds-a-process" "free-on-path-is-the-package"];
      failing = [];
    };
  };
  sed-closure-when-asked = let
    c = eval [
      {
        oxidized.sed = {
          enable = true;
          strategy = "closure";
        };
      }
    ];
  in {
    expr = {
      names = oldNew c;
      services = lib.elem "sed-services-path-is-uutils" (probeNames c);
    };
    expected = {
      names = [["gnused-4.9" "gnused-4.9"]];
      services = true;
    };
  };
}

# The library components (zlib, bzip2: modules/oxidized/library.nix): the
# closure-wide swap of the library's output, the cutoffs, the import check
# in system.checks, the probes, the report.
{
  lib,
  h,
}: let
  inherit (h) eval failing probeNames probesOf probe oldNew names pkgs;
  both = eval [
    {
      oxidized.zlib.enable = true;
      oxidized.bzip2.enable = true;
    }
  ];
  zlibOnly = eval [{oxidized.zlib.enable = true;}];
  none = eval [];
  noCheck = eval [
    {
      oxidized.zlib = {
        enable = true;
        checkImports = false;
      };
    }
  ];
  cutoffForced = eval [
    {
      oxidized.zlib.enable = true;
      system.replaceDependencies.cutoffPackages = lib.mkForce [];
    }
  ];
  # A zlib-rs of the user's.
  own = pkgs.standIn.pkg "my-zlib-rs" "1.0" {files."lib/libz.so.1" = "mine";};
  ownPackage = eval [
    {
      oxidized.zlib = {
        enable = true;
        package = own;
      };
    }
  ];
  replacementOf = c: original: (lib.findFirst (r: r.oldDependency.name == original) null c.system.replaceDependencies.replacements).newDependency;
  key = p: builtins.unsafeDiscardStringContext (toString p);
in {
  libraries-swap-the-library-output-closure-wide = {
    expr = {
      names = oldNew both;
      # bzip2's library is in `out`; its programs are in `bin`.
      bzip2Out = key (lib.findFirst (r: r.oldDependency.name == "bzip2-1.0.8") null both.system.replaceDependencies.replacements).oldDependency == key pkgs.bzip2.out;
      zlibOut = key (replacementOf both "zlib-1.3.2").original == key pkgs.zlib.out;
      rust = map (r: r.newDependency.rust.name) both.system.replaceDependencies.replacements;
      newPaths = map (r: key r.oldDependency != key r.newDependency) both.system.replaceDependencies.replacements;
      libs = (replacementOf both "zlib-1.3.2").libs;
      # Nothing on PATH: a library has no PATH strategy.
      onPath = lib.filter (p: p ? rust) both.environment.systemPackages;
      strategyOption = h.standIn.lib.hasAttr "strategy" (h.system [{}]).options.oxidized.zlib;
      failing = failing both;
    };
    expected = {
      names = [["bzip2-1.0.8" "bzip2-1.0.8"] ["zlib-1.3.2" "zlib-1.3.2"]];
      bzip2Out = true;
      zlibOut = true;
      rust = ["libbz2-rs-0.2.6" "zlib-rs-0.6.8"];
      newPaths = [true true];
      libs = {"libz.so" = "lib/libz.so.1";};
      onPath = [];
      strategyOption = false;
      failing = [];
    };
  };
  libraries-cut-off-their-replacements-and-the-initrd = {
    expr = {
      cutoff = lib.unique (names zlibOnly.system.replaceDependencies.cutoffPackages);
      forced = failing cutoffForced;
    };
    expected = {
      cutoff = ["zlib-1.3.2" "initrd-linux-6.12.48"];
      forced = ["oxidized.zlib: zlib-1.3.2 (the replacement of zlib-1.3.2) must be in system.replaceDependencies.cutoffPackages, or the rewrite would point it at itself; add it back where that option is forced."];
    };
  };
  libraries-check-their-imports-when-the-system-builds = {
    expr = {
      checks = names both.system.checks;
      roots = map (r: r.name) (lib.head zlibOnly.system.checks).rootPaths;
      checked = (lib.head zlibOnly.system.checks).rust.name;
      off = noCheck.system.checks;
      offSwaps = oldNew noCheck;
      none = none.system.checks;
    };
    expected = {
      checks = ["libbz2-rs-0.2.6-covers-bzip2-1.0.8" "zlib-rs-0.6.8-covers-zlib-1.3.2"];
      roots = ["system-path" "etc"];
      checked = "zlib-rs-0.6.8";
      off = [];
      offSwaps = [["zlib-1.3.2" "zlib-1.3.2"]];
      none = [];
    };
  };
  libraries-probes-name-the-package = {
    expr = {
      zlib = map (p: p.name) (probesOf "zlib" both);
      bzip2 = map (p: p.name) (probesOf "bzip2" both);
      zlibMaps = (probe both "zlib-mapped-is-the-package").expect;
      bzip2Maps = (probe both "libbz2-mapped-is-the-package").expect;
      ownMaps = (probe ownPackage "zlib-mapped-is-the-package").expect;
      needsNixos = lib.filter (p: p.needsNixos != null) (probesOf "zlib" both ++ probesOf "bzip2" both);
      disabled = probeNames none;
      # Every mapped libz.so* / libbz2.so* must be the Rust one.
      rustAtRuntime = both.oxidized.rustAtRuntime;
    };
    expected = {
      zlib = ["zlib-is-zlib-rs" "zlib-rs-round-trips" "zlib-mapped-is-the-package"];
      bzip2 = ["libbz2-is-libbz2-rs" "libbz2-rs-round-trips" "libbz2-mapped-is-the-package"];
      zlibMaps = "^${lib.escapeRegex "${both.oxidized.zlib.package}"}/\\S+ has zlib-rs$";
      bzip2Maps = "^${lib.escapeRegex "${both.oxidized.bzip2.package}"}/\\S+ has libbz2-rs$";
      ownMaps = "^${lib.escapeRegex "${own}"}/\\S+ has zlib-rs$";
      needsNixos = [];
      disabled = [];
      rustAtRuntime = [
        {
          component = "zlib";
          library = "libz.so";
        }
        {
          component = "bzip2";
          library = "libbz2.so";
        }
      ];
    };
  };
  libraries-use-the-package-given = {
    expr = {
      replacement = (replacementOf ownPackage "zlib-1.3.2").rust.name;
      checked = (lib.head ownPackage.system.checks).rust.name;
      row = ownPackage.oxidized.report.zlib.replacement;
    };
    expected = {
      replacement = "my-zlib-rs-1.0";
      checked = "my-zlib-rs-1.0";
      row = "my-zlib-rs-1.0";
    };
  };
  libraries-report-rows = {
    expr = {
      on = builtins.fromJSON (builtins.toJSON both.oxidized.report.zlib);
      off = builtins.fromJSON (builtins.toJSON none.oxidized.report.bzip2);
    };
    expected = {
      on = {
        enabled = true;
        stability = "experimental";
        original = "zlib-1.3.2";
        replacement = "zlib-rs-0.6.8";
        strategy = "closure";
      };
      off = {
        enabled = false;
        stability = "experimental";
        original = "bzip2-1.0.8";
        replacement = "libbz2-rs-0.2.6";
        strategy = "closure";
      };
    };
  };
  # Both packages as the module builds them by default: nixos-rs' own, of
  # the crate versions their lock files were made for.
  libraries-packages-are-nixos-rs-own = {
    expr = {
      zlib = [both.oxidized.zlib.package.name both.oxidized.zlib.package.src.name];
      bzip2 = [both.oxidized.bzip2.package.name both.oxidized.bzip2.package.src.name];
    };
    expected = {
      zlib = ["zlib-rs-0.6.8" "libz-rs-sys-cdylib-0.6.8.tar.gz"];
      bzip2 = ["libbz2-rs-0.2.6" "libbz2-rs-sys-cdylib-0.2.6.tar.gz"];
    };
  };
}

# The Nix tests that build: nixos-rs' build scripts run for real, in Nix's
# sandbox, against the stand-in nixpkgs' packages (and a few made here),
# each a derivation whose builder asserts on what the build left; and the
# stand-in's own builders that the model depends on (replaceDependencies'
# rewrite, buildEnv's priorities).
#
#   nix-build tests/nix/builds.nix --arg lib 'import <nixpkgs lib>' -A <name>
#
# An attribute set `{ drv; fails = "text"; }` is a build that must fail,
# with `text` in its log.
{lib}: let
  h = import ./harness.nix {inherit lib;};
  inherit (h) pkgs nrsLib;
  inherit (pkgs) runCommand;
  inherit (pkgs.standIn) pkg;
  uutils = import ../../modules/oxidized/uutils.nix {inherit lib;};

  # test name script: a derivation that runs `script` (bash, -eu) with
  # `check MESSAGE COMMAND...` and `same A B` to assert.
  test = name: env: script:
    runCommand "test-${name}" env ''
      fail=0
      check() { # MESSAGE COMMAND...
        local m=$1
        shift
        if ! "$@"; then
          echo "FAIL: $m" >&2
          fail=1
        fi
      }
      same() { # WHAT GOT EXPECTED
        if [ "$2" != "$3" ]; then
          echo "FAIL: $1: got '$2', expected '$3'" >&2
          fail=1
        fi
      }
      ${script}
      [ "$fail" -eq 0 ] || exit 1
      touch "$out"
    '';

  coreutilsReplacement = original: rust: args:
    uutils.replacement ({
        inherit pkgs original rust;
        name = "coreutils";
      }
      // args);
  gnuAt = version: bins: pkg "coreutils" version {inherit bins;};
  gnu98 = pkgs.standIn.gnuCoreutils ++ ["chcon" "runcon" "kill" "uptime"];
  uutils022 = pkg "uutils-coreutils" "0.2.2" {bins = lib.subtractLists ["b2sum" "md5sum" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum"] pkgs.standIn.uutilsCoreutils ++ ["hashsum" "coreutils"];};

  # A replacement's build, read back: where each command points, its
  # fallbacks and its drift notes.
  replacementTest = name: drv: script:
    test name {r = drv;} ''
      target() { readlink "$r/bin/$1"; }
      fallbacks() { tr '\n' ' ' < "$r/nix-support/gnu-fallbacks"; }
      drift() { tr '\n' ',' < "$r/nix-support/command-drift"; }
      ${script}
    '';

  argv0 = pkgs.writeText "argv0.c" ''
    #include <stdio.h>
    int main(int argc, char **argv) { (void)argc; puts(argv[0]); return 0; }
  '';
  # A Rust systemd: bin/systemd prints the argv[0] it was started with.
  rustSystemd = name:
    runCommand name {
      inherit argv0;
      # buildRustPackage's pname, which mkSystemdOverlay's argv0 follows.
      pname = (builtins.parseDrvName name).name;
    } ''
      mkdir -p "$out/bin"
      gcc -o "$out/bin/systemd" "$argv0"
      for b in systemctl systemd-journald; do
        printf '#!/bin/sh\necho rust %s\n' "$b" > "$out/bin/$b"
        chmod +x "$out/bin/$b"
      done
    '';
  overlayOf = rust: args: nrsLib.mkSystemdOverlay ({inherit pkgs rust;} // args);
  overlay = overlayOf (rustSystemd "rust-systemd-0.1") {};
  # systemd with an ELF file that names its own store path, like udevd
  # naming its rules directory.
  elfSystemd =
    runCommand "systemd-259" {
      passthru = pkgs.systemd.passthru;
      version = "259";
      sd = pkgs.systemd;
    } ''
      cp -r "$sd" "$out"
      chmod -R u+w "$out"
      sed -i "s|$sd|$out|g" "$out/lib/udev/rules.d/90-vconsole.rules"
      rm "$out/lib/systemd/systemd-udevd"
      cp /bin/true "$out/lib/systemd/systemd-udevd"
      printf '\n%s/lib/udev/rules.d\n' "$out" >> "$out/lib/systemd/systemd-udevd"
      printf '[Service]\nExecStart=%s/lib/systemd/systemd-journald\n' "$out" > "$out/example/systemd/system/systemd-journald.service"
      ln -s systemd-journald.service "$out/example/systemd/system/journald-alias.service"
      ln -s "$out/example/systemd/system/multi-user.target" "$out/example/systemd/system/default.target"
    '';
  elfOverlay = overlayOf (rustSystemd "rust-systemd-0.1") {systemd = elfSystemd;};

  systemOf = modules: (h.system modules).config.system.build.toplevel;

  # ---- ELF files for the library components' tests ----
  # A shared library `name-version` with lib/<soname> (and lib/<base>.so),
  # exporting `functions` (C names), versioned by `script` (a linker
  # version script, or null: no versions).
  elfLib = {
    name,
    soname,
    base,
    functions,
    script ? null,
    extra ? "",
  }:
    runCommand name {
      inherit soname base functions;
      versions = lib.optionalString (script != null) script;
    } ''
      mkdir -p "$out/lib"
      for f in $functions; do echo "int $f(int x) { return x + 1; }"; done > lib.c
      flags=()
      if [ -n "$versions" ]; then
        printf '%s\n' "$versions" > lib.map
        flags=(-Wl,--version-script=lib.map)
      fi
      gcc -shared -fPIC -o "$out/lib/$soname" -Wl,-soname,"$soname" "''${flags[@]}" lib.c
      ln -s "$soname" "$out/lib/$base.so"
      ${extra}
    '';
  # A package with bin/<name> calling `functions` of `library` (linked
  # with -l<lib>, its RUNPATH naming the library's store path).
  elfProgram = {
    name,
    library,
    link,
    functions,
  }:
    runCommand name {inherit library link functions;} ''
      mkdir -p "$out/bin"
      {
        for f in $functions; do echo "int $f(int);"; done
        echo "int main(void) { int r = 0;"
        for f in $functions; do echo "r += $f(1);"; done
        echo "return r == 0; }"
      } > main.c
      gcc -o "$out/bin/${name}" main.c -L"$library/lib" -l"$link" -Wl,-rpath,"$library/lib"
    '';
  # zlib-like: versioned symbols; the "C" one has gzprintf, the "Rust" one
  # not, and it has compress2 at another version.
  zlibMap = "ZLIB_1.2.0 { global: compressBound; gzprintf; compress2; local: *; };";
  cZlib = elfLib {
    name = "zlib-1.3.2";
    soname = "libz.so.1";
    base = "libz";
    functions = ["compressBound" "gzprintf" "compress2"];
    script = zlibMap;
    extra = ''
      mv "$out/lib/libz.so.1" "$out/lib/libz.so.1.3.2"
      ln -s libz.so.1.3.2 "$out/lib/libz.so.1"
      mkdir -p "$out/share/doc"
      echo "zlib's" > "$out/share/doc/README"
    '';
  };
  rustZlib = elfLib {
    name = "zlib-rs-0.6.8";
    soname = "libz.so.1";
    base = "libz";
    functions = ["compressBound" "compress2"];
    script = "ZLIB_1.2.0 { global: compressBound; local: *; }; ZLIB_1.3 { global: compress2; } ZLIB_1.2.0;";
  };
  # bzip2-like: no versions.
  cBz2 = elfLib {
    name = "bzip2-1.0.8";
    soname = "libbz2.so.1";
    base = "libbz2";
    functions = ["BZ2_bzCompress" "BZ2_bzDecompress"];
  };
  rustBz2 = elfLib {
    name = "libbz2-rs-0.2.6";
    soname = "libbz2.so.1";
    base = "libbz2";
    functions = ["BZ2_bzCompress"];
  };
  importsCheck = rootPaths: original: rust: libs:
    nrsLib.mkLibraryImportsCheck {
      inherit runCommand rootPaths original rust libs;
      inherit (pkgs) closureInfo;
      binutils = pkgs.binutils-unwrapped;
    };
  zlibCheck = rootPaths: importsCheck rootPaths cZlib rustZlib {"libz.so" = "lib/libz.so.1";};
  usesCompressBound = elfProgram {
    name = "uses-compressbound";
    library = cZlib;
    link = "z";
    functions = ["compressBound"];
  };
in {
  # ---- the uutils replacements (lib/replacements.nix) ----------------------
  coreutils-at-the-pin = replacementTest "coreutils-at-the-pin" (coreutilsReplacement pkgs.coreutils pkgs.uutils-coreutils-noprefix {}) ''
    same "ls" "$(target ls)" "${pkgs.uutils-coreutils-noprefix}/bin/ls"
    same "[" "$(target '[')" "${pkgs.uutils-coreutils-noprefix}/bin/["
    same "fallbacks" "$(fallbacks)" ""
    same "drift" "$(drift)" ""
    same "commands" "$(ls "$r/bin" | wc -l)" "${toString (lib.length pkgs.standIn.gnuCoreutils)}"
    check "uutils' own more is not a GNU command" test ! -e "$r/bin/more"
    same "libexec" "$(readlink "$r/libexec")" "${pkgs.coreutils}/libexec"
  '';
  coreutils-of-nixos-25-11 = let
    gnu = gnuAt "9.8" gnu98;
  in
    replacementTest "coreutils-of-nixos-25-11" (coreutilsReplacement gnu uutils022 {}) ''
      same "fallbacks" "$(fallbacks)" "b2sum chcon md5sum runcon sha1sum sha224sum sha256sum sha384sum sha512sum "
      same "md5sum" "$(target md5sum)" "${gnu}/bin/md5sum"
      same "kill" "$(target kill)" "${uutils022}/bin/kill"
      same "drift" "$(drift)" ""
    '';
  coreutils-keep-gnu = replacementTest "coreutils-keep-gnu" (coreutilsReplacement pkgs.coreutils pkgs.uutils-coreutils-noprefix {keepGnu = ["cp"];}) ''
    same "cp" "$(target cp)" "${pkgs.coreutils}/bin/cp"
    same "mv" "$(target mv)" "${pkgs.uutils-coreutils-noprefix}/bin/mv"
    same "fallbacks" "$(fallbacks)" "cp "
  '';
  # A nixpkgs that builds GNU 9.11 with kill and uptime again: the lists do
  # not know them there, they stay GNU's, the build says so.
  coreutils-drift-gnu-has-kill-and-uptime = let
    gnu = gnuAt "9.11" (pkgs.standIn.gnuCoreutils ++ ["kill" "uptime"]);
  in
    replacementTest "coreutils-drift-gnu-has-kill-and-uptime" (coreutilsReplacement gnu pkgs.uutils-coreutils-noprefix {}) ''
      same "kill" "$(target kill)" "${gnu}/bin/kill"
      same "uptime" "$(target uptime)" "${gnu}/bin/uptime"
      same "fallbacks" "$(fallbacks)" "kill uptime "
      same "drift" "$(drift)" "gnu-unknown kill,gnu-unknown uptime,"
    '';
  # A future GNU with a command no list knows, and without one they expect.
  coreutils-drift-future-gnu = let
    gnu = gnuAt "10.0" (lib.subtractLists ["pinky"] pkgs.standIn.gnuCoreutils ++ ["frobnicate"]);
  in
    replacementTest "coreutils-drift-future-gnu" (coreutilsReplacement gnu pkgs.uutils-coreutils-noprefix {}) ''
      same "frobnicate" "$(target frobnicate)" "${gnu}/bin/frobnicate"
      # pinky is uutils' too: the lists take it from Rust.
      same "pinky" "$(target pinky)" "${pkgs.uutils-coreutils-noprefix}/bin/pinky"
      same "drift" "$(drift)" "gnu-missing pinky,gnu-unknown frobnicate,"
    '';
  # uutils without a command the lists take from it, and with one they
  # take from GNU.
  coreutils-drift-rust-side = let
    gnu = pkg "gnu" "1" {bins = ["cat" "chcon" "ls"];};
    rust = pkg "rust" "1" {bins = ["cat" "chcon"];};
  in
    replacementTest "coreutils-drift-rust-side" (nrsLib.mkCommandReplacement {
      inherit runCommand;
      original = gnu;
      inherit rust;
      commands = {
        gnu = ["cat" "chcon" "ls"];
        rust = {
          cat = "cat";
          ls = "ls";
        };
      };
    }) ''
      same "ls" "$(target ls)" "${gnu}/bin/ls"
      same "cat" "$(target cat)" "${rust}/bin/cat"
      same "chcon" "$(target chcon)" "${gnu}/bin/chcon"
      same "drift" "$(drift)" "rust-missing ls,rust-extra chcon,"
    '';
  diffutils-at-the-pin =
    replacementTest "diffutils-at-the-pin" (uutils.replacement {
      inherit pkgs;
      name = "diffutils";
      original = pkgs.diffutils;
      rust = pkgs.uutils-diffutils;
    }) ''
      same "diff" "$(target diff)" "${pkgs.uutils-diffutils}/bin/diffutils"
      same "cmp" "$(target cmp)" "${pkgs.uutils-diffutils}/bin/diffutils"
      same "fallbacks" "$(fallbacks)" "diff3 sdiff "
      same "drift" "$(drift)" ""
    '';
  # 0.4.2 installs no cmp: the lists take cmp from GNU there.
  diffutils-of-nixos-25-11 = let
    rust = pkg "uutils-diffutils" "0.4.2" {bins = ["diffutils"];};
  in
    replacementTest "diffutils-of-nixos-25-11" (uutils.replacement {
      inherit pkgs rust;
      name = "diffutils";
      original = pkgs.diffutils;
    }) ''
      same "cmp" "$(target cmp)" "${pkgs.diffutils}/bin/cmp"
      same "fallbacks" "$(fallbacks)" "cmp diff3 sdiff "
    '';
  findutils-at-the-pin =
    replacementTest "findutils-at-the-pin" (uutils.replacement {
      inherit pkgs;
      name = "findutils";
      original = pkgs.findutils;
      rust = pkgs.uutils-findutils;
    }) ''
      same "find" "$(target find)" "${pkgs.uutils-findutils}/bin/find"
      same "xargs" "$(target xargs)" "${pkgs.uutils-findutils}/bin/xargs"
      # locate and updatedb are GNU findutils' `locate` output, not swapped.
      check "no locate" test ! -e "$r/bin/locate"
      same "fallbacks" "$(fallbacks)" ""
    '';

  # procps: what the lists hold back on purpose is not drift.
  procps-at-the-pin =
    replacementTest "procps-at-the-pin" (uutils.replacement {
      inherit pkgs;
      name = "procps";
      original = pkgs.procps;
      rust = pkgs.uutils-procps;
    }) ''
      same "pgrep" "$(target pgrep)" "${pkgs.uutils-procps}/bin/pgrep"
      same "ps" "$(target ps)" "${pkgs.procps}/bin/ps"
      same "drift" "$(drift)" ""
    '';
  sed-at-the-pin =
    replacementTest "sed-at-the-pin" (uutils.replacement {
      inherit pkgs;
      name = "sed";
      original = pkgs.gnused;
      rust = pkgs.uutils-sed;
    }) ''
      same "sed" "$(target sed)" "${pkgs.uutils-sed}/bin/sed"
      same "name" "$(basename "$r" | cut -c34-)" "gnused-4.9"
      same "fallbacks" "$(fallbacks)" ""
    '';

  # ---- the launcher under bash's name (lib/replacements.nix sameNameAs) -----
  launcher-under-bash-name = let
    launcher = pkg "brush-bash" "0.1.0" {
      bins = ["brush-bash"];
      links = {
        "bin/bash" = "brush-bash";
        "bin/sh" = "brush-bash";
      };
      files."share/doc/README" = "readme";
    };
  in
    test "launcher-under-bash-name" {
      r = nrsLib.sameNameAs {
        inherit runCommand;
        original = pkgs.bashNonInteractive;
        replacement = launcher;
        require = ["bin/bash" "bin/sh"];
      };
    } ''
      same "bin/bash" "$(readlink "$r/bin/bash")" "${launcher}/bin/bash"
      same "bin/sh" "$(readlink -f "$r/bin/sh")" "${launcher}/bin/brush-bash"
      check "bin is a directory" test -d "$r/bin" -a ! -L "$r/bin"
      same "share" "$(readlink "$r/share/doc/README")" "${launcher}/share/doc/README"
      same "name" "$(basename "$r" | cut -c34-)" "bash-5.3p3"
    '';
  launcher-without-sh-fails = {
    drv = nrsLib.sameNameAs {
      inherit runCommand;
      original = pkgs.bashNonInteractive;
      replacement = pkg "brush-bash" "0.1.0" {
        bins = ["brush-bash"];
        links."bin/bash" = "brush-bash";
      };
      require = ["bin/bash" "bin/sh"];
    };
    fails = "brush-bash-0.1.0 has no bin/sh, which it needs to stand in for bash-5.3p3";
  };

  # ---- mkSystemdOverlay (lib/systemd.nix) ------------------------------------
  overlay-pid1-gets-its-argv0 =
    test "overlay-pid1-gets-its-argv0" {
      a = overlay;
      b = overlayOf (rustSystemd "systemd-rs-0.1") {};
      c = overlayOf (rustSystemd "my-systemd-1.0") {};
      d = overlayOf (rustSystemd "rust-systemd-0.1") {argv0 = "rust systemd";};
    } ''
      same "rust-systemd" "$("$a/lib/systemd/systemd")" rust-systemd
      same "systemd-rs" "$("$b/lib/systemd/systemd")" systemd-rs
      same "other" "$("$c/lib/systemd/systemd")" systemd
      same "quoted" "$("$d/lib/systemd/systemd")" "rust systemd"
    '';
  overlay-without-pid1-fails = {
    drv = overlayOf (rustSystemd "rust-systemd-0.1") {pid1 = "bin/nope";};
    fails = "rust-systemd-0.1 has no bin/nope (set pid1)";
  };
  overlay-lays-rust-over-the-layout = test "overlay-lays-rust-over-the-layout" {o = elfOverlay;} ''
    rust=$(readlink "$o/bin/systemctl")
    same "systemctl" "$("$o/bin/systemctl")" "rust systemctl"
    same "journald helper" "$("$o/lib/systemd/systemd-journald")" "rust systemd-journald"
    check "journalctl stays C" test ! -L "$o/bin/journalctl"
    same "sbin" "$(readlink "$o/sbin")" bin
    # Text files name the overlay, symlinks into systemd point into it.
    check "unit names the overlay" grep -qxF "ExecStart=$o/lib/systemd/systemd-journald" "$o/example/systemd/system/systemd-journald.service"
    check "udev rule names the overlay" grep -qF "$o/bin/systemctl" "$o/lib/udev/rules.d/90-vconsole.rules"
    same "absolute link" "$(readlink "$o/example/systemd/system/default.target")" "$o/example/systemd/system/multi-user.target"
    same "relative link" "$(readlink "$o/example/systemd/system/journald-alias.service")" systemd-journald.service
    # ELF files keep their paths: the store paths' lengths differ.
    check "ELF untouched" cmp -s "${elfSystemd}/lib/systemd/systemd-udevd" "$o/lib/systemd/systemd-udevd"
    check "no text names systemd" test -z "$(grep -rlF "${elfSystemd}/" "$o/example" "$o/lib/udev")"
    : "$rust"
  '';
  udev-override-copies-the-rules-that-call-systemctl =
    test "udev-override-copies-the-rules-that-call-systemctl" {
      u =
        lib.head
        (h.eval [
          {
            oxidized.systemd = {
              enable = true;
              package = overlay;
            };
          }
        ])
        .services
        .udev
        .packages;
    } ''
      same "rules" "$(cd "$u/lib/udev/rules.d" && echo *)" "90-vconsole.rules"
      check "names the overlay's systemctl" grep -qF "${overlay}/bin/systemctl" "$u/lib/udev/rules.d/90-vconsole.rules"
    '';
  # The daemon probes list every process's executable through `command
  # sudo -n sh`: aliases and functions in the login shell cannot stand in.
  systemd-probe-command-bypasses-the-shell = let
    c = h.eval [
      {
        oxidized.systemd = {
          enable = true;
          package = overlay;
        };
      }
    ];
  in
    test "systemd-probe-command-bypasses-the-shell" {cmd = (h.probe c "journald-is-rust").command;} ''
      mkdir bin
      printf '#!/bin/sh\n[ "$1" = -n ] && shift\nexec "$@"\n' > bin/sudo
      chmod +x bin/sudo
      sleep 30 &
      pid=$!
      listing=$(PATH="$PWD/bin:$PATH" bash -c 'shopt -s expand_aliases
        alias sudo="echo shadowed"
        readlink() { echo shadowed; }
        sh() { echo shadowed; }
        eval "$1"' probe "$cmd")
      kill "$pid"
      check "lists the sleeper" grep -qxF "$(readlink -f "$(command -v sleep)")" <<< "$listing"
      check "nothing shadowed" test -z "$(grep shadowed <<< "$listing")"
    '';

  # ---- the stand-in's own model ----------------------------------------------
  # A closure-strategy system: replaceDependencies rewrote the units' PATH
  # to the replacement, whose ls is uutils'; the initrd is cut off.
  stand-in-rewrites-the-closure =
    test "stand-in-rewrites-the-closure" {
      s = systemOf [{oxidized.coreutils.enable = true;}];
    } ''
      p=$(cat "$s"/units/*.service | grep -o '/nix/store/[a-z0-9]*-coreutils-9.11/bin' | head -n 1 || true)
      check "units name coreutils" test -n "$p"
      same "ls of the units' coreutils" "$(readlink -f "$p/ls")" "${pkgs.uutils-coreutils-noprefix}/bin/coreutils"
      check "the toplevel is a new path" test "$s" != "${(h.eval []).system.build.toplevel}"
    '';
  # A zlib system: the rewritten libcurl's RUNPATH names the replacement,
  # whose libz.so.1 is zlib-rs' file; the import check was built first.
  stand-in-swaps-zlib-closure-wide = let
    c = h.eval [{oxidized.zlib.enable = true;}];
  in
    test "stand-in-swaps-zlib-closure-wide" {
      s = c.system.build.toplevel;
      inherit (c.oxidized.zlib) package;
      check = lib.head c.system.checks;
    } ''
      curl=$(dirname "$(dirname "$(readlink -f "$s/sw/bin/curl")")")
      check "curl is rewritten" test "$curl" != "${pkgs.curl}"
      z=$(sed -n 's|^RUNPATH \(.*\)/lib$|\1|p' "$curl/lib/libcurl.so.4")
      check "curl names another zlib" test "$z" != "${pkgs.zlib}"
      same "its name" "$(basename "$z" | cut -c34-)" "zlib-1.3.2"
      same "its libz.so.1" "$(readlink -f "$z/lib/libz.so.1")" "$package/lib/libz.so.1"
      check "the check ran" test -e "$check/imports"
    '';
  stand-in-path-strategy-wins-path =
    test "stand-in-path-strategy-wins-path" {
      s = systemOf [
        {
          oxidized.coreutils = {
            enable = true;
            strategy = "path";
          };
        }
      ];
    } ''
      same "ls on PATH" "$(readlink -f "$s/sw/bin/ls")" "${pkgs.uutils-coreutils-noprefix}/bin/coreutils"
    '';
  stand-in-rewrite-refuses-other-lengths = {
    drv = pkgs.replaceDirectDependencies {
      drv = pkgs.writeText "x" "${pkgs.gnused}";
      replacements = [
        {
          oldDependency = pkgs.gnused;
          newDependency = pkg "uutils-sed" "0.3.0" {};
        }
      ];
    };
    fails = "length does not match";
  };

  # ---- the library components (lib/replacements.nix) -------------------------
  # zlib's lib/ names point at the Rust library; the rest stays zlib's.
  library-replacement-layout =
    test "library-replacement-layout" {
      r = nrsLib.mkLibraryReplacement {
        inherit runCommand;
        original = cZlib;
        rust = rustZlib;
        libs."libz.so" = "lib/libz.so.1";
      };
    } ''
      for n in libz.so libz.so.1 libz.so.1.3.2; do
        same "lib/$n" "$(readlink "$r/lib/$n")" "${rustZlib}/lib/libz.so.1"
      done
      same "share" "$(readlink "$r/share")" "${cZlib}/share"
      check "lib is a directory" test -d "$r/lib" -a ! -L "$r/lib"
      same "entries" "$(ls "$r" | tr '\n' ' ')" "lib share "
      same "lib/" "$(ls "$r/lib" | tr '\n' ' ')" "libz.so libz.so.1 libz.so.1.3.2 "
      same "name" "$(basename "$r" | cut -c34-)" "zlib-1.3.2"
    '';
  # The module's replacements of the stand-in's packages: bzip2's `out`,
  # with its link for programs built elsewhere.
  library-replacements-of-the-pin =
    test "library-replacements-of-the-pin" {
      z = (import ../../modules/oxidized/library.nix {inherit lib;}).replacement {
        inherit pkgs;
        name = "zlib";
      };
      b = (import ../../modules/oxidized/library.nix {inherit lib;}).replacement {
        inherit pkgs;
        name = "bzip2";
      };
    } ''
      rust=$(readlink "$z/lib/libz.so.1.3.2")
      same "zlib's file" "$(basename "$(dirname "$(dirname "$rust")")" | cut -c34-)/lib/libz.so.1" "zlib-rs-0.6.8/lib/libz.so.1"
      check "the stand-in's zlib-rs has its soname" sh -c "readelf -d '$rust' | grep -qF '[libz.so.1]'"
      same "zlib's names" "$(ls "$z/lib" | tr '\n' ' ')" "libz.so libz.so.1 libz.so.1.3.2 "
      same "bzip2's names" "$(ls "$b/lib" | tr '\n' ' ')" "libbz2.so libbz2.so.1 libbz2.so.1.0 libbz2.so.1.0.8 "
      same "bzip2's link" "$(readlink "$b/lib/libbz2.so.1.0")" "$(readlink "$b/lib/libbz2.so.1")"
      same "bzip2's name" "$(basename "$b" | cut -c34-)" "bzip2-1.0.8"
    '';
  library-replacement-without-the-file-fails = {
    drv = nrsLib.mkLibraryReplacement {
      inherit runCommand;
      original = cZlib;
      rust = pkg "zlib-rs" "0.6.8" {files."lib/libz.so" = "no soname file";};
      libs."libz.so" = "lib/libz.so.1";
    };
    fails = "zlib-rs-0.6.8 has no lib/libz.so.1, which it needs to stand in for zlib-1.3.2's lib/libz.so";
  };
  library-replacement-of-another-library-fails = {
    drv = nrsLib.mkLibraryReplacement {
      inherit runCommand;
      original = cBz2;
      rust = rustZlib;
      libs."libz.so" = "lib/libz.so.1";
    };
    fails = "bzip2-1.0.8 has no lib/libz.so*: zlib-rs-0.6.8 has nothing of it to stand in for";
  };

  # A program that imports only what the Rust library has: the check
  # passes and lists what is imported.
  library-imports-check-passes =
    test "library-imports-check-passes" {
      c = zlibCheck [usesCompressBound pkgs.coreutils];
    } ''
      same "imports" "$(cat "$c/imports")" "compressBound@ZLIB_1.2.0	1"
      same "importers" "$(cat "$c/importers")" "${usesCompressBound}/bin/uses-compressbound"
    '';
  # gzprintf is not in the Rust library, compress2 at another version: the
  # build names both and the file that imports them.
  library-imports-check-names-what-is-missing = let
    p = elfProgram {
      name = "uses-gzprintf";
      library = cZlib;
      link = "z";
      functions = ["compressBound" "gzprintf" "compress2"];
    };
  in {
    drv = zlibCheck [usesCompressBound p];
    fails = "zlib-rs-0.6.8 cannot stand in for zlib-1.3.2: programs of the system import symbols it does not export:\n  compress2@ZLIB_1.2.0, imported by ${p}/bin/uses-gzprintf\n  gzprintf@ZLIB_1.2.0, imported by ${p}/bin/uses-gzprintf";
  };
  # Without symbol versions (libbz2): by name.
  library-imports-check-without-versions = let
    p = elfProgram {
      name = "uses-bz";
      library = cBz2;
      link = "bz2";
      functions = ["BZ2_bzCompress" "BZ2_bzDecompress"];
    };
  in {
    drv = importsCheck [p] cBz2 rustBz2 {"libbz2.so" = "lib/libbz2.so.1";};
    fails = "  BZ2_bzDecompress, imported by ${p}/bin/uses-bz";
  };
  # Nothing of the closure links the library: nothing to check.
  library-imports-check-without-importers =
    test "library-imports-check-without-importers" {
      c = zlibCheck [pkgs.coreutils];
    } ''
      same "imports" "$(cat "$c/imports")" ""
      same "importers" "$(cat "$c/importers")" ""
    '';
}

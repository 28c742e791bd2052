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
}

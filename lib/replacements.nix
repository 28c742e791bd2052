# Swapping one package for another in a NixOS system.
#
# system.replaceDependencies (nixos/modules/system/activation/top-level.nix)
# rewrites, byte for byte, every store path of the system closure that
# refers to the original so that it refers to the replacement. The
# basenames `<hash>-<name>` must therefore have the same length:
# pkgs/build-support/replace-dependencies.nix aborts with "cannot rewrite
# ... length does not match" otherwise. The hash part always has 32
# characters, so the names must have the same length; the functions here
# build replacements under the original's exact `name`.
#
# Replacements are trees of symlinks, not copies. The rewrite only needs
# `<replacement>/bin/ls` to exist wherever `<original>/bin/ls` did, and the
# kernel follows symlinks; the multi-call binaries involved (uutils'
# `coreutils`, brush-bash) dispatch on argv[0], which a symlink keeps; and a
# copied ELF file would still refer to its own store path's libraries, so a
# copy buys nothing but disk space. What a symlink tree does change: the
# replacement refers to other store paths, here even to the original (GNU
# fallbacks). A replacement that refers to its original must be kept out of
# the rewrite with system.replaceDependencies.cutoffPackages, or the rewrite
# would point it at itself (the rewriteMemo recursion in
# replace-dependencies.nix; nixpkgs' own replaceDependency cuts its new
# dependency off for the same reason, pkgs/top-level/all-packages.nix).
{lib}: let
  inherit (lib) mapAttrsToList escapeShellArgs;
in rec {
  # True when replaceDependencies can swap `old` for `new`.
  sameNameLength = old: new: lib.stringLength old.name == lib.stringLength new.name;

  # `replacement`'s files under `original`'s store name: every directory
  # of the replacement is created, every other entry (file, symlink,
  # symlinked directory) is a symlink into the replacement.
  #
  #   sameNameAs {
  #     inherit (pkgs) runCommand;
  #     original = pkgs.bash;              # name "bash-5.3p3"
  #     replacement = brush-bash;          # installs bin/bash, bin/sh
  #     passthru.shellPath = "/bin/bash";  # extra passthru (a shell package)
  #     require = [ "bin/bash" "bin/sh" ]; # paths that must exist
  #   }
  sameNameAs = {
    runCommand,
    original,
    replacement,
    passthru ? {},
    require ? [],
  }:
    runCommand original.name {
      passthru = {inherit original replacement;} // passthru;
      meta =
        lib.optionalAttrs (replacement.meta.mainProgram or null != null) {inherit (replacement.meta) mainProgram;}
        // {description = "${replacement.name} under the store name of ${original.name}";};
    } ''
      mkdir -p "$out"
      (cd ${replacement} && find . -mindepth 1) | while IFS= read -r f; do
        f=''${f#./}
        if [ -d "${replacement}/$f" ] && [ ! -L "${replacement}/$f" ]; then
          mkdir -p "$out/$f"
        else
          ln -s "${replacement}/$f" "$out/$f"
        fi
      done
      for p in ${escapeShellArgs require}; do
        if [ ! -e "$out/$p" ]; then
          echo "${replacement.name} has no $p, which it needs to stand in for ${original.name}" >&2
          exit 1
        fi
      done
    '';

  # What a command-by-command replacement takes from each side.
  #   commands = { gnu = [ command ... ]; rust = { command = "binary in rust's bin/"; ... };
  #                held ? [ command ... ]; }  (held: Rust has them, GNU's kept on purpose)
  # Every command of `gnu` exists in the result: from the Rust package when
  # `rust` maps it and it is not in `keepGnu`, else from the original (the
  # fallbacks, in `gnu`'s order).
  splitCommands = {
    commands,
    keepGnu ? [],
  }: let
    fromRust = lib.filterAttrs (c: _: lib.elem c commands.gnu && !lib.elem c keepGnu) commands.rust;
  in {
    inherit fromRust;
    fallbacks = lib.filter (c: !(fromRust ? ${c})) commands.gnu;
    unknownKeepGnu = lib.subtractLists commands.gnu keepGnu;
  };

  # A package under `original`'s store name whose bin/ has the commands of
  # `commands.gnu` (see splitCommands), and whose other top-level entries
  # (libexec with GNU stdbuf's libstdbuf.so, share) are the original's, so
  # paths that other packages name keep existing.
  #
  # The command lists are data, so the fallbacks are known when evaluating
  # (no import-from-derivation). Where the real packages differ from the
  # lists (a nixpkgs update added or dropped a command), the build does not
  # fail: every command stays where the system can run it, GNU's unless the
  # lists say Rust's and Rust has it, and the build log warns. What differed
  # is in $out/nix-support/command-drift, one line each:
  #   gnu-unknown <c>   the original has <c>, the lists do not know it: GNU's
  #   gnu-missing <c>   the lists expect <c>, the original lacks it: left out
  #                     (from Rust where the lists take it from Rust)
  #   rust-missing <c>  the lists take <c> from Rust, which lacks it: GNU's
  #   rust-extra <c>    Rust has <c>, the lists take it from GNU (and do not
  #                     hold it back on purpose, commands.held): GNU's
  #   keep-missing <c>  keepGnu names <c>, the original lacks it
  # and $out/nix-support/gnu-fallbacks lists the commands that run GNU's
  # binary in the result.
  mkCommandReplacement = {
    runCommand,
    original,
    rust,
    commands,
    keepGnu ? [],
    hint ? "update the command lists",
  }: let
    split = splitCommands {inherit commands keepGnu;};
    # Commands the lists keep GNU's on purpose although Rust has them.
    held = commands.held or [];
    notInRust = lib.filter (c: !(commands.rust ? ${c}) && !lib.elem c held) commands.gnu;
  in
    runCommand original.name {
      passthru = {
        inherit original rust keepGnu commands;
        inherit (split) fallbacks;
        rustCommands = lib.attrNames split.fromRust;
      };
      meta.description = "${rust.name} with GNU fallbacks, under the store name of ${original.name}";
      # command=binary pairs; lists of names.
      fromRust = mapAttrsToList (c: b: "${c}=${b}") split.fromRust;
      known = commands.gnu;
      gnuOnly = notInRust;
      inherit keepGnu;
      inherit hint;
      originalName = original.name;
    } ''
      mkdir -p "$out/bin" "$out/nix-support"
      : > "$out/nix-support/gnu-fallbacks"
      : > "$out/nix-support/command-drift"
      drift() {
        echo "$1 $2" >> "$out/nix-support/command-drift"
        echo "warning: $originalName: $3 ($hint)" >&2
      }
      gnu() {
        ln -s "${original}/bin/$1" "$out/bin/$1"
        echo "$1" >> "$out/nix-support/gnu-fallbacks"
      }
      has() { [ -e "$1" ] || [ -L "$1" ]; }
      declare -A listed=() rustBin=()
      for c in $known; do listed[$c]=1; done
      for pair in $fromRust; do rustBin[''${pair%%=*}]=''${pair#*=}; done
      # Every command, in GNU's order, then what GNU has that the lists
      # do not know.
      for c in $known; do
        if ! has "${original}/bin/$c"; then
          if [ -n "''${rustBin[$c]:-}" ] && has "${rust}/bin/''${rustBin[$c]}"; then
            drift gnu-missing "$c" "has no '$c', which the command lists expect; it comes from ${rust.name}"
            ln -s "${rust}/bin/''${rustBin[$c]}" "$out/bin/$c"
          else
            drift gnu-missing "$c" "has no '$c', which the command lists expect; left out"
          fi
        elif [ -n "''${rustBin[$c]:-}" ]; then
          if has "${rust}/bin/''${rustBin[$c]}"; then
            ln -s "${rust}/bin/''${rustBin[$c]}" "$out/bin/$c"
          else
            drift rust-missing "$c" "${rust.name} has no bin/''${rustBin[$c]} for '$c'; '$c' stays GNU's"
            gnu "$c"
          fi
        else
          gnu "$c"
        fi
      done
      for f in "${original}"/bin/*; do
        c=''${f##*/}
        has "$f" || continue
        if [ -z "''${listed[$c]:-}" ]; then
          drift gnu-unknown "$c" "has '$c', which the command lists do not know; it stays GNU's"
          gnu "$c"
        fi
      done
      for c in $gnuOnly; do
        if has "${rust}/bin/$c"; then
          drift rust-extra "$c" "${rust.name} has '$c', which the command lists take from GNU; it stays GNU's"
        fi
      done
      for c in $keepGnu; do
        has "${original}/bin/$c" || drift keep-missing "$c" "keepGnu names '$c', which it does not have"
      done
      for d in "${original}"/*; do
        n=''${d##*/}
        case "$n" in
          bin | nix-support) ;;
          *) ln -s "$d" "$out/$n" ;;
        esac
      done
    '';

  # A C library's package under its exact store name, for swapping the
  # library closure-wide: each entry of the original's lib/ named <lib> or
  # <lib>.<anything>, for each <lib> of `libs`, is a symlink to the Rust
  # package's file for it; every other entry, of lib/ and beside it, is a
  # symlink into the original, so paths other packages name keep existing.
  # The build fails when the Rust package lacks a file of `libs`, or the
  # original has no entry for a <lib>.
  #
  #   mkLibraryReplacement {
  #     inherit (pkgs) runCommand;
  #     original = pkgs.zlib;                    # lib/libz.so, libz.so.1, libz.so.1.3.2
  #     rust = zlib-rs;                          # lib/libz.so.1 (soname libz.so.1)
  #     libs = { "libz.so" = "lib/libz.so.1"; };
  #   }
  #
  # The loader follows the symlinks: a program whose RUNPATH names the
  # replacement maps the Rust package's file (/proc/PID/maps shows its
  # path). There is no PATH variant: programs find a library through their
  # RUNPATH, not PATH.
  mkLibraryReplacement = {
    runCommand,
    original,
    rust,
    libs,
  }:
    runCommand original.name {
      passthru = {inherit original rust libs;};
      meta.description = "${rust.name}'s ${lib.concatStringsSep ", " (lib.attrNames libs)} under the store name of ${original.name}";
      pairs = mapAttrsToList (l: f: "${l}=${f}") libs;
      originalName = original.name;
      rustName = rust.name;
    } ''
      mkdir -p "$out/lib"
      for d in "${original}"/* "${original}"/lib/*; do
        [ -e "$d" ] || [ -L "$d" ] || continue
        n=''${d#"${original}"/}
        if [ "$n" = lib ] && [ -d "$d" ] && [ ! -L "$d" ]; then continue; fi
        target=$d
        for pair in $pairs; do
          l=''${pair%%=*}
          case "$n" in
            "lib/$l" | "lib/$l".*) target=${rust}/''${pair#*=} ;;
          esac
        done
        ln -s "$target" "$out/$n"
      done
      for pair in $pairs; do
        l=''${pair%%=*} f=''${pair#*=}
        if [ ! -e "${rust}/$f" ]; then
          echo "$rustName has no $f, which it needs to stand in for $originalName's lib/$l" >&2
          exit 1
        fi
        found=
        for e in "$out/lib/$l" "$out/lib/$l".*; do
          if [ -L "$e" ]; then found=1; fi
        done
        if [ -z "$found" ]; then
          echo "$originalName has no lib/$l*: $rustName has nothing of it to stand in for" >&2
          exit 1
        fi
      done
    '';

  # A check that a Rust library can stand in for a C library in a system:
  # every symbol, at its version, that an ELF file of the closure of
  # `rootPaths` imports from the original's lib/<lib>* (for each <lib> of
  # `libs`, as in mkLibraryReplacement) is one the Rust package's file
  # exports. The build fails naming each missing symbol and a file that
  # imports it; $out/imports lists the symbols used (with how many files
  # import each), $out/importers the files. Read with binutils' readelf
  # (check-library-imports.sh says how).
  #
  #   mkLibraryImportsCheck {
  #     inherit (pkgs) runCommand closureInfo;
  #     binutils = pkgs.binutils-unwrapped;
  #     rootPaths = [ config.system.path ];
  #     original = pkgs.zlib; rust = zlib-rs;
  #     libs = { "libz.so" = "lib/libz.so.1"; };
  #   }
  mkLibraryImportsCheck = {
    runCommand,
    closureInfo,
    binutils,
    rootPaths,
    original,
    rust,
    libs,
  }:
    runCommand "${rust.name}-covers-${original.name}" {
      nativeBuildInputs = [binutils];
      closure = closureInfo {inherit rootPaths;};
      inherit original rust;
      originalName = original.name;
      rustName = rust.name;
      pairs = mapAttrsToList (l: f: "${l}=${f}") libs;
      passthru = {inherit original rust libs rootPaths;};
    } ''
      source ${./check-library-imports.sh}
    '';

  # The config of a component that swaps packages by store path. `pairs`
  # is a list of { original; replacement; } with same-length names; with
  # strategy "path" the last pair's replacement is the one put on PATH.
  swapConfig = {
    config,
    strategy,
    pairs,
  }: {
    # A module's config may not take its structure from config: both
    # branches are always there, mkIf picks one.
    system.replaceDependencies = lib.mkIf (strategy == "closure") {
      replacements =
        map (p: {
          oldDependency = p.original;
          newDependency = p.replacement;
        })
        pairs;
      # Defining cutoffPackages at normal priority replaces its default,
      # so the default (the initrd, top-level.nix) is added back here;
      # other modules' definitions still merge with this one.
      cutoffPackages =
        map (p: p.replacement) pairs
        ++ lib.optionals config.boot.initrd.enable [config.system.build.initialRamdisk];
    };
    # The system path is a buildEnv of environment.systemPackages; NixOS
    # gives its core packages a lower priority (meta.priority + 3,
    # nixos/modules/config/system-path.nix), hiPrio (-10) wins every clash.
    environment.systemPackages = lib.mkIf (strategy == "path") [(lib.hiPrio (lib.last pairs).replacement)];
  };

  # Assertions that every pair can be swapped, with the component's name.
  swapAssertions = {
    component,
    config,
    strategy,
    pairs,
  }:
    map (p: {
      assertion = sameNameLength p.original p.replacement;
      message = "oxidized.${component}: ${p.replacement.name} cannot replace ${p.original.name}: system.replaceDependencies needs store names of the same length.";
    })
    pairs
    ++ lib.optionals (strategy == "closure") (map (p: {
        assertion = lib.elem (toString p.replacement) (map toString config.system.replaceDependencies.cutoffPackages);
        message = "oxidized.${component}: ${p.replacement.name} (the replacement of ${p.original.name}) must be in system.replaceDependencies.cutoffPackages, or the rewrite would point it at itself; add it back where that option is forced.";
      })
      pairs);
}

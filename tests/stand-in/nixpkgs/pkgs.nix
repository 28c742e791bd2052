# The stand-in's one package set: every package and builder nixos-rs, its
# modules, its checks, its templates and its tests reach for. Builders are
# real derivations run by the build machine's bash and tools (/bin,
# /usr/bin: Nix's extra-sandbox-paths), so everything here can be built,
# in the sandbox too; packages are small trees with nixpkgs' attribute
# names, store names, versions, outputs, passthru and meta, and the files
# nixos-rs' build scripts read (bin/ commands, systemd's layout).
#
# Versions are those of nixos-unstable at the revision flake.lock pins
# where the update PR is known (README.md of the stand-in lists each with
# its PR); nixos/releases/ sets older ones for the other end of the
# supported range.
#
# `standIn` is not nixpkgs': the builders tests use to make packages of
# other versions in an overlay (nixos/releases/*.nix, tests/nix/*.nix).
{
  lib,
  system,
}: let
  hostPlatform = lib.systems.elaborate system;

  # What stdenv's setup gives a builder and nixos-rs' build scripts use:
  # substituteInPlace (pkgs/stdenv/generic/setup.sh) and the setup hooks of
  # the build inputs (makeBinaryWrapper's is one).
  prelude = ''
    substituteInPlace() {
      local file=$1 old new how
      shift
      while [ $# -gt 0 ]; do
        how=$1 old=$2 new=$3
        shift 3
        case "$how" in
          --replace-fail)
            grep -qF -- "$old" "$file" || { echo "substituteInPlace: '$old' not found in $file" >&2; return 1; } ;;
          --replace-quiet | --replace-warn) ;;
          *) echo "substituteInPlace: unknown $how" >&2; return 1 ;;
        esac
        OLD=$old NEW=$new perl -0pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$file"
      done
    }
    for input in $standInInputs; do
      if [ -f "$input/nix-support/setup-hook" ]; then source "$input/nix-support/setup-hook"; fi
    done
  '';

  # Attributes a derivation takes as they are.
  plain = v:
    builtins.isString v
    || builtins.isPath v
    || builtins.isBool v
    || builtins.isInt v
    || builtins.isList v
    || lib.isDerivation v
    || v == null;

  # mkDerivation keeps passthru on the result and under `passthru`
  # (pkgs/stdenv/generic/make-derivation.nix); runCommand's script is the
  # derivation's `buildCommand` (pkgs/build-support/trivial-builders).
  mkDrv = {
    name,
    script,
    outputs ? ["out"],
    inputs ? [],
    env ? {},
    passthru ? {},
    meta ? {},
  }: let
    drv = derivation ({
        inherit name system outputs;
        builder = "/bin/bash";
        # The builder ends with a builtin: a program exec'd last (cp, say)
        # may close the log pipe before it exits, and Nix kills a builder
        # whose pipe closed (NixOS/nix#2176).
        args = ["-euo" "pipefail" "-c" (prelude + "\n" + ''eval "$buildCommand"'' + "\n:")];
        buildCommand = script;
        standInInputs = inputs;
        PATH = lib.concatStringsSep ":" (map (p: "${p}/bin") inputs ++ ["/usr/bin" "/bin"]);
      }
      // env);
    # `pkg.out`, `pkg.man`: nixpkgs marks a chosen output outputSpecified.
    outs = lib.genAttrs outputs (o:
      drv.${o}
      // passthru
      // {
        inherit passthru meta;
        outputSpecified = true;
      });
  in
    drv // outs // passthru // {inherit passthru meta;};

  # A package: pname-version with the given outputs; bin/<b> for each of
  # `bins` (a script that says what it is), `files` (path -> text, where
  # @out@ is the package's store path) and `links` (path -> target) in $out.
  pkg = pname: version: {
    bins ? [],
    files ? {},
    links ? {},
    outputs ? ["out"],
    passthru ? {},
    meta ? {},
    # More shell, run last (another output's files, say).
    extra ? "",
  }:
    mkDrv {
      name = "${pname}-${version}";
      inherit outputs;
      inherit passthru;
      meta = {platforms = lib.platforms.linux;} // meta;
      env = {
        inherit pname version;
        bins = lib.concatStringsSep "\n" bins;
        files = builtins.toJSON files;
        links = lib.concatStringsSep "\n" (lib.mapAttrsToList (p: t: "${p} ${t}") links);
      };
      script = ''
        for o in ${lib.concatStringsSep " " outputs}; do mkdir -p "''${!o}"; done
        if [ -n "$bins" ]; then
          mkdir -p "$out/bin"
          while IFS= read -r b; do
            printf '#!/bin/sh\necho "stand-in %s-%s: $0 $*"\n' "$pname" "$version" > "$out/bin/$b"
            chmod +x "$out/bin/$b"
          done <<< "$bins"
        fi
        ${lib.concatStrings (lib.mapAttrsToList (p: text: ''
            mkdir -p "$(dirname "$out/${p}")"
            cat > "$out/${p}" <<'STAND_IN_EOF'
            ${text}
            STAND_IN_EOF
            sed -i "s|@out@|$out|g" "$out/${p}"
          '')
          files)}
        if [ -n "$links" ]; then
          while read -r p t; do
            mkdir -p "$(dirname "$out/$p")"
            ln -s "$t" "$out/$p"
          done <<< "$links"
        fi
        ${extra}
      '';
    };

  # runCommand name { passthru, meta, nativeBuildInputs, ... } script: the
  # other attributes become the build's environment, as in mkDerivation.
  runCommand = name: attrs: script:
    mkDrv {
      inherit name script;
      passthru = attrs.passthru or {};
      meta = attrs.meta or {};
      inputs = attrs.nativeBuildInputs or [] ++ attrs.buildInputs or [];
      env =
        lib.filterAttrs (_: plain) (removeAttrs attrs ["passthru" "meta" "nativeBuildInputs" "buildInputs" "env"])
        // attrs.env or {};
    };

  writeText = name: text:
    runCommand name {
      inherit text;
      passAsFile = ["text"];
    } ''cp "$textPath" "$out"'';

  writeShellApplication = {
    name,
    text,
    runtimeInputs ? [],
    meta ? {},
    ...
  }:
    runCommand name {
      text = ''
        #!/bin/bash
        set -o errexit -o nounset -o pipefail
        export PATH="${lib.makeBinPath runtimeInputs}:$PATH"
        ${text}
      '';
      passAsFile = ["text"];
      meta = {mainProgram = name;} // meta;
    } ''
      mkdir -p "$out/bin"
      cp "$textPath" "$out/bin/${name}"
      chmod +x "$out/bin/${name}"
    '';

  # buildEnv (pkgs/build-support/buildenv): of each package not given with
  # an explicit output, the outputs its meta.outputsToInstall names (a
  # package naming an output it lacks fails, as in a real system path);
  # bin/ and sbin/ merged; where two packages have the same file, the one
  # with the lower meta.priority (lib.meta.defaultPriority = 5; hiPrio is
  # -10, NixOS's core packages +3) wins, and with ignoreCollisions (as
  # system-path.nix sets) equal priorities keep the first.
  buildEnv = {
    name,
    paths,
    ignoreCollisions ? false,
    ...
  }: let
    chosen = lib.concatMap (drv:
      map (p: {
        path = p;
        priority = drv.meta.priority or 5;
      }) (
        if (!(drv ? outputSpecified) || !drv.outputSpecified) && drv.meta.outputsToInstall or null != null
        then map (o: drv.${o}) drv.meta.outputsToInstall
        else [drv]
      ))
    paths;
    ordered = lib.sort (a: b: a.priority < b.priority) chosen;
  in
    runCommand name {
      entries = map (e: "${toString e.priority}:${e.path}") ordered;
      collisions =
        if ignoreCollisions
        then "ignore"
        else "fail";
    } ''
      mkdir -p "$out"
      declare -A prio=()
      for e in $entries; do
        p=''${e#*:} pr=''${e%%:*}
        for d in bin sbin; do
          [ -d "$p/$d" ] || continue
          mkdir -p "$out/$d"
          for f in "$p/$d"/*; do
            [ -e "$f" ] || [ -L "$f" ] || continue
            t=$out/$d/''${f##*/}
            if [ -e "$t" ] || [ -L "$t" ]; then
              if [ "''${prio[$t]}" = "$pr" ] && [ "$collisions" = fail ] && [ "$(readlink -f "$t")" != "$(readlink -f "$f")" ]; then
                echo "collision between $(readlink "$t") and $f" >&2
                exit 1
              fi
              continue
            fi
            ln -s "$f" "$t"
            prio[$t]=$pr
          done
        done
      done
    '';

  # replaceDependencies (pkgs/build-support/replace-dependencies.nix): the
  # closures of drv and of every new dependency are read through
  # import-from-derivation (a build with exportReferencesGraph whose output
  # is a Nix file), so evaluating it builds them, and it fails where
  # import-from-derivation is off (`nix flake check --no-build`, Hydra) or
  # where nothing can build for the derivations' system. Every path that
  # refers to a replaced path is rewritten byte for byte into a new path
  # of the same name, replacements win over cutoffPackages, which win over
  # the rewrite; a replacement whose original is not in the closure is
  # reported with builtins.trace and kept.
  replaceDependencies = {
    drv,
    replacements,
    cutoffPackages ? [],
    verbose ? true,
  }: let
    key = p: builtins.unsafeDiscardStringContext (toString p);
    referencesOf = d:
      import (runCommand "references.nix" {exportReferencesGraph = ["graph" d];} ''
        {
          echo "{"
          while read -r path; do
            read -r _deriver
            read -r count
            echo "  \"$path\" = ["
            while [ "$count" -gt 0 ]; do
              read -r ref
              [ "$ref" = "$path" ] || echo "    \"$ref\""
              count=$((count - 1))
            done
            echo "  ];"
          done < graph
          echo "}"
        } > "$out"
      '');
    targets = [drv] ++ map (r: r.newDependency) replacements;
    closures = lib.listToAttrs (map (t: lib.nameValuePair (key t) (referencesOf t)) targets);
    references = lib.foldl' (a: b: a // b) {} (lib.attrValues closures);
    known = lib.listToAttrs (map (t: lib.nameValuePair (key t) t) targets);
    # A path of the closure as a string that keeps its dependency on the
    # store path (builtins.storePath is not allowed in pure evaluation).
    inStore = p: known.${p} or (builtins.appendContext p {${p}.path = true;});
    note = msg: x:
      if verbose
      then builtins.trace msg x
      else x;
    relevant =
      lib.filter (
        r:
          if key r.oldDependency == key r.newDependency
          then note "replaceDependencies: attempting to replace dependency ${r.oldDependency} of ${drv} with itself" false
          else if !(closures.${key drv} ? ${key r.oldDependency})
          then note "replaceDependencies: ${drv} does not depend on ${r.oldDependency}" true
          else true
      )
      replacements;
    rewritten =
      lib.mapAttrs (p: refs:
        replaceDirectDependencies {
          drv = inStore p;
          replacements = map (ref: {
            oldDependency = ref;
            newDependency = rewritten.${ref};
          }) (lib.filter (ref: ref != p && key rewritten.${ref} != ref) refs);
        })
      references
      // lib.listToAttrs (map (c: lib.nameValuePair (key c) (inStore (key c))) cutoffPackages)
      // lib.listToAttrs (map (r: lib.nameValuePair (key r.oldDependency) rewritten.${key r.newDependency}) relevant);
  in
    rewritten.${key drv};

  # replaceDirectDependencies (pkgs/build-support/replace-direct-dependencies.nix):
  # one store path copied under its own name with the store paths of its
  # direct dependencies rewritten byte for byte, in file contents and
  # symlink targets alike; a pair of basenames of different lengths
  # aborts the build.
  replaceDirectDependencies = {
    drv,
    replacements ? [],
  }:
    if replacements == []
    then drv
    else let
      base = p: builtins.baseNameOf (toString p);
    in
      runCommand (builtins.unsafeDiscardStringContext (builtins.substring 33 (-1) (base drv))) {
        src = drv;
        pairs = map (r: "${base r.oldDependency}=${base r.newDependency}") replacements;
        # The new dependencies must be in the build's inputs.
        deps = map (r: r.newDependency) replacements;
      } ''
        pairs="$pairs $(basename "$src")=$(basename "$out")"
        for pair in $pairs; do
          old=''${pair%%=*} new=''${pair#*=}
          if [ ''${#old} -ne ''${#new} ]; then
            echo "cannot rewrite $old to $new: length does not match" >&2
            exit 1
          fi
        done
        cp -a "$src" "$out"
        chmod -R u+w "$out"
        rewrite() {
          local s=$1 pair
          for pair in $pairs; do s=''${s//''${pair%%=*}/''${pair#*=}}; done
          printf '%s' "$s"
        }
        find "$out" -type l | while IFS= read -r l; do
          ln -sfn "$(rewrite "$(readlink "$l")")" "$l"
        done
        find "$out" -type f | while IFS= read -r f; do
          for pair in $pairs; do
            OLD=''${pair%%=*} NEW=''${pair#*=} perl -pi -e 's/\Q$ENV{OLD}\E/$ENV{NEW}/g' "$f"
          done
        done
      '';

  # closureInfo (pkgs/build-support/closure-info.nix): the closure of
  # rootPaths, one store path a line in $out/store-paths.
  closureInfo = {rootPaths}:
    runCommand "closure-info" {exportReferencesGraph = lib.concatLists (lib.imap0 (i: p: ["closure-${toString i}" p]) rootPaths);} ''
      mkdir -p "$out"
      cat closure-* | awk 'state == 0 { print; state = 1; next }
                           state == 1 { state = 2; next }
                           state == 2 { n = $1; state = n > 0 ? 3 : 0; next }
                           state == 3 { if (--n == 0) state = 0 }' | sort -u > "$out/store-paths"
    '';

  callPackageWith = set: fn: args: let
    f =
      if builtins.isFunction fn
      then fn
      else import fn;
  in
    f (builtins.intersectAttrs (builtins.functionArgs f) set // args);

  # GNU coreutils 9.11 as nixpkgs configures it (no SELinux, single binary
  # with symlinks): the programs of build-aux/gen-lists-of-programs.sh.
  # chcon and runcon are not built without SELinux from 9.9, kill and
  # uptime not by default from 9.10 (coreutils NEWS); the stand-in takes
  # nixpkgs at its defaults (whether it re-enables kill and uptime could
  # not be read).
  gnuCoreutils = lib.splitString " " (lib.concatStringsSep " " [
    "[ b2sum base32 base64 basename basenc cat chgrp chmod chown chroot cksum comm"
    "coreutils cp csplit cut date dd df dir dircolors dirname du echo env expand"
    "expr factor false fmt fold groups head hostid id install join link ln logname"
    "ls md5sum mkdir mkfifo mknod mktemp mv nice nl nohup nproc numfmt od paste"
    "pathchk pinky pr printenv printf ptx pwd readlink realpath rm rmdir seq sha1sum"
    "sha224sum sha256sum sha384sum sha512sum shred shuf sleep sort split stat stdbuf"
    "stty sum sync tac tail tee test timeout touch tr true truncate tsort tty uname"
    "unexpand uniq unlink users vdir wc who whoami yes"
  ]);
  # uutils coreutils 0.11 built as uutils-coreutils-noprefix (multicall,
  # SELINUX_ENABLED=0): GNU's programs but stdbuf's libstdbuf and the
  # SELinux ones, with its own extras.
  uutilsCoreutils = lib.subtractLists ["coreutils"] gnuCoreutils ++ ["arch" "hostname" "kill" "more" "uptime"];

  # The crates.io crates nixos-rs builds (pkgs/zlib-rs, pkgs/libbz2-rs), as
  # far as their builds read them (fetchCrate, buildRustPackage): the
  # library target's name and crate types (its Cargo.toml's [lib]) and the
  # files the install reads; include/zlib.map is zlib's version script cut
  # down to two versions.
  crates = {
    "libz-rs-sys-cdylib-0.6.8" = {
      lib = "z_rs";
      crateTypes = ["cdylib" "staticlib" "lib"];
      files."include/zlib.map" = "ZLIB_1.2.0 {\n  global:\n    compressBound;\n  local:\n    _*;\n};\n\nZLIB_1.2.0.2 {\n    gzclearerr;\n} ZLIB_1.2.0;";
    };
    "libbz2-rs-sys-cdylib-0.2.6" = {
      lib = "bz2_rs";
      crateTypes = ["cdylib"];
    };
  };

  # systemd's layout, as much of it as nixos-rs reads or copies.
  systemdFiles = {
    "example/systemd/system/multi-user.target" = "[Unit]\nDescription=Multi-User System";
    "example/systemd/system/systemd-journald.service" = "[Service]\nExecStart=@out@/lib/systemd/systemd-journald";
    "lib/udev/rules.d/90-vconsole.rules" = ''ACTION=="add", SUBSYSTEM=="vtconsole", RUN+="@out@/bin/systemctl --no-block restart systemd-vconsole-setup.service"'';
    "lib/udev/rules.d/99-systemd.rules" = ''SUBSYSTEM=="net", TAG+="systemd"'';
    "lib/modprobe.d/systemd.conf" = "options bonding max_bonds=0";
  };

  systemdAt = version:
    pkg "systemd" version {
      bins = ["systemctl" "journalctl" "udevadm"];
      files = systemdFiles;
      links = {
        "lib/systemd/systemd" = "../../bin/systemctl";
        "lib/systemd/systemd-journald" = "../../bin/systemctl";
        "lib/systemd/systemd-networkd" = "../../bin/systemctl";
        "lib/systemd/systemd-resolved" = "../../bin/systemctl";
        "lib/systemd/systemd-udevd" = "../../bin/udevadm";
      };
      outputs = ["out" "man"];
      passthru = {
        interfaceVersion = 2;
        withBootloader = true;
        withCryptsetup = true;
        withEfi = true;
        withHostnamed = true;
        withImportd = true;
        withLocaled = true;
        withMachined = true;
        withNspawn = true;
        withPortabled = true;
        withRepart = true;
        withTimedated = true;
        withTpm2Units = true;
        withUtmp = true;
        util-linux = self.util-linux;
        kmod = self.kmod;
        kbd = self.kbd;
      };
      meta = {
        mainProgram = "systemctl";
        outputsToInstall = ["out" "man"];
      };
    };

  self = {
    inherit lib system hostPlatform runCommand writeText writeShellApplication buildEnv replaceDependencies replaceDirectDependencies closureInfo;
    stdenv = {
      inherit hostPlatform;
      buildPlatform = hostPlatform;
      targetPlatform = hostPlatform;
      cc = {
        libc = self.glibc;
        targetPrefix = "";
      };
    };
    buildPlatform = hostPlatform;
    targetPlatform = hostPlatform;
    callPackage = callPackageWith self;
    runCommandLocal = runCommand;
    writeShellScriptBin = name: text: writeShellApplication {inherit name text;};
    mkShell = {packages ? [], ...}:
      runCommand "nix-shell" {inherit packages;} ''echo "$packages" > "$out"'';
    symlinkJoin = {
      name,
      paths,
      ...
    }:
      buildEnv {inherit name paths;};
    # nixos/lib/make-options-doc: every visible option's documentation
    # (name, description, type, default) read, the names written.
    nixosOptionsDoc = {
      options,
      transformOptions ? lib.id,
      ...
    }: let
      docs = map transformOptions (lib.filter (o: o.visible && !o.internal) (lib.optionAttrSetToDocList options));
      json = builtins.toJSON (map (o: {inherit (o) name description type declarations;} // lib.optionalAttrs (o ? default) {inherit (o) default;}) docs);
    in {
      optionsCommonMark = writeText "options.md" (lib.concatMapStrings (o: "## ${o.name}\n") docs);
      optionsJSON = runCommand "options.json" {inherit json;} ''mkdir -p "$out/share/doc/nixos"; echo "$json" > "$out/share/doc/nixos/options.json"'';
    };

    # rustPlatform.buildRustPackage: the crate's source and lock file are
    # read (a wrong fileset or path fails here as it would in nixpkgs), and
    # what cargo would build is stood in for:
    # - a directory prebuilt/<pname>/ in the stand-in is the package (a
    #   stage lays real builds there);
    # - a package with an installPhase of its own (a library that links
    #   cargo's output itself) gets cargo's artifacts of the crate's library
    #   target under target/<cargoShortTarget>/<cargoBuildType>/ (an empty
    #   static archive lib<name>.a for `staticlib`, an empty shared library
    #   lib<name>.so for `cdylib`, made with the build machine's ar and cc;
    #   the target from the crate fetchCrate stood in for), in a writable
    #   copy of the source after postPatch, and its installPhase runs there,
    #   its `runHook postInstall` running postInstall;
    # - else bin/<pname> is the file prebuilt/<pname>, or a script.
    # Then postInstall runs. The crate's tests and install checks do not.
    rustPlatform.buildRustPackage = attrs: let
      prebuilt = ./prebuilt + "/${attrs.pname}";
      crate = attrs.src.standInCrate or {};
    in
      assert builtins.isString (builtins.readFile attrs.cargoLock.lockFile);
        mkDrv {
          name = "${attrs.pname}-${attrs.version}";
          passthru = attrs.passthru or {};
          meta = attrs.meta or {};
          inputs = attrs.nativeBuildInputs or [];
          env =
            lib.filterAttrs (_: plain) (attrs.env or {})
            // {
              inherit (attrs) pname version src;
              postPatch = attrs.postPatch or "";
              installPhase = attrs.installPhase or "";
              postInstall = attrs.postInstall or "";
              cargoBuildFlags = attrs.cargoBuildFlags or [];
              cargoBuildType = attrs.cargoBuildType or "release";
              cargoShortTarget = hostPlatform.rust.cargoShortTarget;
              libName = crate.lib or "";
              crateTypes = crate.crateTypes or [];
              prebuilt =
                if builtins.pathExists prebuilt
                then prebuilt
                else "";
            };
          script = ''
            if [ -d "$prebuilt" ]; then
              cp -r "$prebuilt" "$out"
              chmod -R u+w "$out"
              eval "$postInstall"
            elif [ -n "$installPhase" ]; then
              cp -r "$src" source
              chmod -R u+w source
              cd source
              eval "$postPatch"
              dir=target/$cargoShortTarget/$cargoBuildType
              mkdir -p "$dir"
              for t in $crateTypes; do
                case "$t" in
                  staticlib) ar rc "$dir/lib$libName.a" ;;
                  cdylib) cc -shared -o "$dir/lib$libName.so" -x c /dev/null ;;
                esac
              done
              runHook() { if [ "$1" = postInstall ]; then eval "$postInstall"; fi; }
              eval "$installPhase"
            else
              mkdir -p "$out/bin"
              if [ -n "$prebuilt" ]; then
                cp "$prebuilt" "$out/bin/$pname"
              else
                printf '#!/bin/sh\necho "stand-in %s"\n' "$pname" > "$out/bin/$pname"
              fi
              chmod +x "$out/bin/$pname"
              eval "$postInstall"
            fi
          '';
        };

    # fetchCrate (pkgs/build-support/rust/fetchcrate.nix): a crate of
    # crates.io unpacked, by fetchzip, as `<crate>-<version>.tar.gz`. The
    # stand-in downloads nothing (`hash` is not checked): it lays out, for
    # the crates nixos-rs builds, the Cargo.toml and the files their builds
    # read, and says what the crate's library target is (`standInCrate`, for
    # buildRustPackage); any other crate is an error.
    fetchCrate = {
      crateName ? args.pname,
      version,
      ...
    } @ args: let
      key = "${crateName}-${version}";
      crate = crates.${key} or (throw "stand-in fetchCrate: the stand-in does not know the crate ${key}");
    in
      mkDrv {
        name = "${key}.tar.gz";
        passthru.standInCrate = crate;
        script =
          ''
            mkdir -p "$out"
            printf '[package]\nname = "%s"\nversion = "%s"\n' ${crateName} ${version} > "$out/Cargo.toml"
          ''
          + lib.concatStrings (lib.mapAttrsToList (p: text: ''
              mkdir -p "$(dirname "$out/${p}")"
              cat > "$out/${p}" <<'STAND_IN_EOF'
              ${text}
              STAND_IN_EOF
            '')
            crate.files or {});
      };

    # makeBinaryWrapper (pkgs/build-support/setup-hooks/make-binary-wrapper):
    # a setup hook whose makeBinaryWrapper compiles a small C program that
    # execs the wrapped file with the given argv[0].
    makeBinaryWrapper = mkDrv {
      name = "make-binary-wrapper-hook";
      script = ''
        mkdir -p "$out/nix-support"
        cat > "$out/nix-support/setup-hook" <<'EOF'
        makeBinaryWrapper() {
          local target=$1 wrapper=$2 argv0=
          shift 2
          while [ $# -gt 0 ]; do
            case "$1" in
              --argv0) argv0=$2; shift 2 ;;
              *) echo "makeBinaryWrapper: stand-in has no $1" >&2; return 1 ;;
            esac
          done
          printf '#include <unistd.h>\nint main(int argc, char **argv) { (void)argc; argv[0] = "%s"; execv("%s", argv); return 127; }\n' \
            "''${argv0:-$target}" "$target" > wrapper.c
          mkdir -p "$(dirname "$wrapper")"
          gcc -O -o "$wrapper" wrapper.c
        }
        EOF
      '';
    };

    # Host tools.
    bash = self.bashInteractive;
    # nixpkgs PR #379368: `bash` is interactive, `bashNonInteractive` is
    # what scripts' runtimeShell uses.
    bashNonInteractive = pkg "bash" "5.3p3" {
      bins = ["bash" "sh"];
      passthru.shellPath = "/bin/bash";
    };
    bashInteractive = pkg "bash-interactive" "5.3p3" {
      bins = ["bash" "sh"];
      passthru.shellPath = "/bin/bash";
    };
    coreutils = pkg "coreutils" "9.11" {
      bins = gnuCoreutils;
      files."libexec/coreutils/libstdbuf.so" = "not an ELF file";
    };
    # coreutils-full: the same programs (pkgs/top-level/all-packages.nix
    # builds it with more features), another store path.
    coreutils-full = pkg "coreutils-full" "9.11" {
      bins = gnuCoreutils;
      files."libexec/coreutils/libstdbuf.so" = "not an ELF file";
    };
    # nixpkgs' findutils keeps locate and updatedb in the `locate` output
    # (pkgs/by-name/fi/findutils/package.nix).
    findutils = pkg "findutils" "4.10.0" {
      bins = ["find" "xargs"];
      outputs = ["out" "locate"];
    };
    diffutils = pkg "diffutils" "3.12" {bins = ["cmp" "diff" "diff3" "sdiff"];};
    # A build tool nixos-rs' builds run: the build machine's, under
    # nixpkgs' name.
    file = pkg "file" "5.46" {
      extra = ''
        mkdir -p "$out/bin"
        printf '#!/bin/sh\nexec /usr/bin/file "$@"\n' > "$out/bin/file"
        chmod +x "$out/bin/file"
      '';
    };
    git = pkg "git" "2.51.0" {bins = ["git"];};
    glibc = pkg "glibc" "2.42" {};
    python3 = pkg "python3" "3.13.7" {bins = ["python3"];};
    qemu = pkg "qemu" "10.1.0" {bins = ["qemu-system-x86_64" "qemu-system-aarch64" "qemu-img"];};
    util-linux = pkg "util-linux" "2.41.1" {bins = ["dmesg" "findmnt" "fsck" "hexdump" "kill" "lsblk" "more" "mount" "umount"];};
    kmod = pkg "kmod" "34.2" {bins = ["kmod" "modprobe"];};
    kbd = pkg "kbd" "2.8.0" {bins = ["loadkeys" "setfont"];};
    cargo = pkg "cargo" "1.89.0" {bins = ["cargo"];};
    clippy = pkg "clippy" "1.89.0" {bins = ["cargo-clippy"];};
    rustc = pkg "rustc" "1.89.0" {bins = ["rustc"];};
    rustfmt = pkg "rustfmt" "1.89.0" {bins = ["rustfmt"];};
    just = pkg "just" "1.42.4" {bins = ["just"];};
    nix-tree = pkg "nix-tree" "0.6.3" {bins = ["nix-tree"];};
    alejandra = pkg "alejandra" "4.0.0" {
      bins = ["alejandra"];
      meta.mainProgram = "alejandra";
    };
    deadnix = pkg "deadnix" "1.3.1" {bins = ["deadnix"];};
    shellcheck = pkg "shellcheck" "0.11.0" {bins = ["shellcheck"];};
    treefmt = pkg "treefmt" "2.3.1" {bins = ["treefmt"];};
    # pkgs/os-specific/linux/kernel: a kernel and its modules.
    linux = pkg "linux" "6.12.48" {};

    # The C originals.
    sudo = pkg "sudo" "1.9.17p2" {
      bins = ["sudo" "sudoedit" "visudo"];
      meta.mainProgram = "sudo";
    };
    # shadow keeps su in its own output (pkgs/by-name/sh/shadow/package.nix);
    # users' shell defaults to it (nixos/modules/config/users-groups.nix).
    shadow = pkg "shadow" "4.18.0" {
      bins = ["passwd" "useradd" "nologin" "login"];
      outputs = ["out" "su"];
      passthru.shellPath = "/bin/nologin";
      extra = ''
        mkdir -p "$su/bin"
        printf '#!/bin/sh\necho "stand-in shadow su"\n' > "$su/bin/su"
        chmod +x "$su/bin/su"
      '';
    };
    # pkgs/top-level/all-packages.nix: su = shadow.su.
    su = self.shadow.su;
    # systemd with its layout and the passthru NixOS reads: the with* flags
    # (nixos/modules/system/boot/systemd.nix), interfaceVersion
    # (system/activation/top-level.nix), util-linux and kmod (systemd
    # stage 1, system/boot/systemd/initrd.nix), kbd (config/console.nix).
    systemd = systemdAt "259";

    # The rest of NixOS's core and default packages
    # (nixos/modules/config/system-path.nix). Their bin lists are what
    # nixos-rs' tests need, not complete.
    acl = pkg "acl" "2.3.2" {bins = ["chacl" "getfacl" "setfacl"];};
    attr = pkg "attr" "2.5.2" {bins = ["attr" "getfattr" "setfattr"];};
    # bzip2 1.0.8 (pkgs/tools/compression/bzip2, autoconfiscated): libtool
    # builds lib/libbz2.so.1.0.8 (-version-info 1:8:0, soname libbz2.so.1)
    # in `out`, with the links libbz2.so.1 and libbz2.so, and postInstall
    # adds libbz2.so.1.0 for programs built elsewhere; the programs, in
    # `bin`, link it dynamically (bzip2_LDADD = libbz2.la), their RUNPATH
    # naming `out`.
    bzip2 = pkg "bzip2" "1.0.8" {
      outputs = ["bin" "dev" "out" "man"];
      files."lib/libbz2.so.1.0.8" = "not an ELF file";
      links = {
        "lib/libbz2.so.1" = "libbz2.so.1.0.8";
        "lib/libbz2.so" = "libbz2.so.1.0.8";
      };
      extra = ''
        ln -s "$out/lib/libbz2.so.1.0.8" "$out/lib/libbz2.so.1.0"
        mkdir -p "$bin/bin" "$dev/include" "$man/share/man/man1"
        for b in bzip2 bunzip2 bzcat; do
          printf '#!/bin/sh\n# RUNPATH %s/lib\necho "stand-in bzip2-1.0.8: $0 $*"\n' "$out" > "$bin/bin/$b"
          chmod +x "$bin/bin/$b"
        done
      '';
      meta.outputsToInstall = ["bin" "man"];
    };
    cpio = pkg "cpio" "2.15" {bins = ["cpio"];};
    # libcurl links zlib (pkgs/tools/networking/curl, zlibSupport).
    curl = pkg "curl" "8.16.0" {
      bins = ["curl"];
      files."lib/libcurl.so.4" = "RUNPATH ${self.zlib}/lib";
    };
    gawk = pkg "gawk" "5.3.2" {bins = ["awk" "gawk"];};
    getent = pkg "getent-glibc" "2.42" {bins = ["getent"];};
    getconf = pkg "getconf-glibc" "2.42" {bins = ["getconf"];};
    gnugrep = pkg "gnugrep" "3.12" {bins = ["grep" "egrep" "fgrep"];};
    gnupatch = pkg "patch" "2.8" {bins = ["patch"];};
    gnused = pkg "gnused" "4.9" {bins = ["sed"];};
    gnutar = pkg "gnutar" "1.35" {bins = ["tar"];};
    gzip = pkg "gzip" "1.14" {bins = ["gzip" "gunzip" "zcat"];};
    xz = pkg "xz" "5.8.1" {bins = ["xz" "unxz" "xzcat"];};
    less = pkg "less" "679" {bins = ["less"];};
    libcap = pkg "libcap" "2.76" {bins = ["capsh" "getcap" "setcap"];};
    ncurses = pkg "ncurses" "6.5" {bins = ["clear" "reset" "tput"];};
    netcat = pkg "libressl-nc" "4.1.0" {bins = ["nc"];};
    mkpasswd = pkg "mkpasswd" "5.6.2" {bins = ["mkpasswd"];};
    # procps-ng with nixpkgs' defaults, kill and uptime included; below
    # coreutils, which has both (pkgs/os-specific/linux/procps-ng).
    procps = pkg "procps" "4.0.4" {
      bins = ["free" "kill" "pgrep" "pidof" "pidwait" "pkill" "pmap" "ps" "pwdx" "skill" "slabtop" "snice" "sysctl" "tload" "top" "uptime" "vmstat" "w" "watch"];
      meta.priority = 11;
    };
    time = pkg "time" "1.9" {bins = ["time"];};
    which = pkg "which" "2.23" {bins = ["which"];};
    zstd = pkg "zstd" "1.5.7" {bins = ["zstd" "unzstd" "zstdcat"];};
    # Compress::Raw::Zlib links the system zlib: BUILD_ZLIB = False, LIB =
    # zlib.out/lib (pkgs/development/interpreters/perl/interpreter.nix);
    # Compress::Raw::Bzip2 builds its own copy of bzip2.
    perl = pkg "perl" "5.40.0" {
      bins = ["perl"];
      files."lib/perl5/5.40.0/x86_64-linux-thread-multi/auto/Compress/Raw/Zlib/Zlib.so" = "RUNPATH ${self.zlib}/lib";
    };
    rsync = pkg "rsync" "3.4.1" {bins = ["rsync"];};
    strace = pkg "strace" "6.16" {bins = ["strace"];};
    # zlib (pkgs/development/libraries/zlib; 1.3.2 in the newest copy read,
    # of 2026): the shared library in `out` (lib/libz.so.1.3.2 and its links
    # libz.so.1, libz.so), headers and pkg-config in `dev`, libz.a in
    # `static` (splitStaticOutput).
    zlib = pkg "zlib" "1.3.2" {
      outputs = ["out" "dev" "static"];
      files."lib/libz.so.1.3.2" = "not an ELF file";
      links = {
        "lib/libz.so.1" = "libz.so.1.3.2";
        "lib/libz.so" = "libz.so.1.3.2";
      };
      extra = ''
        mkdir -p "$dev/include" "$dev/share/pkgconfig" "$static/lib"
        echo '#define ZLIB_VERSION "1.3.2"' > "$dev/include/zlib.h"
        printf 'Name: zlib\nVersion: 1.3.2\nLibs: -L%s/lib -lz\n' "$out" > "$dev/share/pkgconfig/zlib.pc"
        echo "not an archive" > "$static/lib/libz.a"
      '';
    };
    # binutils (pkgs/development/tools/misc/binutils): readelf, the build
    # machine's, under nixpkgs' name (the version is not the pin's).
    binutils-unwrapped = pkg "binutils" "2.44" {
      extra = ''
        mkdir -p "$out/bin"
        printf '#!/bin/sh\nexec /usr/bin/readelf "$@"\n' > "$out/bin/readelf"
        chmod +x "$out/bin/readelf"
      '';
    };

    # The Rust replacements, under their nixpkgs attribute names
    # (pkgs/by-name/...).
    sudo-rs = pkg "sudo-rs" "0.2.13" {
      bins = ["sudo" "su" "visudo" "sudoedit"];
      meta.mainProgram = "sudo";
    };
    ntpd-rs = pkg "ntpd-rs" "1.6.2" {
      bins = ["ntp-daemon" "ntp-ctl" "ntp-metrics-exporter"];
      outputs = ["out" "man"];
      meta.mainProgram = "ntp-ctl";
    };
    brush = pkg "brush" "0.4.0" {
      bins = ["brush"];
      passthru.shellPath = "/bin/brush";
      meta.mainProgram = "brush";
    };
    # uutils-coreutils-noprefix = uutils-coreutils.override { prefix = null; }:
    # its name is uutils-coreutils-<version>.
    uutils-coreutils-noprefix = pkg "uutils-coreutils" "0.11.0" {
      bins = ["coreutils"];
      links = lib.genAttrs (map (c: "bin/${c}") uutilsCoreutils) (_: "coreutils");
    };
    # From 0.9.0 uutils findutils also installs locate and updatedb; its
    # test helper testing-commandline is removed
    # (pkgs/by-name/uu/uutils-findutils/package.nix).
    uutils-findutils = pkg "uutils-findutils" "0.9.0" {
      bins = ["find" "xargs" "locate" "updatedb"];
      meta.mainProgram = "find";
    };
    # 0.5.0 installs diff and cmp as links to its multicall binary.
    uutils-diffutils = pkg "uutils-diffutils" "0.5.0" {
      bins = ["diffutils"];
      links = {
        "bin/diff" = "diffutils";
        "bin/cmp" = "diffutils";
      };
      meta.mainProgram = "diffutils";
    };
    # pkgs/by-name/uu/uutils-sed: bin/sed only (0.2.0 is the newest copy
    # read; the pin may have a later one).
    uutils-sed = pkg "uutils-sed" "0.2.0" {
      bins = ["sed"];
      meta.mainProgram = "sed";
    };
    # pkgs/by-name/uu/uutils-procps: `--workspace`, so the multi-call
    # procps and one binary per applet.
    uutils-procps = pkg "uutils-procps" "0.0.1-unstable-2026-08-15" {
      bins = ["procps" "free" "hugetop" "pgrep" "pidof" "pidwait" "pkill" "pmap" "ps" "pwdx" "skill" "slabtop" "snice" "sysctl" "tload" "top" "vmstat" "w" "watch"];
    };
    nixos-init = pkg "nixos-init" "0.1.0" {bins = ["nixos-init"];};
    userborn = pkg "userborn" "0.4.0" {bins = ["userborn"];};

    # Not nixpkgs': what tests use to make packages of their own.
    standIn = {inherit pkg mkDrv gnuCoreutils uutilsCoreutils systemdAt;};
  };
in
  self

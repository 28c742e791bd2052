# The stand-in package set: every package and builder nixos-rs, its
# modules, its checks and its template reach for, as derivations that
# evaluate. Builders are real derivations that run bash and the tools of
# the build machine (/bin, /usr/bin: Nix's extra-sandbox-paths), so the
# ones the sandbox tests need can really be built; the packages themselves
# are small trees of scripts with nixpkgs' names, versions, outputs,
# passthru and meta, which is what evaluation reads.
#
# Versions follow nixos-unstable at the revision flake.lock pins where the
# project's command lists or probes depend on them; the others only need
# to be plausible.
{
  lib,
  system,
}: let
  hostPlatform = lib.systems.elaborate system;

  # Derivation attributes: what builtins.derivation takes as is.
  plain = v:
    builtins.isString v
    || builtins.isPath v
    || builtins.isBool v
    || builtins.isInt v
    || builtins.isList v
    || lib.isDerivation v
    || v == null;

  # mkDerivation keeps passthru on the result and under `passthru`
  # (pkgs/stdenv/generic/make-derivation.nix).
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
        args = ["-euo" "pipefail" "-c" script];
        PATH = lib.concatStringsSep ":" (map (p: "${p}/bin") inputs ++ ["/usr/bin" "/bin"]);
      }
      // env);
  in
    drv // passthru // {inherit passthru meta;};

  # A package: bin/<b> for each of `bins`, each output a directory.
  pkg = pname: version: {
    bins ? [],
    outputs ? ["out"],
    passthru ? {},
    meta ? {},
  }:
    mkDrv {
      name = "${pname}-${version}";
      inherit outputs passthru;
      meta = {platforms = lib.platforms.linux;} // meta;
      env = {inherit pname version;};
      script = ''
        for o in ${lib.concatStringsSep " " outputs}; do mkdir -p "''${!o}"; done
        mkdir -p "$out/bin"
        for b in ${lib.escapeShellArgs bins}; do
          printf '#!/bin/sh\necho "stand-in %s: $0 $*"\n' "$pname" > "$out/bin/$b"
          chmod +x "$out/bin/$b"
        done
      '';
    }
    // {inherit pname version;};

  # runCommand name { passthru, meta, nativeBuildInputs, ... } script
  # (pkgs/build-support/trivial-builders/default.nix): the other attributes
  # become the build's environment, as in mkDerivation.
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
      meta.mainProgram = name;
    } ''
      mkdir -p "$out/bin"
      cp "$textPath" "$out/bin/${name}"
      chmod +x "$out/bin/${name}"
    '';

  # buildEnv (pkgs/build-support/buildenv/default.nix) installs, of each
  # package not given with an explicit output, the outputs its
  # meta.outputsToInstall names: a package that names an output it does not
  # have fails here, as it does in a real system path.
  buildEnv = {
    name,
    paths,
    ...
  }: let
    chosen = lib.concatMap (drv:
      if (!(drv ? outputSpecified) || !drv.outputSpecified) && drv.meta.outputsToInstall or null != null
      then map (o: drv.${o}) drv.meta.outputsToInstall
      else [drv])
    paths;
  in
    runCommand name {paths = chosen;} ''
      mkdir -p "$out"
      for p in $paths; do
        [ -d "$p/bin" ] || continue
        mkdir -p "$out/bin"
        for f in "$p"/bin/*; do ln -sf "$f" "$out/bin/"; done
      done
    '';

  # replaceDependencies (pkgs/build-support/replace-dependencies.nix)
  # rewrites store paths byte for byte and aborts when a replacement's
  # basename is not as long as the original's. The real function reads the
  # closure through import-from-derivation; the stand-in checks the lengths
  # when evaluating and names every pair in the result.
  replaceDependencies = {
    drv,
    replacements,
    cutoffPackages ? [],
    ...
  }: let
    base = p: builtins.baseNameOf (toString p);
    bad = lib.filter (r: lib.stringLength (base r.oldDependency) != lib.stringLength (base r.newDependency)) replacements;
  in
    if bad != []
    then throw (lib.concatMapStringsSep "\n" (r: "cannot rewrite ${r.oldDependency} to ${r.newDependency}: length does not match") bad)
    else
      runCommand drv.name {
        base = drv;
        old = map (r: r.oldDependency) replacements;
        new = map (r: r.newDependency) replacements;
        cutoff = cutoffPackages;
      } ''ln -s "$base" "$out"'';

  callPackageWith = set: fn: args: let
    f =
      if builtins.isFunction fn
      then fn
      else import fn;
  in
    f (builtins.intersectAttrs (builtins.functionArgs f) set // args);

  # systemd's passthru flags that NixOS reads (nixos/modules/system/boot/systemd.nix,
  # nixos/modules/system/activation/top-level.nix), with nixpkgs' values.
  systemdPassthru = {
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
  };

  self = {
    inherit lib system hostPlatform runCommand writeText writeShellApplication buildEnv replaceDependencies;
    stdenv = {
      inherit hostPlatform;
      buildPlatform = hostPlatform;
      targetPlatform = hostPlatform;
    };
    buildPlatform = hostPlatform;
    targetPlatform = hostPlatform;
    callPackage = callPackageWith self;
    runCommandLocal = runCommand;
    # nixos/lib/make-options-doc: the stand-in reads every option's
    # documentation (name, description, type, default) and writes the names.
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
    writeShellScriptBin = name: text: writeShellApplication {inherit name text;};
    mkShell = {packages ? [], ...}:
      runCommand "nix-shell" {inherit packages;} ''echo "$packages" > "$out"'';
    symlinkJoin = {
      name,
      paths,
      ...
    }:
      buildEnv {inherit name paths;};

    # rustPlatform.buildRustPackage: the crate's source and lock file are
    # read (a wrong fileset or path fails here as it would in nixpkgs), the
    # package is a stand-in unless a binary of that name was put in the
    # stand-in's prebuilt/ directory.
    rustPlatform.buildRustPackage = attrs: let
      prebuilt = ./prebuilt + "/${attrs.pname}";
      havePrebuilt = builtins.pathExists prebuilt;
      main = attrs.meta.mainProgram or attrs.pname;
    in
      assert builtins.isString (builtins.readFile attrs.cargoLock.lockFile);
        mkDrv {
          name = "${attrs.pname}-${attrs.version}";
          passthru = attrs.passthru or {};
          meta = attrs.meta or {};
          env = {
            inherit (attrs) pname version src;
            postPatch = attrs.postPatch or "";
            cargoBuildFlags = attrs.cargoBuildFlags or [];
            prebuilt =
              if havePrebuilt
              then prebuilt
              else "";
          };
          script = ''
            mkdir -p "$out/bin"
            if [ -n "$prebuilt" ]; then
              cp "$prebuilt" "$out/bin/${main}"
            else
              printf '#!/bin/sh\necho "stand-in %s"\n' "$pname" > "$out/bin/${main}"
            fi
            chmod +x "$out/bin/${main}"
          '';
        }
        // {inherit (attrs) pname version;};

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
    coreutils = pkg "coreutils" "9.8" {bins = ["ls" "cat" "echo"];};
    coreutils-full = pkg "coreutils-full" "9.8" {bins = ["ls" "cat" "echo"];};
    findutils = pkg "findutils" "4.10.0" {
      bins = ["find" "xargs"];
      outputs = ["out" "locate"];
    };
    diffutils = pkg "diffutils" "3.12" {bins = ["diff" "cmp" "diff3" "sdiff"];};
    file = pkg "file" "5.46" {bins = ["file"];};
    git = pkg "git" "2.51.0" {bins = ["git"];};
    python3 = pkg "python3" "3.13.7" {bins = ["python3"];};
    qemu = pkg "qemu" "10.1.0" {bins = ["qemu-system-x86_64" "qemu-system-aarch64" "qemu-img"];};
    util-linux = pkg "util-linux" "2.41.1" {bins = ["mount" "findmnt"];};
    makeBinaryWrapper = pkg "make-binary-wrapper-hook" "1" {};
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
    # shadow keeps su in its own output (pkgs/by-name/sh/shadow/package.nix).
    shadow = pkg "shadow" "4.18.0" {
      bins = ["passwd" "useradd"];
      outputs = ["out" "su"];
    };
    systemd = pkg "systemd" "258.2" {
      bins = ["systemctl" "journalctl"];
      outputs = ["out" "man"];
      passthru = systemdPassthru;
      meta = {
        mainProgram = "systemctl";
        outputsToInstall = ["out" "man"];
      };
    };

    # The Rust replacements, under their nixpkgs attribute names
    # (pkgs/by-name/...).
    sudo-rs = pkg "sudo-rs" "0.2.10" {
      bins = ["sudo" "su" "visudo" "sudoedit"];
      meta.mainProgram = "sudo";
    };
    ntpd-rs = pkg "ntpd-rs" "1.6.2" {
      bins = ["ntp-daemon" "ntp-ctl" "ntp-metrics-exporter"];
      outputs = ["out" "man"];
      meta.mainProgram = "ntp-ctl";
    };
    brush = pkg "brush" "0.2.23" {
      bins = ["brush"];
      passthru.shellPath = "/bin/brush";
      meta.mainProgram = "brush";
    };
    # uutils-coreutils-noprefix = uutils-coreutils.override { prefix = null; }:
    # its name is uutils-coreutils-<version>.
    uutils-coreutils-noprefix = pkg "uutils-coreutils" "0.2.2" {bins = ["coreutils" "ls" "cat" "echo"];};
    uutils-findutils = pkg "uutils-findutils" "0.8.0" {
      bins = ["find" "xargs"];
      meta.mainProgram = "find";
    };
    uutils-diffutils = pkg "uutils-diffutils" "0.4.2" {
      bins = ["diffutils"];
      meta.mainProgram = "diffutils";
    };
    nixos-init = pkg "nixos-init" "0.1.0" {bins = ["nixos-init"];};
    userborn = pkg "userborn" "0.4.0" {bins = ["userborn"];};
  };
in
  self

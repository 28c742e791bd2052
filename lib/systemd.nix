# mkSystemdOverlay: a package with systemd's layout (unit files, udev rules,
# tmpfiles and sysctl defaults, the helpers in lib/systemd) taken from the
# real systemd, with a Rust systemd's binaries laid over it.
#
#   oxidized.systemd.package = nixos-rs.lib.mkSystemdOverlay {
#     inherit pkgs;
#     rust = pkgs.rust-systemd; # bin/systemd, bin/systemctl, bin/systemd-journald, ...
#   };
#
# Arguments:
#   pkgs      the package set to build with (runCommand, makeBinaryWrapper, file)
#   rust      the Rust systemd: a package whose bin/ holds binaries named
#             like systemd's (systemd, systemctl, journalctl, systemd-*)
#   systemd   the systemd it is laid over (default pkgs.systemd)
#   name      store name (default "<rust's name>-over-<systemd's name>")
#   pid1      PID 1 inside `rust` (default "bin/systemd")
#   argv0     argv[0] PID 1 is started with (default: see below)
#   passthru  attributes that override systemd's passthru
#
# argv0. The known Rust systemds are multi-call binaries: their `systemd`
# binary looks at argv[0] to choose between the service manager and the
# exec helper it starts itself as for every service. The PID-1 wrapper sets
# argv[0] (makeBinaryWrapper --argv0); a plain symlink would not. Defaults:
#   rust named      argv0           as in
#   systemd-rs      "systemd-rs"    the noverby/noverby monorepo, packages
#                                   systemd-rs and systemd-rs-drowse
#                                   (2026-02-16 .. 2026-03-14)
#   rust-systemd    "rust-systemd"  the same monorepo from 2026-03-15 on,
#                                   packages rust-systemd and rust-systemd-drowse
#   anything else   "systemd"
# Both monorepo binaries start the service manager for an argv[0] ending in
# their own name, "systemd_rs" or "systemd", so "systemd" works for them
# too; the default follows the wrapper their own package builds
# (`--argv0 systemd-rs` / `--argv0 rust-systemd` in systemd-rs/default.nix
# and rust/systemd/default.nix of that repository), which is what was booted.
# The earlier `rustysd` of the same repository has no bin/systemd: pass
# `pid1 = "bin/rustysd"; argv0 = "rustysd";` (and its own config flags,
# which this function does not add) if you still use it.
#
# NixOS reads flags from `config.systemd.package` (withCryptsetup,
# withBootloader, withEfi, withUtmp, withTpm2Units, withImportd,
# withMachined, withNspawn, withTimedated, withLocaled, withHostnamed,
# withPortabled, withRepart, util-linux, `out`:
# nixos/modules/system/boot/systemd.nix; interfaceVersion:
# nixos/modules/system/activation/top-level.nix), and nixpkgs keeps adding
# some. The result therefore carries all of systemd's passthru (mkDerivation
# keeps it as the `passthru` attribute, pkgs/stdenv/generic/make-derivation.nix)
# and overrides only what the caller passes, and it keeps systemd's
# `version`, which modules compare to know which unit settings exist.
#
# `meta` is the result's own. systemd's meta names outputs this one-output
# package does not have (outputsToInstall = [ "out" "man" ]), and
# buildEnv (environment.systemPackages) installs meta.outputsToInstall, so
# copying it made every system using the overlay fail to evaluate with
# "attribute 'man' missing".
_: {
  pkgs,
  rust,
  systemd ? pkgs.systemd,
  name ? "${rust.pname or (builtins.parseDrvName rust.name).name}-over-${systemd.name}",
  pid1 ? "bin/systemd",
  argv0 ? null,
  passthru ? {},
}: let
  inherit (pkgs) lib;
  rustName = rust.pname or (builtins.parseDrvName rust.name).name;
  knownArgv0 = {
    systemd-rs = "systemd-rs";
    rust-systemd = "rust-systemd";
  };
  argv0' =
    if argv0 != null
    then argv0
    else knownArgv0.${rustName} or "systemd";
  licenses = lib.unique (lib.toList (systemd.meta.license or []) ++ lib.toList (rust.meta.license or []));
in
  pkgs.runCommand name {
    inherit (systemd) version;
    nativeBuildInputs = [pkgs.makeBinaryWrapper pkgs.file];
    passthru = (systemd.passthru or {}) // {inherit rust systemd;} // {argv0 = argv0';} // passthru;
    meta =
      {
        description = "${rust.name} over the layout of ${systemd.name}";
        mainProgram = "systemctl";
        platforms = systemd.meta.platforms or lib.platforms.linux;
        outputsToInstall = ["out"];
      }
      // lib.optionalAttrs (licenses != []) {license = licenses;};
  } ''
    mkdir -p "$out"
    for d in example lib share etc; do
      if [ -d ${systemd}/$d ]; then cp -a ${systemd}/$d "$out"/; fi
    done
    mkdir -p "$out/bin"
    cp -a ${systemd}/bin/. "$out/bin/"
    chmod -R u+w "$out"
    # The Rust binaries win where the names are the same, in bin/ and among
    # the helpers units run from lib/systemd/ (systemd-journald, ...).
    for f in ${rust}/bin/*; do
      b=''${f##*/}
      rm -f "$out/bin/$b"
      ln -s "$f" "$out/bin/$b"
      if [ -e "$out/lib/systemd/$b" ]; then
        rm -f "$out/lib/systemd/$b"
        ln -s "$f" "$out/lib/systemd/$b"
      fi
    done
    [ -e "$out/sbin" ] || ln -s bin "$out/sbin"
    # PID 1: NixOS starts $systemd/lib/systemd/systemd (stage 2) and copies
    # it to $out/init of the system with systemd in the initrd (top-level.nix).
    if [ ! -e ${rust}/${pid1} ]; then
      echo "mkSystemdOverlay: ${rust.name} has no ${pid1} (set pid1)" >&2
      exit 1
    fi
    rm -f "$out/lib/systemd/systemd"
    makeBinaryWrapper ${rust}/${pid1} "$out/lib/systemd/systemd" --argv0 ${lib.escapeShellArg argv0'}
    # Text files (units, rules, scripts) point at the new package. ELF files
    # keep their paths: the two store paths' lengths differ.
    find "$out" -type f -print0 | while IFS= read -r -d "" f; do
      if file -b --mime "$f" | grep -q '^text/'; then
        substituteInPlace "$f" --replace-quiet ${systemd} "$out"
      fi
    done
    find "$out" -type l -print0 | while IFS= read -r -d "" l; do
      t=$(readlink "$l")
      case "$t" in
        ${systemd}/*) ln -sfn "$out''${t#${systemd}}" "$l" ;;
      esac
    done
  ''

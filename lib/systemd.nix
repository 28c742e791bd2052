# mkSystemdOverlay: a package with systemd's layout (unit files, udev rules,
# tmpfiles and sysctl defaults, the helpers in lib/systemd) taken from the
# real systemd, with a Rust systemd's binaries laid over it.
#
#   oxidized.systemd.package = nixos-rs.lib.mkSystemdOverlay {
#     inherit pkgs;
#     rust = pkgs.callPackage ./systemd-rs.nix { }; # bin/systemd, bin/systemctl, ...
#   };
#
# Arguments:
#   pkgs      the package set to build with (runCommand, makeBinaryWrapper, file)
#   rust      the Rust systemd: a package whose bin/ holds binaries named
#             like systemd's (systemd, systemctl, journalctl, systemd-*)
#   systemd   the systemd it is laid over (default pkgs.systemd)
#   name      store name (default "<rust's name>-over-<systemd's name>")
#   pid1      PID 1 inside `rust` (default "bin/systemd")
#   argv0     argv[0] PID 1 is started with; multi-call Rust systemds
#             dispatch on it (default "systemd")
#   passthru  attributes that override systemd's passthru
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
_: {
  pkgs,
  rust,
  systemd ? pkgs.systemd,
  name ? "${rust.pname or rust.name}-over-${systemd.name}",
  pid1 ? "bin/systemd",
  argv0 ? "systemd",
  passthru ? {},
}:
pkgs.runCommand name {
  inherit (systemd) version;
  nativeBuildInputs = [pkgs.makeBinaryWrapper pkgs.file];
  passthru = (systemd.passthru or {}) // {inherit rust systemd;} // passthru;
  meta =
    (systemd.meta or {})
    // {
      description = "${rust.name} over the layout of ${systemd.name}";
      mainProgram = "systemctl";
    };
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
  makeBinaryWrapper ${rust}/${pid1} "$out/lib/systemd/systemd" --argv0 ${argv0}
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

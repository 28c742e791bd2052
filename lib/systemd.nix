# mkSystemdOverlay: a package with systemd's layout (unit files, udev rules,
# tmpfiles, sysctl defaults, lib/systemd helpers) taken from the real
# systemd, with a Rust systemd's binaries laid over it.
#
#   systemd.package = nixos-rs.lib.mkSystemdOverlay {
#     inherit pkgs;
#     rust = pkgs.callPackage ./systemd-rs.nix { };  # bin/systemd, bin/systemctl, ...
#   };
#
# NixOS reads flags from `config.systemd.package` (withNspawn, withRepart,
# withTimedated, interfaceVersion, util-linux, kbd, ...; see
# nixos/modules/system/boot/systemd.nix), and nixpkgs keeps adding some, so
# the result inherits all of systemd's passthru (mkDerivation keeps it as
# the `passthru` attribute, pkgs/stdenv/generic/make-derivation.nix) and
# overrides only what the caller passes in `passthru`.
_: {
  pkgs,
  # The Rust systemd: a package whose bin/ holds binaries named like
  # systemd's (systemd, systemctl, journalctl, systemd-*).
  rust,
  # The systemd it is laid over (its unit files and helpers are kept).
  systemd ? pkgs.systemd,
  name ? "systemd-rs-${rust.version or "unstable"}",
  # PID 1 inside the Rust package, and the argv[0] it is started with
  # (multicall Rust systemds dispatch on it).
  pid1 ? "bin/systemd",
  argv0 ? "systemd",
  passthru ? {},
}:
pkgs.runCommand name {
  nativeBuildInputs = [pkgs.makeBinaryWrapper pkgs.file];
  passthru = systemd.passthru // {inherit rust systemd;} // passthru;
  meta = (systemd.meta or {}) // {description = "${rust.name} over ${systemd.name}'s layout";};
} ''
  mkdir -p $out
  for d in example lib share etc; do
    if [ -d ${systemd}/$d ]; then cp -a ${systemd}/$d $out/; fi
  done
  mkdir -p $out/bin
  cp -a ${systemd}/bin/. $out/bin/
  chmod -R u+w $out
  # The Rust binaries win where names are the same.
  for f in ${rust}/bin/*; do
    b=$(basename "$f")
    rm -f "$out/bin/$b"
    ln -s "$f" "$out/bin/$b"
    # Units run helpers from lib/systemd/ (systemd-journald, ...).
    if [ -e "$out/lib/systemd/$b" ]; then
      rm -f "$out/lib/systemd/$b"
      ln -s "$f" "$out/lib/systemd/$b"
    fi
  done
  [ -e $out/sbin ] || ln -s bin $out/sbin
  # PID 1: NixOS starts $systemd/lib/systemd/systemd.
  rm -f $out/lib/systemd/systemd
  makeBinaryWrapper ${rust}/${pid1} $out/lib/systemd/systemd --argv0 ${argv0}
  # Text files (units, rules) point at the new package; ELF files keep the
  # old paths (their lengths differ).
  find $out -type f -print0 | while IFS= read -r -d "" f; do
    if file -b --mime "$f" | grep -q '^text/'; then
      substituteInPlace "$f" --replace-quiet ${systemd} $out
    fi
  done
  find $out -type l -print0 | while IFS= read -r -d "" l; do
    t=$(readlink "$l")
    case "$t" in
      ${systemd}/*) ln -sfn "$out''${t#${systemd}}" "$l" ;;
    esac
  done
''

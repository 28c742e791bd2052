# libbz2 -> libbzip2-rs, closure-wide (./library.nix): every program that
# links libbz2 (bzip2's own, in corePackages) loads nixos-rs' package of
# libbzip2-rs (pkgs/libbz2-rs). Its BZ2_bzlibVersion() says what it is
# ("1.1.0-libbz2-rs-sys-0.2.6"), and `bzip2 --version` prints it.
{lib, ...}: let
  nrs = import ./lib.nix {inherit lib;};
  # bzip2 prints the loaded library's version.
  whenRust = nrs.whenRust "bzip2 --version 2>&1 | grep -q libbz2-rs";
in {
  imports = [
    ((import ./library.nix {inherit lib;}).module {
      name = "bzip2";
      description = "libbzip2-rs in place of libbz2";
      probes = {cfg}: [
        {
          name = "libbz2-is-libbz2-rs";
          command = "bzip2 --version";
          expect = "(?m)Version \\S*libbz2-rs-sys-\\d";
        }
        {
          name = "libbz2-rs-round-trips";
          command = whenRust "f=$(mktemp) && i=0 && while [ $i -lt 3000 ]; do echo \"line $i\"; i=$((i+1)); done >\"$f\" && bzip2 -c \"$f\" | bzip2 -dc | cmp - \"$f\" && echo round-trip-ok; rm -f \"$f\"";
          expect = "^round-trip-ok$";
        }
        # bzip2 compresses its own /proc/self/maps: the libbz2 it maps is
        # the package's file, and it is libbzip2-rs.
        {
          name = "libbz2-mapped-is-the-package";
          command = "f=$(bzip2 -c /proc/self/maps | bzip2 -dc | grep -o '/[^ ]*/libbz2\\.so[^ ]*' | head -n 1); if grep -q libbz2-rs \"$f\"; then echo \"$f has libbz2-rs\"; else echo \"$f lacks libbz2-rs\"; fi";
          expect = "^${lib.escapeRegex "${cfg.package}"}/\\S+ has libbz2-rs$";
        }
      ];
    })
  ];
}

# The packages this flake builds, for one pkgs.
{pkgs}: rec {
  bootcheck = pkgs.callPackage ./bootcheck/package.nix {};
  brush-bash = pkgs.callPackage ./brush-bash/package.nix {};
  # The coreutils replacement the oxidized module builds by default
  # (uutils with GNU fallbacks, named as GNU coreutils).
  coreutils-uutils = pkgs.callPackage ./coreutils/package.nix {};
  # treefmt with treefmt.toml: the flake's formatter.
  formatter = pkgs.callPackage ./formatter/package.nix {};
  default = bootcheck;
}

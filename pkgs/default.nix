# The packages this flake builds, for one pkgs.
{pkgs}: rec {
  bootcheck = pkgs.callPackage ./bootcheck/package.nix {};
  brush-bash = pkgs.callPackage ./brush-bash/package.nix {};
  coreutils-uutils = pkgs.callPackage ./coreutils/package.nix {};
  default = bootcheck;
}

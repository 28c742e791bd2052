# The packages this flake builds, for one pkgs.
{pkgs}: rec {
  bootcheck = pkgs.callPackage ./bootcheck/package.nix {};
  brush-bash = pkgs.callPackage ./brush-bash/package.nix {};
  # The coreutils replacement the oxidized module builds by default
  # (uutils with GNU fallbacks, named as GNU coreutils).
  coreutils-uutils = pkgs.callPackage ./uutils-swap/package.nix {
    gnu = pkgs.coreutils;
    uutils = pkgs.uutils-coreutils-noprefix;
    missingInUutils = ["chcon" "runcon"];
  };
  default = bootcheck;
}

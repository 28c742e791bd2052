# The packages this flake builds, for one pkgs.
{
  pkgs,
  # The options of a configuration with nixos-rs' modules, for options-doc.
  options,
}: rec {
  bootcheck = pkgs.callPackage ./bootcheck/package.nix {};
  brush-bash = pkgs.callPackage ./brush-bash/package.nix {};
  # The coreutils replacement the oxidized module builds by default
  # (uutils with GNU fallbacks, named as GNU coreutils).
  coreutils-uutils = pkgs.callPackage ./coreutils/package.nix {};
  # clippy over the workspace; a flake check.
  clippy = pkgs.callPackage ./clippy/package.nix {};
  # treefmt with treefmt.toml: the flake's formatter.
  formatter = pkgs.callPackage ./formatter/package.nix {};
  # The options reference (nixosOptionsDoc): options.md, options.json.
  options-doc = pkgs.callPackage ./options-doc/package.nix {inherit options;};
  default = bootcheck;
}

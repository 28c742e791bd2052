# The packages this flake builds, for one pkgs.
{
  pkgs,
  # The options of a configuration with nixos-rs' modules, for options-doc.
  options,
}: let
  inherit (pkgs) lib;
  uutils = import ../modules/oxidized/uutils.nix {inherit lib;};
  library = import ../modules/oxidized/library.nix {inherit lib;};
  components = import ../modules/oxidized/components.nix;
  # Each uutils component's replacement of the GNU package NixOS puts on
  # PATH, built as the module builds it by default (uutils with GNU
  # fallbacks, under the GNU package's store name): `<name>-replacement`.
  replacements = lib.listToAttrs (map (c:
    lib.nameValuePair "${c.name}-replacement" (uutils.replacement {
      inherit pkgs;
      inherit (c) name;
      original = pkgs.${lib.last c.uutils.originals};
      rust = pkgs.${c.uutils.package};
    })) (lib.filter (c: c ? uutils) components));
  # Each library component's Rust library (`<pkgs dir>`: zlib-rs,
  # libbz2-rs) and the replacement of the C library's package the module
  # swaps in (`<name>-replacement`).
  libraries = lib.listToAttrs (lib.concatMap (c: [
    (lib.nameValuePair c.library.package (library.package pkgs c.name))
    (lib.nameValuePair "${c.name}-replacement" (library.replacement {
      inherit pkgs;
      inherit (c) name;
    }))
  ]) (lib.filter (c: c ? library) components));
in
  replacements
  // libraries
  // rec {
    bootcheck = pkgs.callPackage ./bootcheck/package.nix {};
    brush-bash = pkgs.callPackage ./brush-bash/package.nix {};
    # clippy over the workspace; a flake check.
    clippy = pkgs.callPackage ./clippy/package.nix {};
    # treefmt with treefmt.toml: the flake's formatter.
    formatter = pkgs.callPackage ./formatter/package.nix {};
    # The options reference (nixosOptionsDoc): options.md, options.json.
    options-doc = pkgs.callPackage ./options-doc/package.nix {inherit options;};
    default = bootcheck;
  }

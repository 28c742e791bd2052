# Functions downstream flakes (and this flake's modules) call. Takes
# nixpkgs' lib only; anything that builds takes `pkgs` as an argument.
{lib}: let
  components = import ./components.nix {inherit lib;};
in
  components
  // {
    # Build a systemd-layout package with a Rust systemd's binaries over the
    # real systemd (see lib/systemd.nix).
    mkSystemdOverlay = import ./systemd.nix {};

    # True when replaceDependencies can swap `old` for `new`: their store
    # names must have the same length.
    sameNameLength = old: new: lib.stringLength old.name == lib.stringLength new.name;
  }

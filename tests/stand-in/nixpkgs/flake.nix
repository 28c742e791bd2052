# The nixpkgs stand-in as a flake, for `--override-input nixpkgs path:DIR`
# (default.nix says what it is). nixpkgs' lib/ directory is copied next to
# this file when the stand-in is laid out (a flake reads only files inside
# itself).
{
  description = "nixpkgs stand-in for nixos-rs' tests";

  outputs = _: let
    standIn = import ./. {lib = import ./lib;};
  in {
    inherit (standIn) lib legacyPackages;
    # Not nixpkgs': modules that make the model an older nixpkgs.
    inherit (standIn) overrides releases;
  };
}

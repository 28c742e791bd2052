# The nixpkgs stand-in, for evaluating nixos-rs without nixpkgs: the one
# model of nixpkgs and NixOS every Nix test of the project goes through.
#
#   import ./. { lib = import <nixpkgs' lib/>; }
#
# - `lib`: nixpkgs' real lib, extended with `nixosSystem` as nixpkgs'
#   flake.nix does;
# - `lib.nixosSystem`: a real lib.evalModules over the modules of nixos/,
#   which declare what nixos-rs sets or reads with nixpkgs' types, defaults
#   and assertions at the revision flake.lock pins (README.md lists each
#   fact with its nixpkgs file and PR);
# - `legacyPackages.<system>`: the package set of pkgs.nix;
# - `overrides`, `releases`: modules that turn the model into an older
#   nixpkgs (nixos/overrides, nixos/releases).
{lib}: let
  lib' = lib.extend (final: _: {
    # nixpkgs' flake.nix: nixosSystem = args: import ./nixos/lib/eval-config.nix (...)
    nixosSystem = args: import ./nixos/eval-config.nix ({lib = final;} // args // {inherit legacyPackages;});
  });
  legacyPackages = lib.genAttrs ["x86_64-linux" "aarch64-linux"] (system:
    import ./pkgs.nix {
      inherit system;
      lib = lib';
    });
  dir = d: lib.mapAttrs' (n: _: lib.nameValuePair (lib.removeSuffix ".nix" n) (d + "/${n}")) (builtins.readDir d);
in {
  lib = lib';
  inherit legacyPackages;
  overrides = dir ./nixos/overrides;
  releases = dir ./nixos/releases;
}

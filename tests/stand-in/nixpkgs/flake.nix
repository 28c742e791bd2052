# A stand-in for nixpkgs, for evaluating nixos-rs' flake (and a downstream
# flake made from its template) on a machine without nixpkgs:
#
#   nix eval --override-input nixpkgs path:<this directory> ...
#
# - `lib`: nixpkgs' real lib (its lib/ directory is copied next to this file
#   by scripts/check-flake), extended with `nixosSystem` as in nixpkgs'
#   flake.nix;
# - `lib.nixosSystem`: a real lib.evalModules over stub NixOS modules
#   (nixos/) that declare the options nixos-rs sets or reads, with nixpkgs'
#   types, defaults and the assertions that matter here;
# - `legacyPackages.<system>`: a package set of derivations that evaluate
#   (pkgs.nix).
{
  description = "nixpkgs stand-in for nixos-rs' evaluation tests";

  outputs = {self}: let
    lib = (import ./lib).extend (final: prev: {
      # nixpkgs' lib needs Nix 2.18 (lib/minver.nix); lib.fileset reads file
      # types with builtins.readFileType (Nix 2.14). For older Nix, such as
      # Debian 12's 2.8, the type comes from the parent's readDir, which
      # gives the same answer (neither follows a symlink); a path right in
      # the store, whose parent pure evaluation may not read, is taken for a
      # directory (flake sources are).
      filesystem =
        prev.filesystem
        // {
          pathType =
            builtins.readFileType
            or (path:
              if dirOf path == path || toString (dirOf path) == builtins.storeDir
              then "directory"
              else (builtins.readDir (dirOf path)).${baseNameOf path} or (throw "lib.filesystem.pathType: ${toString path} does not exist"));
        };
      # nixpkgs' flake.nix: nixosSystem = args: import ./nixos/lib/eval-config.nix (...)
      nixosSystem = args: import ./nixos/eval-config.nix ({lib = final;} // args // {inherit (self) legacyPackages;});
    });
  in {
    inherit lib;
    legacyPackages = lib.genAttrs ["x86_64-linux" "aarch64-linux"] (system: import ./pkgs.nix {inherit lib system;});
  };
}

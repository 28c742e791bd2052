# docs/options.md as the modules make it today: the options of
# nixosModules.oxidized and nixosModules.vm-guest, evaluated over the nixpkgs
# stand-in (lib only, no nixpkgs needed).
#   nix-instantiate --eval --strict --json tests/options-doc.nix --arg lib 'import <nixpkgs.lib/lib>'
{lib}: let
  eval = (import ./stand-in/nixpkgs {inherit lib;}).lib.nixosSystem {
    modules = [
      ../modules/vm-guest.nix
      ../modules/oxidized
      {nixpkgs.hostPlatform = "x86_64-linux";}
    ];
  };
in
  import ../nix/options-doc.nix {inherit lib;} {
    inherit (eval) options;
    root = ../.;
  }

# docs/options.md as the modules make it today: the options of
# nixosModules.oxidized and nixosModules.vm-guest, evaluated over the nixpkgs
# stand-in's NixOS modules and packages (lib only, no nixpkgs needed).
#   nix-instantiate --eval --strict --json tests/options-doc.nix --arg lib 'import <nixpkgs.lib/lib>'
{lib}: let
  system = "x86_64-linux";
  eval = import ./stand-in/nixpkgs/nixos/eval-config.nix {
    inherit lib;
    legacyPackages.${system} = import ./stand-in/nixpkgs/pkgs.nix {inherit lib system;};
    modules = [
      ../modules/vm-guest.nix
      ../modules/oxidized
      {nixpkgs.hostPlatform = system;}
    ];
  };
in
  import ../lib/options-doc.nix {inherit lib;} {
    inherit (eval) options;
    root = ../.;
  }

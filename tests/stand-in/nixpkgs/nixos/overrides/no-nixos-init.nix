# nixpkgs before PR #433154 (2025-08): no system.nixos-init.
{disabledModules = [../modules/nixos-init.nix];}

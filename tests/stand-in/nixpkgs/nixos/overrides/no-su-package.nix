# nixpkgs before PR #495216 (2026-03): no security.shadow.su.package; su is
# shadow's whatever sudo is.
{disabledModules = [../modules/programs/shadow-su.nix];}

# lib.nixosSystem of the stand-in: nixos/lib/eval-config.nix's shape (the
# evaluation plus `pkgs`, `lib` and `extendModules`), over the modules of
# ./modules instead of nixos/modules/module-list.nix.
{
  lib,
  modules,
  legacyPackages,
  specialArgs ? {},
  # Legacy argument: nixpkgs.hostPlatform.
  system ? null,
  ...
}: let
  eval = lib.evalModules {
    class = "nixos";
    specialArgs = {modulesPath = toString ./modules;} // specialArgs;
    modules =
      import ./modules/module-list.nix
      ++ [
        {_module.args = {inherit legacyPackages;};}
      ]
      ++ lib.optional (system != null) {nixpkgs.hostPlatform = lib.mkDefault system;}
      ++ modules;
  };
  withExtraAttrs = e:
    e
    // {
      inherit lib;
      inherit (e._module.args) pkgs;
      extendModules = args: withExtraAttrs (e.extendModules args);
    };
in
  withExtraAttrs eval

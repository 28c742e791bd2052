# Options every NixOS module may touch, and the package set.
#   nixos/modules/misc/assertions.nix   assertions, warnings
#   nixos/modules/misc/nixpkgs.nix      nixpkgs.hostPlatform, _module.args.pkgs
#   nixos/modules/misc/version.nix      system.stateVersion
#   nixos/modules/tasks/network-interfaces.nix  networking.*
#   nixos/modules/misc/documentation.nix        documentation.enable
{
  config,
  lib,
  legacyPackages,
  ...
}: let
  inherit (lib) mkOption types;
in {
  options = {
    assertions = mkOption {
      type = types.listOf types.unspecified;
      internal = true;
      default = [];
    };
    warnings = mkOption {
      type = types.listOf types.str;
      internal = true;
      default = [];
    };
    nixpkgs.hostPlatform = mkOption {
      type = types.either types.str types.attrs;
      apply = lib.systems.elaborate;
    };
    nixpkgs.overlays = mkOption {
      type = types.listOf (types.mkOptionType {
        name = "nixpkgs-overlay";
        check = lib.isFunction;
        merge = lib.mergeOneOption;
      });
      default = [];
    };
    system.stateVersion = mkOption {
      type = types.str;
      default = "26.05";
    };
    networking = {
      hostName = mkOption {
        type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
        default = config.system.nixos.distroId;
      };
      useDHCP = mkOption {
        type = types.bool;
        default = true;
      };
      useNetworkd = mkOption {
        type = types.bool;
        default = false;
      };
      usePredictableInterfaceNames = mkOption {
        type = types.bool;
        default = true;
      };
    };
    system.nixos.distroId = mkOption {
      type = types.str;
      default = "nixos";
      internal = true;
    };
    documentation.enable = mkOption {
      type = types.bool;
      default = true;
    };
  };

  # The overlays applied in order, each seeing the final set (nixpkgs'
  # fixed point, without its splicing).
  config._module.args.pkgs = let
    base =
      legacyPackages.${config.nixpkgs.hostPlatform.system}
      or (throw "the nixpkgs stand-in has no packages for ${config.nixpkgs.hostPlatform.system}");
  in
    lib.fix (final: lib.foldl' (prev: overlay: prev // overlay final prev) base config.nixpkgs.overlays);
}

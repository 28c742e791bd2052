# Options every NixOS module may touch, and the package set.
#   nixos/modules/misc/assertions.nix           assertions, warnings
#   nixos/modules/misc/nixpkgs.nix              nixpkgs.hostPlatform, nixpkgs.overlays, _module.args.pkgs
#   nixos/modules/misc/version.nix              system.stateVersion (defaults to the
#                                               release, lib.trivial.release), system.nixos.*
#   nixos/modules/tasks/network-interfaces.nix  networking.*
#   nixos/modules/misc/documentation.nix        documentation.enable
#   nixos/modules/virtualisation/container-config.nix  boot.isContainer
{
  config,
  lib,
  legacyPackages,
  ...
}: let
  inherit (lib) mkOption types;
  bool = default:
    mkOption {
      type = types.bool;
      inherit default;
    };
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
      default = config.system.nixos.release;
    };
    system.nixos = {
      release = mkOption {
        type = types.str;
        internal = true;
        default = lib.trivial.release;
      };
      label = mkOption {
        type = types.str;
        default = "${config.system.nixos.release}.stand-in";
      };
      distroId = mkOption {
        type = types.str;
        default = "nixos";
        internal = true;
      };
    };
    networking = {
      hostName = mkOption {
        type = types.strMatching "^$|^[[:alnum:]]([[:alnum:]_-]{0,61}[[:alnum:]])?$";
        default = config.system.nixos.distroId;
      };
      useDHCP = bool true;
      useNetworkd = bool false;
      usePredictableInterfaceNames = bool true;
      timeServers = mkOption {
        type = types.listOf types.str;
        default = ["0.nixos.pool.ntp.org" "1.nixos.pool.ntp.org" "2.nixos.pool.ntp.org" "3.nixos.pool.ntp.org"];
      };
    };
    documentation.enable = bool true;
    boot.isContainer = bool false;
  };

  config = {
    # nixos/modules/tasks/network-interfaces-systemd.nix: networkd does the
    # networking.
    systemd.network.enable = lib.mkIf config.networking.useNetworkd true;

    # The overlays applied in order, each seeing the final set (nixpkgs'
    # fixed point, without its splicing).
    _module.args.pkgs = let
      base =
        legacyPackages.${config.nixpkgs.hostPlatform.system}
        or (throw "the nixpkgs stand-in has no packages for ${config.nixpkgs.hostPlatform.system}");
    in
      lib.fix (final: lib.foldl' (prev: overlay: prev // overlay final prev) base config.nixpkgs.overlays);
  };
}

# Stub declarations of the upstream options modules/oxidized/systemd.nix
# sets or reads, with nixpkgs' defaults (files named in the comments).
# stubs.nix imports this file.
{lib, ...}: let
  inherit (lib) mkOption types;
  bool = default:
    mkOption {
      type = types.bool;
      inherit default;
    };
in {
  options = {
    # nixos/modules/services/hardware/udev.nix (types.listOf types.path;
    # the `apply = map getBin` is left out: the fakes have one output).
    services.udev.packages = mkOption {
      type = types.listOf types.path;
      default = [];
    };

    # nixos/modules/system/boot/systemd.nix with the unit options of
    # systemd-unit-options.nix: `enable` (false masks the unit) and the
    # [Service] settings.
    systemd.services = mkOption {
      type = types.attrsOf (types.submodule {
        options = {
          enable = bool true;
          serviceConfig = mkOption {
            type = types.attrsOf types.anything;
            default = {};
          };
        };
      });
      default = {};
    };

    # nixos/modules/system/boot/resolved.nix, networkd.nix,
    # tasks/lvm.nix, services/logging/logrotate.nix
    services.resolved.enable = bool false;
    systemd.network.enable = bool false;
    services.lvm.enable = bool true;
    services.logrotate.checkConfig = bool true;
  };
}

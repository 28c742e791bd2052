# Services nixos-rs and its test hosts set.
#   nixos/modules/services/networking/ntp/ntpd-rs.nix  turns timesyncd off, asserts it stays off
#   nixos/modules/system/boot/timesyncd.nix            on by default
#   nixos/modules/services/ttys/getty.nix              services.getty.autologinUser
#   nixos/modules/system/boot/resolved.nix             services.resolved.enable
#   nixos/modules/services/system/userborn.nix         asserts systemd-sysusers is off
#   nixos/modules/services/hardware/udev.nix           services.udev.packages
#   nixos/modules/tasks/lvm.nix                        services.lvm.enable (on by default)
#   nixos/modules/services/logging/logrotate.nix       services.logrotate.checkConfig
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
in {
  options.services = {
    ntpd-rs = {
      enable = lib.mkEnableOption "Network Time Service (ntpd-rs)";
      package = lib.mkPackageOption pkgs "ntpd-rs" {};
    };
    timesyncd.enable = mkOption {
      type = types.bool;
      default = !config.boot.isContainer;
    };
    getty.autologinUser = mkOption {
      type = types.nullOr types.str;
      default = null;
    };
    resolved.enable = lib.mkEnableOption "the systemd DNS resolver daemon";
    userborn = {
      enable = lib.mkEnableOption "userborn";
      package = lib.mkPackageOption pkgs "userborn" {};
    };
    udev.packages = mkOption {
      type = types.listOf types.path;
      default = [];
      apply = map lib.getBin;
    };
    lvm.enable = mkOption {
      type = types.bool;
      default = true;
    };
    logrotate = {
      enable = mkOption {
        type = types.bool;
        default = true;
      };
      checkConfig = mkOption {
        type = types.bool;
        default = true;
      };
    };
  };
  options.boot.isContainer = mkOption {
    type = types.bool;
    default = false;
  };

  config = lib.mkMerge [
    (lib.mkIf config.services.ntpd-rs.enable {
      assertions = [
        {
          assertion = !config.services.timesyncd.enable;
          message = "`ntpd-rs` is not compatible with `services.timesyncd`. Please disable one of them.";
        }
      ];
      services.timesyncd.enable = false;
      systemd.packages = [config.services.ntpd-rs.package];
    })
    (lib.mkIf config.services.userborn.enable {
      assertions = [
        {
          assertion = !config.systemd.sysusers.enable;
          message = "You cannot use systemd-sysusers and Userborn at the same time";
        }
      ];
    })
  ];
}

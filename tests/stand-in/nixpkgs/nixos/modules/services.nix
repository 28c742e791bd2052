# Services nixos-rs and its test hosts set or read.
#   nixos/modules/services/networking/ntp/ntpd-rs.nix  turns timesyncd off (normal priority),
#     asserts it stays off, installs its units (systemd.packages)
#   nixos/modules/system/boot/timesyncd.nix            on by default, off in containers
#   nixos/modules/services/networking/ntp/chrony.nix, ntpd.nix, openntpd.nix: each turns
#     timesyncd off with mkForce, nothing else; two of them can run at once
#   nixos/modules/services/ttys/getty.nix              services.getty.autologinUser
#   nixos/modules/system/boot/resolved.nix             services.resolved.enable
#   nixos/modules/services/system/userborn.nix         userborn's assertions: no
#     systemd-sysusers, no users activation script, not /etc for the password files on an
#     immutable /etc (passwordFilesLocation defaults elsewhere there), and `static`
#     (added after the copies read) not with system.switch
#   nixos/modules/config/users-groups.nix              system.activationScripts.users, the
#     Perl script, unless userborn or systemd-sysusers manage users
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
  bool = default:
    mkOption {
      type = types.bool;
      inherit default;
    };
  userborn = config.services.userborn;
  immutableEtc = config.system.etc.overlay.enable && !config.system.etc.overlay.mutable;
  timeDaemon = name: {
    options.services.${name}.enable = lib.mkEnableOption name;
    config = lib.mkIf config.services.${name}.enable {
      services.timesyncd.enable = lib.mkForce false;
    };
  };
in {
  imports = map timeDaemon ["chrony" "ntp" "openntpd"];

  options.services = {
    ntpd-rs = {
      enable = lib.mkEnableOption "Network Time Service (ntpd-rs)";
      package = lib.mkPackageOption pkgs "ntpd-rs" {};
    };
    timesyncd.enable = bool (!config.boot.isContainer);
    getty.autologinUser = mkOption {
      type = types.nullOr types.str;
      default = null;
    };
    resolved.enable = lib.mkEnableOption "the systemd DNS resolver daemon";
    userborn = {
      enable = lib.mkEnableOption "userborn";
      package = lib.mkPackageOption pkgs "userborn" {};
      passwordFilesLocation = mkOption {
        type = types.str;
        default =
          if immutableEtc
          then "/var/lib/nixos"
          else "/etc";
      };
      static = bool false;
    };
    udev.packages = mkOption {
      type = types.listOf types.path;
      default = [];
      apply = map lib.getBin;
    };
    lvm.enable = bool true;
    logrotate = {
      enable = bool true;
      checkConfig = bool true;
    };
  };
  options.system = {
    activationScripts = mkOption {
      type = types.attrsOf (types.either types.str types.attrs);
      default = {};
    };
    etc.overlay.mutable = bool true;
    switch.enable = bool true;
  };

  config = lib.mkMerge [
    {
      system.activationScripts.users =
        if userborn.enable || config.systemd.sysusers.enable
        then ""
        else "${pkgs.perl}/bin/perl update-users-groups.pl";
    }
    (lib.mkIf config.services.ntpd-rs.enable {
      assertions = [
        {
          assertion = !config.services.timesyncd.enable;
          message = "`ntpd-rs` is not compatible with `services.timesyncd`. Please disable one of them.";
        }
      ];
      services.timesyncd.enable = false;
      systemd.packages = [config.services.ntpd-rs.package];
      environment.systemPackages = [config.services.ntpd-rs.package];
    })
    (lib.mkIf userborn.enable {
      assertions = [
        {
          assertion = !config.systemd.sysusers.enable;
          message = "You cannot use systemd-sysusers and Userborn at the same time";
        }
        {
          assertion = config.system.activationScripts.users == "";
          message = "system.activationScripts.users has to be empty to use userborn";
        }
        {
          assertion = immutableEtc -> userborn.passwordFilesLocation != "/etc";
          message = "When `system.etc.overlay.mutable = false`, `services.userborn.passwordFilesLocation` cannot be set to `/etc`";
        }
        {
          assertion = userborn.static -> !config.system.switch.enable;
          message = "`services.userborn.static` cannot be used with `system.switch.enable`";
        }
      ];
    })
  ];
}

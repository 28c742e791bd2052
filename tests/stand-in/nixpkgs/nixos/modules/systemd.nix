# systemd as NixOS configures it.
#   nixos/modules/system/boot/systemd.nix      systemd.package (its with* flags, util-linux
#     and the files under example/ are read), systemd.packages, the unit options
#   nixos/modules/system/boot/systemd-unit-options.nix  a unit's `enable = false` masks it
#   nixos/modules/system/boot/networkd.nix     systemd.network.*; systemd-networkd-wait-online
#     is enabled as wait-online.enable says (normal priority)
#   nixos/modules/system/boot/resolved.nix, timesyncd.nix  their units' drop-ins
#   nixos/modules/system/boot/systemd/sysusers.nix  systemd.sysusers.enable
# A package without the attributes NixOS reads fails here as in NixOS.
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  cfg = config.systemd;
  # Unit-like sets: `enable`, the rest free-form.
  units = mkOption {
    type = types.attrsOf (types.submodule {
      freeformType = types.attrsOf types.anything;
      options.enable = mkOption {
        type = types.bool;
        default = true;
      };
    });
    default = {};
  };
  flags = [
    "withBootloader"
    "withCryptsetup"
    "withEfi"
    "withHostnamed"
    "withImportd"
    "withLocaled"
    "withMachined"
    "withNspawn"
    "withPortabled"
    "withRepart"
    "withTimedated"
    "withTpm2Units"
    "withUtmp"
  ];
in {
  options.systemd = {
    package = lib.mkPackageOption pkgs "systemd" {};
    packages = mkOption {
      type = types.listOf types.package;
      default = [];
    };
    services = units;
    sockets = units;
    targets = units;
    sysusers.enable = lib.mkEnableOption "systemd-sysusers";
    network = {
      enable = lib.mkEnableOption "networkd";
      networks = mkOption {
        type = types.attrsOf (types.attrsOf types.anything);
        default = {};
      };
      wait-online.enable = mkOption {
        type = types.bool;
        default = true;
      };
    };
  };

  config = lib.mkMerge [
    {
      environment.systemPackages = [cfg.package];
      system.build.units =
        pkgs.runCommand "system-units" {
          upstream = "${cfg.package}/example/systemd/system";
          packages = cfg.packages;
          utilLinux = cfg.package.util-linux;
          interface = toString cfg.package.interfaceVersion;
          flags = map (f: "${f}=${lib.boolToString cfg.package.${f}}") flags;
          enabled = lib.attrNames (lib.filterAttrs (_: u: u.enable) cfg.services);
          masked = lib.attrNames (lib.filterAttrs (_: u: !u.enable) cfg.services);
          # Every unit's default PATH (nixos/lib/systemd-lib.nix): in the
          # unit files, so the units refer to these packages.
          path = lib.makeBinPath [pkgs.coreutils pkgs.findutils pkgs.gnugrep pkgs.gnused cfg.package];
        } ''
          mkdir -p "$out"
          for u in $enabled; do printf '[Service]\nEnvironment="PATH=%s"\n' "$path" > "$out/$u.service"; done
          echo "$flags" > "$out/flags"
          echo "$masked" > "$out/masked"
        '';
    }
    (lib.mkIf cfg.network.enable {
      systemd.services.systemd-networkd = {};
      systemd.services.systemd-networkd-wait-online.enable = cfg.network.wait-online.enable;
    })
    (lib.mkIf config.services.resolved.enable {
      systemd.services.systemd-resolved = {};
    })
    (lib.mkIf config.services.timesyncd.enable {
      systemd.services.systemd-timesyncd = {};
    })
  ];
}

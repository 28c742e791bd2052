# nixos/modules/system/boot/systemd.nix and networkd.nix. NixOS reads the
# with* flags and util-linux from systemd.package's passthru and its files
# under example/; the stub reads the same attributes, so a package without
# them fails here as in NixOS.
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  cfg = config.systemd;
  # Unit-like sets: the stub does not model their many options.
  units = mkOption {
    type = types.attrsOf (types.submodule {freeformType = types.attrsOf types.anything;});
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
      networks = units;
      wait-online.enable = mkOption {
        type = types.bool;
        default = true;
      };
    };
  };

  config = {
    environment.systemPackages = [cfg.package];
    system.build.units =
      pkgs.runCommand "system-units" {
        upstream = "${cfg.package}/example/systemd/system";
        packages = cfg.packages;
        utilLinux = cfg.package.util-linux;
        interface = toString cfg.package.interfaceVersion;
        flags = map (f: "${f}=${lib.boolToString cfg.package.${f}}") flags;
        services = builtins.toJSON (lib.attrNames cfg.services);
      } ''
        mkdir -p "$out"
        echo "$flags" > "$out/flags"
      '';
  };
}

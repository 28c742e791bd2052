# nixos/modules/system/activation/top-level.nix: system.name, system.build,
# system.replaceDependencies and the toplevel derivation, which throws the
# failed assertions and swaps the replacements; system.path
# (nixos/modules/config/system-path.nix); system.etc.overlay
# (nixos/modules/system/etc/etc.nix).
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  cfg = config.system;

  # What the toplevel refers to: each is evaluated, as in NixOS.
  baseSystem =
    pkgs.runCommand "nixos-system-${cfg.name}-${cfg.nixos.label}" {
      systemPath = cfg.path;
      systemd = config.systemd.package;
      units = cfg.build.units;
      inherit (config.environment) binsh;
      shells = config.environment.shells;
      userShells = lib.mapAttrsToList (_: u: u.shell) config.users.users;
      initrd = lib.optional config.boot.initrd.enable cfg.build.initialRamdisk;
      kernelParams = config.boot.kernelParams;
      # With nixos-init, the system has no bash stage 2 (prepare-root).
      init =
        if cfg.nixos-init.enable
        then cfg.nixos-init.package
        else "stage-2";
    } ''
      mkdir -p "$out"
      ln -s "$systemPath" "$out/sw"
      ln -s "$systemd" "$out/systemd"
      echo "$kernelParams" > "$out/kernel-params"
    '';
in {
  options.system = {
    name = mkOption {
      type = types.str;
      default =
        if config.networking.hostName == ""
        then "unnamed"
        else config.networking.hostName;
    };
    nixos.label = mkOption {
      type = types.str;
      default = "26.05.stand-in";
    };
    build = mkOption {
      internal = true;
      default = {};
      type = types.submoduleWith {modules = [{freeformType = types.lazyAttrsOf (types.uniq types.unspecified);}];};
    };
    path = mkOption {
      type = types.package;
      internal = true;
    };
    replaceDependencies = {
      replacements = mkOption {
        type = types.listOf (types.submodule {
          options = {
            oldDependency = mkOption {type = types.package;};
            newDependency = mkOption {type = types.package;};
          };
        });
        default = [];
      };
      # The initrd only where there is one (nixpkgs PR #444133).
      cutoffPackages = mkOption {
        type = types.listOf types.package;
        default = lib.optionals config.boot.initrd.enable [cfg.build.initialRamdisk];
      };
    };
    etc.overlay.enable = mkOption {
      type = types.bool;
      default = false;
    };
  };

  config = {
    system.path = pkgs.buildEnv {
      name = "system-path";
      paths = config.environment.systemPackages;
    };
    system.build.toplevel = let
      checked = lib.asserts.checkAssertWarn config.assertions config.warnings baseSystem;
    in
      # "Avoid IFD if possible": no replacements, no rewrite.
      if cfg.replaceDependencies.replacements == []
      then checked
      else
        pkgs.replaceDependencies {
          drv = checked;
          inherit (cfg.replaceDependencies) replacements cutoffPackages;
        };
  };
}

# nixos/modules/system/activation/top-level.nix: system.name, system.build,
# system.replaceDependencies and the toplevel derivation, which throws the
# failed assertions, prints the warnings and swaps the replacements
# (pkgs.replaceDependencies: import-from-derivation), and builds
# system.checks first (its builder names them in `passedChecks`, so that a
# failed check fails the system, and keeps no reference to them); system.path
# (nixos/modules/config/system-path.nix: a buildEnv that ignores
# collisions); system.etc.overlay (nixos/modules/system/etc/etc.nix).
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  cfg = config.system;

  # What the toplevel refers to: each is evaluated and built, as in NixOS.
  baseSystem =
    pkgs.runCommand "nixos-system-${cfg.name}-${cfg.nixos.label}" {
      systemPath = cfg.path;
      systemd = config.systemd.package;
      units = cfg.build.units;
      inherit (config.environment) binsh;
      etc = cfg.build.etc;
      initrd = lib.optional config.boot.initrd.enable cfg.build.initialRamdisk;
      kernelParams = config.boot.kernelParams;
      # With nixos-init, the system has no bash stage 2 (prepare-root).
      init =
        if cfg.nixos-init.enable or false
        then "${cfg.nixos-init.package}/bin/nixos-init"
        else "${pkgs.bashNonInteractive}/bin/bash";
      prepareRoot = !(cfg.nixos-init.enable or false);
      passedChecks = lib.concatStringsSep " " cfg.checks;
    } ''
      mkdir -p "$out"
      ln -s "$systemPath" "$out/sw"
      ln -s "$systemd" "$out/systemd"
      ln -s "$etc" "$out/etc"
      ln -s "$units" "$out/units"
      for i in $initrd; do ln -s "$i" "$out/initrd"; done
      echo "$kernelParams" > "$out/kernel-params"
      # The activation script: bash's (runtimeShell) unless nixos-init
      # runs stage 2; it makes /bin/sh.
      printf '#!%s\nln -sfn %s /bin/sh\n' "$init" "$binsh" > "$out/activate"
      if [ -n "$prepareRoot" ]; then printf '#!%s\n' "$init" > "$out/prepare-root"; fi
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
    build = mkOption {
      internal = true;
      default = {};
      type = types.submoduleWith {modules = [{freeformType = types.lazyAttrsOf (types.uniq types.unspecified);}];};
    };
    path = mkOption {
      type = types.package;
      internal = true;
    };
    checks = mkOption {
      type = types.listOf types.package;
      default = [];
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
      ignoreCollisions = true;
    };
    system.build.etc = pkgs.writeText "etc" (builtins.toJSON (lib.mapAttrs (_: e: e.text or e.source or null) config.environment.etc));
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

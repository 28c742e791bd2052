# systemd -> a Rust systemd supplied by the user. No Rust systemd is in
# nixpkgs, so there is no default: build one with
# `nixos-rs.lib.mkSystemdOverlay { pkgs; rust = <your build>; }`, which lays
# the Rust binaries over systemd's layout and keeps its passthru flags.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.systemd;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "systemd";
in {
  options.oxidized.systemd =
    {
      enable = lib.mkEnableOption "a Rust systemd as PID 1 and service manager (experimental)";
      package = lib.mkOption {
        type = lib.types.nullOr lib.types.package;
        default = null;
        example = lib.literalExpression "nixos-rs.lib.mkSystemdOverlay { inherit pkgs; rust = pkgs.callPackage ./systemd-rs.nix { }; }";
        description = "A package with systemd's layout whose binaries are the Rust systemd's. No default: nixpkgs has none.";
      };
      expect = lib.mkOption {
        type = lib.types.str;
        default = "(?i)rust|systemd-rs";
        description = "Regex the path of PID 1's executable must match.";
      };
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.systemd.reportRow = {
        enabled = cfg.enable;
        stability = "experimental";
        original = pkgs.systemd.name;
        replacement =
          if cfg.package == null
          then "none (set oxidized.systemd.package)"
          else cfg.package.name;
        strategy = "module";
      };
    }
    (lib.mkIf cfg.enable {
      assertions = [
        {
          assertion = cfg.package != null;
          message = ''
            oxidized.systemd.enable needs oxidized.systemd.package: nixpkgs has no
            Rust systemd. Build one over systemd's layout, e.g.
              oxidized.systemd.package = nixos-rs.lib.mkSystemdOverlay {
                inherit pkgs; rust = <your systemd-rs package>; };
          '';
        }
      ];
      systemd.package = lib.mkIf (cfg.package != null) cfg.package;
      oxidized.systemd.probes = [
        # /proc/1/exe is readable by root only.
        (probe "pid1-is-rust" "sudo -n readlink -f /proc/1/exe" cfg.expect)
        (probe "units-run" "systemctl is-system-running --wait; systemctl list-units --type=service --state=running --no-legend | wc -l" "(?m)^[1-9][0-9]*$")
      ];
    })
  ];
}

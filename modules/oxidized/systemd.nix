# systemd -> a Rust systemd the user supplies. nixpkgs has none, so there
# is no default package: build one with `nixos-rs.lib.mkSystemdOverlay`,
# which lays the Rust binaries over systemd's layout and keeps the passthru
# flags NixOS reads from systemd.package (nixos/modules/system/boot/systemd.nix).
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.systemd;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "systemd";

  # What NixOS reads from config.systemd.package besides its files:
  # nixos/modules/system/boot/systemd.nix (the with* flags, util-linux) and
  # nixos/modules/system/activation/top-level.nix (interfaceVersion). Those
  # that the real systemd has must be there.
  read = [
    "interfaceVersion"
    "util-linux"
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
  missing =
    lib.optionals (cfg.package != null)
    (lib.filter (a: pkgs.systemd ? ${a} && !(cfg.package ? ${a})) read);
in {
  options.oxidized.systemd =
    {
      enable = lib.mkEnableOption "a Rust systemd as PID 1 and service manager (experimental)";
      package = lib.mkOption {
        type = lib.types.nullOr lib.types.package;
        default = null;
        example = lib.literalExpression "nixos-rs.lib.mkSystemdOverlay { inherit pkgs; rust = pkgs.callPackage ./systemd-rs.nix { }; }";
        description = ''
          A package with systemd's layout whose binaries are the Rust
          systemd's. No default: nixpkgs has no Rust systemd.
        '';
      };
      expect = lib.mkOption {
        type = lib.types.str;
        default =
          if cfg.package != null && cfg.package ? rust
          then "^${lib.escapeRegex "${cfg.package.rust}"}/"
          else "(?i)rust";
        defaultText = lib.literalMD "the store path of `package.rust` (set by `mkSystemdOverlay`) as a regex prefix, else `(?i)rust`";
        description = "Regex (Rust syntax) that the path of PID 1's executable must match.";
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
            Rust systemd. Lay yours over systemd's layout, e.g.
              oxidized.systemd.package = nixos-rs.lib.mkSystemdOverlay {
                inherit pkgs;
                rust = <your Rust systemd package>;
              };
          '';
        }
        {
          assertion = missing == [];
          message = "oxidized.systemd.package (${
            if cfg.package == null
            then "none"
            else cfg.package.name
          }) lacks ${lib.concatStringsSep ", " missing}, which NixOS reads from systemd.package: build it with nixos-rs.lib.mkSystemdOverlay, which keeps systemd's passthru.";
        }
      ];
      systemd.package = lib.mkIf (cfg.package != null) cfg.package;
      oxidized.systemd.probes = [
        # /proc/1/exe can only be read by root.
        (probe "pid1-is-rust" "sudo -n readlink -f /proc/1/exe" cfg.expect)
        (probe "manager-reached-multi-user" "systemctl is-active multi-user.target" "^active$")
      ];
    })
  ];
}

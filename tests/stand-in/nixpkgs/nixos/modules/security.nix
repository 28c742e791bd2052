# sudo, sudo-rs and su, at the revision flake.lock pins.
#   nixos/modules/security/sudo.nix     security.sudo (on by default)
#   nixos/modules/security/sudo-rs.nix  security.sudo-rs: turns sudo off (mkDefault),
#     asserts the two are not both on, installs the package, and makes its
#     su the system's su (mkDefault)
#   nixos/modules/programs/shadow.nix   security.shadow.su.package (nixpkgs PR #495216)
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  wheel = mkOption {
    type = types.bool;
    default = true;
  };
in {
  options.security = {
    sudo = {
      enable = mkOption {
        type = types.bool;
        default = true;
      };
      package = lib.mkPackageOption pkgs "sudo" {};
      wheelNeedsPassword = wheel;
    };
    sudo-rs = {
      enable = lib.mkEnableOption "a memory-safe implementation of the sudo command";
      package = lib.mkPackageOption pkgs "sudo-rs" {};
      wheelNeedsPassword = wheel;
    };
    shadow.su.package = mkOption {
      type = types.package;
      default = pkgs.shadow.su;
    };
  };

  config = lib.mkMerge [
    (lib.mkIf config.security.sudo.enable {
      assertions = [
        {
          assertion = config.security.sudo.package.pname != "sudo-rs";
          message = "Use `security.sudo-rs` for sudo-rs";
        }
      ];
      environment.systemPackages = [config.security.sudo.package];
    })
    (lib.mkIf config.security.sudo-rs.enable {
      assertions = [
        {
          assertion = !config.security.sudo.enable;
          message = "`security.sudo` and `security.sudo-rs` cannot both be enabled";
        }
      ];
      security.sudo.enable = lib.mkDefault false;
      security.shadow.su.package = lib.mkDefault config.security.sudo-rs.package;
      environment.systemPackages = [config.security.sudo-rs.package];
    })
  ];
}

# Users and their shells.
#   nixos/modules/config/users-groups.nix  users.users: a user's shell defaults to
#     pkgs.shadow (its nologin); users with useDefaultShell (isNormalUser sets it,
#     mkDefault) and root get users.defaultUserShell (mkDefault); the shells that
#     are shell packages are installed (environment.systemPackages)
#   nixos/modules/programs/shadow.nix      users.defaultUserShell: a path or a shell
#     package (lib/types.nix shellPackage: a derivation with shellPath)
#   nixos/modules/programs/bash/bash.nix   sets it to bashInteractive (mkDefault)
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  cfg = config.users;
  shell = types.either types.shellPackage types.path;
  bool = default:
    mkOption {
      type = types.bool;
      inherit default;
    };
in {
  options.users = {
    defaultUserShell = mkOption {
      type = shell;
      default = "/bin/sh";
    };
    users = mkOption {
      default = {};
      type = types.attrsOf (types.submodule ({
        name,
        config,
        ...
      }: {
        options = {
          name = mkOption {
            type = types.str;
            default = name;
          };
          isNormalUser = bool false;
          isSystemUser = bool false;
          useDefaultShell = bool false;
          extraGroups = mkOption {
            type = types.listOf types.str;
            default = [];
          };
          description = mkOption {
            type = types.str;
            default = "";
          };
          shell = mkOption {
            type = types.nullOr shell;
            default = pkgs.shadow;
          };
          initialPassword = mkOption {
            type = types.nullOr types.str;
            default = null;
          };
          hashedPassword = mkOption {
            type = types.nullOr types.str;
            default = null;
          };
        };
        config = lib.mkMerge [
          {shell = lib.mkIf config.useDefaultShell (lib.mkDefault cfg.defaultUserShell);}
          (lib.mkIf config.isNormalUser {useDefaultShell = lib.mkDefault true;})
        ];
      }));
    };
  };
  config = {
    users.users.root.shell = lib.mkDefault cfg.defaultUserShell;
    environment.systemPackages = lib.filter types.shellPackage.check (lib.mapAttrsToList (_: u: u.shell) cfg.users);
  };
}

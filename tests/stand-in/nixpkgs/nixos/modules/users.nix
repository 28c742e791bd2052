# nixos/modules/config/users-groups.nix: users.users with the options the
# project and its template set; users.defaultUserShell
# (nixos/modules/programs/shadow.nix): a path or a shell package
# (lib/types.nix shellPackage: a derivation with shellPath).
{
  config,
  lib,
  ...
}: let
  inherit (lib) mkOption types;
  shell = types.either types.path types.shellPackage;
in {
  options.users = {
    defaultUserShell = mkOption {
      type = shell;
      default = "/bin/sh";
    };
    users = mkOption {
      default = {};
      type = types.attrsOf (types.submodule ({name, ...}: {
        options = {
          name = mkOption {
            type = types.str;
            default = name;
          };
          isNormalUser = mkOption {
            type = types.bool;
            default = false;
          };
          isSystemUser = mkOption {
            type = types.bool;
            default = false;
          };
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
            default = config.users.defaultUserShell;
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
      }));
    };
  };
  config.users.users.root = {};
}

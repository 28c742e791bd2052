# nixos/modules/security/wrappers/default.nix: security.wrapperDir
# (/run/wrappers/bin) and security.wrappers, each a small program copied
# there at boot that execs `source` with the wrapper's setuid, setgid or
# capabilities; `program` (the file name there) defaults to the attribute
# name, a wrapper can be turned off with `enable`. Every system has mount
# and umount (util-linux). The wrappers that sudo, sudo-rs and shadow's su
# add are set in security.nix and programs/shadow-su.nix.
{
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  setuidRoot = source: {
    setuid = true;
    owner = "root";
    group = "root";
    inherit source;
  };
in {
  options.security = {
    wrapperDir = mkOption {
      type = types.path;
      default = "/run/wrappers/bin";
      internal = true;
    };
    wrappers = mkOption {
      default = {};
      type = types.attrsOf (types.submodule ({name, ...}: {
        options = {
          enable = mkOption {
            type = types.bool;
            default = true;
          };
          source = mkOption {type = types.path;};
          program = mkOption {
            type = types.nullOr types.str;
            default = name;
          };
          owner = mkOption {type = types.str;};
          group = mkOption {type = types.str;};
          permissions = mkOption {
            type = types.str;
            default = "u+rx,g+x,o+x";
          };
          capabilities = mkOption {
            type = types.commas;
            default = "";
          };
          setuid = mkOption {
            type = types.bool;
            default = false;
          };
          setgid = mkOption {
            type = types.bool;
            default = false;
          };
        };
      }));
    };
  };
  config.security.wrappers = {
    mount = setuidRoot "${lib.getBin pkgs.util-linux}/bin/mount";
    umount = setuidRoot "${lib.getBin pkgs.util-linux}/bin/umount";
  };
}

# nixos/modules/programs/shadow.nix: security.shadow.su.package, the su of
# the system (nixpkgs PR #495216, 2026-03), and
# nixos/modules/security/sudo-rs.nix's use of it: sudo-rs' su (mkDefault);
# the su wrapper runs it.
# nixos/overrides/no-su-package.nix leaves this module out for an older
# nixpkgs.
{
  config,
  lib,
  pkgs,
  ...
}: {
  options.security.shadow.su.package = lib.mkOption {
    type = lib.types.package;
    default = pkgs.shadow.su;
  };
  config.security.shadow.su.package = lib.mkIf config.security.sudo-rs.enable (lib.mkDefault config.security.sudo-rs.package);
  # programs/shadow.nix: su on PATH is a setuid wrapper of that su.
  config.security.wrappers.su = {
    source = "${config.security.shadow.su.package}/bin/su";
    setuid = true;
    owner = "root";
    group = "root";
  };
}

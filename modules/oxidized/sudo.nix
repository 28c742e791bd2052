# sudo -> sudo-rs, through NixOS's own module (nixos/modules/security/sudo-rs.nix):
# it installs the setuid wrappers, PAM services and a sudoers file checked
# at build time, and its su comes from sudo-rs too
# (security.shadow.su.package defaults to it there).
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.sudo;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "sudo";
in {
  options.oxidized.sudo =
    {
      enable = lib.mkEnableOption "sudo-rs in place of sudo (stable)";
      package = lib.mkPackageOption pkgs "sudo-rs" {};
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.sudo.reportRow = {
        enabled = cfg.enable;
        stability = "stable";
        original = pkgs.sudo.name;
        replacement = cfg.package.name;
        strategy = "module";
      };
    }
    (lib.mkIf cfg.enable {
      assertions = [
        {
          assertion = !config.security.sudo.enable;
          message = "oxidized.sudo replaces sudo with sudo-rs, but security.sudo.enable is set: remove that setting or disable oxidized.sudo.";
        }
      ];
      security.sudo-rs = {
        enable = true;
        inherit (cfg) package;
      };
      oxidized.sudo.probes = [
        (probe "sudo-is-sudo-rs" "sudo --version" "sudo-rs")
        (probe "su-is-su-rs" "su --version" "su-rs")
        # Behaviour, not only a name: the wrapper really escalates.
        (probe "sudo-rs-escalates" "sudo -n id -u" "^0$")
      ];
    })
  ];
}

# sudo -> sudo-rs, through NixOS's own module
# (nixos/modules/security/sudo-rs.nix). It installs the setuid wrapper
# (security.wrappers), the PAM services and a sudoers file that visudo
# checks at build time, turns security.sudo off (mkDefault) and asserts the
# two are not both on; it also makes sudo-rs' su the system's su
# (security.shadow.su.package, mkDefault; nixos/modules/programs/shadow.nix).
# Nothing of that is repeated here.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.sudo;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "sudo";
  # su comes from sudo-rs unless the configuration chose another one.
  suIsSudoRs = lib.getName (config.security.shadow.su.package or cfg.package) == lib.getName cfg.package;
in {
  options.oxidized.sudo =
    {
      enable = lib.mkEnableOption "sudo-rs in place of sudo, and its su (stable)";
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
      # sudo-rs.nix asserts this too; this message says which option to drop.
      assertions = [
        {
          assertion = !config.security.sudo.enable;
          message = "oxidized.sudo replaces sudo with sudo-rs, but security.sudo.enable is forced on: remove that setting, or set oxidized.sudo.enable = false.";
        }
      ];
      security.sudo-rs = {
        enable = true;
        inherit (cfg) package;
      };
      oxidized.sudo.probes =
        [
          # sudo-rs prints "sudo-rs <version>" (src/sudo/mod.rs); sudo
          # prints "Sudo version <version>".
          (probe "sudo-is-sudo-rs" "sudo --version" "(?m)^sudo-rs \\d")
          # The setuid wrapper runs sudo-rs as root. Needs a user who may
          # sudo without a password (root, or wheel in the vm-guest profile).
          (probe "sudo-rs-runs-as-root" "sudo -n id -u" "^0$")
        ]
        # sudo-rs' su prints "su-rs <version>" (src/su/mod.rs; older
        # releases printed "sudo-rs <version>"); shadow's and util-linux's
        # su print neither.
        ++ lib.optional suIsSudoRs (probe "su-is-sudo-rs" "su --version" "(?m)^su(do)?-rs \\d");
    })
  ];
}

# sudo -> sudo-rs, through NixOS's own module
# (nixos/modules/security/sudo-rs.nix). It installs the setuid wrapper
# (security.wrappers), the PAM services and a sudoers file that visudo
# checks at build time, turns security.sudo off (mkDefault) and asserts the
# two are not both on. From nixpkgs PR #495216 (2026-03; in the revision
# flake.lock pins) it also makes sudo-rs' su the system's su through
# security.shadow.su.package (mkDefault; nixos/modules/programs/shadow.nix).
# Nothing of that is repeated here; older nixpkgs, which lack that option,
# get an assertion instead of a su probe that would fail.
{
  config,
  lib,
  options,
  pkgs,
  ...
}: let
  cfg = config.oxidized.sudo;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "sudo";
  # Whether this nixpkgs can make su sudo-rs' su (nixpkgs PR #495216).
  suOption = lib.hasAttrByPath ["security" "shadow" "su" "package"] options;
  suPackage = config.security.shadow.su.package;
  suIsSudoRs = suOption && lib.getName suPackage == lib.getName cfg.package;
in {
  options.oxidized.sudo =
    {
      enable = lib.mkEnableOption "sudo-rs in place of sudo, and its su (stable)";
      package = lib.mkPackageOption pkgs "sudo-rs" {};
      su = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Check that su is sudo-rs' su as well. NixOS's sudo-rs module makes
          it so through `security.shadow.su.package` (nixpkgs from 2026-03,
          PR #495216); with an older nixpkgs, which has no such option, or
          with another su chosen there, evaluation stops with an assertion
          that says so. `false`: su is neither checked nor changed.
        '';
      };
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.sudo.reportRow = {
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
        {
          assertion = cfg.su -> suOption;
          message = "oxidized.sudo.su: this nixpkgs has no security.shadow.su.package (added by nixpkgs PR #495216, 2026-03), so su stays shadow's: update nixpkgs, or set oxidized.sudo.su = false.";
        }
        {
          assertion = cfg.su && suOption -> suIsSudoRs;
          message = "oxidized.sudo.su: security.shadow.su.package is ${
            if suOption
            then suPackage.name
            else "missing"
          }, not ${cfg.package.name}'s su: remove that setting, or set oxidized.sudo.su = false.";
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
          # Only where sudo is sudo-rs: sudo's own `sudo -n id -u` says 0 too.
          (probe "sudo-rs-runs-as-root" (nrs.whenRust "sudo --version 2>&1 | grep -q '^sudo-rs '" "sudo -n id -u") "^0$")
          # sudo-rs' own diagnostics; sudo says "sudo: unknown user ...".
          ((probe "sudo-rs-names-an-unknown-user" "sudo -n -u no-such-user true" "^sudo: user 'no-such-user' not found$") // {ignore_exit = true;})
        ]
        # sudo-rs' su prints "su-rs <version>" (src/su/mod.rs; older
        # releases printed "sudo-rs <version>"); shadow's and util-linux's
        # su print neither. Its diagnostics differ too: util-linux's su
        # says "user ... does not exist or the user entry does not contain
        # all the required fields", shadow's "user ... does not exist".
        ++ lib.optionals (cfg.su && suIsSudoRs) [
          (probe "su-is-sudo-rs" "su --version" "(?m)^su(do)?-rs \\d")
          ((probe "su-rs-names-an-unknown-user" "su no-such-user" "^su: user 'no-such-user' not found$") // {ignore_exit = true;})
        ];
    })
  ];
}

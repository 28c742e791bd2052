# sudo -> sudo-rs, through NixOS's own module
# (nixos/modules/security/sudo-rs.nix). It installs the setuid wrapper
# (security.wrappers), the PAM services and a sudoers file that visudo
# checks at build time, turns security.sudo off (mkDefault) and asserts the
# two are not both on. From nixpkgs PR #495216 (2026-03; in the revision
# flake.lock pins) it also makes sudo-rs' su the system's su through
# security.shadow.su.package (mkDefault; nixos/modules/programs/shadow.nix).
# Nothing of that is repeated here. On an older nixpkgs, which lacks that
# option, su is neither checked nor changed.
#
# sudo-rs' module reads only security.sudo-rs.*: what a configuration set
# under security.sudo (wheelNeedsPassword, execWheelOnly, extraRules,
# extraConfig) is carried over, so that turning the component on does not
# drop a sudo policy (a passwordless deploy user, say).
{
  config,
  lib,
  options,
  pkgs,
  ...
}: let
  cfg = config.oxidized.sudo;
  nrs = import ./lib.nix {inherit lib;};
  probe = nrs.mkProbe "sudo";
  # Whether this nixpkgs can make su sudo-rs' su (nixpkgs PR #495216).
  suOption = lib.hasAttrByPath ["security" "shadow" "su" "package"] options;
  suPackage = config.security.shadow.su.package;
  suIsSudoRs = suOption && lib.getName suPackage == lib.getName cfg.package;

  # security.sudo's rules as sudo-rs takes them: sudo-rs' module accepts
  # fewer command tags than sudo's (nixos/modules/security/sudo-rs.nix and
  # sudo.nix); a tag it lacks is left out and named in a warning.
  sudo = config.security.sudo;
  rustTags = ["NOPASSWD" "PASSWD" "NOEXEC" "EXEC" "SETENV" "NOSETENV" "LOG_INPUT" "NOLOG_INPUT" "LOG_OUTPUT" "NOLOG_OUTPUT"];
  commandsOf = r: lib.filter (c: !builtins.isString c) r.commands;
  droppedTags = lib.unique (lib.concatMap (r: lib.concatMap (c: lib.subtractLists rustTags c.options) (commandsOf r)) sudo.extraRules);
  carriedRules = map (r:
    r
    // {
      commands = map (c:
        if builtins.isString c
        then c
        else c // {options = lib.filter (t: lib.elem t rustTags) c.options;})
      r.commands;
    })
  sudo.extraRules;
in {
  options.oxidized.sudo =
    {
      enable = lib.mkEnableOption "sudo-rs in place of sudo, and its su (stable)";
      package = lib.mkPackageOption pkgs "sudo-rs" {};
      su = lib.mkOption {
        type = lib.types.bool;
        default = suOption;
        defaultText = lib.literalMD "whether this nixpkgs has `security.shadow.su.package` (nixpkgs PR #495216, 2026-03)";
        description = ''
          su is sudo-rs' su too, and a probe checks it. NixOS's sudo-rs module
          makes it so through `security.shadow.su.package` (nixpkgs from
          2026-03, PR #495216); when another su is chosen there, evaluation
          stops with an assertion that says so.

          `false`: su stays shadow's, the C su (nixos-rs sets
          `security.shadow.su.package` back to its default at a priority
          your own setting still wins over), and no su probe runs. On a
          nixpkgs without that option su is always shadow's, and this
          defaults to `false`.
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
    # su = false: su stays shadow's, above sudo-rs.nix's mkDefault.
    (lib.optionalAttrs suOption {
      security.shadow.su.package = lib.mkIf (cfg.enable && !cfg.su) (lib.mkOverride 900 options.security.shadow.su.package.default);
    })
    (lib.mkIf cfg.enable {
      # sudo-rs.nix asserts this too; this message says which option to drop.
      assertions = [
        {
          assertion = !config.security.sudo.enable;
          message = "oxidized.sudo replaces sudo with sudo-rs, but security.sudo.enable is forced on: remove that setting, or set oxidized.sudo.enable = false.";
        }
        {
          assertion = cfg.su -> suOption;
          message = "oxidized.sudo.su: this nixpkgs has no security.shadow.su.package (added by nixpkgs PR #495216, 2026-03), so su stays shadow's: update nixpkgs, or remove oxidized.sudo.su = true.";
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
        # Carried over from security.sudo; a setting made under
        # security.sudo-rs wins (mkDefault), rules and config add up.
        wheelNeedsPassword = lib.mkDefault sudo.wheelNeedsPassword;
        execWheelOnly = lib.mkDefault sudo.execWheelOnly;
        extraRules = carriedRules;
        inherit (sudo) extraConfig;
      };
      warnings =
        lib.optional (droppedTags != []) "oxidized.sudo: security.sudo.extraRules uses ${lib.concatStringsSep ", " droppedTags}, which sudo-rs does not support; the rules were carried over to security.sudo-rs without ${
          if lib.length droppedTags == 1
          then "it"
          else "them"
        }. Remove ${
          if lib.length droppedTags == 1
          then "it"
          else "them"
        } from security.sudo.extraRules to silence this.";
      # sudo and su on PATH are NixOS's security wrappers of sudo-rs'
      # programs (security.wrappers, nixos/modules/security/sudo-rs.nix);
      # lib.mkBootCheck tells the checker what each wrapper runs.
      oxidized.sudo.rustAtRuntime =
        [{command = "sudo";}]
        ++ lib.optional (cfg.su && suIsSudoRs) {command = "su";};
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

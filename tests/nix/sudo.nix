# oxidized.sudo: sudo-rs through NixOS's module, su, the sudo policy
# carried over from security.sudo.
{
  lib,
  h,
}: let
  inherit (h) eval evalOn failing probeNames probe;
  on = {oxidized.sudo.enable = true;};
  stable = eval [on];
  forced = eval [
    on
    {security.sudo.enable = lib.mkForce true;}
  ];
  shadowSu = eval [
    on
    ({pkgs, ...}: {security.shadow.su.package = pkgs.shadow.su;})
  ];
  suOff = eval [on {oxidized.sudo.su = false;}];
  old = evalOn h.standIn.releases."nixos-25.11" [on];
  oldSuOn = evalOn h.standIn.releases."nixos-25.11" [on {oxidized.sudo.su = true;}];
  custom = eval [
    {
      oxidized.sudo = {
        enable = true;
        package = h.pkg "sudo-rs" "0.3.0" {};
      };
    }
  ];
  wheelRule = c: lib.findFirst (r: r.groups == ["wheel"]) null c.security.sudo-rs.extraRules;
  policy = eval [
    on
    {
      security.sudo = {
        wheelNeedsPassword = false;
        execWheelOnly = true;
        extraRules = [
          {
            users = ["deploy"];
            commands = [
              {
                command = "/run/current-system/sw/bin/systemctl";
                options = ["NOPASSWD" "MAIL"];
              }
              "/run/current-system/sw/bin/true"
            ];
          }
        ];
        extraConfig = "Defaults timestamp_timeout=0";
      };
    }
  ];
  policyRsWins = eval [
    on
    {
      security.sudo.wheelNeedsPassword = false;
      security.sudo-rs.wheelNeedsPassword = true;
    }
  ];
in {
  sudo-goes-through-the-upstream-module = {
    expr = {
      inherit (stable.security.sudo-rs) enable;
      package = stable.security.sudo-rs.package.name;
      sudo = stable.security.sudo.enable;
      su = stable.security.shadow.su.package.name;
      probe = probe stable "sudo-is-sudo-rs";
    };
    expected = {
      enable = true;
      package = "sudo-rs-0.2.13";
      sudo = false;
      su = "sudo-rs-0.2.13";
      probe = {
        name = "sudo-is-sudo-rs";
        component = "sudo";
        command = "sudo --version";
        expect = "(?m)^sudo-rs \\d";
        ignore_exit = false;
        needsNixos = null;
        timeout = 30;
      };
    };
  };
  sudo-forced-on-names-the-option = {
    expr = failing forced;
    expected = [
      "oxidized.sudo replaces sudo with sudo-rs, but security.sudo.enable is forced on: remove that setting, or set oxidized.sudo.enable = false."
      "`security.sudo` and `security.sudo-rs` cannot both be enabled"
    ];
  };
  su-probe-only-when-su-is-sudo-rs = {
    expr = {
      default = lib.elem "su-is-sudo-rs" (probeNames stable);
      shadow = lib.elem "su-is-sudo-rs" (probeNames shadowSu);
      shadowSays = failing shadowSu;
    };
    expected = {
      default = true;
      shadow = false;
      shadowSays = ["oxidized.sudo.su: security.shadow.su.package is shadow-4.18.0, not sudo-rs-0.2.13's su: remove that setting, or set oxidized.sudo.su = false."];
    };
  };
  # su = false keeps shadow's su (over sudo-rs.nix's mkDefault) and runs
  # no su probe.
  su-off-keeps-shadows-su = {
    expr = {
      su = suOff.security.shadow.su.package.name;
      probe = lib.elem "su-is-sudo-rs" (probeNames suOff);
      failing = failing suOff;
    };
    expected = {
      su = "shadow-4.18.0";
      probe = false;
      failing = [];
    };
  };
  # NixOS 25.11 has no security.shadow.su.package (before PR #495216): su
  # is not checked, no assertion; asking for it is one.
  su-on-an-older-nixpkgs-is-left-alone = {
    expr = {
      su = old.oxidized.sudo.su;
      probe = lib.elem "su-is-sudo-rs" (probeNames old);
      failing = failing old;
      asked = failing oldSuOn;
    };
    expected = {
      su = false;
      probe = false;
      failing = [];
      asked = ["oxidized.sudo.su: this nixpkgs has no security.shadow.su.package (added by nixpkgs PR #495216, 2026-03), so su stays shadow's: update nixpkgs, or remove oxidized.sudo.su = true."];
    };
  };
  sudo-package-option-reaches-upstream-and-report = {
    expr = {
      upstream = custom.security.sudo-rs.package.name;
      report = custom.oxidized.report.sudo.replacement;
    };
    expected = {
      upstream = "sudo-rs-0.3.0";
      report = "sudo-rs-0.3.0";
    };
  };
  # What a configuration set under security.sudo reaches sudo-rs.
  sudo-policy-is-carried-over = {
    expr = {
      wheel = (wheelRule policy).commands;
      inherit (policy.security.sudo-rs) execWheelOnly extraConfig;
      deploy = lib.filter (r: r.users == ["deploy"]) policy.security.sudo-rs.extraRules;
      sudoers = lib.hasInfix "deploy ALL=(ALL:ALL) NOPASSWD: /run/current-system/sw/bin/systemctl, /run/current-system/sw/bin/true" policy.environment.etc.sudoers.text;
      warnings = policy.warnings;
      failing = failing policy;
    };
    expected = {
      wheel = [
        {
          command = "ALL";
          options = ["NOPASSWD" "SETENV"];
        }
      ];
      execWheelOnly = true;
      extraConfig = "Defaults timestamp_timeout=0";
      deploy = [
        {
          users = ["deploy"];
          groups = [];
          host = "ALL";
          runAs = "ALL:ALL";
          commands = [
            {
              command = "/run/current-system/sw/bin/systemctl";
              options = ["NOPASSWD"];
            }
            "/run/current-system/sw/bin/true"
          ];
        }
      ];
      sudoers = true;
      warnings = ["oxidized.sudo: security.sudo.extraRules uses MAIL, which sudo-rs does not support; the rules were carried over to security.sudo-rs without it. Remove it from security.sudo.extraRules to silence this."];
      failing = [];
    };
  };
  sudo-rs-settings-win-over-carried-ones = {
    expr = (wheelRule policyRsWins).commands;
    expected = [
      {
        command = "ALL";
        options = ["SETENV"];
      }
    ];
  };
}

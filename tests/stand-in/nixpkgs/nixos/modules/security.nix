# sudo and sudo-rs.
#   nixos/modules/security/sudo.nix     security.sudo: on by default; its rules
#   nixos/modules/security/sudo-rs.nix  security.sudo-rs: turns sudo off (mkDefault),
#     asserts the two are not both on, installs its package
# Both make their root and wheel rules part of extraRules (mkOrder 400 and
# 600; wheel gets NOPASSWD when wheelNeedsPassword is false) and render the
# rules into the sudoers file. sudo's command options take sudo's tags;
# sudo-rs' take the subset sudo-rs understands (no MAIL, NOMAIL, FOLLOW,
# NOFLLOW (sic), INTERCEPT, NOINTERCEPT).
{
  config,
  lib,
  pkgs,
  ...
}: let
  inherit (lib) mkOption types;
  rustTags = ["NOPASSWD" "PASSWD" "NOEXEC" "EXEC" "SETENV" "NOSETENV" "LOG_INPUT" "NOLOG_INPUT" "LOG_OUTPUT" "NOLOG_OUTPUT"];
  cTags = rustTags ++ ["MAIL" "NOMAIL" "FOLLOW" "NOFLLOW" "INTERCEPT" "NOINTERCEPT"];
  ruleType = tags:
    types.submodule {
      options = {
        users = mkOption {
          type = types.listOf (types.either types.str types.int);
          default = [];
        };
        groups = mkOption {
          type = types.listOf (types.either types.str types.int);
          default = [];
        };
        host = mkOption {
          type = types.str;
          default = "ALL";
        };
        runAs = mkOption {
          type = types.str;
          default = "ALL:ALL";
        };
        commands = mkOption {
          type = types.listOf (types.either types.str (types.submodule {
            options = {
              command = mkOption {type = types.str;};
              options = mkOption {
                type = types.listOf (types.enum tags);
                default = [];
              };
            };
          }));
        };
      };
    };
  common = tags: {
    wheelNeedsPassword = mkOption {
      type = types.bool;
      default = true;
    };
    execWheelOnly = mkOption {
      type = types.bool;
      default = false;
    };
    extraRules = mkOption {
      type = types.listOf (ruleType tags);
      default = [];
    };
    extraConfig = mkOption {
      type = types.lines;
      default = "";
    };
  };
  # The root and wheel rules every sudo module adds, and the sudoers text.
  defaults = cfg: defaultOptions: [
    (lib.mkOrder 400 [
      {
        users = ["root"];
        commands = [
          {
            command = "ALL";
            options = defaultOptions;
          }
        ];
      }
    ])
    (lib.mkOrder 600 [
      {
        groups = ["wheel"];
        commands = [
          {
            command = "ALL";
            options = lib.optional (!cfg.wheelNeedsPassword) "NOPASSWD" ++ defaultOptions;
          }
        ];
      }
    ])
  ];
  render = cfg:
    lib.concatMapStrings (r: let
      who = map toString r.users ++ map (g: "%${toString g}") r.groups;
      cmd = c:
        if builtins.isString c
        then c
        else lib.concatMapStrings (o: "${o}: ") c.options + c.command;
    in
      lib.concatMapStrings (w: "${w} ${r.host}=(${r.runAs}) ${lib.concatMapStringsSep ", " cmd r.commands}\n") who)
    cfg.extraRules
    + cfg.extraConfig;
  # The setuid wrappers of sudo's programs: group wheel and no access for
  # others with execWheelOnly.
  wrappers = cfg: names:
    lib.genAttrs names (n: {
      source = "${cfg.package.out}/bin/${n}";
      owner = "root";
      group =
        if cfg.execWheelOnly
        then "wheel"
        else "root";
      setuid = true;
      permissions =
        if cfg.execWheelOnly
        then "u+rx,g+x"
        else "u+rx,g+x,o+x";
    });
in {
  options.security = {
    sudo =
      common cTags
      // {
        enable = mkOption {
          type = types.bool;
          default = true;
        };
        package = lib.mkPackageOption pkgs "sudo" {};
      };
    sudo-rs =
      common rustTags
      // {
        enable = lib.mkEnableOption "a memory-safe implementation of the sudo command";
        package = lib.mkPackageOption pkgs "sudo-rs" {};
        defaultOptions = mkOption {
          type = types.listOf types.str;
          default = ["SETENV"];
        };
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
      security.sudo.extraRules = lib.mkMerge (defaults config.security.sudo ["SETENV"]);
      security.wrappers = wrappers config.security.sudo ["sudo" "sudoedit"];
      environment.systemPackages = [config.security.sudo.package];
      environment.etc.sudoers.text = render config.security.sudo;
    })
    (lib.mkIf config.security.sudo-rs.enable {
      assertions = [
        {
          assertion = !config.security.sudo.enable;
          message = "`security.sudo` and `security.sudo-rs` cannot both be enabled";
        }
      ];
      security.sudo.enable = lib.mkDefault false;
      security.sudo-rs.extraRules = lib.mkMerge (defaults config.security.sudo-rs config.security.sudo-rs.defaultOptions);
      security.wrappers = wrappers config.security.sudo-rs ["sudo"];
      environment.systemPackages = [config.security.sudo-rs.package];
      environment.etc.sudoers.text = render config.security.sudo-rs;
    })
  ];
}

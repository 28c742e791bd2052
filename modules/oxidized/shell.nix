# bash -> brush, through the brush-bash launcher (pkgs/brush-bash), which
# speaks bash's command line and execs brush: as /bin/sh, as the default
# user shell, and closure-wide for bash and bashInteractive.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.shell;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "shell";

  # The launcher under the exact name of the bash it replaces (same length
  # for system.replaceDependencies), with bin/bash and bin/sh.
  launcherAs = original:
    pkgs.runCommand original.name {
      # users.defaultUserShell takes a shell package: one with shellPath
      # (lib/types.nix, shellPackage).
      passthru = {
        shellPath = "/bin/bash";
        inherit (cfg) launcher;
      };
      meta.mainProgram = "bash";
    } ''
      mkdir -p $out/bin
      ln -s ${lib.getExe' cfg.launcher "brush-bash"} $out/bin/bash
      ln -s bash $out/bin/sh
    '';
  interactive = launcherAs pkgs.bashInteractive;
  pairs = [
    {
      original = pkgs.bash;
      replacement = launcherAs pkgs.bash;
    }
    {
      original = pkgs.bashInteractive;
      replacement = interactive;
    }
  ];

  # bash features brush does not have (reubeno/brush
  # docs/reference/compatibility.md): a configuration whose shell startup
  # uses them cannot run on brush.
  unsupported = {
    "select loop" = "(^|[;[:space:]])select [A-Za-z_][A-Za-z0-9_]* in ";
    "wait -n" = "wait -n";
    "disown" = "(^|[;[:space:]])disown([[:space:]]|$)";
  };
  shellInit = {
    "programs.bash.interactiveShellInit" = config.programs.bash.interactiveShellInit;
    "programs.bash.loginShellInit" = config.programs.bash.loginShellInit;
    "programs.bash.shellInit" = config.programs.bash.shellInit;
    "environment.interactiveShellInit" = config.environment.interactiveShellInit;
    "environment.loginShellInit" = config.environment.loginShellInit;
    "environment.shellInit" = config.environment.shellInit;
  };
  uses = text: re: lib.any (line: builtins.match ".*${re}.*" line != null) (lib.splitString "\n" text);
  bashOnly = lib.concatLists (lib.mapAttrsToList (opt: text:
    lib.mapAttrsToList (feature: _: "${opt} uses ${feature}")
    (lib.filterAttrs (_: re: uses text re) unsupported))
  shellInit);
in {
  options.oxidized.shell =
    {
      enable = lib.mkEnableOption "brush in place of bash (experimental)";
      package = lib.mkPackageOption pkgs "brush" {};
      launcher = lib.mkOption {
        type = lib.types.package;
        default = pkgs.callPackage ../../pkgs/brush-bash/package.nix {brush = cfg.package;};
        defaultText = lib.literalExpression "pkgs.callPackage nixos-rs/pkgs/brush-bash/package.nix { brush = config.oxidized.shell.package; }";
        description = "The program installed as bin/bash and bin/sh: it translates bash's command line and execs brush.";
      };
      strategy = nrs.strategyOption "bash";
      binsh = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = "Make /bin/sh the launcher (environment.binsh).";
      };
      userShell = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = "Make the launcher the default user shell (users.defaultUserShell).";
      };
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.shell.reportRow = {
        enabled = cfg.enable;
        stability = "experimental";
        original = pkgs.bashInteractive.name;
        replacement = "${cfg.package.name} (via ${cfg.launcher.name})";
        inherit (cfg) strategy;
      };
    }
    (lib.mkIf cfg.enable (lib.mkMerge [
      (nrs.swapConfig {
        inherit config pairs;
        inherit (cfg) strategy;
      })
      {
        assertions =
          nrs.sameLengthAssertions "shell" pairs
          ++ map (what: {
            assertion = false;
            message = "oxidized.shell: ${what}, which brush does not support; remove it or disable oxidized.shell.";
          })
          bashOnly;
        warnings = lib.optional (cfg.strategy == "closure" && !config.system.nixos-init.enable) ''
          oxidized.shell: with strategy "closure", NixOS's stage-2 activation
          scripts run under brush. Consider oxidized.boot.enable (nixos-init
          runs no activation scripts) until brush runs them all.
        '';
        # nixos/modules/config/shells-environment.nix; the option is
        # invisible in the manual but a plain path.
        environment.binsh = lib.mkIf cfg.binsh "${interactive}/bin/sh";
        users.defaultUserShell = lib.mkIf cfg.userShell interactive;
        environment.shells = [interactive];
        oxidized.shell.probes =
          [
            # The process really running is brush (the launcher execs it).
            (probe "bash-runs-brush" "bash -c 'readlink /proc/$$/exe'" "brush")
            (probe "bash-c-arguments" "bash -ec 'echo \"$0:$1:$#\"' zero one" "^zero:one:1$")
          ]
          ++ lib.optional cfg.binsh (probe "bin-sh-is-brush" "sh -c 'readlink /proc/$$/exe'" "brush")
          ++ lib.optional cfg.userShell (probe "login-shell-is-brush" "readlink /proc/$$/exe" "brush");
      }
    ]))
  ];
}

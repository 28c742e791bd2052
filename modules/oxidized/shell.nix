# bash -> brush, through a launcher that speaks bash's command line and
# execs brush (`launcher`, pkgs/brush-bash by default): as /bin/sh, as the
# default user shell, and closure-wide for every bash of the system.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.shell;
  nrs = import ./lib.nix {inherit lib;};
  repl = import ../../lib/replacements.nix {inherit lib;};
  probe = nrs.mkProbe "shell";
  under = nrs.storePrefix;

  # Every bash of the system, each store path once. nixpkgs made `bash`
  # interactive and added `bashNonInteractive` (nixpkgs PR #379368), which
  # scripts' runtimeShell uses; older package sets have a non-interactive
  # `bash` and a separate `bashInteractive`. The last one is the
  # interactive bash NixOS puts on PATH (nixos/modules/config/system-path.nix).
  bashes = lib.unique (map (a: pkgs.${a}) (lib.filter (a: pkgs ? ${a}) ["bashNonInteractive" "bash" "bashInteractive"]));

  # The launcher under the exact name of the bash it stands in for, with
  # that bash's bin/bash and bin/sh; a shell package for
  # users.defaultUserShell (lib/types.nix: shellPackage needs shellPath).
  launcherAs = original:
    repl.sameNameAs {
      inherit (pkgs) runCommand;
      inherit original;
      replacement = cfg.launcher;
      passthru.shellPath = "/bin/bash";
      require = ["bin/bash" "bin/sh"];
    };
  pairs =
    map (original: {
      inherit original;
      replacement = launcherAs original;
    })
    bashes;
  interactive = (lib.last pairs).replacement;

  # bash features brush does not have (reubeno/brush,
  # docs/reference/compatibility.md, "Not Yet Supported": select, coproc,
  # wait -n, disown; ERR traps are not implemented). Start-up code that uses
  # them cannot run under brush. POSIX extended regexes, matched per line;
  # comment lines are skipped.
  sep = "(^|[;&|({[:space:]])";
  bashOnly = {
    "select" = "${sep}select[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]*(in[[:space:]]|;|$)";
    "coproc" = "${sep}coproc([[:space:]]|$)";
    "wait -n" = "${sep}wait[[:space:]]+(-[A-Za-z]*n)";
    "disown" = "${sep}disown([;&|)}[:space:]]|$)";
    "an ERR trap" = "${sep}trap[[:space:]].*[[:space:]]ERR([;[:space:]]|$)";
  };
  startup = {
    "programs.bash.interactiveShellInit" = config.programs.bash.interactiveShellInit;
    "programs.bash.loginShellInit" = config.programs.bash.loginShellInit;
    "programs.bash.shellInit" = config.programs.bash.shellInit;
    "environment.interactiveShellInit" = config.environment.interactiveShellInit;
    "environment.loginShellInit" = config.environment.loginShellInit;
    "environment.shellInit" = config.environment.shellInit;
  };
  uses = text: re:
    lib.any (line: builtins.match "[[:space:]]*#.*" line == null && builtins.match ".*${re}.*" line != null)
    (lib.splitString "\n" text);
  userShellIsOurs = let
    s = config.users.defaultUserShell;
  in
    lib.isDerivation s && s.outPath == interactive.outPath;
  bashOnlyUses = lib.concatLists (lib.mapAttrsToList (opt: text:
    lib.mapAttrsToList (feature: _: "${opt} uses ${feature}")
    (lib.filterAttrs (_: re: uses text re) bashOnly))
  startup);
in {
  options.oxidized.shell =
    {
      enable = lib.mkEnableOption "brush in place of bash (experimental)";
      package = lib.mkPackageOption pkgs "brush" {};
      launcher = lib.mkOption {
        type = lib.types.package;
        default = pkgs.callPackage ../../pkgs/brush-bash/package.nix {brush = cfg.package;};
        defaultText = lib.literalMD "brush-bash, nixos-rs' launcher (`nixos-rs.packages.<system>.brush-bash`), built with `oxidized.shell.package` as its brush";
        description = ''
          The program that stands in for bash: it must install bin/bash and
          bin/sh, translate bash's command line and exec brush. It is linked
          under the store name of each bash of the system.
        '';
      };
      strategy = nrs.strategyOption "bash" "closure";
      binsh = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = "Make /bin/sh the launcher (environment.binsh).";
      };
      userShell = lib.mkOption {
        type = lib.types.bool;
        default = true;
        description = ''
          Make the launcher the default user shell (`users.defaultUserShell`),
          the shell of root and of normal users
          (nixos/modules/config/users-groups.nix). A `users.defaultUserShell`
          set in your configuration wins, with a warning; set this to
          `false` then.
        '';
      };
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.shell.reportRow = {
        original = (lib.last bashes).name;
        replacement = "${cfg.package.name} (through ${cfg.launcher.name})";
        inherit (cfg) strategy;
      };
    }
    (lib.mkIf cfg.enable (lib.mkMerge [
      (repl.swapConfig {
        inherit config pairs;
        inherit (cfg) strategy;
      })
      {
        assertions =
          repl.swapAssertions {
            component = "shell";
            inherit config pairs;
            inherit (cfg) strategy;
          }
          ++ map (what: {
            assertion = false;
            message = "oxidized.shell: ${what}, which brush does not support: remove it, or set oxidized.shell.enable = false.";
          })
          bashOnlyUses;
        warnings =
          lib.optionals (cfg.strategy == "closure" && !(config.system.nixos-init.enable or false))
          (nrs.notice config "shell-activation-under-brush" "oxidized.shell: with strategy \"closure\", NixOS's activation scripts run under brush (oxidized.boot, nixos-init, runs none).")
          ++ lib.optional (cfg.userShell && !userShellIsOurs)
          "oxidized.shell: users.defaultUserShell is set elsewhere in your configuration, and that setting wins: brush is not the default user shell. Set oxidized.shell.userShell = false to silence this.";
        # The option is invisible in the manual but a plain path
        # (nixos/modules/config/shells-environment.nix).
        environment.binsh = lib.mkIf cfg.binsh "${interactive}/bin/sh";
        # Above bash.nix's mkDefault, below a setting of the user's, which
        # wins (with the warning above).
        users.defaultUserShell = lib.mkIf cfg.userShell (lib.mkOverride 900 interactive);
        environment.shells = [interactive];
        # bash on PATH is the launcher (Rust), and the login shell's
        # process brush, where it is the user shell.
        oxidized.shell.rustAtRuntime =
          [{command = "bash";}]
          ++ lib.optional (cfg.userShell && userShellIsOurs) {loginShell = true;};
        oxidized.shell.probes =
          [
            # The process that runs is brush (the launcher execs it). The
            # `; :` keeps the shell alive while readlink runs: bash execs the
            # last simple command of -c in place of itself, brush does not.
            (probe "bash-runs-brush" "bash -c 'readlink /proc/$$/exe; :'" (under cfg.package))
            # bash's command line: -c with $0 and arguments, read by brush:
            # brush sets BASH_VERSION like bash, but BRUSH_VERSION too.
            (probe "bash-command-line" "bash -ec 'echo \"$0:$1:$#:\${BRUSH_VERSION:+brush}\"' zero one" "^zero:one:1:brush$")
          ]
          ++ lib.optional cfg.binsh (probe "bin-sh-runs-brush" "/bin/sh -c 'readlink /proc/$$/exe; :'" (under cfg.package))
          ++ lib.optionals (cfg.userShell && userShellIsOurs) [
            (probe "login-shell-is-brush" "readlink /proc/$$/exe" (under cfg.package))
            # The same without /proc: brush's own variable, which bash lacks
            # (its BASH_VERSION imitates bash's).
            (probe "login-shell-says-brush" "echo \"\${BRUSH_VERSION:-no BRUSH_VERSION}\"" "^[0-9]+\\.[0-9]+")
          ]
          # Store paths that name bash reach the launcher too: the
          # activation script's interpreter (runtimeShell).
          ++ lib.optional (cfg.strategy == "closure" && !(config.system.nixos-init.enable or false))
          ((probe "scripts-bash-is-the-launcher" "readlink -f \"$(sed -n '1s/^#!//p' /run/current-system/activate)\"" (under cfg.launcher))
            // {needsNixos = "reads the interpreter of NixOS's activation script";});
      }
    ]))
  ];
}

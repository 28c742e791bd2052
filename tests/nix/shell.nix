# oxidized.shell: brush as every bash of the system, /bin/sh and the user
# shell; bash-only start-up code refused.
{
  lib,
  h,
}: let
  inherit (h) eval failing probeNames probesOf probe oldNew names isPrefixRegexOf;
  pkgs = h.pkgs;
  on = {oxidized.shell.enable = true;};
  shell = eval [on];
  # Three distinct bashes: an older package set's non-interactive `bash`
  # beside bashNonInteractive and bashInteractive, each replaced once.
  threeBashes = eval [
    (h.withPkgs (prev: {bash = prev.standIn.pkg "bash" "5.2p37" {passthru.shellPath = "/bin/bash";};}))
    on
  ];
  shellPath = eval [
    {
      oxidized.shell = {
        enable = true;
        strategy = "path";
        userShell = false;
        binsh = false;
      };
    }
  ];
  shellBoot = eval [on {oxidized.boot.enable = true;}];
  acknowledged = eval [on {oxidized.acknowledge = ["shell-activation-under-brush"];}];
  zsh = h.pkg "zsh" "5.9" {passthru.shellPath = "/bin/zsh";};
  userZsh = eval [on {users.defaultUserShell = zsh;}];
  userZshOff = eval [
    on
    {
      users.defaultUserShell = zsh;
      oxidized.shell.userShell = false;
    }
  ];
  shellWith = option: text:
    failing (eval [
      on
      (lib.setAttrByPath (lib.splitString "." option) text)
    ]);
  version = (lib.importTOML ../../Cargo.toml).workspace.package.version;
  activationWarning = "oxidized.shell: with strategy \"closure\", NixOS's activation scripts run under brush (oxidized.boot, nixos-init, runs none). Add \"shell-activation-under-brush\" to oxidized.acknowledge to silence this.";
in {
  shell-closure-replaces-every-bash-once = {
    expr = {
      pin = oldNew shell;
      three = oldNew threeBashes;
      cutoff = names shell.system.replaceDependencies.cutoffPackages;
      failing = failing shell;
    };
    expected = {
      pin = [["bash-5.3p3" "bash-5.3p3"] ["bash-interactive-5.3p3" "bash-interactive-5.3p3"]];
      three = [["bash-5.3p3" "bash-5.3p3"] ["bash-5.2p37" "bash-5.2p37"] ["bash-interactive-5.3p3" "bash-interactive-5.3p3"]];
      cutoff = ["bash-5.3p3" "bash-interactive-5.3p3" "initrd-linux-6.12.48"];
      failing = [];
    };
  };
  shell-is-bin-sh-and-user-shell = {
    expr = {
      binsh = lib.hasSuffix "-bash-interactive-5.3p3/bin/sh" shell.environment.binsh;
      binshIsReplacement = lib.hasPrefix (lib.last shell.system.replaceDependencies.replacements).newDependency.outPath shell.environment.binsh;
      userShell = shell.users.defaultUserShell.shellPath;
      # root and normal users get it (users-groups.nix); system users keep shadow's nologin.
      root = shell.users.users.root.shell.outPath == shell.users.defaultUserShell.outPath;
      shells = lib.elem shell.users.defaultUserShell.outPath (map (s: s.outPath) shell.environment.shells);
      probes = map (p: p.name) (probesOf "shell" shell);
      runsBrush = isPrefixRegexOf pkgs.brush (probe shell "bash-runs-brush").expect;
      warnings = shell.warnings;
    };
    expected = {
      binsh = true;
      binshIsReplacement = true;
      userShell = "/bin/bash";
      root = true;
      shells = true;
      probes = ["bash-runs-brush" "bash-command-line" "bin-sh-runs-brush" "login-shell-is-brush" "login-shell-says-brush" "scripts-bash-is-the-launcher"];
      runsBrush = true;
      warnings = [activationWarning];
    };
  };
  shell-activation-warning-can-be-acknowledged = {
    expr = {
      acknowledged = acknowledged.warnings;
      withNixosInit = lib.filter (lib.hasPrefix "oxidized.shell") shellBoot.warnings;
      probe = lib.elem "scripts-bash-is-the-launcher" (probeNames shellBoot);
    };
    expected = {
      acknowledged = [];
      withNixosInit = [];
      probe = false;
    };
  };
  # A user's own users.defaultUserShell wins, with a warning that names
  # the switch; no login-shell probe then.
  a-users-default-shell-wins-and-says-so = {
    expr = {
      shell = userZsh.users.defaultUserShell.name;
      failing = failing userZsh;
      warnings = lib.filter (w: lib.hasInfix "defaultUserShell" w) userZsh.warnings;
      probes = lib.filter (n: lib.hasPrefix "login-shell" n) (probeNames userZsh);
      off = userZshOff.warnings;
    };
    expected = {
      shell = "zsh-5.9";
      failing = [];
      warnings = ["oxidized.shell: users.defaultUserShell is set elsewhere in your configuration, and that setting wins: brush is not the default user shell. Set oxidized.shell.userShell = false to silence this."];
      probes = [];
      off = [activationWarning];
    };
  };
  shell-path-strategy-leaves-the-closure-alone = {
    expr = {
      replacements = shellPath.system.replaceDependencies.replacements;
      onPath = map (p: [p.name (p.meta.priority or null)]) (lib.filter (p: p ? replacement) shellPath.environment.systemPackages);
      userShell = shellPath.users.defaultUserShell.name;
      binsh = shellPath.environment.binsh == "${pkgs.bashInteractive}/bin/sh";
      probes = map (p: p.name) (probesOf "shell" shellPath);
      warnings = shellPath.warnings;
    };
    expected = {
      replacements = [];
      onPath = [["bash-interactive-5.3p3" (-10)]];
      userShell = "bash-interactive-5.3p3";
      binsh = true;
      probes = ["bash-runs-brush" "bash-command-line"];
      warnings = [];
    };
  };
  shell-launcher-is-built-with-the-chosen-brush = {
    expr = {
      brush = shell.oxidized.shell.launcher.brush.name;
      launcher = shell.oxidized.shell.launcher.name;
      report = shell.oxidized.report.shell.replacement;
    };
    expected = {
      brush = "brush-0.4.0";
      launcher = "brush-bash-${version}";
      report = "brush-0.4.0 (through brush-bash-${version})";
    };
  };
  bash-only-startup-code-is-an-error = {
    expr = {
      waitN = shellWith "programs.bash.interactiveShellInit" "jobs_done() { wait -n; }";
      select = shellWith "environment.interactiveShellInit" "select opt in a b; do echo $opt; done";
      coproc = shellWith "programs.bash.loginShellInit" "coproc cat";
      disown = shellWith "environment.shellInit" "sleep 9 & disown";
      errTrap = shellWith "programs.bash.shellInit" "trap 'echo failed' ERR";
    };
    expected = {
      waitN = ["oxidized.shell: programs.bash.interactiveShellInit uses wait -n, which brush does not support: remove it, or set oxidized.shell.enable = false."];
      select = ["oxidized.shell: environment.interactiveShellInit uses select, which brush does not support: remove it, or set oxidized.shell.enable = false."];
      coproc = ["oxidized.shell: programs.bash.loginShellInit uses coproc, which brush does not support: remove it, or set oxidized.shell.enable = false."];
      disown = ["oxidized.shell: environment.shellInit uses disown, which brush does not support: remove it, or set oxidized.shell.enable = false."];
      errTrap = ["oxidized.shell: programs.bash.shellInit uses an ERR trap, which brush does not support: remove it, or set oxidized.shell.enable = false."];
    };
  };
  posix-startup-code-is-accepted = {
    expr = shellWith "programs.bash.interactiveShellInit" ''
      # select opt in a b; wait -n; disown
      selection=1; wait $pid; trap 'rm -f x' EXIT
      echo "coprocessor"
    '';
    expected = [];
  };
}

# `nix run` entry points for the desk:
#   run, run-nixos-nix              boot a configuration on this terminal (the VM keeps running)
#   boot-test, boot-test-nixos-nix  boot it under bootcheck and print the verdict
#   compare                         boot both and print `bootcheck compare` of their reports
#   recheck INSTALLABLE             boot a boot check again: delete its cached
#                                   result and build it (any flake's check)
# Files (serial log, report, JUnit) land in the current directory.
{
  pkgs,
  self,
  lib,
}: let
  vmLib = import ./vm.nix {inherit lib;};
  system = pkgs.stdenv.hostPlatform.system;
  host = name: self.nixosConfigurations."${name}${vmLib.hostSuffix system}";
  bootcheck = self.packages.${system}.bootcheck;

  app = name: description: text: {
    type = "app";
    program = lib.getExe (pkgs.writeShellApplication {
      inherit name text;
      runtimeInputs = [bootcheck pkgs.coreutils];
    });
    meta = {inherit description;};
  };

  # The boot check's environment (lib/vm.nix): throw-away state in a
  # temporary directory, serial console on this terminal.
  vmEnv = name:
    ''
      state=$(mktemp -d)
      trap 'rm -rf "$state"' EXIT
    ''
    + vmLib.runEnv {
      vmConfig = (host name).config.virtualisation.vmVariant;
      platform = pkgs.stdenv.hostPlatform;
      stateDir = ''"$state"'';
    };

  runApp = name:
    app "nixos-rs-run-${name}" "Boot ${name}'s VM on this terminal's serial console" ''
      ${vmEnv name}
      echo "Booting ${name} on this terminal; quit QEMU with Ctrl-a x." >&2
      ${lib.getExe (host name).config.system.build.vm} "$@"
    '';

  specFile = name: let
    check = self.lib.mkBootCheck {
      nixosConfiguration = host name;
      inherit (host name) pkgs;
    };
  in
    pkgs.writeText "bootcheck-spec-${name}.json" (builtins.toJSON check.spec);

  # One line, so callers can append `|| status=$?`.
  bootTest = name:
    lib.concatStringsSep " " [
      "bootcheck run --spec ${specFile name}"
      ''--log "boot-${name}.log" --report "report-${name}.json" --junit "junit-${name}.xml"''
      ''"$@" -- ${lib.getExe (host name).config.system.build.vm}''
    ];

  bootTestApp = name:
    app "nixos-rs-boot-test-${name}" "Boot ${name} under bootcheck and print the verdict; files in the current directory" ''
      ${vmEnv name}
      ${bootTest name}
    '';
in {
  # A boot check's result derivation always builds, so a failed or timed-out
  # boot stays cached; `nix build --rebuild` only compares. This deletes
  # the cached result (and the check on top) and builds again, with the
  # user's own nix.
  recheck = app "nixos-rs-recheck" "Boot a boot check again: nix run .#recheck -- .#checks.x86_64-linux.boot" ''
    if [ $# -ne 1 ]; then
      echo "usage: recheck INSTALLABLE   (e.g. .#checks.x86_64-linux.boot)" >&2
      exit 2
    fi
    result=$(nix eval --raw "$1.result.outPath") || exit 2
    check=$(nix eval --raw "$1.outPath") || exit 2
    for p in "$check" "$result"; do
      if [ -e "$p" ] && ! nix store delete "$p"; then
        echo "recheck: $p is still in use (a result symlink?); remove what keeps it and try again" >&2
        exit 2
      fi
    done
    exec nix build -L "$1"
  '';
  run = runApp "nixos-rs";
  run-nixos-nix = runApp "nixos-nix";
  boot-test = bootTestApp "nixos-rs";
  boot-test-nixos-nix = bootTestApp "nixos-nix";
  compare = app "nixos-rs-compare" "Boot nixos-nix and nixos-rs and print their reports side by side" ''
    ${vmEnv "nixos-rs"}
    status=0
    ${bootTest "nixos-nix"} || status=$?
    ${bootTest "nixos-rs"} || status=$?
    bootcheck compare report-nixos-nix.json report-nixos-rs.json
    exit "$status"
  '';
}

# `nix run` entry points for the desk:
#   run, run-nixos-nix              boot a configuration on this terminal (the VM keeps running)
#   boot-test, boot-test-nixos-nix  boot it under bootcheck and print the verdict
#   compare                         boot both and print `bootcheck compare` of their reports
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

  app = name: text: {
    type = "app";
    program = lib.getExe (pkgs.writeShellApplication {
      inherit name text;
      runtimeInputs = [bootcheck pkgs.coreutils];
    });
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
    app "nixos-rs-run-${name}" ''
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
    app "nixos-rs-boot-test-${name}" ''
      ${vmEnv name}
      ${bootTest name}
    '';
in {
  run = runApp "nixos-rs";
  run-nixos-nix = runApp "nixos-nix";
  boot-test = bootTestApp "nixos-rs";
  boot-test-nixos-nix = bootTestApp "nixos-nix";
  compare = app "nixos-rs-compare" ''
    ${vmEnv "nixos-rs"}
    status=0
    ${bootTest "nixos-nix"} || status=$?
    ${bootTest "nixos-rs"} || status=$?
    bootcheck compare report-nixos-nix.json report-nixos-rs.json
    exit "$status"
  '';
}

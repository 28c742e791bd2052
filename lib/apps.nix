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
  system = pkgs.stdenv.hostPlatform.system;
  suffix = lib.optionalString (system != "x86_64-linux") "-${lib.head (lib.splitString "-" system)}";
  host = name: self.nixosConfigurations."${name}${suffix}";
  bootcheck = self.packages.${system}.bootcheck;

  app = name: text: {
    type = "app";
    program = lib.getExe (pkgs.writeShellApplication {
      inherit name text;
      runtimeInputs = [bootcheck pkgs.coreutils];
    });
  };

  # Same environment as the boot check derivation: throw-away state in a
  # temporary directory, serial console on this terminal.
  serial =
    if pkgs.stdenv.hostPlatform.isAarch64
    then "ttyAMA0"
    else "ttyS0";
  vmEnv = ''
    state=$(mktemp -d)
    trap 'rm -rf "$state"' EXIT
    export TMPDIR="$state" USE_TMPDIR=1
    export NIX_DISK_IMAGE="$state/disk.qcow2"
    export QEMU_OPTS="''${QEMU_OPTS:-} -nographic"
    export QEMU_KERNEL_PARAMS="''${QEMU_KERNEL_PARAMS:-} console=${serial},115200n8"
  '';

  runApp = name:
    app "nixos-rs-run-${name}" ''
      ${vmEnv}
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
      ${vmEnv}
      ${bootTest name}
    '';
in {
  run = runApp "nixos-rs";
  run-nixos-nix = runApp "nixos-nix";
  boot-test = bootTestApp "nixos-rs";
  boot-test-nixos-nix = bootTestApp "nixos-nix";
  compare = app "nixos-rs-compare" ''
    ${vmEnv}
    status=0
    ${bootTest "nixos-nix"} || status=$?
    ${bootTest "nixos-rs"} || status=$?
    bootcheck compare report-nixos-nix.json report-nixos-rs.json
    exit "$status"
  '';
}

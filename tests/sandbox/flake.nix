# Boot checks built for real in the Nix sandbox (the nix-sandbox stage): the
# project's own lib.mkBootCheck over configurations of the nixpkgs
# stand-in, whose VM boots the build machine's kernel and a busybox
# initramfs on the build machine's QEMU. Both inputs are always overridden
# (nixos-rs with this checkout, nixpkgs with the stand-in, which carries
# the kernel, busybox and this checkout's bootcheck in its prebuilt/).
{
  inputs = {
    nixos-rs.url = "github:nixos-rs/nixos-rs";
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
  };

  outputs = {
    nixpkgs,
    nixos-rs,
    ...
  }: let
    inherit (nixpkgs) lib;
    system = "x86_64-linux";

    # A test machine whose guest runs `init` (busybox sh) as /init.
    host = name: init:
      lib.nixosSystem {
        modules = [
          nixos-rs.nixosModules.vm-guest
          nixos-rs.nixosModules.oxidized
          {
            nixpkgs.hostPlatform = system;
            networking.hostName = name;
            virtualisation.vmVariant.virtualisation.standIn.init = lib.mkIf (init != null) init;
          }
        ];
      };

    echoProbe = {
      name = "echo";
      component = "stand-in";
      command = "echo hello";
      expect = "^hello$";
    };

    # The nix-sandbox stage writes a fresh nonce into the check's name, so each
    # run boots for real instead of finding last run's result in the store.
    nonce = lib.fileContents ./nonce;

    # The timeouts are small; emulated multiplies them by the slowdown.
    check = name: init: args:
      nixos-rs.lib.mkBootCheck ({
          nixosConfiguration = host name init;
          name = "${name}-${nonce}";
          emulated = true;
          emulationSlowdown = 2;
          timeout = 60;
          idleTimeout = 30;
          probes = [echoProbe];
        }
        // args);
    # A system whose closure holds real programs: bootcheck (Rust, this
    # checkout's, from the stand-in's prebuilt/) and busybox (C, static).
    realPrograms = pkgs: {
      environment.systemPackages = [
        (pkgs.callPackage (nixos-rs + "/pkgs/bootcheck/package.nix") {})
        (pkgs.runCommand "busybox-1.35.0" {busybox = nixpkgs + "/prebuilt/busybox";} ''
          mkdir -p "$out/bin"
          cp "$busybox" "$out/bin/busybox"
          ln -s busybox "$out/bin/ls"
        '')
      ];
    };
    oxidationHost = lib.nixosSystem {
      modules = [
        nixos-rs.nixosModules.vm-guest
        nixos-rs.nixosModules.oxidized
        ({pkgs, ...}: realPrograms pkgs // {nixpkgs.hostPlatform = system;})
      ];
    };
  in {
    checks.${system} = {
      # How much of it is Rust, read from its closure.
      oxidation = nixos-rs.lib.mkOxidationReport {nixosConfiguration = oxidationHost;};
      # The stand-in's own guest: a login prompt with autologin, a shell.
      pass = check "sandbox-pass" null {};
      # /init exits: the kernel panics ("Attempted to kill init").
      panic = check "sandbox-panic" ''
        #!/bin/sh
        echo "stand-in init gives up"
        exit 1
      '' {};
      # A probe that does not hold, named with its component.
      probe-fails = check "sandbox-probe" null {
        probes = [
          echoProbe
          {
            name = "is-rust";
            component = "coreutils";
            command = "echo gnu";
            expect = "^rust$";
          }
        ];
      };
      # Nothing on the console: the checker gives up after idleTimeout.
      silent =
        check "sandbox-silent" ''
          #!/bin/sh
          exec sleep 100000
        '' {
          timeout = 40;
          idleTimeout = 10;
        };
      # With KVM: the same VM, asking for the kvm system feature.
      kvm = check "sandbox-pass" null {emulated = false;};
    };
  };
}

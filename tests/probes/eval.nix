# The probes of a configuration with every oxidized component enabled,
# evaluated from the real modules (modules/oxidized) with the stub upstream
# options of the module tests (tests/modules/stubs.nix) and a fake pkgs
# whose names and versions are those of the programs the probe guests run
# (dev/probe-guests). Nothing is built.
#
#   nix-instantiate --eval --strict --json tests/probes/eval.nix \
#     --arg lib 'import /path/to/nixpkgs/lib'
#
# Result (the probes stage evaluates it on every run):
#   probes:   config.oxidized.probes, every field
#   packages: role -> store path, where the guests install each program so
#             that the probes' store-path expectations are the modules' own.
{lib}: let
  h = import ../modules/harness.nix {inherit lib;};
  inherit (h) pkg;

  pkgs =
    h.builders pkgs
    // rec {
      # The C originals: Debian 12's packages in the C guest.
      sudo = pkg "sudo" "1.9.13p3" {};
      shadow = pkg "shadow" "4.13" {su = pkg "shadow-su" "4.13" {};};
      coreutils = pkg "coreutils" "9.1" {};
      coreutils-full = pkg "coreutils-full" "9.1" {};
      findutils = pkg "findutils" "4.9.0" {};
      diffutils = pkg "diffutils" "3.8" {};
      bashNonInteractive = pkg "bash" "5.2p15" {};
      bash = bashInteractive;
      bashInteractive = pkg "bash-interactive" "5.2p15" {};
      systemd = let
        passthru = {
          interfaceVersion = 2;
          withNspawn = true;
          withRepart = true;
          withTimedated = true;
        };
      in
        pkg "systemd" "258.2" (passthru // {inherit passthru;});
      # The Rust replacements: the crates scripts/setup installs.
      sudo-rs = pkg "sudo-rs" "0.2.15" {meta.mainProgram = "sudo";};
      ntpd-rs = pkg "ntpd-rs" "1.9.0" {};
      uutils-coreutils-noprefix = pkg "uutils-coreutils" "0.12.0" {};
      uutils-findutils = pkg "uutils-findutils" "0.11.0" {};
      uutils-diffutils = pkg "uutils-diffutils" "0.6.0" {};
      brush = pkg "brush" "0.4.0" {
        shellPath = "/bin/brush";
        meta.mainProgram = "brush";
      };
      nixos-init = pkg "nixos-init" "0.1.0" {};
      userborn = pkg "userborn" "0.4.0" {};
      initrd = pkg "initrd" "1" {};
    };

  config =
    (lib.evalModules {
      specialArgs.nixpkgsAge = "pinned";
      modules = [
        ../modules/stubs.nix
        ../../modules/oxidized
        {
          _module.args.pkgs = pkgs;
          oxidized = {
            enable = true;
            coreutils.enable = true;
            findutils.enable = true;
            diffutils.enable = true;
            shell.enable = true;
            boot.enable = true;
            systemd = {
              enable = true;
              package = pkg "rust-systemd" "0.1.0" (pkgs.systemd.passthru // {inherit (pkgs.systemd) passthru;});
            };
          };
        }
      ];
    })
    .config;

  failed = map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);
in
  if failed != []
  then throw "tests/probes/eval.nix: the configuration fails its assertions: ${lib.concatStringsSep "; " failed}"
  else {
    probes = config.oxidized.probes;
    packages = {
      # Rust guest
      uutils-coreutils = "${config.oxidized.coreutils.package}";
      uutils-findutils = "${config.oxidized.findutils.package}";
      uutils-diffutils = "${config.oxidized.diffutils.package}";
      sudo-rs = "${config.oxidized.sudo.package}";
      ntpd-rs = "${config.oxidized.ntp.package}";
      brush = "${config.oxidized.shell.package}";
      brush-bash = "${config.oxidized.shell.launcher}";
      # C guest
      coreutils = "${pkgs.coreutils-full}";
      findutils = "${pkgs.findutils}";
      diffutils = "${pkgs.diffutils}";
      sudo = "${pkgs.sudo}";
      bash = "${pkgs.bashInteractive}";
    };
  }

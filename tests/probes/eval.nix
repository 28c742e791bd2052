# The probes of a configuration with every oxidized component enabled,
# evaluated from the real modules (modules/oxidized) over the stand-in
# nixpkgs, with packages whose names and versions are those of the programs
# the probe guests run (dev/probe-guests). Nothing is built.
#
#   nix-instantiate --eval --strict --json tests/probes/eval.nix \
#     --arg lib 'import /path/to/nixpkgs/lib'
#
# Result (the probes stage evaluates it on every run):
#   probes:     config.oxidized.probes, every field
#   packages:   role -> store path, where the guests install each program so
#               that the probes' store-path expectations are the modules' own
#   components: the names of modules/oxidized/components.nix, every one of
#               them enabled here
#   rustAtRuntime: config.oxidized.rustAtRuntime, what the components must
#               run as Rust (the guests' oxidation meter checks it)
{lib}: let
  standIn = import ../stand-in/nixpkgs {inherit lib;};
  components = map (c: c.name) (import ../../modules/oxidized/components.nix);
  eval = standIn.lib.nixosSystem {
    modules = [
      ../../modules/oxidized
      {
        nixpkgs.hostPlatform = "x86_64-linux";
        fileSystems."/".device = "/dev/vda";
        boot.loader.grub.enable = false;
        # The programs of the guests, at their versions.
        nixpkgs.overlays = [
          (_: prev: let
            inherit (prev.standIn) pkg;
          in {
            # The C originals: Debian 12's packages in the C guest.
            sudo = pkg "sudo" "1.9.13p3" {meta.mainProgram = "sudo";};
            coreutils = pkg "coreutils" "9.1" {};
            coreutils-full = pkg "coreutils-full" "9.1" {};
            findutils = pkg "findutils" "4.9.0" {};
            diffutils = pkg "diffutils" "3.8" {};
            bashNonInteractive = pkg "bash" "5.2p15" {passthru.shellPath = "/bin/bash";};
            bashInteractive = pkg "bash-interactive" "5.2p15" {passthru.shellPath = "/bin/bash";};
            gnused = pkg "gnused" "4.9" {};
            procps = pkg "procps" "4.0.2" {};
            zlib = pkg "zlib" "1.2.13" {};
            # Programs no component swaps that probes run.
            curl = pkg "curl" "7.88.1" {};
            perl = pkg "perl" "5.36.0" {};
            bzip2 = pkg "bzip2" "1.0.8" {};
            # The Rust replacements: the crates scripts/setup installs.
            sudo-rs = pkg "sudo-rs" "0.2.15" {meta.mainProgram = "sudo";};
            ntpd-rs = pkg "ntpd-rs" "1.9.0" {};
            uutils-coreutils-noprefix = pkg "uutils-coreutils" "0.12.0" {};
            uutils-findutils = pkg "uutils-findutils" "0.11.0" {};
            uutils-diffutils = pkg "uutils-diffutils" "0.6.0" {};
            uutils-sed = pkg "uutils-sed" "0.3.0" {};
            uutils-procps = pkg "uutils-procps" "0.0.1-unstable-2026-07-22" {};
            brush = pkg "brush" "0.4.0" {
              passthru.shellPath = "/bin/brush";
              meta.mainProgram = "brush";
            };
          })
        ];
        # Every component (the stage fails for one whose probes do not
        # run); the systemd one with a package of its own.
        oxidized =
          lib.genAttrs components (_: {enable = true;})
          // {
            systemd = {
              enable = true;
              package = standIn.legacyPackages.x86_64-linux.standIn.pkg "rust-systemd" "0.1.0" {passthru = standIn.legacyPackages.x86_64-linux.systemd.passthru;};
            };
          };
      }
    ];
  };
  inherit (eval) config pkgs;

  failed = map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);
in
  if failed != []
  then throw "tests/probes/eval.nix: the configuration fails its assertions: ${lib.concatStringsSep "; " failed}"
  else {
    probes = config.oxidized.probes;
    inherit (config.oxidized) rustAtRuntime;
    inherit components;
    packages = {
      # Rust guest
      uutils-coreutils = "${config.oxidized.coreutils.package}";
      uutils-findutils = "${config.oxidized.findutils.package}";
      uutils-diffutils = "${config.oxidized.diffutils.package}";
      sudo-rs = "${config.oxidized.sudo.package}";
      ntpd-rs = "${config.oxidized.ntp.package}";
      brush = "${config.oxidized.shell.package}";
      brush-bash = "${config.oxidized.shell.launcher}";
      uutils-sed = "${config.oxidized.sed.package}";
      uutils-procps = "${config.oxidized.procps.package}";
      zlib-rs = "${config.oxidized.zlib.package}";
      libbz2-rs = "${config.oxidized.bzip2.package}";
      # Both guests
      curl = "${pkgs.curl}";
      perl = "${pkgs.perl}";
      bzip2 = "${pkgs.bzip2}";
      # C guest
      coreutils = "${pkgs.coreutils-full}";
      findutils = "${pkgs.findutils}";
      diffutils = "${pkgs.diffutils}";
      sudo = "${pkgs.sudo}";
      bash = "${pkgs.bashInteractive}";
      gnused = "${pkgs.gnused}";
      procps = "${pkgs.procps}";
    };
  }

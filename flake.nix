{
  description = "nixos-rs: NixOS with a Rust user space, one component at a time";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  # Wiring only: the logic lives in lib/, modules/, pkgs/ and checks/.
  outputs = {
    self,
    nixpkgs,
  }: let
    inherit (nixpkgs) lib;
    systems = ["x86_64-linux" "aarch64-linux"];
    forAllSystems = f: lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

    # The test machines: vm-guest, the oxidized module, one host module.
    mkHost = system: modules:
      lib.nixosSystem {
        modules =
          [
            self.nixosModules.vm-guest
            self.nixosModules.oxidized
            {nixpkgs.hostPlatform = system;}
          ]
          ++ modules;
      };
    # nixosConfigurations are not per system (lib/vm.nix: hostSuffix).
    hostsFor = system: let
      suffix = (import ./lib/vm.nix {inherit lib;}).hostSuffix system;
    in {
      "nixos-nix${suffix}" = mkHost system [./hosts/nixos-nix.nix];
      "nixos-rs${suffix}" = mkHost system [./hosts/nixos-rs.nix];
    };
  in {
    lib =
      import ./lib {inherit lib;}
      // {
        mkBootCheck = import ./lib/boot-check.nix {
          inherit lib;
          bootcheckFor = pkgs: self.packages.${pkgs.stdenv.hostPlatform.system}.bootcheck;
        };
      };

    # Attribute sets that import the files: `nix flake check` takes a module
    # only as a function or an attribute set, and the import keeps the
    # file's name in error messages and for de-duplication.
    nixosModules = {
      oxidized = {imports = [./modules/oxidized];};
      default = self.nixosModules.oxidized;
      vm-guest = {imports = [./modules/vm-guest.nix];};
    };

    nixosConfigurations = hostsFor "x86_64-linux" // hostsFor "aarch64-linux";

    packages = forAllSystems (pkgs:
      import ./pkgs {
        inherit pkgs;
        inherit (mkHost pkgs.stdenv.hostPlatform.system []) options;
      });

    checks = forAllSystems (pkgs:
      import ./checks {
        inherit pkgs self mkHost lib;
        inherit (lib) nixosSystem;
      });

    hydraJobs = import ./lib/hydra-jobs.nix {
      inherit lib self;
      pkgsFor = system: nixpkgs.legacyPackages.${system};
    };

    apps = forAllSystems (pkgs: import ./lib/apps.nix {inherit pkgs self lib;});

    devShells = forAllSystems (pkgs: {
      default = pkgs.mkShell {
        packages = with pkgs; [cargo clippy rustfmt rustc just nix-tree qemu alejandra deadnix shellcheck treefmt self.packages.${pkgs.stdenv.hostPlatform.system}.formatter];
      };
    });

    formatter = forAllSystems (pkgs: self.packages.${pkgs.stdenv.hostPlatform.system}.formatter);

    templates = {
      default = {
        path = ./templates/default;
        description = "A NixOS system with a Rust user space, checked by booting it";
        welcomeText = ''
          # An oxidized NixOS system

          - `configuration.nix` picks the Rust components (`oxidized.*`).
          - `nix flake check` boots the system's VM and proves each component
            runs the Rust code (needs a builder with KVM; see the README).
          - `nix run .#nixosConfigurations.my-host.config.system.build.vm`
            starts it by hand.
        '';
      };
      oxidized = self.templates.default;
      systemd-rs = {
        path = ./templates/systemd-rs;
        description = "A NixOS system whose PID 1 is rust-systemd, taken from its own flake";
        welcomeText = ''
          # NixOS with rust-systemd as PID 1

          - `flake.nix` takes rust-systemd from the noverby/noverby flake
            (pinned to the commit this template was checked against) and
            offers two packages for `oxidized.systemd.package`.
          - `configuration.nix` enables it with networkd and resolved.
          - `nix flake check` boots the VM and proves PID 1, journald,
            resolved and networkd are rust-systemd's.
        '';
      };
    };
  };
}

{
  description = "nixos-rs: NixOS with a Rust user space, one component at a time";

  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";

  # Wiring only: the logic lives in lib/ (for downstream flakes), modules/,
  # pkgs/, checks/ and nix/ (this flake's own plumbing).
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
    # nixosConfigurations are not per system (nix/vm.nix: hostSuffix).
    hostsFor = system: let
      suffix = (import ./nix/vm.nix {inherit lib;}).hostSuffix system;
    in {
      "nixos-nix${suffix}" = mkHost system [./hosts/nixos-nix.nix];
      "nixos-rs${suffix}" = mkHost system [./hosts/nixos-rs.nix];
    };
    bootChecks = pkgs: import ./nix/boot-checks.nix {inherit pkgs self mkHost lib;};
  in {
    lib = import ./lib {inherit lib;};

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

    # Boot checks that need import-from-derivation (nix/boot-checks.nix):
    # `nix build .#closureChecks.<name>`.
    legacyPackages = forAllSystems (pkgs: {inherit (bootChecks pkgs) closureChecks;});

    hydraJobs = import ./nix/hydra-jobs.nix {
      inherit lib self;
      pkgsFor = system: nixpkgs.legacyPackages.${system};
    };

    apps = forAllSystems (pkgs: import ./nix/apps.nix {inherit pkgs self lib;});

    devShells = forAllSystems (pkgs: {
      default = pkgs.mkShell {
        packages = with pkgs; [cargo clippy rustfmt rustc just nix-tree qemu alejandra deadnix shellcheck treefmt self.packages.${pkgs.stdenv.hostPlatform.system}.formatter];
      };
    });

    formatter = forAllSystems (pkgs: self.packages.${pkgs.stdenv.hostPlatform.system}.formatter);

    templates = import ./nix/templates.nix;
  };
}

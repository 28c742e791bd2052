{
  description = "A NixOS system with a Rust user space";

  # Your nixpkgs; nixos-rs follows it, so the system, its packages and the
  # boot checker are all built from it. nixos-rs is tested from NixOS 25.11
  # to the nixos-unstable its own flake.lock pins.
  inputs = {
    nixpkgs.url = "github:NixOS/nixpkgs/nixos-unstable";
    nixos-rs = {
      url = "github:nixos-rs/nixos-rs";
      inputs.nixpkgs.follows = "nixpkgs";
    };
  };

  outputs = {
    self,
    nixpkgs,
    nixos-rs,
  }: let
    system = "x86_64-linux";
  in {
    nixosConfigurations.my-host = nixpkgs.lib.nixosSystem {
      modules = [
        nixos-rs.nixosModules.oxidized
        ./configuration.nix
        {nixpkgs.hostPlatform = system;}
      ];
    };

    # `nix flake check` boots my-host's VM and runs the probes of every
    # enabled component on its serial console (root logs in by itself on
    # the console of the check's VM). The report, serial log and JUnit:
    #   nix build .#checks.x86_64-linux.boot.result
    # To use it for real, after trying `nixos-rebuild build-vm`:
    #   nixos-rebuild switch --flake .#my-host
    checks.${system}.boot = nixos-rs.lib.mkBootCheck {
      nixosConfiguration = self.nixosConfigurations.my-host;
    };
  };
}

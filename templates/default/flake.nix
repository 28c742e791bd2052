{
  description = "A NixOS system with a Rust user space";

  inputs = {
    nixos-rs.url = "github:nixos-rs/nixos-rs";
    nixpkgs.follows = "nixos-rs/nixpkgs";
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
    # enabled component on its serial console.
    checks.${system}.boot = nixos-rs.lib.mkBootCheck {
      nixosConfiguration = self.nixosConfigurations.my-host;
    };
  };
}

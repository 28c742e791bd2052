# A downstream flake for the whole-flake evaluation (the flake-eval stage):
# configurations a user may write that nixos-rs' own outputs do not
# contain. Both inputs are always overridden (nixos-rs with this checkout,
# nixpkgs with the stand-in), so the URLs below are never fetched.
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
    host = modules:
      nixpkgs.lib.nixosSystem {
        modules =
          [
            nixos-rs.nixosModules.oxidized
            nixos-rs.nixosModules.vm-guest
            {nixpkgs.hostPlatform = "x86_64-linux";}
          ]
          ++ modules;
      };
  in {
    nixosConfigurations = {
      # Every component, a Rust systemd laid over systemd's layout by
      # lib.mkSystemdOverlay included.
      everything = host [
        ({pkgs, ...}: {
          oxidized = {
            enable = true;
            coreutils.enable = true;
            findutils.enable = true;
            diffutils.enable = true;
            sed.enable = true;
            procps.enable = true;
            zlib.enable = true;
            bzip2.enable = true;
            shell.enable = true;
            boot.enable = true;
            systemd = {
              enable = true;
              package = nixos-rs.lib.mkSystemdOverlay {
                inherit pkgs;
                rust = pkgs.writeShellApplication {
                  name = "systemd";
                  text = "exit 0";
                };
              };
            };
          };
        })
      ];
      # The uutils components on PATH only, and brush without the closure.
      path-strategy = host [
        {
          oxidized = {
            coreutils = {
              enable = true;
              strategy = "path";
            };
            findutils = {
              enable = true;
              strategy = "path";
            };
            diffutils = {
              enable = true;
              strategy = "path";
            };
            shell = {
              enable = true;
              strategy = "path";
            };
          };
        }
      ];
    };
  };
}

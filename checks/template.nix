# The template's configuration, evaluated and built as a downstream user
# would get it from `nix flake init -t nixos-rs`.
{
  pkgs,
  self,
  nixosSystem,
  ...
}: {
  template-my-host =
    (nixosSystem {
      modules = [
        self.nixosModules.oxidized
        ../templates/default/configuration.nix
        {nixpkgs.hostPlatform = pkgs.stdenv.hostPlatform.system;}
      ];
    })
    .config
    .system
    .build
    .toplevel;
}

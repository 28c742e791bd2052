# alejandra and deadnix over every Nix file of the repository.
{
  pkgs,
  lib,
  ...
}: let
  nixFiles = lib.fileset.toSource {
    root = ../.;
    fileset = lib.fileset.fileFilter (f: f.hasExt "nix") ../.;
  };
in {
  formatting =
    pkgs.runCommand "nixos-rs-formatting" {
      nativeBuildInputs = [pkgs.alejandra pkgs.deadnix];
    } ''
      cd ${nixFiles}
      alejandra --check .
      deadnix --fail .
      touch $out
    '';
}

# Every other .nix file in this directory is a set of checks: adding a test
# is adding a file. Each file is a function of
# { pkgs, self, mkHost, nixosSystem, lib } returning an attribute set of
# derivations.
{
  pkgs,
  self,
  mkHost,
  nixosSystem,
}: let
  inherit (pkgs) lib;
  files = lib.filterAttrs (name: type: type == "regular" && lib.hasSuffix ".nix" name && name != "default.nix") (builtins.readDir ./.);
  load = name: import (./. + "/${name}") {inherit pkgs self mkHost nixosSystem lib;};
in
  lib.foldl' (acc: name: acc // load name) {} (lib.attrNames files)

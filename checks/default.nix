# Every other .nix file in this directory is a set of checks: adding a test
# is adding a file. Each file is a function that names the arguments it
# needs among these (the formals below) and returns an attribute set of
# derivations; it is passed exactly the arguments it names, so a file never
# fails for taking fewer of them than exist. Written with builtins only,
# so that tests/entry-points.nix can load every file without nixpkgs.
{
  pkgs,
  self,
  mkHost,
  nixosSystem,
  lib,
}: let
  args = {inherit pkgs self mkHost nixosSystem lib;};
  entries = builtins.readDir ./.;
  files = builtins.filter (n: entries.${n} == "regular" && n != "default.nix" && builtins.match ".*\\.nix" n != null) (builtins.attrNames entries);
  call = f: f (builtins.intersectAttrs (builtins.functionArgs f) args);
in
  builtins.foldl' (acc: name: acc // call (import (./. + "/${name}"))) {} files

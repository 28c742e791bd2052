# The Nix unit tests: every other file here is a function of `lib`
# returning { name = { expr; expected; }; }, evaluated against the stand-in
# nixpkgs; nothing is built.
#
#   nix-instantiate --eval --strict --json tests/nix/default.nix \
#     --arg lib 'import /path/to/nixpkgs/lib'
#
# Result: { passed = [ "file/name" ]; failed = [ { name; expected; got; } ]; }
# (builds.nix holds the tests that build, one derivation each.)
{lib}: let
  h = import ./harness.nix {inherit lib;};
  entries = builtins.readDir ./.;
  files = lib.filter (n: entries.${n} == "regular" && lib.hasSuffix ".nix" n && !lib.elem n ["default.nix" "harness.nix" "builds.nix"]) (lib.attrNames entries);
  tests = lib.foldl' (acc: f:
    acc
    // lib.mapAttrs' (n: lib.nameValuePair "${lib.removeSuffix ".nix" f}/${n}") (import (./. + "/${f}") {
      inherit lib h;
    })) {}
  files;
in
  h.run tests

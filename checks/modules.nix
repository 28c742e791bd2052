# The Nix unit tests (tests/nix), evaluated with this nixpkgs' lib against
# the stand-in nixpkgs they carry: the check builds when every test passes
# and lists the failures otherwise.
{
  pkgs,
  lib,
  ...
}: let
  r = import ../tests/nix {inherit lib;};
in {
  module-tests =
    if r.failed == []
    then pkgs.writeText "nixos-rs-module-tests" (lib.concatLines r.passed)
    else throw "module tests failed: ${builtins.toJSON r.failed}";
}

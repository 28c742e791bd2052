# The module unit tests (tests/modules), evaluated with this nixpkgs' lib:
# the check builds when every test passes and lists the failures otherwise.
{
  pkgs,
  lib,
  ...
}: let
  r = import ../tests/modules {inherit lib;};
in {
  module-tests =
    if r.failed == []
    then pkgs.writeText "nixos-rs-module-tests" (lib.concatLines r.passed)
    else throw "module tests failed: ${builtins.toJSON r.failed}";
}

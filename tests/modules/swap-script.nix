# The build script of pkgs/uutils-swap for fake GNU and uutils trees given
# as directories, so tests/modules/swap-build can run it for real.
{
  lib,
  gnuDir,
  uutilsDir,
  missingInUutils,
  keepGnu ? [],
  aliases ? {},
}:
import ../../pkgs/uutils-swap/package.nix {
  inherit lib missingInUutils keepGnu aliases;
  runCommand = _name: _attrs: script: script;
  gnu = {
    name = "coreutils-9.8";
    outPath = gnuDir;
  };
  uutils = {
    name = "uutils-coreutils-noprefix-0.2.2";
    version = "0.2.2";
    outPath = uutilsDir;
    meta = {};
  };
}

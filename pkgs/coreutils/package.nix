# GNU coreutils -> uutils coreutils, command by command, under GNU's store
# name (for system.replaceDependencies): every command GNU coreutils
# installs, uutils' binary where uutils has it and it is not in `keepGnu`,
# GNU's binary otherwise (passthru.fallbacks). The command lists are in
# ./commands.nix; the build checks them against both packages.
#
#   pkgs.callPackage ./package.nix { }                             # for coreutils
#   pkgs.callPackage ./package.nix { coreutils = coreutils-full; } # for coreutils-full
{
  lib,
  runCommand,
  coreutils,
  uutils-coreutils-noprefix,
  keepGnu ? [],
  # { gnu = [ command ... ]; rust = { command = binary; }; }; null: ./commands.nix
  commands ? null,
}: let
  data = import ./commands.nix {inherit lib;};
in
  (import ../../lib/replacements.nix {inherit lib;}).mkCommandReplacement {
    inherit runCommand keepGnu;
    original = coreutils;
    rust = uutils-coreutils-noprefix;
    commands =
      if commands != null
      then commands
      else {
        gnu = data.gnu (lib.getVersion coreutils);
        rust = data.rust (lib.getVersion uutils-coreutils-noprefix);
      };
    hint = "update pkgs/coreutils/commands.nix of nixos-rs, or set oxidized.coreutils.commands";
  }

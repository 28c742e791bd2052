# GNU diffutils -> uutils diffutils under GNU's store name (for
# system.replaceDependencies); see pkgs/coreutils/package.nix.
{
  lib,
  runCommand,
  diffutils,
  uutils-diffutils,
  keepGnu ? [],
  commands ? null,
}: let
  data = import ./commands.nix {inherit lib;};
in
  (import ../../lib/replacements.nix {inherit lib;}).mkCommandReplacement {
    inherit runCommand keepGnu;
    original = diffutils;
    rust = uutils-diffutils;
    commands =
      if commands != null
      then commands
      else {
        gnu = data.gnu (lib.getVersion diffutils);
        rust = data.rust (lib.getVersion uutils-diffutils);
      };
    hint = "update pkgs/uutils-diffutils/commands.nix of nixos-rs, or set oxidized.diffutils.commands";
  }

# GNU findutils -> uutils findutils under GNU's store name (for
# system.replaceDependencies); see pkgs/coreutils/package.nix.
{
  lib,
  runCommand,
  findutils,
  uutils-findutils,
  keepGnu ? [],
  commands ? null,
}: let
  data = import ./commands.nix {inherit lib;};
in
  (import ../../lib/replacements.nix {inherit lib;}).mkCommandReplacement {
    inherit runCommand keepGnu;
    original = findutils;
    rust = uutils-findutils;
    commands =
      if commands != null
      then commands
      else {
        gnu = data.gnu (lib.getVersion findutils);
        rust = data.rust (lib.getVersion uutils-findutils);
      };
    hint = "update pkgs/uutils-findutils/commands.nix of nixos-rs, or set oxidized.findutils.commands";
  }

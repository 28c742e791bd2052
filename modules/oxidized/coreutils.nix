# GNU coreutils -> uutils coreutils, closure-wide or on PATH, with GNU's
# binary for every command uutils lacks (`fallbacks`) and for the commands
# kept GNU on purpose (`keepGnu`).
#
# NixOS puts coreutils-full into the system path
# (nixos/modules/config/system-path.nix) while unit scripts and the default
# PATH of services use coreutils (nixos/lib/systemd-lib.nix): both store
# paths are replaced.
{lib, ...}: let
  nrs = import ./lib.nix {inherit lib;};
  # A command the replacement takes from uutils (keepGnu may keep ls).
  commandOf = fromRust: lib.findFirst (c: fromRust ? ${c}) (lib.head (lib.attrNames fromRust)) ["ls" "cat" "echo" "date"];
in {
  imports = [
    ((import ./uutils.nix {inherit lib;}).module {
      name = "coreutils";
      keepGnuExample = ["cp" "mv" "rm"];
      keepGnuWhy = "Ubuntu 26.04 kept GNU's cp, mv and rm after an audit of uutils";
      description = "uutils coreutils in place of GNU coreutils";
      rustAtRuntime = {fromRust, ...}: [{command = commandOf fromRust;}];
      probes = {
        fromRust,
        common,
        ...
      }: let
        cmd = commandOf fromRust;
        # Runs `command` only where `c` is uutils'.
        whenUutils = c: nrs.whenRust "command ${c} --version 2>&1 | grep -q '(uutils coreutils)'";
      in
        [
          {
            name = "coreutils-is-uutils";
            # `command` skips the alias NixOS gives ls in interactive shells.
            command = "command ${cmd} --version";
            expect = "\\(uutils coreutils\\)";
          }
          (common.onPath "coreutils-on-path-is-the-package" cmd)
          # Behaviour, not the version string: uutils parses options with
          # clap, whose error differs from GNU's "unrecognized option".
          {
            name = "coreutils-rejects-options-like-uutils";
            command = "command ${cmd} --no-such-option";
            expect = "unexpected argument '--no-such-option' found";
            ignore_exit = true;
          }
        ]
        # uutils accepts some options it does not implement: check that
        # common ones behave, in uutils' date and sort (GNU's would pass
        # too and prove nothing).
        ++ lib.optional (fromRust ? date) {
          name = "coreutils-date-reads-epoch";
          command = whenUutils "date" "date -u -d @86400 +%Y-%m-%d";
          expect = "^1970-01-02$";
        }
        ++ lib.optional (fromRust ? sort && fromRust ? tr && fromRust ? printf) {
          name = "coreutils-sort-by-version";
          command = whenUutils "sort" "printf 'a10\\na9\\n' | sort -V | tr '\\n' ' '";
          expect = "^a9 a10 $";
        }
        ++ common.servicesPath cmd;
    })
  ];
}

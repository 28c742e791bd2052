# GNU findutils -> uutils findutils (find, xargs), closure-wide or on PATH.
# nixpkgs' findutils keeps locate and updatedb in its own `locate` output
# (pkgs/tools/misc/findutils/default.nix), which this swap leaves alone.
{lib, ...}: let
  nrs = import ../../lib/components.nix {inherit lib;};
  under = nrs.storePrefix;
in {
  imports = [
    (import ../../lib/uutils-component.nix {inherit lib;} {
      name = "findutils";
      description = "uutils findutils in place of GNU findutils";
      originals = pkgs: [pkgs.findutils];
      gnuArg = "findutils";
      uutilsAttr = "uutils-findutils";
      packageFile = ../../pkgs/uutils-findutils/package.nix;
      commandsFile = ../../pkgs/uutils-findutils/commands.nix;
      probes = {
        cfg,
        fromRust,
      }:
        lib.optionals (fromRust ? find) [
          # uutils' find says "find (Rust) <version>" (src/find/mod.rs).
          {
            name = "find-is-uutils";
            command = "find --version";
            expect = "^find \\(Rust\\) ";
          }
          {
            name = "find-on-path-is-the-package";
            command = nrs.resolveInSystemPath "find";
            expect = under cfg.package;
          }
          {
            name = "find-finds";
            command = "find /etc -maxdepth 1 -name hostname -print";
            expect = "^/etc/hostname$";
          }
        ]
        ++ lib.optional (fromRust ? xargs) {
          name = "xargs-passes-arguments";
          command = "printf 'a\\nb\\n' | xargs echo";
          expect = "^a b$";
        }
        # The PATH NixOS gives every service names findutils
        # (nixos/lib/systemd-lib.nix).
        ++ lib.optional (cfg.strategy == "closure" && fromRust ? find) {
          name = "findutils-services-path-is-uutils";
          command = "p=$(grep -ho '/nix/store/[a-z0-9]*-findutils-[0-9][^/:\" ]*' /etc/systemd/system/*.service | head -n 1); readlink -f \"$p/bin/find\"";
          expect = under cfg.package;
        };
    })
  ];
}

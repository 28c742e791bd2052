# GNU findutils -> uutils findutils (find, xargs; see
# pkgs/by-name/uu/uutils-findutils/package.nix), closure-wide or on PATH;
# GNU's locate and updatedb stay as fallbacks.
{lib, ...}: {
  imports = [
    (import ../../lib/uutils-component.nix {inherit lib;} {
      name = "findutils";
      originals = pkgs: [pkgs.findutils];
      uutilsAttr = "uutils-findutils";
      missingInUutils = ["locate" "updatedb"];
      description = "uutils findutils in place of GNU findutils";
      probes = _: [
        # GNU find says "find (GNU findutils)"; probes have no look-around,
        # so the shell inverts the test.
        {
          name = "find-is-not-gnu";
          command = "if find --version 2>&1 | grep -q 'GNU findutils'; then echo gnu; else echo rust; fi";
          expect = "^rust$";
        }
        {
          name = "find-finds";
          command = "find /etc -maxdepth 1 -name hostname -print";
          expect = "^/etc/hostname$";
        }
      ];
    })
  ];
}

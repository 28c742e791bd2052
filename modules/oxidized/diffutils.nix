# GNU diffutils -> uutils diffutils (diff and cmp from 0.5 on; see
# pkgs/by-name/uu/uutils-diffutils/package.nix), closure-wide or on PATH;
# GNU's diff3 and sdiff stay as fallbacks.
{lib, ...}: {
  imports = [
    (import ../../lib/uutils-component.nix {inherit lib;} {
      name = "diffutils";
      originals = pkgs: [pkgs.diffutils];
      uutilsAttr = "uutils-diffutils";
      missingInUutils = ["diff3" "sdiff"];
      description = "uutils diffutils in place of GNU diffutils";
      probes = _: [
        {
          name = "diff-is-not-gnu";
          command = "if diff --version 2>&1 | grep -q 'GNU diffutils'; then echo gnu; else echo rust; fi";
          expect = "^rust$";
        }
        {
          name = "diff-finds-a-change";
          command = "printf 'a\\n' > /tmp/.nrs-a; printf 'b\\n' > /tmp/.nrs-b; diff /tmp/.nrs-a /tmp/.nrs-b";
          expect = "(?m)^< a$";
          ignore_exit = true;
        }
      ];
    })
  ];
}

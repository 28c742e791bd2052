# GNU diffutils -> uutils diffutils, closure-wide or on PATH. nixpkgs'
# uutils-diffutils 0.4.2 installs one binary, `diffutils`, which is a diff
# (pkgs/by-name/uu/uutils-diffutils/package.nix: mainProgram; uutils'
# src/main.rs parses diff's arguments): it becomes `diff`. cmp, diff3 and
# sdiff stay GNU; the replacement's build says when a newer uutils has them.
{lib, ...}: {
  imports = [
    (import ../../lib/uutils-component.nix {inherit lib;} {
      name = "diffutils";
      originals = pkgs: [pkgs.diffutils];
      uutilsAttr = "uutils-diffutils";
      missingInUutils = ["cmp" "diff3" "sdiff"];
      aliases.diff = "diffutils";
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

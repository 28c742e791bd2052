# GNU diffutils -> uutils diffutils, closure-wide or on PATH. uutils
# installs one binary, `diffutils`: diff (and cmp from 0.5.0) run it under
# their own names; diff3 and sdiff stay GNU's (diffutils-commands.nix).
{lib, ...}: let
  nrs = import ./lib.nix {inherit lib;};
in {
  imports = [
    ((import ./uutils.nix {inherit lib;}).module {
      name = "diffutils";
      keepGnuExample = ["cmp"];
      keepGnuWhy = "a tool that parses GNU cmp's messages, say";
      description = "uutils diffutils in place of GNU diffutils";
      rustAtRuntime = {fromRust, ...}: lib.optional (fromRust ? diff) {command = "diff";};
      probes = {
        fromRust,
        common,
        ...
      }: let
        # uutils' diff has no --version (0.6): it names an unknown option
        # without GNU's "diff: " in front.
        whenUutils = nrs.whenRust "diff --no-such-option 2>&1 | grep -q '^unrecognized option'";
      in
        lib.optionals (fromRust ? diff) [
          (common.onPath "diff-on-path-is-the-package" "diff")
          # Behaviour: GNU's diff says "diff: unrecognized option ...".
          {
            name = "diff-rejects-options-like-uutils";
            command = "diff --no-such-option";
            expect = "^unrecognized option '--no-such-option'";
            ignore_exit = true;
          }
          # diff exits 1 when the files differ; the probe prints the status.
          {
            name = "diff-finds-a-change";
            command = whenUutils "d=$(mktemp -d); printf 'a\\n' > \"$d/1\"; printf 'b\\n' > \"$d/2\"; diff \"$d/1\" \"$d/2\"; echo \"status=$?\"; rm -r \"$d\"";
            expect = "(?s)< a.*> b.*status=1";
          }
        ]
        ++ lib.optional (fromRust ? cmp) (common.onPath "cmp-on-path-is-the-package" "cmp");
    })
  ];
}

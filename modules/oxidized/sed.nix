# GNU sed -> uutils sed, on PATH by default (closure-wide when asked): uutils
# sed rejects back-references in a pattern when no UTF-8 locale is set, and
# NixOS's scripts and services run with none; a closure-wide swap would hand
# them that sed (docs/frontier.md).
{lib, ...}: let
  nrs = import ./lib.nix {inherit lib;};
in {
  imports = [
    ((import ./uutils.nix {inherit lib;}).module {
      name = "sed";
      keepGnuWhy = "sed has one command: keeping it GNU's is turning the component off";
      description = "uutils sed in place of GNU sed";
      rustAtRuntime = {fromRust, ...}: lib.optional (fromRust ? sed) {command = "sed";};
      probes = {
        fromRust,
        common,
        ...
      }: let
        # uutils sed says "sed <version> (uutils)"; GNU's "sed (GNU sed) <version>".
        whenUutils = nrs.whenRust "sed --version 2>&1 | grep -q '(uutils)'";
      in
        lib.optionals (fromRust ? sed) ([
            {
              name = "sed-is-uutils";
              command = "sed --version";
              expect = "(?m)^sed \\d+\\.\\d+\\.\\d+ \\(uutils\\)$";
            }
            (common.onPath "sed-on-path-is-the-package" "sed")
            (common.rejectsLikeClap "sed-rejects-options-like-uutils" "sed")
            # Groups but no back-reference in the pattern: works without a
            # UTF-8 locale (the probes run with LC_ALL=C).
            {
              name = "sed-edits";
              command = whenUutils "printf 'hello world\\n' | sed -E 's/(\\w+) (\\w+)/\\2 \\1/'";
              expect = "^world hello$";
            }
          ]
          ++ common.servicesPath "sed");
    })
  ];
}

# GNU findutils -> uutils findutils (find, xargs), closure-wide or on PATH.
# nixpkgs' findutils keeps locate and updatedb in its own `locate` output
# (pkgs/tools/misc/findutils/default.nix), which this swap leaves alone.
{lib, ...}: let
  nrs = import ./lib.nix {inherit lib;};
in {
  imports = [
    ((import ./uutils.nix {inherit lib;}).module {
      name = "findutils";
      keepGnuExample = ["xargs"];
      keepGnuWhy = "a script that relies on an option uutils' xargs lacks, say";
      description = "uutils findutils in place of GNU findutils";
      rustAtRuntime = {fromRust, ...}: lib.optional (fromRust ? find) {command = "find";};
      probes = {
        fromRust,
        common,
        ...
      }: let
        # uutils' find says "find <version>" (0.11; "find (Rust) <version>"
        # before), xargs "xargs <version>"; GNU's say "find (GNU findutils)
        # <version>".
        findIs = "^find (\\(Rust\\) )?[0-9]";
        whenUutils = c: re: nrs.whenRust "${c} --version 2>&1 | grep -Eq '${re}'";
      in
        lib.optionals (fromRust ? find) [
          {
            name = "find-is-uutils";
            command = "find --version";
            expect = findIs;
          }
          (common.onPath "find-on-path-is-the-package" "find")
          # Behaviour: uutils' find reports a missing start point with
          # Rust's io::Error text; GNU's says "find: '...': No such file
          # or directory".
          {
            name = "find-reports-errors-like-rust";
            command = "find /nonexistent-probe-path";
            expect = "No such file or directory \\(os error 2\\)";
            ignore_exit = true;
          }
          {
            name = "find-finds";
            command = whenUutils "find" findIs "find /etc -maxdepth 1 -name hostname -print";
            expect = "^/etc/hostname$";
          }
        ]
        ++ lib.optional (fromRust ? xargs) {
          name = "xargs-passes-arguments";
          command = whenUutils "xargs" "^xargs [0-9]" "printf 'a\\nb\\n' | xargs echo";
          expect = "^a b$";
        }
        ++ lib.optionals (fromRust ? find) (common.servicesPath "find");
    })
  ];
}

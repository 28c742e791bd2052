# The README's component table, from modules/oxidized/components.nix: the
# text between `<!-- components:start ... -->` and `<!-- components:end -->`
# (the test suite checks README.md has it).
let
  components = import ../modules/oxidized/components.nix;
  row = c: let
    name = builtins.elemAt c.rust 0;
    url = builtins.elemAt c.rust 1;
  in "| ${c.area} | ${c.original} | [${name}](${url}) | `oxidized.${c.name}` | ${c.swap} | ${c.stability} |\n";
in
  "| Component | C original | Rust replacement | Option | How it is swapped | Status |\n"
  + "|---|---|---|---|---|---|\n"
  + builtins.concatStringsSep "" (map row components)

# The entry points of the repository, called the way their callers call
# them, with builtins only: runs where nixpkgs' lib is not available (a
# clean CI machine), so that an argument a caller does not pass, or passes
# and the callee does not take, fails the test suite before `nix flake
# check` meets it.
#
#   nix-instantiate --eval --strict --json tests/entry-points.nix
#
# Every argument is a value that throws when used: the calls are made and
# evaluated until they need one, and that throw is caught; a call with the
# wrong arguments is not a throw and stops the evaluation with Nix's own
# message. Result: { passed = [ name ]; failed = [ { name; why; } ]; }.
let
  poison = what: throw "entry-points: ${what} used";
  poisoned = names:
    builtins.listToAttrs (map (n: {
        name = n;
        value = poison n;
      })
      names);
  required = f: builtins.filter (a: !(builtins.functionArgs f).${a}) (builtins.attrNames (builtins.functionArgs f));
  # Forces a value to weak head normal form; the poison's throw is caught,
  # anything else stops the evaluation. Always null (no complaint).
  call = v: builtins.seq (builtins.tryEval (builtins.seq v true)) null;

  # checks/default.nix passes each file the arguments it names among its own.
  loaderArgs = builtins.attrNames (builtins.functionArgs (import ../checks));
  checkFiles = let
    entries = builtins.readDir ../checks;
  in
    builtins.filter (n: entries.${n} == "regular" && n != "default.nix" && builtins.match ".*\\.nix" n != null) (builtins.attrNames entries);
  checkFile = name: let
    f = import (../checks + "/${name}");
    missing = builtins.filter (a: !(builtins.elem a loaderArgs)) (required f);
  in {
    name = "checks/${name}";
    why =
      if !builtins.isFunction f
      then "is not a function"
      else if missing != []
      then "needs ${builtins.concatStringsSep ", " missing}, which checks/default.nix does not pass (it passes ${builtins.concatStringsSep ", " loaderArgs})"
      else call (f (builtins.intersectAttrs (builtins.functionArgs f) (poisoned loaderArgs)));
  };

  # The loader itself, called as flake.nix calls it.
  loader = {
    name = "checks/default.nix";
    why = call (import ../checks (poisoned loaderArgs));
  };

  # lib/default.nix, as flake.nix imports it: every exported value.
  nrsLib = import ../lib {lib = poison "lib";};
  libExport = name: {
    name = "lib/default.nix: ${name}";
    why = call nrsLib.${name};
  };

  # A template's outputs take its inputs (and self), nothing else.
  template = dir: let
    flake = import (../templates + "/${dir}/flake.nix");
    inputs = ["self"] ++ builtins.attrNames flake.inputs;
    unknown = builtins.filter (a: !(builtins.elem a inputs)) (required flake.outputs);
  in {
    name = "templates/${dir}/flake.nix";
    why =
      if unknown == []
      then null
      else "outputs takes ${builtins.concatStringsSep ", " unknown}, which are not inputs";
  };
  templateDirs = let
    entries = builtins.readDir ../templates;
  in
    builtins.filter (n: entries.${n} == "directory") (builtins.attrNames entries);

  results =
    [loader]
    ++ map checkFile checkFiles
    ++ map libExport (builtins.attrNames nrsLib)
    ++ map template templateDirs;
in {
  passed = map (r: r.name) (builtins.filter (r: r.why == null) results);
  failed = builtins.filter (r: r.why != null) results;
}

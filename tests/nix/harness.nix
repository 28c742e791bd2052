# What the Nix tests share: the stand-in nixpkgs (tests/stand-in/nixpkgs,
# the one model of nixpkgs), configurations of its NixOS with nixos-rs'
# module, readers for what tests look at, and the runner that turns
# { name = { expr; expected; }; } into
# { passed = [ name ]; failed = [ { name; expected; got; } ]; }.
{lib}: rec {
  standIn = import ../stand-in/nixpkgs {inherit lib;};
  nrsLib = import ../../lib {inherit lib;};
  pkgs = standIn.legacyPackages.x86_64-linux;
  inherit (pkgs.standIn) pkg;

  # What every test machine needs to pass NixOS's own assertions.
  base = {
    nixpkgs.hostPlatform = "x86_64-linux";
    fileSystems."/".device = "/dev/vda";
    boot.loader.grub.enable = false;
  };
  # A configuration of the stand-in's NixOS: the evaluation (`config`,
  # `options`, `pkgs`).
  system = modules: standIn.lib.nixosSystem {modules = [base ../../modules/oxidized] ++ modules;};
  eval = modules: (system modules).config;
  # ... of an older nixpkgs: standIn.releases.<name> or standIn.overrides.<name>.
  evalOn = older: modules: eval ([older] ++ modules);
  # Packages of the test's own in an overlay: withPkgs (prev: { ... }).
  withPkgs = f: {nixpkgs.overlays = [(_: f)];};

  # Every component that needs nothing from the user (bootCheck), from the
  # one list; the library swaps have their own tests (libraries.nix).
  allComponents = {
    oxidized =
      {enable = true;}
      // lib.listToAttrs (map (c: lib.nameValuePair c.name {enable = true;})
        (lib.filter (c: c.bootCheck && !(c ? library) && c.stability != "stable")
          (import ../../modules/oxidized/components.nix)));
  };

  failing = c: map (a: a.message) (lib.filter (a: !a.assertion) c.assertions);
  probeNames = c: map (p: p.name) c.oxidized.probes;
  probesOf = component: c: lib.filter (p: p.component == component) c.oxidized.probes;
  probe = c: name: lib.findFirst (p: p.name == name) null c.oxidized.probes;
  oldNew = c: map (r: [r.oldDependency.name r.newDependency.name]) c.system.replaceDependencies.replacements;
  names = map (p: p.name);
  enabledRows = c: lib.filter (n: c.oxidized.report.${n}.enabled) (lib.attrNames c.oxidized.report);
  isPrefixRegexOf = p: re: re == "^${lib.escapeRegex "${p}"}/";
  # The packages of the system path, by name.
  systemPackageNames = c: map (p: p.name) c.environment.systemPackages;

  # hasInfix for strings that name store paths (builtins.match refuses
  # their context).
  contains = needle: hay: lib.hasInfix (builtins.unsafeDiscardStringContext needle) (builtins.unsafeDiscardStringContext hay);

  # Does evaluating `v` (deeply) fail?
  throws = v: !(builtins.tryEval (builtins.deepSeq v v)).success;

  run = tests: let
    results =
      lib.mapAttrsToList (name: t: let
        got = builtins.tryEval (builtins.deepSeq t.expr t.expr);
      in {
        inherit name;
        inherit (t) expected;
        got =
          if got.success
          then got.value
          else "<evaluation error>";
        ok = got.success && got.value == t.expected;
      })
      tests;
  in {
    passed = map (r: r.name) (lib.filter (r: r.ok) results);
    failed = map (r: {inherit (r) name expected got;}) (lib.filter (r: !r.ok) results);
  };
}

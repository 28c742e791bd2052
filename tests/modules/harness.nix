# What the Nix test files share (tests/modules/default.nix, systemd.nix,
# tests/probes/eval.nix): derivation-shaped fakes, the builders of a fake
# package set, and the runner that turns { name = { expr; expected; }; }
# into { passed = [ name ]; failed = [ { name; expected; got; } ]; }.
{lib}: rec {
  # A derivation-shaped attribute set. Its store path depends on the name
  # and on `buildScript`, so a replacement built under the original's name
  # still has a store path of its own.
  mk = name: extra:
    {
      type = "derivation";
      inherit name;
      outPath = "/nix/store/${builtins.substring 0 32 (builtins.hashString "sha256" (name + (extra.buildScript or "")))}-${name}";
      outputs = ["out"];
      meta = {};
    }
    // extra;
  pkg = pname: version: extra: mk "${pname}-${version}" ({inherit pname version;} // extra);

  # The builders of a fake pkgs whose final set is `self`, making their
  # results with `mk'`. runCommand keeps its script as `buildScript` and,
  # like mkDerivation, puts passthru both on the result and under
  # `passthru` (pkgs/stdenv/generic/make-derivation.nix).
  builders = buildersWith mk;
  buildersWith = mk': self: let
    mk = mk';
    pkg = pname: version: extra: mk "${pname}-${version}" ({inherit pname version;} // extra);
  in {
    inherit lib;
    runCommand = name: attrs: script: let
      passthru = attrs.passthru or {};
    in
      mk name (removeAttrs attrs ["passthru" "nativeBuildInputs"]
        // passthru
        // {
          inherit passthru;
          buildScript = script;
          meta = attrs.meta or {};
        });
    callPackage = fn: args: let
      f =
        if builtins.isFunction fn
        then fn
        else import fn;
    in
      f (builtins.intersectAttrs (builtins.functionArgs f) self // args);
    rustPlatform.buildRustPackage = attrs:
      pkg attrs.pname attrs.version ((attrs.passthru or {})
        // {
          passthru = attrs.passthru or {};
          meta = attrs.meta or {};
        });
    makeBinaryWrapper = pkg "make-binary-wrapper-hook" "1" {};
    file = pkg "file" "5.46" {};
    stdenv.hostPlatform = {
      system = "x86_64-linux";
      isAarch64 = false;
    };
  };

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

# Every option example in nixos-rs' modules that is a value (not a piece
# of Nix text) works: set on a configuration with its component enabled,
# it evaluates and passes every assertion.
{
  lib,
  h,
}: let
  options = (h.system []).options;
  docs = map (o: o // {name = lib.showOption o.loc;}) (lib.filter (o: o ? example && !(o.example ? _type)) (lib.collect lib.isOption options.oxidized));
  path = o: o.loc;
  # oxidized.<component>.<...>: the component's enable goes with it.
  component = o: lib.elemAt (path o) 1;
  try = o: let
    c = h.eval [
      (lib.setAttrByPath (path o) o.example)
      (lib.optionalAttrs (options.oxidized ? ${component o}.enable) {oxidized.${component o}.enable = true;})
      # The one component with no default package.
      (lib.optionalAttrs (component o == "systemd") {
        oxidized.systemd.package = h.nrsLib.mkSystemdOverlay {
          inherit (h) pkgs;
          rust = h.pkg "rust-systemd" "0.1" {bins = ["systemd"];};
        };
      })
    ];
    failing = h.failing c;
  in
    if h.throws failing
    then ["does not evaluate"]
    else failing;
in
  lib.listToAttrs (map (o:
    lib.nameValuePair "example-of-${o.name}" {
      expr = try o;
      expected = [];
    })
  docs)
  // {
    # The list above is not empty by accident.
    examples-are-found = {
      expr = lib.length docs >= 4;
      expected = true;
    };
  }

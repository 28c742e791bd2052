# The options reference of nixos-rs (`oxidized.*`, from nixosModules.oxidized
# and nixosModules.vm-guest) rendered by nixpkgs' nixosOptionsDoc:
# $out/options.md and $out/options.json. docs/options.md is the same
# options rendered without nixpkgs (nix/options-doc.nix).
{
  lib,
  nixosOptionsDoc,
  runCommand,
  # The `options` of a configuration that imports both modules.
  options,
}: let
  root = toString ../..;
  doc = nixosOptionsDoc {
    options = {inherit (options) oxidized;};
    # Declarations as paths in this repository, not in the store.
    transformOptions = opt:
      opt
      // {
        declarations = map (d: let
          s = toString d;
        in
          if lib.hasPrefix "${root}/" s
          then lib.removePrefix "${root}/" s
          else s)
        opt.declarations;
      };
  };
in
  runCommand "nixos-rs-options" {
    meta.description = "The options of nixos-rs, as Markdown and JSON";
  } ''
    mkdir -p "$out"
    cp ${doc.optionsCommonMark} "$out/options.md"
    cp ${doc.optionsJSON}/share/doc/nixos/options.json "$out/options.json"
  ''

# The options nixos-rs declares (`oxidized.*`) as Markdown, from the
# `options` of an evaluated configuration. docs/options.md is this over the
# module tests' evaluation (tests/options-doc.nix checks it is current);
# `packages.<system>.options-doc` renders the same options with nixpkgs'
# nixosOptionsDoc.
{lib}: {
  options,
  # Declarations are shown relative to this directory.
  root,
}: let
  all = lib.filter (o: lib.hasPrefix "oxidized." o.name) (lib.optionAttrSetToDocList options);
  # Sub-options of an internal option are internal too.
  hidden = map (o: "${o.name}.") (lib.filter (o: o.internal || !o.visible) all);
  docs = lib.filter (o: o.visible && !o.internal && !lib.any (h: lib.hasPrefix h o.name) hidden) all;
  # renderOptionValue gives literalExpression / literalMD values.
  value = v:
    if (v._type or null) == "literalMD"
    then v.text
    else ''
      ```nix
      ${lib.removeSuffix "\n" (v.text or (builtins.toJSON v))}
      ```'';
  where = d: let
    s = toString d;
  in
    if lib.hasPrefix "${toString root}/" s
    then "[`${lib.removePrefix "${toString root}/" s}`](../${lib.removePrefix "${toString root}/" s})"
    else "`${s}`";
  field = title: v: lib.optionalString (v != null) "\n*${title}:*\n${v}\n";
  one = o:
    ''
      ## `${o.name}`

      ${lib.removeSuffix "\n" (
        if o.description or null == null
        then "(no description)"
        else o.description
      )}
    ''
    + field "Type" (o.type + lib.optionalString (o.readOnly or false) " (read only)")
    + field "Default" (
      if o ? default
      then value o.default
      else null
    )
    + field "Example" (
      if o ? example
      then value o.example
      else null
    )
    + field "Declared in" (lib.concatMapStringsSep ", " where o.declarations);
in
  ''
    # nixos-rs options

    Generated from the modules by `cargo xtask options-doc` (do not edit):
    every option of `nixosModules.oxidized` and `nixosModules.vm-guest`.

  ''
  + lib.concatMapStringsSep "\n" one docs

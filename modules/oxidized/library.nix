# The components that swap a C library for a Rust one (zlib, bzip2: the
# entries of ./components.nix with `library`). Options: enable, package,
# checkImports. The library's package is replaced closure-wide with
# system.replaceDependencies by lib/replacements.nix's mkLibraryReplacement
# (its lib/ under the original's store name, the library's names pointing
# into the Rust package), so every program whose RUNPATH names the library
# loads the Rust one; the initrd keeps C. There is no `strategy`: programs
# find a library through their RUNPATH, never through PATH. A check in
# system.checks (mkLibraryImportsCheck) fails the system's build when a
# program of it imports a symbol the Rust library does not export.
{lib}: let
  repl = import ../../lib/replacements.nix {inherit lib;};
  entry = name: lib.findFirst (c: c.name == name) (throw "no component ${name}") (import ./components.nix);
in rec {
  # The C library's package of component `name`: the output of the
  # attribute that holds the library.
  original = pkgs: name: let
    l = (entry name).library;
  in
    pkgs.${l.original}.${l.output};

  # nixos-rs' package of the Rust library of component `name`.
  package = pkgs: name: pkgs.callPackage (../../pkgs + "/${(entry name).library.package}/package.nix") {};

  # The replacement of the C library's package by `rust` (nixos-rs' package
  # unless given); pkgs/default.nix builds it as `<name>-replacement`.
  replacement = {
    pkgs,
    name,
    rust ? package pkgs name,
  }:
    repl.mkLibraryReplacement {
      inherit (pkgs) runCommand;
      original = original pkgs name;
      inherit rust;
      inherit ((entry name).library) libs;
    };

  module = {
    # Component name: oxidized.<name>.
    name,
    description,
    # { cfg } -> probes (attribute sets without `component`).
    probes,
  }: {
    config,
    pkgs,
    ...
  }: let
    cfg = config.oxidized.${name};
    nrs = import ./lib.nix {inherit lib;};
    inherit ((entry name).library) libs;
    dir = (entry name).library.package;
    orig = original pkgs name;
    pairs = [
      {
        original = orig;
        replacement = replacement {
          inherit pkgs name;
          rust = cfg.package;
        };
      }
    ];
    # What the library is, for the documentation: not its version, which
    # is the configuration's.
    what = (entry name).original;
  in {
    options.oxidized.${name} =
      {
        enable = lib.mkEnableOption "${description} (experimental)";
        package = lib.mkOption {
          type = lib.types.package;
          default = package pkgs name;
          defaultText = lib.literalMD "nixos-rs' `pkgs/${dir}` (`nixos-rs.packages.<system>.${dir}`), built with the configuration's pkgs";
          description = ''
            The Rust library: its ${lib.concatStringsSep ", " (lib.mapAttrsToList (l: f: "`${f}` stands for ${what}'s `lib/${l}*`") libs)}
            in the whole system (the initrd aside).
          '';
        };
        checkImports = lib.mkOption {
          type = lib.types.bool;
          default = true;
          description = ''
            Check, when building the system, that `package` exports every
            symbol (at its version) that the ELF files of the system path
            and of /etc's closure import from ${what}; the build fails
            naming each missing symbol and a file that imports it
            (`system.checks`). It reads every file of that closure once.
          '';
        };
      }
      // nrs.componentInternals;

    config = lib.mkMerge [
      {
        oxidized.${name}.reportRow = {
          original = orig.name;
          replacement = cfg.package.name;
          strategy = "closure";
        };
      }
      (lib.mkIf cfg.enable (lib.mkMerge [
        (repl.swapConfig {
          inherit config pairs;
          strategy = "closure";
        })
        {
          assertions = repl.swapAssertions {
            component = name;
            inherit config pairs;
            strategy = "closure";
          };
          system.checks = lib.mkIf cfg.checkImports [
            (repl.mkLibraryImportsCheck {
              inherit (pkgs) runCommand closureInfo;
              binutils = pkgs.binutils-unwrapped;
              rootPaths = [config.system.path config.system.build.etc];
              original = orig;
              rust = cfg.package;
              inherit libs;
            })
          ];
          # Every libz.so* (libbz2.so*) a running process maps is the Rust
          # one; nothing to check where no process maps it.
          oxidized.${name} = {
            rustAtRuntime = map (l: {library = l;}) (lib.attrNames libs);
            probes = map (p: {component = name;} // p) (probes {inherit cfg;});
          };
        }
      ]))
    ];
  };
}

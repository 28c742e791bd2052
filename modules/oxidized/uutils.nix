# The components that swap GNU packages for a uutils package command by
# command (coreutils, findutils, diffutils: the entries of ./components.nix
# with `uutils`). Options: enable, package, strategy, keepGnu, commands,
# fallbacks (read-only). Closure-wide or PATH swap of replacements built
# with lib/replacements.nix's mkCommandReplacement under each GNU
# package's store name; assertions, probes and report row.
{lib}: let
  repl = import ../../lib/replacements.nix {inherit lib;};
  entry = name: lib.findFirst (c: c.name == name) (throw "no component ${name}") (import ./components.nix);
in rec {
  # The replacement of one GNU package of component `name`, with the
  # shipped command lists for the packages' versions unless `commands` is
  # given. pkgs/default.nix builds them with the defaults.
  replacement = {
    pkgs,
    name,
    original,
    rust,
    keepGnu ? [],
    commands ? null,
  }: let
    data = import (entry name).uutils.commands {inherit lib;};
  in
    repl.mkCommandReplacement {
      inherit (pkgs) runCommand;
      inherit original rust keepGnu;
      commands =
        if commands != null
        then commands
        else {
          gnu = data.gnu (lib.getVersion original);
          rust = data.rust (lib.getVersion rust);
          held = (data.held or (_: [])) (lib.getVersion rust);
        };
      hint = "update modules/oxidized/${name}-commands.nix of nixos-rs, or set oxidized.${name}.commands";
    };

  module = {
    # Component name: oxidized.<name>.
    name,
    description,
    # { cfg, fromRust, common } -> probes (attribute sets without
    # `component`); `common` builds the probes every uutils component has.
    probes,
    # keepGnu's example (null: none) and why one would keep a command GNU's.
    keepGnuExample ? null,
    keepGnuWhy,
    # { cfg, fromRust } -> what must be Rust at run time (commands on PATH).
    rustAtRuntime ? (_: []),
  }: {
    config,
    pkgs,
    ...
  }: let
    cfg = config.oxidized.${name};
    nrs = import ./lib.nix {inherit lib;};
    inherit ((entry name).uutils) originals package commands;
    defaultStrategy = (entry name).uutils.strategy or "closure";
    data = import commands {inherit lib;};
    # The GNU packages swapped (distinct store paths); the last is the one
    # NixOS puts on PATH.
    gnuPackages = lib.unique (map (a: pkgs.${a}) originals);
    gnuMain = lib.head gnuPackages;

    pairs =
      map (gnu: {
        original = gnu;
        replacement = replacement {
          inherit pkgs name;
          original = gnu;
          rust = cfg.package;
          inherit (cfg) keepGnu commands;
        };
      })
      gnuPackages;
    split = repl.splitCommands {inherit (cfg) commands keepGnu;};
    # For the documentation: the lists' file, relative to the repository.
    lists = lib.removePrefix "${toString ../..}/" (toString commands);
  in {
    options.oxidized.${name} =
      {
        enable = lib.mkEnableOption "${description} (experimental)";
        package = lib.mkPackageOption pkgs package {};
        strategy = nrs.strategyOption name defaultStrategy;
        keepGnu =
          lib.mkOption {
            type = lib.types.listOf lib.types.str;
            default = [];
            description = ''
              Commands of GNU ${name} to keep although uutils has them
              (${keepGnuWhy}). Each must be a command of GNU ${name}
              (`commands.gnu`), or evaluation stops.
            '';
          }
          // lib.optionalAttrs (keepGnuExample != null) {example = keepGnuExample;};
        commands = lib.mkOption {
          type = lib.types.submodule {
            options = {
              gnu = lib.mkOption {
                type = lib.types.listOf lib.types.str;
                default = data.gnu (lib.getVersion gnuMain);
                defaultText = lib.literalMD "the list in nixos-rs' `${lists}` for the version of GNU ${name}";
                description = "The commands in GNU ${name}'s bin/.";
              };
              rust = lib.mkOption {
                type = lib.types.attrsOf lib.types.str;
                default = data.rust (lib.getVersion cfg.package);
                defaultText = lib.literalMD "the map in nixos-rs' `${lists}` for the version of `package`";
                description = "GNU command -> the uutils binary that implements it.";
              };
              held = lib.mkOption {
                type = lib.types.listOf lib.types.str;
                default = (data.held or (_: [])) (lib.getVersion cfg.package);
                defaultText = lib.literalMD "the list in nixos-rs' `${lists}` for the version of `package`";
                description = "Commands uutils has that stay GNU's on purpose (not reported as drift by the build).";
              };
            };
          };
          default = {};
          description = ''
            The command lists the replacement is built from and `fallbacks`
            is computed from, without building anything. The replacement's
            build checks them against the real packages and names the command
            that differs; set this when your packages differ from the lists
            nixos-rs ships.
          '';
        };
        fallbacks = lib.mkOption {
          type = lib.types.listOf lib.types.str;
          readOnly = true;
          defaultText = lib.literalMD "computed from `commands` and `keepGnu`";
          description = ''
            Commands of GNU ${name} that keep running GNU's binary: uutils
            lacks them, or `keepGnu` keeps them (read-only). Computed when
            evaluating, from the command lists; where the real packages
            differ from the lists (a nixpkgs update added or dropped a
            command), the build keeps every command runnable, warns in its
            log, and the replacement's `nix-support/command-drift` and
            `nix-support/gnu-fallbacks` say what it really did.
          '';
        };
      }
      // nrs.componentInternals;

    config = lib.mkMerge [
      {
        oxidized.${name} = {
          inherit (split) fallbacks;
          reportRow = {
            original = gnuMain.name;
            replacement = cfg.package.name;
            inherit (cfg) strategy;
            inherit (split) fallbacks;
          };
        };
      }
      (lib.mkIf cfg.enable (lib.mkMerge [
        (repl.swapConfig {
          inherit config pairs;
          inherit (cfg) strategy;
        })
        {
          assertions =
            repl.swapAssertions {
              component = name;
              inherit config pairs;
              inherit (cfg) strategy;
            }
            ++ [
              {
                assertion = split.unknownKeepGnu == [];
                message = "oxidized.${name}.keepGnu: ${lib.concatStringsSep ", " split.unknownKeepGnu} ${
                  if lib.length split.unknownKeepGnu == 1
                  then "is not a command"
                  else "are not commands"
                } of ${gnuMain.name} (its commands: ${lib.concatStringsSep " " cfg.commands.gnu}).";
              }
            ];
          oxidized.${name}.rustAtRuntime = rustAtRuntime {
            inherit cfg;
            inherit (split) fromRust;
          };
        }
        {
          oxidized.${name}.probes = map (p: {component = name;} // p) (probes {
            inherit cfg;
            inherit (split) fromRust;
            common = {
              # clap's error for an unknown option, as uutils' newer tools
              # print it; GNU's and procps-ng's say "<cmd>: unrecognized
              # option".
              rejectsLikeClap = probeName: command: {
                name = probeName;
                command = "${command} --no-such-option";
                expect = "(?m)^error: unexpected argument '--no-such-option' found$";
                ignore_exit = true;
              };
              # The system path's <command> is the uutils package's.
              onPath = probeName: command: {
                name = probeName;
                command = nrs.resolveInSystemPath command;
                expect = nrs.storePrefix cfg.package;
              };
              # Store paths that name the GNU package directly reach uutils
              # too: the PATH NixOS gives every service
              # (nixos/lib/systemd-lib.nix).
              servicesPath = command:
                lib.optional (cfg.strategy == "closure") {
                  name = "${name}-services-path-is-uutils";
                  needsNixos = "reads the PATH of NixOS's systemd units in /etc/systemd/system";
                  command = "p=$(grep -ho '/nix/store/[a-z0-9]*-${name}-[0-9][^/:\" ]*' /etc/systemd/system/*.service | head -n 1); readlink -f \"$p/bin/${command}\"";
                  expect = nrs.storePrefix cfg.package;
                };
            };
          });
        }
      ]))
    ];
  };
}

# The module of a component that swaps GNU packages for a uutils package
# command by command (coreutils, findutils, diffutils). Options: enable,
# package, strategy, keepGnu, commands, fallbacks (read-only). Closure-wide
# or PATH swap of replacements built by the component's pkgs/<dir>/package.nix
# under each GNU package's store name; assertions, probes and report row.
{lib}: {
  # Component name: oxidized.<name>.
  name,
  description,
  # pkgs -> the GNU packages swapped (distinct store paths); the last one is
  # the one NixOS puts on PATH.
  originals,
  # The argument of packageFile that takes the GNU package (e.g. "coreutils").
  gnuArg,
  # The uutils package's attribute in pkgs, also packageFile's argument.
  uutilsAttr,
  # The replacement builder and its command lists (pkgs/<dir>/).
  packageFile,
  commandsFile,
  # { cfg, fromRust, common } -> probes (attribute sets without
  # `component`); `common` builds the probes every uutils component has.
  probes,
}: {
  config,
  pkgs,
  ...
}: let
  cfg = config.oxidized.${name};
  nrs = import ./components.nix {inherit lib;};
  repl = import ./replacements.nix {inherit lib;};
  data = import commandsFile {inherit lib;};
  gnuPackages = originals pkgs;
  gnuMain = lib.head gnuPackages;

  pairs =
    map (gnu: {
      original = gnu;
      replacement = pkgs.callPackage packageFile {
        ${gnuArg} = gnu;
        ${uutilsAttr} = cfg.package;
        inherit (cfg) keepGnu commands;
      };
    })
    gnuPackages;
  split = repl.splitCommands {inherit (cfg) commands keepGnu;};
  # For the documentation: the lists' file, relative to the repository.
  lists = lib.removePrefix "${toString ../.}/" (toString commandsFile);
in {
  options.oxidized.${name} =
    {
      enable = lib.mkEnableOption "${description} (experimental)";
      package = lib.mkPackageOption pkgs uutilsAttr {};
      strategy = nrs.strategyOption name;
      keepGnu = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [];
        example = ["cp" "mv" "rm"];
        description = ''
          Commands to keep from GNU ${name} although uutils has them
          (Ubuntu keeps coreutils' cp, mv and rm).
        '';
      };
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
        description = "Commands of GNU ${name} that keep running GNU's binary: uutils lacks them, or `keepGnu` keeps them (read-only).";
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
        oxidized.${name}.probes = map (p: {component = name;} // p) (probes {
          inherit cfg;
          inherit (split) fromRust;
          common = {
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
}

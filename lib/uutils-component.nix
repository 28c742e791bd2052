# The module of a component that swaps GNU packages for a uutils package
# (coreutils, findutils, diffutils): options enable, package, strategy,
# keepGnu, missingInUutils, fallbacks (read-only); closure-wide or PATH
# swap; same-length assertions; probes and report row.
{lib}: {
  # Component name (oxidized.<name>).
  name,
  # pkgs -> the GNU packages replaced; the last one is the one on PATH.
  originals,
  # Attribute of the uutils package in pkgs.
  uutilsAttr,
  # GNU commands the uutils package does not install (checked at build).
  missingInUutils,
  # GNU command -> uutils binary installed under another name.
  aliases ? {},
  description,
  # cfg -> probes (lists of { name command expect ... } without component).
  probes,
}: {
  config,
  pkgs,
  ...
}: let
  nrs = import ./components.nix {inherit lib;};
  cfg = config.oxidized.${name};
  pairs =
    map (gnu: {
      original = gnu;
      replacement = pkgs.callPackage ../pkgs/uutils-swap/package.nix {
        inherit gnu aliases;
        uutils = cfg.package;
        inherit (cfg) missingInUutils keepGnu;
      };
    })
    (originals pkgs);
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
        description = "Commands to keep from GNU (Ubuntu 26.04 keeps cp, mv and rm of coreutils).";
      };
      missingInUutils = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = missingInUutils;
        description = ''
          GNU commands the uutils package does not install; they run GNU's
          binary. The replacement's build checks this list against the real
          packages and names any command it is missing.
        '';
      };
      fallbacks = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        readOnly = true;
        description = "Commands that run GNU's binary in the replacement (read-only).";
      };
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.${name} = {
        fallbacks = lib.unique (cfg.missingInUutils ++ cfg.keepGnu);
        reportRow = {
          enabled = cfg.enable;
          stability = "experimental";
          original = (lib.head (originals pkgs)).name;
          replacement = cfg.package.name;
          inherit (cfg) strategy fallbacks;
        };
      };
    }
    (lib.mkIf cfg.enable (lib.mkMerge [
      (nrs.swapConfig {
        inherit config pairs;
        inherit (cfg) strategy;
      })
      {
        assertions = nrs.sameLengthAssertions name pairs;
        oxidized.${name}.probes = map (p: {component = name;} // p) (probes cfg);
      }
    ]))
  ];
}

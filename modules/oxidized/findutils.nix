# GNU findutils -> uutils findutils (find, xargs), closure-wide or on PATH;
# GNU's locate and updatedb stay as fallbacks.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.findutils;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "findutils";
  pairs = [
    {
      original = pkgs.findutils;
      replacement = pkgs.callPackage ../../pkgs/uutils-swap/package.nix {
        gnu = pkgs.findutils;
        uutils = cfg.package;
        inherit (cfg) missingInUutils;
      };
    }
  ];
in {
  options.oxidized.findutils =
    {
      enable = lib.mkEnableOption "uutils findutils in place of GNU findutils (experimental)";
      # pkgs/by-name/uu/uutils-findutils/package.nix installs find and xargs.
      package = lib.mkPackageOption pkgs "uutils-findutils" {};
      strategy = nrs.strategyOption "findutils";
      missingInUutils = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = ["locate" "updatedb"];
        description = "GNU findutils commands uutils findutils does not install.";
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
      oxidized.findutils.fallbacks = cfg.missingInUutils;
      oxidized.findutils.reportRow = {
        enabled = cfg.enable;
        stability = "experimental";
        original = pkgs.findutils.name;
        replacement = cfg.package.name;
        inherit (cfg) strategy fallbacks;
      };
    }
    (lib.mkIf cfg.enable (lib.mkMerge [
      (nrs.swapConfig {
        inherit config pairs;
        inherit (cfg) strategy;
      })
      {
        assertions = nrs.sameLengthAssertions "findutils" pairs;
        oxidized.findutils.probes = [
          # GNU find says "find (GNU findutils)" (no regex look-around in probes:
          # the shell inverts the test).
          (probe "find-is-not-gnu" "if find --version 2>&1 | grep -q 'GNU findutils'; then echo gnu; else echo rust; fi" "^rust$")
          (probe "find-finds" "find /etc -maxdepth 1 -name hostname -print" "^/etc/hostname$")
        ];
      }
    ]))
  ];
}

# GNU diffutils -> uutils diffutils (diff, cmp), closure-wide or on PATH;
# GNU's diff3 and sdiff stay as fallbacks.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.diffutils;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "diffutils";
  pairs = [
    {
      original = pkgs.diffutils;
      replacement = pkgs.callPackage ../../pkgs/uutils-swap/package.nix {
        gnu = pkgs.diffutils;
        uutils = cfg.package;
        inherit (cfg) missingInUutils;
      };
    }
  ];
in {
  options.oxidized.diffutils =
    {
      enable = lib.mkEnableOption "uutils diffutils in place of GNU diffutils (experimental)";
      # pkgs/by-name/uu/uutils-diffutils/package.nix installs diff and cmp (0.5 on).
      package = lib.mkPackageOption pkgs "uutils-diffutils" {};
      strategy = nrs.strategyOption "diffutils";
      missingInUutils = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = ["diff3" "sdiff"];
        description = "GNU diffutils commands uutils diffutils does not install.";
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
      oxidized.diffutils.fallbacks = cfg.missingInUutils;
      oxidized.diffutils.reportRow = {
        enabled = cfg.enable;
        stability = "experimental";
        original = pkgs.diffutils.name;
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
        assertions = nrs.sameLengthAssertions "diffutils" pairs;
        oxidized.diffutils.probes = [
          # GNU diff says "diff (GNU diffutils)" (no regex look-around in probes:
          # the shell inverts the test).
          (probe "diff-is-not-gnu" "if diff --version 2>&1 | grep -q 'GNU diffutils'; then echo gnu; else echo rust; fi" "^rust$")
          ((probe "diff-finds-a-change" "printf 'a\\n' > /tmp/.nrs-a; printf 'b\\n' > /tmp/.nrs-b; diff /tmp/.nrs-a /tmp/.nrs-b" "(?m)^< a$") // {ignore_exit = true;})
        ];
      }
    ]))
  ];
}

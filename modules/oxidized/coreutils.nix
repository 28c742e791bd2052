# GNU coreutils -> uutils coreutils, closure-wide or on PATH, with a GNU
# fallback for every command uutils lacks (`fallbacks`) and the commands
# kept GNU on purpose (`keepGnu`).
#
# NixOS puts coreutils-full into the system path
# (nixos/modules/config/system-path.nix) while unit scripts use coreutils
# (nixos/lib/systemd-lib.nix): both store paths are replaced.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.coreutils;
  nrs = import ../../lib/components.nix {inherit lib;};
  probe = nrs.mkProbe "coreutils";
  replacementFor = gnu:
    pkgs.callPackage ../../pkgs/uutils-swap/package.nix {
      inherit gnu;
      uutils = cfg.package;
      inherit (cfg) missingInUutils keepGnu;
    };
  pairs =
    map (gnu: {
      original = gnu;
      replacement = replacementFor gnu;
    })
    [pkgs.coreutils pkgs.coreutils-full];
in {
  options.oxidized.coreutils =
    {
      enable = lib.mkEnableOption "uutils coreutils in place of GNU coreutils (experimental)";
      package = lib.mkPackageOption pkgs "uutils-coreutils-noprefix" {};
      strategy = nrs.strategyOption "coreutils";
      keepGnu = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        default = [];
        example = ["cp" "mv" "rm"];
        description = "Commands to keep from GNU coreutils (Ubuntu 26.04 keeps cp, mv and rm).";
      };
      missingInUutils = lib.mkOption {
        type = lib.types.listOf lib.types.str;
        # uutils builds chcon and runcon only with SELinux (SELINUX_PROGS in
        # its GNUmakefile); nixpkgs' package does not enable it.
        default = ["chcon" "runcon"];
        description = ''
          GNU commands the uutils package does not install. The replacement's
          build checks this list against the real packages.
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
      oxidized.coreutils.fallbacks = lib.unique (cfg.missingInUutils ++ cfg.keepGnu);
      oxidized.coreutils.reportRow = {
        enabled = cfg.enable;
        stability = "experimental";
        original = pkgs.coreutils.name;
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
        assertions = nrs.sameLengthAssertions "coreutils" pairs;
        oxidized.coreutils.probes =
          [
            (probe "ls-is-uutils" "ls --version" "uutils coreutils")
            # uutils accepts some options it ignores; check behaviour too.
            (probe "date-reads-file-time" "touch -d @86400 /tmp/.nixos-rs-probe && date -u -r /tmp/.nixos-rs-probe +%Y-%m-%d" "^1970-01-02$")
            (probe "sort-version" "printf 'a10\\na9\\n' | sort -V | tr '\\n' ' '" "^a9 a10 $")
          ]
          ++ lib.optional (cfg.strategy == "closure")
          # Store paths that name coreutils directly (the activation script
          # sets PATH to it) reach uutils too.
          (probe "activation-coreutils-is-uutils" "p=$(grep -o '/nix/store/[^/ :]*-coreutils-[^/ :]*/bin' /run/current-system/activate | head -n 1); \"$p/ls\" --version" "uutils coreutils");
      }
    ]))
  ];
}

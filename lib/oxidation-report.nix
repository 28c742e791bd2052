# mkOxidationReport: how much of a NixOS system is Rust, read from its
# closure inside a Nix build (no import-from-derivation beyond what the
# configuration itself needs).
#
#   nixos-rs.lib.mkOxidationReport { nixosConfiguration = self.nixosConfigurations.my-host; }
#
# $out/oxidation.json and $out/oxidation.md (`bootcheck oxidation
# --system`: the commands on the system's PATH, the closure's executables
# and shared libraries, per package and language, each resolved through
# symlinks and wrappers), $out/summary.txt and $out/headline.txt, e.g.
#   my-host: 212/431 commands on PATH are Rust (49%), 18% of closure executables
#
# mkOxidationCompare { before, after } (two such reports): what moved, by
# language, in $out/compare.md.
{lib}: {
  mkOxidationReport = {
    nixosConfiguration ? null,
    config ? nixosConfiguration.config,
    name ? config.system.name,
    pkgs ? nixosConfiguration.pkgs or (throw "mkOxidationReport: pass `pkgs` when giving `config` only"),
    bootcheck ? pkgs.callPackage ../pkgs/bootcheck/package.nix {},
  }: let
    toplevel = config.system.build.toplevel;
  in
    pkgs.runCommand "oxidation-${name}" {
      nativeBuildInputs = [bootcheck];
      inherit toplevel;
      closure = pkgs.closureInfo {rootPaths = [toplevel];};
      passthru = {inherit toplevel;};
      meta.description = "How much of ${name} is Rust, by command, package and language";
    } ''
      mkdir -p "$out"
      bootcheck oxidation --name ${lib.escapeShellArg name} --system "$toplevel" --closure "$closure/store-paths" \
        --json "$out/oxidation.json" --markdown "$out/oxidation.md" > "$out/summary.txt"
      head -n 1 "$out/summary.txt" > "$out/headline.txt"
      cat "$out/summary.txt"
    '';

  mkOxidationCompare = {
    before,
    after,
    pkgs,
    bootcheck ? pkgs.callPackage ../pkgs/bootcheck/package.nix {},
  }:
    pkgs.runCommand "oxidation-compare" {
      nativeBuildInputs = [bootcheck];
      meta.description = "What moved between two oxidation reports, by language";
    } ''
      mkdir -p "$out"
      bootcheck oxidation compare ${before}/oxidation.json ${after}/oxidation.json > "$out/compare.md"
      cat "$out/compare.md"
    '';
}

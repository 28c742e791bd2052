# lib.mkOxidationReport and mkOxidationCompare: what the builds run (the
# sandbox stage builds a report for real). Nothing is built here.
{h, ...}: let
  host = h.system [{networking.hostName = "ox";}];
  report = h.nrsLib.mkOxidationReport {nixosConfiguration = host;};
  compare = h.nrsLib.mkOxidationCompare {
    before = report;
    after = report;
    inherit (h) pkgs;
  };
in {
  oxidation-report-reads-the-systems-closure = {
    expr = {
      name = report.name;
      toplevel = "${report.toplevel}" == "${host.config.system.build.toplevel}";
      closureOfToplevel = h.contains "${host.config.system.build.toplevel}" (builtins.toJSON report.closure.exportReferencesGraph);
      command = h.contains ''bootcheck oxidation --name ox --system "$toplevel" --closure "$closure/store-paths"'' report.buildCommand;
      outputs = map (f: h.contains "$out/${f}" report.buildCommand) ["oxidation.json" "oxidation.md" "headline.txt"];
      # No import-from-derivation: closureInfo is an input, not read while evaluating.
      ifd = report.drvPath != null;
    };
    expected = {
      name = "oxidation-ox";
      toplevel = true;
      closureOfToplevel = true;
      command = true;
      outputs = [true true true];
      ifd = true;
    };
  };
  oxidation-compare-reads-both-reports = {
    expr = h.contains "bootcheck oxidation compare ${report}/oxidation.json ${report}/oxidation.json" compare.buildCommand;
    expected = true;
  };
}

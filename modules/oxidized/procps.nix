# procps-ng -> uutils procps for the process tools that work as procps-ng's
# do (pgrep, pkill, pidof, pidwait, free), on PATH by default; ps, top, w,
# watch and the rest stay procps-ng's (procps-commands.nix,
# docs/frontier.md).
{lib, ...}: let
  nrs = import ./lib.nix {inherit lib;};
in {
  imports = [
    ((import ./uutils.nix {inherit lib;}).module {
      name = "procps";
      keepGnuExample = ["pkill"];
      keepGnuWhy = "a script that relies on a pkill option uutils lacks, say";
      description = "uutils procps in place of procps-ng (pgrep, pkill, pidof, pidwait, free)";
      rustAtRuntime = {fromRust, ...}: lib.optional (fromRust ? pgrep) {command = "pgrep";};
      probes = {
        fromRust,
        common,
        ...
      }: let
        # uutils' applets print "<name> <version>"; procps-ng's "<name>
        # from procps-ng <version>".
        whenUutils = nrs.whenRust "pgrep --version 2>&1 | grep -q '^pgrep [0-9]'";
      in
        lib.optionals (fromRust ? pgrep) ([
            {
              name = "pgrep-is-uutils";
              command = "pgrep --version";
              expect = "(?m)^pgrep \\d+\\.\\d+\\.\\d+$";
            }
            (common.onPath "pgrep-on-path-is-the-package" "pgrep")
            (common.rejectsLikeClap "pgrep-rejects-options-like-uutils" "pgrep")
            # Behaviour: pgrep finds a process it did not start, by its
            # command line, which is unique to the probe: brush (the login
            # shell with oxidized.shell) does not set $!, and other sleeps
            # may run.
            {
              name = "pgrep-finds-a-process";
              command = whenUutils "sleep 7.031 & sleep 1; p=$(pgrep -f '^sleep 7\\.031$' | head -n 1); [ \"$(cat /proc/$p/comm)\" = sleep ] && echo found; kill \"$p\"";
              expect = "(?m)^found$";
            }
          ]
          ++ lib.optional (fromRust ? free) (common.onPath "free-on-path-is-the-package" "free")
          ++ common.servicesPath "pgrep");
    })
  ];
}

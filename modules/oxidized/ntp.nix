# systemd-timesyncd -> ntpd-rs, through NixOS's own module
# (nixos/modules/services/networking/ntp/ntpd-rs.nix), which turns
# services.timesyncd off and asserts the two are not both on. The other
# time daemons NixOS has turn timesyncd off (mkForce) and nothing else
# (nixos/modules/services/networking/ntp/chrony.nix, ntpd.nix,
# openntpd.nix): with one of them on, ntpd-rs would be a second daemon
# setting the clock, which is an assertion here.
{
  config,
  lib,
  options,
  pkgs,
  ...
}: let
  cfg = config.oxidized.ntp;
  others = lib.filter (d: lib.hasAttrByPath ["services" d "enable"] options && config.services.${d}.enable) ["chrony" "ntp" "openntpd"];
  nrs = import ./lib.nix {inherit lib;};
  probe = nrs.mkProbe "ntp";
in {
  options.oxidized.ntp =
    {
      enable = lib.mkEnableOption "ntpd-rs in place of systemd-timesyncd (stable)";
      package = lib.mkPackageOption pkgs "ntpd-rs" {};
    }
    // nrs.componentInternals;

  config = lib.mkMerge [
    {
      oxidized.ntp.reportRow = {
        original = "systemd-timesyncd-${lib.getVersion pkgs.systemd}";
        replacement = cfg.package.name;
        strategy = "module";
      };
    }
    (lib.mkIf cfg.enable {
      # ntpd-rs.nix asserts this too; this message says which option to drop.
      assertions = [
        {
          assertion = others == [];
          message = "oxidized.ntp runs ntpd-rs, and ${lib.concatMapStringsSep " and " (d: "services.${d}.enable") others} ${
            if lib.length others == 1
            then "is"
            else "are"
          } on too: two daemons would set the clock. Set oxidized.ntp.enable = false to keep ${lib.concatStringsSep ", " others} (oxidized.enable = true turns it on), or turn ${lib.concatStringsSep ", " others} off.";
        }
        {
          assertion = !config.services.timesyncd.enable;
          message = "oxidized.ntp replaces systemd-timesyncd with ntpd-rs, but services.timesyncd.enable is forced on: remove that setting, or set oxidized.ntp.enable = false.";
        }
      ];
      services.ntpd-rs = {
        enable = true;
        inherit (cfg) package;
      };
      # The daemon keeps running: the oxidation meter finds it by name
      # (ExecStart runs bin/ntp-daemon).
      oxidized.ntp.rustAtRuntime = [{process = "ntp-daemon";}];
      # stdout and stderr are matched together: the anchors are per line, so
      # that a diagnostic systemctl writes to stderr does not fail a probe.
      oxidized.ntp.probes = [
        (probe "ntpd-rs-active" "systemctl is-active ntpd-rs.service" "(?m)^active$")
        # The service's main process is ntpd-rs' daemon (ExecStart runs
        # bin/ntp-daemon); /proc/<pid>/comm is readable by every user.
        (probe "ntpd-rs-runs-ntp-daemon" "cat /proc/$(systemctl show -p MainPID --value ntpd-rs.service)/comm" "(?m)^ntp-daemon$")
        # The daemon is this package's binary. /proc/<pid>/exe of the
        # service's (dynamic) user is readable by root only.
        (probe "ntpd-rs-runs-the-package" "sudo -n readlink -f /proc/$(systemctl show -p MainPID --value ntpd-rs.service)/exe" "(?m)${nrs.storePrefix cfg.package}")
      ];
    })
  ];
}

# systemd-timesyncd -> ntpd-rs, through NixOS's own module
# (nixos/modules/services/networking/ntp/ntpd-rs.nix), which turns
# services.timesyncd off and asserts the two are not both on.
{
  config,
  lib,
  pkgs,
  ...
}: let
  cfg = config.oxidized.ntp;
  nrs = import ../../lib/components.nix {inherit lib;};
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
          assertion = !config.services.timesyncd.enable;
          message = "oxidized.ntp replaces systemd-timesyncd with ntpd-rs, but services.timesyncd.enable is forced on: remove that setting, or set oxidized.ntp.enable = false.";
        }
      ];
      services.ntpd-rs = {
        enable = true;
        inherit (cfg) package;
      };
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

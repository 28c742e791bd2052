# systemd-timesyncd -> ntpd-rs, through NixOS's own module
# (nixos/modules/services/networking/ntp/ntpd-rs.nix), which also turns
# timesyncd off and asserts the two are not both on.
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
        enabled = cfg.enable;
        stability = "stable";
        original = "systemd-timesyncd";
        replacement = cfg.package.name;
        strategy = "module";
      };
    }
    (lib.mkIf cfg.enable {
      assertions = [
        {
          assertion = !config.services.timesyncd.enable;
          message = "oxidized.ntp runs ntpd-rs, but services.timesyncd.enable is forced on: remove that setting or disable oxidized.ntp.";
        }
      ];
      services.ntpd-rs = {
        enable = true;
        inherit (cfg) package;
      };
      oxidized.ntp.probes = [
        (probe "ntpd-rs-active" "systemctl is-active ntpd-rs.service" "^active$")
        (probe "ntpd-rs-runs-ntp-daemon" "systemctl show -p ExecStart ntpd-rs.service" "ntp-daemon")
        ((probe "timesyncd-stopped" "systemctl is-active systemd-timesyncd.service" "^(inactive|unknown)$")
          // {ignore_exit = true;})
      ];
    })
  ];
}

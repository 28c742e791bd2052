# oxidized.ntp: ntpd-rs through NixOS's module, and the other time daemons.
{
  lib,
  h,
}: let
  inherit (h) eval failing;
  stable = eval [{oxidized.enable = true;}];
  forced = eval [
    {
      oxidized.ntp.enable = true;
      services.timesyncd.enable = lib.mkForce true;
    }
  ];
  chrony = eval [
    {
      oxidized.enable = true;
      services.chrony.enable = true;
    }
  ];
  two = eval [
    {
      oxidized.ntp.enable = true;
      services.chrony.enable = true;
      services.openntpd.enable = true;
    }
  ];
  chronyKept = eval [
    {
      oxidized.enable = true;
      oxidized.ntp.enable = false;
      services.chrony.enable = true;
    }
  ];
in {
  ntp-goes-through-the-upstream-module = {
    expr = {
      inherit (stable.services.ntpd-rs) enable;
      package = stable.services.ntpd-rs.package.name;
      timesyncd = stable.services.timesyncd.enable;
      row = stable.oxidized.report.ntp;
    };
    expected = {
      enable = true;
      package = "ntpd-rs-1.6.2";
      timesyncd = false;
      row = {
        enabled = true;
        stability = "stable";
        original = "systemd-timesyncd-259";
        replacement = "ntpd-rs-1.6.2";
        strategy = "module";
      };
    };
  };
  timesyncd-forced-on-names-the-option = {
    expr = lib.head (failing forced);
    expected = "oxidized.ntp replaces systemd-timesyncd with ntpd-rs, but services.timesyncd.enable is forced on: remove that setting, or set oxidized.ntp.enable = false.";
  };
  # chrony turns timesyncd off and nothing else: ntpd-rs would be a second
  # clock daemon.
  a-second-time-daemon-is-an-assertion = {
    expr = {
      chrony = failing chrony;
      two = failing two;
      kept = failing chronyKept;
    };
    expected = {
      chrony = ["oxidized.ntp runs ntpd-rs, and services.chrony.enable is on too: two daemons would set the clock. Set oxidized.ntp.enable = false to keep chrony (oxidized.enable = true turns it on), or turn chrony off."];
      two = ["oxidized.ntp runs ntpd-rs, and services.chrony.enable and services.openntpd.enable are on too: two daemons would set the clock. Set oxidized.ntp.enable = false to keep chrony, openntpd (oxidized.enable = true turns it on), or turn chrony, openntpd off."];
      kept = [];
    };
  };
}

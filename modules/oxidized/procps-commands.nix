# The commands of procps-ng and of uutils procps as nixpkgs builds them
# (see coreutils-commands.nix for how the lists are used).
_: {
  # procps-ng 4.x with nixpkgs' defaults (pkgs/os-specific/linux/procps-ng:
  # kill and uptime too; coreutils has both and wins, meta.priority 11).
  gnu = _version: [
    "free"
    "kill"
    "pgrep"
    "pidof"
    "pidwait"
    "pkill"
    "pmap"
    "ps"
    "pwdx"
    "skill"
    "slabtop"
    "snice"
    "sysctl"
    "tload"
    "top"
    "uptime"
    "vmstat"
    "w"
    "watch"
  ];

  # uutils procps as nixpkgs builds it (pkgs/by-name/uu/uutils-procps:
  # `--workspace`, one binary per applet besides the multi-call `procps`).
  # The applets nixos-rs takes: what works as procps-ng's does
  # (docs/frontier.md). uutils' ps lacks the BSD syntax (`ps aux`) and
  # most formats; top, w and watch were not checked: they stay procps-ng's.
  rust = _version: {
    free = "free";
    pgrep = "pgrep";
    pidof = "pidof";
    pidwait = "pidwait";
    pkill = "pkill";
  };

  # What uutils has and the lists keep procps-ng's on purpose: not drift.
  held = _version: ["pmap" "ps" "pwdx" "skill" "slabtop" "snice" "sysctl" "tload" "top" "vmstat" "w" "watch"];
}

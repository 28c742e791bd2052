#!/usr/bin/env python3
"""Write the initramfs of a probe guest: the programs of one side (Rust or C)
laid out as NixOS lays them out, for tests/probes/run.

    guest.py --side rust|c --eval probes.json --out initrd.cpio \
        [--tool NAME=HOST_PATH ...]

Every program is a real binary of this machine, copied with the shared
libraries ldd names and the dynamic loader:

- each package at the store path the evaluation gave it (probes.json's
  `packages`), so that a probe's store-path expectation is the module's own;
- /run/current-system/sw/bin: links to the packages' commands, as
  environment.systemPackages gives them;
- /run/wrappers/bin: setuid-root sudo and su, ahead of the system path on
  PATH (NixOS's wrappers are setuid programs that exec the store binary;
  a setuid copy gives the program the same credentials);
- /bin/sh: the shell package's bin/sh;
- user `nixos` in `wheel`, which may `sudo -n` (the vm-guest profile's
  NOPASSWD rule), with the bash package's bash as login shell;
- /etc/profile and /etc/bashrc with what NixOS's have that matters to
  probes: PATH (wrappers first) and the interactive `ls` alias;
- /etc/pam.d for sudo and su with pam_permit (no password is asked);
- Rust side: ntpd-rs' ntp-daemon running from /init as ntpd-rs.service.

There is no systemd: `systemctl` is a stand-in that answers `is-active` and
`show -p MainPID --value` for the processes /init started, and says on
stderr that it is one. BusyBox (busybox-static) runs /init, the console
login (`login -f`, after printing getty's autologin line), grep and sed;
it is the same in both guests.
"""

import argparse
import json
import os
import stat
import subprocess
import sys

# The coreutils commands the C guest gets from GNU coreutils (all of
# Debian's) and the Rust guest from uutils (those its build has).
GNU_COREUTILS_DIR = "/usr/bin"

# BusyBox applets both guests get on the system path: tools that are no
# component's (NixOS has GNU grep and sed there).
BUSYBOX_ON_PATH = ["grep", "sed"]

PAM = """\
# Test guest: every stack permits (no password is asked; sudo's rule is NOPASSWD).
auth     sufficient pam_permit.so
account  required   pam_permit.so
password required   pam_permit.so
session  required   pam_permit.so
"""

SYSTEMCTL = """\
#!/bin/busybox sh
# systemctl stand-in of the probe test guests (tests/probes/guest.py): no
# systemd runs here. It answers `is-active UNIT` and
# `show -p MainPID --value UNIT` from /run/units/UNIT.pid, which the guest's
# /init wrote when it started the unit's process.
echo "systemctl: test-guest stand-in, not systemd: '$*' answered from the processes /init started" >&2
main_pid() {
  pid=$(/bin/busybox cat "/run/units/$1.pid" 2>/dev/null) && [ -d "/proc/$pid" ] && echo "$pid"
}
case "$1 $2 $3 $4" in
  "is-active $2  ")
    if main_pid "$2" >/dev/null; then echo active; else echo inactive; exit 3; fi ;;
  "show -p MainPID --value")
    main_pid "$5" || echo 0 ;;
  *)
    echo "systemctl stand-in: not supported: $*" >&2
    exit 1 ;;
esac
"""

PROFILE = """\
# The parts of NixOS's /etc/profile (nixos/modules/programs/bash/bash.nix,
# config/shells-environment.nix) that matter to probes: the setuid wrappers
# ahead of the per-user profiles and the system path, then /etc/bashrc.
export PATH="/run/wrappers/bin:$HOME/.nix-profile/bin:/nix/profile/bin:$HOME/.local/state/nix/profile/bin:/etc/profiles/per-user/$USER/bin:/nix/var/nix/profiles/default/bin:/run/current-system/sw/bin"
if [ -n "${BASH_VERSION:-}" ]; then
  . /etc/bashrc
fi
"""

BASHRC = """\
# The parts of NixOS's /etc/bashrc that matter to probes: in interactive
# shells, environment.shellAliases (config/shells-environment.nix).
if [ -n "$__ETC_BASHRC_SOURCED" ]; then return; fi
__ETC_BASHRC_SOURCED=1
case $- in
  *i*)
    alias -- l='ls -alh'
    alias -- ll='ls -l'
    alias -- ls='ls --color=tty'
    ;;
esac
"""

NTP_TOML = """\
# ntpd-rs in a guest without network: one server on the loopback that never
# answers, so the daemon runs and never steers the clock.
[observability]
log-level = "info"

[[source]]
mode = "server"
address = "127.0.0.1:123"
"""


class Cpio:
    """A cpio "newc" archive (the initramfs format), every entry root's."""

    def __init__(self):
        self.out = bytearray()
        self.ino = 1
        self.paths = {}

    def _entry(self, name, mode, data):
        name = name.lstrip("/")
        hdr = "070701" + "".join(
            f"{v:08x}"
            for v in (self.ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name) + 1, 0)
        )
        self.ino += 1
        self.out += hdr.encode() + name.encode() + b"\0"
        self._pad()
        self.out += data
        self._pad()

    def _pad(self):
        while len(self.out) % 4:
            self.out.append(0)

    def _add(self, path, kind, mode, data):
        if path in self.paths:
            if self.paths[path] != (kind, mode, data):
                raise SystemExit(f"guest.py: {path} added twice, differently")
            return
        self.parents(path)
        self.paths[path] = (kind, mode, data)
        self._entry(path, kind | mode, data)

    def parents(self, path):
        parent = os.path.dirname(path)
        if parent not in ("/", "") and parent not in self.paths:
            self.dir(parent)

    def dir(self, path, mode=0o755):
        self._add(path, stat.S_IFDIR, mode, b"")

    def file(self, path, data, mode=0o644):
        self._add(path, stat.S_IFREG, mode, data)

    def symlink(self, path, target):
        self._add(path, stat.S_IFLNK, 0o777, target.encode())

    def write(self, path):
        self._entry("TRAILER!!!", 0, b"")
        with open(path, "wb") as f:
            f.write(self.out)


def libraries(binary):
    """The shared libraries and loader `ldd` names for a host binary."""
    out = subprocess.run(["ldd", binary], capture_output=True, text=True).stdout
    libs = []
    for line in out.splitlines():
        words = [w for w in line.split() if w.startswith("/")]
        if words:
            libs.append(words[0])
    return libs


class Guest:
    def __init__(self):
        self.c = Cpio()
        # /lib and /lib64 as on this machine (Debian: links into /usr).
        for d in ("/lib", "/lib64"):
            if os.path.islink(d):
                self.c.symlink(d, os.readlink(d))

    def host_lib(self, path):
        """A host library at its path, through the guest's /lib links."""
        guest = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
        with open(path, "rb") as f:
            self.c.file(guest, f.read(), 0o755)

    def binary(self, guest_path, host_path, mode=0o755):
        with open(host_path, "rb") as f:
            self.c.file(guest_path, f.read(), mode)
        for lib in libraries(host_path):
            self.host_lib(lib)

    def link(self, path, target):
        self.c.symlink(path, target)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--side", choices=["rust", "c"], required=True)
    ap.add_argument("--eval", required=True, help="probes.json")
    ap.add_argument("--out", required=True)
    ap.add_argument("--busybox", default="/bin/busybox")
    ap.add_argument("--tool", action="append", default=[], help="NAME=HOST_PATH (Rust side)")
    a = ap.parse_args()
    with open(a.eval) as f:
        pkgs = json.load(f)["packages"]
    tools = dict(t.split("=", 1) for t in a.tool)
    g = Guest()
    c = g.c
    sw = "/run/current-system/sw/bin"

    for d in ("/dev", "/proc", "/sys", "/root", "/run", "/run/units", "/etc", "/var", sw, "/run/wrappers/bin"):
        c.dir(d)
    c.dir("/tmp", 0o1777)
    c.dir("/home/nixos", 0o755)
    g.binary("/bin/busybox", a.busybox)
    for applet in BUSYBOX_ON_PATH:
        g.link(f"{sw}/{applet}", "/bin/busybox")
    c.file(f"{sw}/systemctl", SYSTEMCTL.encode(), 0o755)

    def package(role, commands):
        """commands: {name: host binary or ("link", target name)}"""
        prefix = pkgs[role]
        for name, src in commands.items():
            if isinstance(src, tuple):
                g.link(f"{prefix}/bin/{name}", src[1])
            else:
                g.binary(f"{prefix}/bin/{name}", src)
            g.link(f"{sw}/{name}", f"{prefix}/bin/{name}")
        return prefix

    login_shell = None
    if a.side == "rust":
        uu = tools["coreutils"]
        names = subprocess.run([uu, "--list"], capture_output=True, text=True, check=True).stdout.split()
        package("uutils-coreutils", {"coreutils": uu, **{n: ("link", "coreutils") for n in names}})
        package("uutils-findutils", {"find": tools["find"], "xargs": tools["xargs"]})
        package("uutils-diffutils", {"diffutils": tools["diffutils"], "diff": ("link", "diffutils"), "cmp": ("link", "diffutils")})
        package("sudo-rs", {"sudo": tools["sudo"], "su": tools["su"]})
        # The wrappers: setuid-root copies (cpio entries are root's).
        for name in ("sudo", "su"):
            g.binary(f"/run/wrappers/bin/{name}", tools[name], 0o4755)
        brush = pkgs["brush"]
        g.binary(f"{brush}/bin/brush", tools["brush"])
        launcher = package("brush-bash", {"brush-bash": tools["brush-bash"], "bash": ("link", "brush-bash"), "sh": ("link", "brush-bash")})
        login_shell = f"{sw}/bash"
        g.link("/bin/sh", f"{launcher}/bin/sh")
        ntpd = pkgs["ntpd-rs"]
        g.binary(f"{ntpd}/bin/ntp-daemon", tools["ntp-daemon"])
        c.file("/etc/ntpd-rs/ntp.toml", NTP_TOML.encode())
        services = f"{ntpd}/bin/ntp-daemon -c /etc/ntpd-rs/ntp.toml >/run/ntpd-rs.log 2>&1 &\necho $! > /run/units/ntpd-rs.service.pid"
    else:
        gnu = subprocess.run(["dpkg", "-L", "coreutils"], capture_output=True, text=True, check=True).stdout.split()
        names = sorted(os.path.basename(p) for p in gnu if os.path.dirname(p) in ("/usr/bin", "/bin") and os.path.isfile(p))
        package("coreutils", {n: os.path.join(GNU_COREUTILS_DIR, n) for n in names})
        package("findutils", {"find": "/usr/bin/find", "xargs": "/usr/bin/xargs"})
        package("diffutils", {"diff": "/usr/bin/diff", "cmp": "/usr/bin/cmp"})
        package("sudo", {"sudo": "/usr/bin/sudo"})
        # sudo's plugins (sudoers.so ...) and libsudo_util, where it loads them.
        for f in sorted(os.listdir("/usr/libexec/sudo")):
            p = os.path.join("/usr/libexec/sudo", f)
            if p in c.paths:  # a library ldd named already
                continue
            if os.path.islink(p):
                g.link(p, os.readlink(p))
            else:
                g.binary(p, p, 0o644 if f.endswith(".so") or ".so." in f else 0o755)
        g.binary("/run/wrappers/bin/sudo", "/usr/bin/sudo", 0o4755)
        # util-linux's su (shadow's on NixOS: neither is sudo-rs').
        g.binary("/run/wrappers/bin/su", "/usr/bin/su", 0o4755)
        bash = package("bash", {"bash": "/usr/bin/bash", "sh": ("link", "bash")})
        login_shell = f"{sw}/bash"
        g.link("/bin/sh", f"{bash}/bin/sh")
        services = "# no ntpd-rs.service: the C system's time sync is systemd-timesyncd, part of systemd"

    # PAM: the stacks of sudo, su and the fallback, and the one module.
    for service in ("sudo", "sudo-i", "su", "su-l", "other"):
        c.file(f"/etc/pam.d/{service}", PAM.encode())
    g.binary("/usr/lib/x86_64-linux-gnu/security/pam_permit.so", "/usr/lib/x86_64-linux-gnu/security/pam_permit.so", 0o644)

    c.file("/etc/passwd", f"root:x:0:0:System administrator:/root:{login_shell}\nnixos:x:1000:100::/home/nixos:{login_shell}\n".encode())
    c.file("/etc/group", b"root:x:0:\nwheel:x:1:nixos\nusers:x:100:\nnogroup:x:65534:\n")
    c.file("/etc/shadow", b"root:!:1::::::\nnixos:!:1::::::\n", 0o600)
    # NixOS's sudoers for sudo-rs (security.sudo-rs.extraRules defaults) with
    # the vm-guest profile's passwordless wheel.
    c.file("/etc/sudoers", b"root ALL=(ALL:ALL) SETENV: ALL\n%wheel ALL=(ALL:ALL) NOPASSWD: SETENV: ALL\n", 0o440)
    c.file("/etc/hostname", b"testvm\n")
    c.file("/etc/hosts", b"127.0.0.1 localhost\n127.0.0.2 testvm\n")
    c.file("/etc/profile", PROFILE.encode())
    c.file("/etc/bashrc", BASHRC.encode())
    c.file("/etc/shells", f"{login_shell}\n".encode())

    init = f"""#!/bin/busybox sh
export PATH=/bin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mkdir -p /dev/pts
/bin/busybox mount -t devpts devpts /dev/pts
/bin/busybox hostname testvm
/bin/busybox ip link set lo up
{services}
echo "probe guest ({a.side}) ready"
echo "testvm login: nixos (automatic login)"
/bin/busybox setsid -c /bin/busybox login -f nixos </dev/ttyS0 >/dev/ttyS0 2>&1
/bin/busybox poweroff -f
"""
    c.file("/init", init.encode(), 0o755)
    c.write(a.out)
    print(f"guest.py: {a.side} guest, {len(c.paths)} entries, {len(c.out) // 1024} KiB", file=sys.stderr)


if __name__ == "__main__":
    main()

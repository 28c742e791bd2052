//! The initramfs of a probe guest: the programs of one side (Rust or C)
//! laid out as NixOS lays them out.
//!
//! Every program is a real binary of this machine, copied with the shared
//! libraries `ldd` names and the dynamic loader:
//!
//! - each package at the store path the evaluation gave it (the
//!   `packages` of tests/probes/eval.nix), so that a probe's store-path
//!   expectation is the module's own. Which programs each component adds
//!   to each side is the table [`COMPONENTS`]; [`SHARED`] has the programs
//!   of both sides that no component swaps (NixOS's curl, perl and bzip2,
//!   Debian's here);
//! - Rust side: each Rust library ([`Library`]) at its package's store path
//!   and, in this machine's library directory, in place of the C library
//!   the programs load (a link to the store path: /proc/PID/maps shows the
//!   package's file, as on NixOS, where RUNPATH names it);
//! - /run/current-system/sw/bin: links to the packages' commands, as
//!   environment.systemPackages gives them;
//! - /run/wrappers/bin: setuid-root sudo and su, ahead of the system path on
//!   PATH (NixOS's wrappers are setuid programs that exec the store binary;
//!   a setuid copy gives the program the same credentials);
//! - /bin/sh: the shell package's bin/sh;
//! - user `nixos` in `wheel`, which may `sudo -n` (the vm-guest profile's
//!   NOPASSWD rule), with the bash package's bash as login shell;
//! - /etc/profile and /etc/bashrc with what NixOS's have that matters to
//!   probes: PATH (wrappers first) and the interactive `ls` alias;
//! - /etc/pam.d for sudo and su with pam_permit (no password is asked);
//! - Rust side: ntpd-rs' ntp-daemon running from /init as ntpd-rs.service.
//!
//! There is no systemd: `systemctl` is a stand-in that answers `is-active`
//! and `show -p MainPID --value` for the processes /init started, and says
//! on stderr that it is one. BusyBox (busybox-static) runs /init, the
//! console login (`login -f`, after printing getty's autologin line) and
//! grep; it is the same in both guests.

use crate::cpio::{basename, dirname, Archive};
use crate::{err, Error, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

/// The coreutils commands the C guest gets from GNU coreutils (all of
/// Debian's) and the Rust guest from uutils (those its build has).
const GNU_COREUTILS_DIR: &str = "/usr/bin";

/// BusyBox applets both guests get on the system path: tools that are no
/// component's (NixOS has GNU grep there).
const BUSYBOX_ON_PATH: &[&str] = &["grep"];

/// Where a guest's command comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    /// A Rust program of the probe tools directory (`--tool NAME`).
    Tool(&'static str),
    /// A program of this machine (a C original, Debian's).
    Host(&'static str),
    /// Another command of the same package (a multi-call binary's name).
    Link(&'static str),
}

/// A package of a guest: at the store path the evaluation gives `role`
/// (tests/probes/eval.nix's `packages`), its commands linked from the
/// system path.
#[derive(Debug)]
pub struct Package {
    pub role: &'static str,
    pub commands: &'static [(&'static str, From)],
}

/// A Rust library of the Rust guest: the probe tools' `lib/<file>` at
/// `<role's store path>/lib/<file>`, and this machine's `replaces` (the C
/// library as the programs' loader finds it) a link to it.
#[derive(Debug)]
pub struct Library {
    pub role: &'static str,
    pub file: &'static str,
    pub replaces: &'static [&'static str],
}

/// What a component of modules/oxidized/components.nix adds to each guest.
#[derive(Debug)]
pub struct Component {
    pub name: &'static str,
    pub rust: &'static [Package],
    pub libraries: &'static [Library],
    pub c: &'static [Package],
}

/// The components whose programs are plain packages. coreutils (its
/// command lists come from the programs), sudo (setuid wrappers, PAM), the
/// shell (the login shell, /bin/sh) and ntp (a service) are laid out by
/// code of their own.
pub const COMPONENTS: &[Component] = &[
    Component {
        name: "findutils",
        rust: &[Package {
            role: "uutils-findutils",
            commands: &[("find", From::Tool("find")), ("xargs", From::Tool("xargs"))],
        }],
        libraries: &[],
        c: &[Package {
            role: "findutils",
            commands: &[
                ("find", From::Host("/usr/bin/find")),
                ("xargs", From::Host("/usr/bin/xargs")),
            ],
        }],
    },
    Component {
        name: "diffutils",
        rust: &[Package {
            role: "uutils-diffutils",
            commands: &[
                ("diffutils", From::Tool("diffutils")),
                ("diff", From::Link("diffutils")),
                ("cmp", From::Link("diffutils")),
            ],
        }],
        libraries: &[],
        c: &[Package {
            role: "diffutils",
            commands: &[
                ("diff", From::Host("/usr/bin/diff")),
                ("cmp", From::Host("/usr/bin/cmp")),
            ],
        }],
    },
    Component {
        name: "sed",
        rust: &[Package {
            role: "uutils-sed",
            commands: &[("sed", From::Tool("sed"))],
        }],
        libraries: &[],
        c: &[Package {
            role: "gnused",
            commands: &[("sed", From::Host("/bin/sed"))],
        }],
    },
    // The multi-call binary with the applets the probes run (scripts/setup
    // builds those only); procps-ng's on the C side.
    Component {
        name: "procps",
        rust: &[Package {
            role: "uutils-procps",
            commands: &[
                ("procps", From::Tool("procps")),
                ("pgrep", From::Link("procps")),
                ("free", From::Link("procps")),
            ],
        }],
        libraries: &[],
        c: &[Package {
            role: "procps",
            commands: &[
                ("pgrep", From::Host("/usr/bin/pgrep")),
                ("free", From::Host("/usr/bin/free")),
            ],
        }],
    },
    // The C side's zlib is whatever the programs of SHARED load: Debian's.
    Component {
        name: "zlib",
        rust: &[],
        libraries: &[Library {
            role: "zlib-rs",
            file: "libz.so.1",
            replaces: &["/lib/x86_64-linux-gnu/libz.so.1"],
        }],
        c: &[],
    },
    Component {
        name: "bzip2",
        rust: &[],
        libraries: &[Library {
            role: "libbz2-rs",
            file: "libbz2.so.1",
            replaces: &["/lib/x86_64-linux-gnu/libbz2.so.1.0"],
        }],
        c: &[],
    },
];

/// Programs of both guests that no component swaps but probes run: NixOS
/// has curl and bzip2 (corePackages) and perl (defaultPackages); they link
/// zlib and libbz2.
pub const SHARED: &[Package] = &[
    Package {
        role: "curl",
        commands: &[("curl", From::Host("/usr/bin/curl"))],
    },
    Package {
        role: "perl",
        commands: &[("perl", From::Host("/usr/bin/perl"))],
    },
    Package {
        role: "bzip2",
        commands: &[("bzip2", From::Host("/usr/bin/bzip2"))],
    },
];

/// The perl modules the probes load: with every module they load in turn
/// and the shared objects of those with C code, at this machine's paths.
const PERL_MODULES: &[&str] = &["Compress::Zlib"];

/// The probe tools the table names (`bin/<name>` of the probe tools
/// directory).
pub fn tools() -> Vec<&'static str> {
    let mut t: Vec<&str> = COMPONENTS
        .iter()
        .flat_map(|c| c.rust.iter())
        .flat_map(|p| p.commands.iter())
        .filter_map(|(_, from)| match from {
            From::Tool(name) => Some(*name),
            _ => None,
        })
        .collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// The Rust libraries the table names (`lib/<file>` of the probe tools
/// directory).
pub fn rust_libraries() -> Vec<&'static str> {
    COMPONENTS
        .iter()
        .flat_map(|c| c.libraries.iter())
        .map(|l| l.file)
        .collect()
}

/// The programs of this machine the table and SHARED name.
pub fn host_files() -> Vec<&'static str> {
    let packages = COMPONENTS.iter().flat_map(|c| c.c.iter()).chain(SHARED);
    let mut h: Vec<&str> = packages
        .flat_map(|p| p.commands.iter())
        .filter_map(|(_, from)| match from {
            From::Host(path) => Some(*path),
            _ => None,
        })
        .chain(
            COMPONENTS
                .iter()
                .flat_map(|c| c.libraries.iter())
                .flat_map(|l| l.replaces.iter().copied()),
        )
        .collect();
    h.sort_unstable();
    h.dedup();
    h
}

/// Where the guests find their programs: the system path.
const SW: &str = "/run/current-system/sw/bin";

const PAM: &str = include_str!("../guest/pam");
const SYSTEMCTL: &str = include_str!("../guest/systemctl");
const PROFILE: &str = include_str!("../guest/profile");
const BASHRC: &str = include_str!("../guest/bashrc");
const NTP_TOML: &str = include_str!("../guest/ntp.toml");

/// Which programs a guest has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Rust,
    C,
}

impl Side {
    pub fn name(self) -> &'static str {
        match self {
            Side::Rust => "rust",
            Side::C => "c",
        }
    }
}

/// What a guest is made of.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub side: Side,
    /// tests/probes/eval.nix's `packages`: role -> store path.
    pub packages: serde_json::Map<String, Value>,
    /// The Rust side's programs: name -> host path; its libraries as
    /// `lib/<file>` -> host path.
    pub tools: HashMap<String, String>,
    /// A static busybox.
    pub busybox: String,
}

/// The absolute paths in `ldd`'s output: one per line that has one, the
/// first (`libc.so.6 => /lib/.../libc.so.6 (0x...)`, `/lib64/ld-... (0x...)`).
pub fn ldd_paths(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with('/')))
        .map(str::to_string)
        .collect()
}

/// The shared libraries and loader `ldd` names for a host binary.
fn libraries(binary: &str) -> Result<Vec<String>> {
    let out = Command::new("ldd")
        .arg(binary)
        .output()
        .map_err(|e| Error(format!("ldd {binary}: {e}")))?;
    Ok(ldd_paths(&String::from_utf8_lossy(&out.stdout)))
}

/// A command's standard output, which must succeed.
fn output_of(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| Error(format!("{program}: {e}")))?;
    if !out.status.success() {
        return err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim_end()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn read_link(path: &str) -> Result<String> {
    std::fs::read_link(path)
        .map(|t| t.to_string_lossy().into_owned())
        .map_err(|e| Error(format!("{path}: {e}")))
}

fn is_symlink(path: &str) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// A command of a package: a host binary copied, or a link to another
/// command of the package.
#[derive(Debug, Clone)]
enum Src {
    Host(String),
    Link(String),
}

/// A package's commands in order; a name given again keeps its place and
/// takes the new source.
#[derive(Debug, Default)]
struct Commands(Vec<(String, Src)>);

impl Commands {
    fn put(mut self, name: &str, src: Src) -> Self {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = src,
            None => self.0.push((name.to_string(), src)),
        }
        self
    }

    fn host(self, name: &str, path: &str) -> Self {
        self.put(name, Src::Host(path.to_string()))
    }

    fn link(self, name: &str, target: &str) -> Self {
        self.put(name, Src::Link(target.to_string()))
    }
}

struct Guest {
    c: Archive,
    inputs: Inputs,
}

impl Guest {
    /// Where a host library is in the guest: its path through the guest's
    /// /lib links.
    fn lib_path(path: &str) -> Result<String> {
        let dir = std::fs::canonicalize(dirname(path))
            .map_err(|e| Error(format!("{}: {e}", dirname(path))))?;
        Ok(dir.join(basename(path)).display().to_string())
    }

    /// A host library at its path, unless the guest has one there already
    /// (a Rust library laid in its place first).
    fn host_lib(&mut self, path: &str) -> Result<()> {
        let guest = Self::lib_path(path)?;
        if self.c.contains(&guest) {
            return Ok(());
        }
        let data = crate::read(Path::new(path))?;
        self.c.file(&guest, &data, 0o755)
    }

    fn binary(&mut self, guest_path: &str, host_path: &str, mode: u32) -> Result<()> {
        let data = crate::read(Path::new(host_path))?;
        self.c.file(guest_path, &data, mode)?;
        for lib in libraries(host_path)? {
            self.host_lib(&lib)?;
        }
        Ok(())
    }

    fn link(&mut self, path: &str, target: &str) -> Result<()> {
        self.c.symlink(path, target)
    }

    fn store_path(&self, role: &str) -> Result<String> {
        match self.inputs.packages.get(role) {
            Some(Value::String(p)) => Ok(p.clone()),
            _ => err(format!("the evaluation has no package `{role}`")),
        }
    }

    fn tool(&self, name: &str) -> Result<String> {
        match self.inputs.tools.get(name) {
            Some(p) => Ok(p.clone()),
            None => err(format!("no --tool {name}=PATH")),
        }
    }

    /// A package of the table at its store path.
    fn table_package(&mut self, p: &Package) -> Result<String> {
        let mut commands = Commands::default();
        for (name, from) in p.commands {
            commands = match from {
                From::Tool(tool) => commands.host(name, &self.tool(tool)?),
                From::Host(path) => commands.host(name, path),
                From::Link(target) => commands.link(name, target),
            };
        }
        self.package(p.role, &commands)
    }

    /// A Rust library at its package's store path, and in place of the C
    /// library it replaces.
    fn library(&mut self, l: &Library) -> Result<()> {
        let prefix = self.store_path(l.role)?;
        let file = format!("{prefix}/lib/{}", l.file);
        self.binary(&file, &self.tool(&format!("lib/{}", l.file))?, 0o755)?;
        for c in l.replaces {
            let at = Self::lib_path(c)?;
            self.link(&at, &file)?;
        }
        Ok(())
    }

    /// The perl modules of PERL_MODULES, and those they load, at their
    /// paths on this machine.
    fn perl_modules(&mut self) -> Result<()> {
        let mut args: Vec<String> = PERL_MODULES.iter().map(|m| format!("-M{m}")).collect();
        args.push("-e".into());
        args.push(r#"END { print "$_\n" for values %INC, @DynaLoader::dl_shared_objects }"#.into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        for path in output_of("perl", &args)?.lines() {
            if path.ends_with(".so") {
                self.binary(path, path, 0o644)?;
            } else {
                let data = crate::read(Path::new(path))?;
                self.c.file(path, &data, 0o644)?;
            }
        }
        Ok(())
    }

    /// What the table gives the guest's side, and SHARED.
    fn table(&mut self, side: Side) -> Result<()> {
        if side == Side::Rust {
            // The libraries first: the programs' own take their place.
            for l in COMPONENTS.iter().flat_map(|c| c.libraries) {
                self.library(l)?;
            }
        }
        for c in COMPONENTS {
            let packages = match side {
                Side::Rust => c.rust,
                Side::C => c.c,
            };
            for p in packages {
                self.table_package(p)?;
            }
        }
        for p in SHARED {
            self.table_package(p)?;
        }
        self.perl_modules()
    }

    /// A package at its store path, its commands linked from the system path.
    fn package(&mut self, role: &str, commands: &Commands) -> Result<String> {
        let prefix = self.store_path(role)?;
        for (name, src) in &commands.0 {
            let path = format!("{prefix}/bin/{name}");
            match src {
                Src::Link(target) => self.link(&path, target)?,
                Src::Host(host) => self.binary(&path, host, 0o755)?,
            }
            self.link(&format!("{SW}/{name}"), &path)?;
        }
        Ok(prefix)
    }

    /// The Rust side's programs; returns the login shell and /init's
    /// services.
    fn rust_programs(&mut self) -> Result<(String, String)> {
        let uu = self.tool("coreutils")?;
        let mut coreutils = Commands::default().host("coreutils", &uu);
        for name in output_of(&uu, &["--list"])?.split_whitespace() {
            coreutils = coreutils.link(name, "coreutils");
        }
        self.package("uutils-coreutils", &coreutils)?;
        let sudo = Commands::default()
            .host("sudo", &self.tool("sudo")?)
            .host("su", &self.tool("su")?);
        self.package("sudo-rs", &sudo)?;
        // The wrappers: setuid-root copies (cpio entries are root's).
        for name in ["sudo", "su"] {
            let host = self.tool(name)?;
            self.binary(&format!("/run/wrappers/bin/{name}"), &host, 0o4755)?;
        }
        let brush = self.store_path("brush")?;
        let brush_bin = self.tool("brush")?;
        self.binary(&format!("{brush}/bin/brush"), &brush_bin, 0o755)?;
        let launcher = Commands::default()
            .host("brush-bash", &self.tool("brush-bash")?)
            .link("bash", "brush-bash")
            .link("sh", "brush-bash");
        let launcher = self.package("brush-bash", &launcher)?;
        self.link("/bin/sh", &format!("{launcher}/bin/sh"))?;
        let ntpd = self.store_path("ntpd-rs")?;
        let daemon = self.tool("ntp-daemon")?;
        self.binary(&format!("{ntpd}/bin/ntp-daemon"), &daemon, 0o755)?;
        self.c
            .file("/etc/ntpd-rs/ntp.toml", NTP_TOML.as_bytes(), 0o644)?;
        let services = format!(
            "{ntpd}/bin/ntp-daemon -c /etc/ntpd-rs/ntp.toml >/run/ntpd-rs.log 2>&1 &\n\
             echo $! > /run/units/ntpd-rs.service.pid"
        );
        Ok((format!("{SW}/bash"), services))
    }

    /// The C side's programs; returns the login shell and /init's services.
    fn c_programs(&mut self) -> Result<(String, String)> {
        let listed = output_of("dpkg", &["-L", "coreutils"])?;
        let mut names: Vec<&str> = listed
            .split_whitespace()
            .filter(|p| matches!(dirname(p), "/usr/bin" | "/bin") && Path::new(p).is_file())
            .map(basename)
            .collect();
        names.sort();
        let mut coreutils = Commands::default();
        for n in names {
            coreutils = coreutils.host(n, &format!("{GNU_COREUTILS_DIR}/{n}"));
        }
        self.package("coreutils", &coreutils)?;
        let sudo = Commands::default().host("sudo", "/usr/bin/sudo");
        self.package("sudo", &sudo)?;
        // sudo's plugins (sudoers.so ...) and libsudo_util, where it loads them.
        let plugins = "/usr/libexec/sudo";
        let mut files: Vec<String> = std::fs::read_dir(plugins)
            .map_err(|e| Error(format!("{plugins}: {e}")))?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<std::io::Result<_>>()
            .map_err(|e| Error(format!("{plugins}: {e}")))?;
        files.sort();
        for f in files {
            let p = format!("{plugins}/{f}");
            if self.c.contains(&p) {
                continue; // a library ldd named already
            }
            if is_symlink(&p) {
                let target = read_link(&p)?;
                self.link(&p, &target)?;
            } else {
                let mode = if f.ends_with(".so") || f.contains(".so.") {
                    0o644
                } else {
                    0o755
                };
                self.binary(&p, &p, mode)?;
            }
        }
        self.binary("/run/wrappers/bin/sudo", "/usr/bin/sudo", 0o4755)?;
        // util-linux's su (shadow's on NixOS: neither is sudo-rs').
        self.binary("/run/wrappers/bin/su", "/usr/bin/su", 0o4755)?;
        let bash = Commands::default()
            .host("bash", "/usr/bin/bash")
            .link("sh", "bash");
        let bash = self.package("bash", &bash)?;
        self.link("/bin/sh", &format!("{bash}/bin/sh"))?;
        let services =
            "# no ntpd-rs.service: the C system's time sync is systemd-timesyncd, part of systemd";
        Ok((format!("{SW}/bash"), services.to_string()))
    }
}

/// The guest's initramfs and how many paths it has; with `tree`, the
/// same files laid out there too (for the oxidation meter, which reads
/// the guest's programs on this machine).
pub fn build(inputs: Inputs, tree: Option<&Path>) -> Result<(Vec<u8>, usize)> {
    let side = inputs.side;
    let busybox = inputs.busybox.clone();
    let mut g = Guest {
        c: Archive::new(),
        inputs,
    };
    // /lib and /lib64 as on this machine (Debian: links into /usr).
    for d in ["/lib", "/lib64"] {
        if is_symlink(d) {
            let target = read_link(d)?;
            g.link(d, &target)?;
        }
    }
    for d in [
        "/dev",
        "/proc",
        "/sys",
        "/root",
        "/run",
        "/run/units",
        "/etc",
        "/var",
        SW,
        "/run/wrappers/bin",
    ] {
        g.c.dir(d, 0o755)?;
    }
    g.c.dir("/tmp", 0o1777)?;
    g.c.dir("/home/nixos", 0o755)?;
    g.binary("/bin/busybox", &busybox, 0o755)?;
    for applet in BUSYBOX_ON_PATH {
        g.link(&format!("{SW}/{applet}"), "/bin/busybox")?;
    }
    g.c.file(&format!("{SW}/systemctl"), SYSTEMCTL.as_bytes(), 0o755)?;

    g.table(side)?;
    let (login_shell, services) = match side {
        Side::Rust => g.rust_programs()?,
        Side::C => g.c_programs()?,
    };

    // PAM: the stacks of sudo, su and the fallback, and the one module.
    for service in ["sudo", "sudo-i", "su", "su-l", "other"] {
        g.c.file(&format!("/etc/pam.d/{service}"), PAM.as_bytes(), 0o644)?;
    }
    let pam_permit = "/usr/lib/x86_64-linux-gnu/security/pam_permit.so";
    g.binary(pam_permit, pam_permit, 0o644)?;

    let c = &mut g.c;
    c.file(
        "/etc/passwd",
        format!(
            "root:x:0:0:System administrator:/root:{login_shell}\n\
             nixos:x:1000:100::/home/nixos:{login_shell}\n"
        )
        .as_bytes(),
        0o644,
    )?;
    c.file(
        "/etc/group",
        b"root:x:0:\nwheel:x:1:nixos\nusers:x:100:\nnogroup:x:65534:\n",
        0o644,
    )?;
    c.file("/etc/shadow", b"root:!:1::::::\nnixos:!:1::::::\n", 0o600)?;
    // NixOS's sudoers for sudo-rs (security.sudo-rs.extraRules defaults)
    // with the vm-guest profile's passwordless wheel.
    c.file(
        "/etc/sudoers",
        b"root ALL=(ALL:ALL) SETENV: ALL\n%wheel ALL=(ALL:ALL) NOPASSWD: SETENV: ALL\n",
        0o440,
    )?;
    c.file("/etc/hostname", b"testvm\n", 0o644)?;
    c.file(
        "/etc/hosts",
        b"127.0.0.1 localhost\n127.0.0.2 testvm\n",
        0o644,
    )?;
    c.file("/etc/profile", PROFILE.as_bytes(), 0o644)?;
    c.file("/etc/bashrc", BASHRC.as_bytes(), 0o644)?;
    c.file("/etc/shells", format!("{login_shell}\n").as_bytes(), 0o644)?;
    c.file("/init", init(side, &services).as_bytes(), 0o755)?;
    let entries = g.c.len();
    if let Some(dir) = tree {
        g.c.write_tree(dir)?;
    }
    Ok((g.c.finish()?, entries))
}

/// The guest's /init: filesystems, loopback, the services, the console
/// login of user `nixos`, power off when it ends.
pub fn init(side: Side, services: &str) -> String {
    let side = side.name();
    format!(
        r#"#!/bin/busybox sh
export PATH=/bin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox mkdir -p /dev/pts
/bin/busybox mount -t devpts devpts /dev/pts
/bin/busybox hostname testvm
/bin/busybox ip link set lo up
{services}
echo "probe guest ({side}) ready"
echo "testvm login: nixos (automatic login)"
/bin/busybox setsid -c /bin/busybox login -f nixos </dev/ttyS0 >/dev/ttyS0 2>&1
/bin/busybox poweroff -f
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldd_names_libraries_and_the_loader() {
        let out = "\tlinux-vdso.so.1 (0x00007ffd)\n\
                   \tlibpam.so.0 => /lib/x86_64-linux-gnu/libpam.so.0 (0x00007f1)\n\
                   \tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2)\n\
                   \t/lib64/ld-linux-x86-64.so.2 (0x00007f3)\n";
        assert_eq!(
            ldd_paths(out),
            [
                "/lib/x86_64-linux-gnu/libpam.so.0",
                "/lib/x86_64-linux-gnu/libc.so.6",
                "/lib64/ld-linux-x86-64.so.2",
            ]
        );
        assert!(ldd_paths("\tnot a dynamic executable\n").is_empty());
    }

    #[test]
    fn a_command_named_again_keeps_its_place() {
        let c = Commands::default()
            .host("coreutils", "/bin/uu")
            .link("ls", "coreutils")
            .link("coreutils", "coreutils")
            .link("ls", "coreutils");
        let names: Vec<&str> = c.0.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["coreutils", "ls"]);
        assert!(matches!(&c.0[0].1, Src::Link(t) if t == "coreutils"));
    }

    #[test]
    fn the_table_has_components_of_the_component_list() {
        let list = include_str!("../../../modules/oxidized/components.nix");
        let mut seen = Vec::new();
        for c in COMPONENTS {
            assert!(
                list.contains(&format!("name = \"{}\";", c.name)),
                "{} is not in modules/oxidized/components.nix",
                c.name
            );
            assert!(!seen.contains(&c.name), "{} twice", c.name);
            seen.push(c.name);
            // Each side has something of it.
            assert!(!(c.rust.is_empty() && c.libraries.is_empty()), "{}", c.name);
        }
        assert_eq!(tools(), ["diffutils", "find", "procps", "sed", "xargs"]);
        assert_eq!(rust_libraries(), ["libz.so.1", "libbz2.so.1"]);
        assert!(host_files().contains(&"/usr/bin/perl"));
    }

    #[test]
    fn init_starts_the_services_and_logs_in() {
        let i = init(Side::C, "# none");
        assert!(i.starts_with("#!/bin/busybox sh\nexport PATH=/bin\n"));
        assert!(i.contains("\n# none\necho \"probe guest (c) ready\"\n"));
        assert!(i.ends_with("2>&1\n/bin/busybox poweroff -f\n"));
    }
}

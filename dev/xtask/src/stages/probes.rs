//! probes: every probe tells Rust from C. The probes exactly as the
//! modules declare them (config.oxidized.probes with every component
//! enabled, tests/probes/eval.nix, evaluated with nixpkgs' lib: there is no
//! saved copy to fall back to) run with bootcheck over the serial console of
//! two QEMU guests (dev/probe-guests): one with the Rust programs, one with
//! the GNU/C programs they replace. Each probe must pass on the Rust guest
//! and fail on the C guest; probes marked `needsNixos` (they need a booted
//! NixOS) are listed with their reason, not run. Every component of
//! modules/oxidized/components.nix with probes that need no NixOS must
//! have one pass on the Rust guest (else it has no programs there). The
//! result table is kept in modules/README.md (`cargo xtask probes
//! --update` writes it). Last, a C program linked against zlib
//! (dev/probe-guests/zlib-check.c) must fail with this machine's zlib and
//! pass with the Rust libz.so.1 the Rust guest has. Both guests are also
//! measured by bootcheck's oxidation meter (their files laid out here as
//! its `root`): PID 1 and its language, `Rust: N of M processes`, and
//! what the components must run as Rust, met on the Rust guest and not on
//! the C guest; the table in modules/README.md has them too.

use super::{import, need_lib, start_nix, Ctx};
use crate::nix::Profile;
use crate::report::{Outcome, Tally};
use crate::util;
use probe_guests::guest::{self, Side};
use probe_guests::judge::{self, Report};
use probe_guests::spec;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where the table is.
const TABLE: &str = "modules/README.md";

/// The C programs and PAM module the C guest copies from this machine,
/// besides those of the guests' table (guest::host_files).
const HOST_FILES: &[&str] = &[
    "/usr/bin/sudo",
    "/usr/bin/su",
    "/usr/bin/bash",
    "/usr/bin/ls",
    "/usr/lib/x86_64-linux-gnu/security/pam_permit.so",
];

/// The Rust programs scripts/setup installs into the probe tools
/// directory (off PATH: its sudo and su are not setuid), besides those of
/// the guests' table (guest::tools).
const PROBE_TOOLS: &[&str] = &["sudo", "su", "ntp-daemon"];

/// The uutils commands the probes run (sudo -n id, mktemp ...).
const UUTILS_COMMANDS: &[&str] = &[
    "ls", "cat", "echo", "readlink", "date", "sort", "tr", "printf", "id", "mktemp", "rm", "true",
    "head", "sleep",
];

/// zlib's header, for the C program linked against zlib.
const ZLIB_H: &str = "/usr/include/zlib.h";

/// The probe tools directory: NIXOS_RS_PROBE_TOOLS, or scripts/setup's default.
fn tools_dir() -> PathBuf {
    match std::env::var_os("NIXOS_RS_PROBE_TOOLS") {
        Some(d) if !d.is_empty() => PathBuf::from(d),
        _ => Path::new(&std::env::var_os("HOME").unwrap_or_default())
            .join(".local/share/nixos-rs/probe-tools"),
    }
}

/// The programs the guests are made of: name -> host path, or why the
/// stage cannot run.
fn programs() -> Result<HashMap<String, String>, String> {
    let dir = tools_dir();
    let mut tools = HashMap::new();
    for t in PROBE_TOOLS.iter().copied().chain(guest::tools()) {
        let p = dir.join("bin").join(t);
        if !util::is_executable(&p) {
            return Err(format!(
                "{} not found (scripts/setup installs it)",
                p.display()
            ));
        }
        tools.insert(t.to_string(), p.display().to_string());
    }
    for l in guest::rust_libraries() {
        let p = dir.join("lib").join(l);
        if !p.is_file() {
            return Err(format!(
                "{} not found (scripts/setup builds it)",
                p.display()
            ));
        }
        tools.insert(format!("lib/{l}"), p.display().to_string());
    }
    for t in ["coreutils", "brush"] {
        let p = Some(dir.join("bin").join(t))
            .filter(|p| util::is_executable(p))
            .or_else(|| util::which(t))
            .ok_or_else(|| format!("{t} not found (scripts/setup installs it)"))?;
        tools.insert(t.to_string(), p.display().to_string());
    }
    let uu = util::run(std::process::Command::new(&tools["coreutils"]).arg("--list"));
    let have: Vec<&str> = uu.stdout.lines().collect();
    for c in UUTILS_COMMANDS {
        if !have.contains(c) {
            return Err(format!(
                "uutils coreutils lacks {c} (scripts/setup installs it with the probes' commands)"
            ));
        }
    }
    Ok(tools)
}

pub fn stage(ctx: &Ctx) -> Outcome {
    let mut t = Tally::new("probes");
    let nix = match start_nix(&mut t, Profile::Eval) {
        Ok(n) => n,
        Err(o) => return o,
    };
    let lib = match need_lib(ctx, &mut t) {
        Ok(l) => l,
        Err(o) => return o,
    };

    // 1. The probes, from the modules.
    let mut cmd = nix.instantiate(["--eval", "--strict", "--json", "tests/probes/eval.nix"]);
    cmd.args(["--arg", "lib", &import(&lib)])
        .current_dir(&ctx.root);
    let r = util::run(&mut cmd);
    let eval: serde_json::Value = match serde_json::from_str(&r.stdout) {
        Ok(v) if r.ok => v,
        Ok(_) | Err(_) => {
            t.fail("tests/probes/eval.nix evaluates", &r.why());
            t.detail(util::tail(&r.stderr, 10));
            return t.finish();
        }
    };
    let (probes, packages) = match (
        spec::probes(&eval),
        eval.get("packages").and_then(|p| p.as_object()),
    ) {
        (Ok(p), Some(k)) => (p.clone(), k.clone()),
        _ => {
            t.fail(
                "tests/probes/eval.nix evaluates",
                "no `probes` list or no `packages`",
            );
            return t.finish();
        }
    };
    t.ok(&format!(
        "tests/probes/eval.nix evaluates ({} probes, {} packages)",
        probes.len(),
        packages.len()
    ));

    // 2. The programs.
    if util::which("qemu-system-x86_64").is_none() {
        return Outcome::Skipped(
            "qemu-system-x86_64 not found (apt-get install qemu-system-x86)".into(),
        );
    }
    let Some(kernel) = util::newest_kernel() else {
        return Outcome::Skipped("no kernel in /boot (apt-get install linux-image-amd64)".into());
    };
    if !util::readable(&kernel) {
        return Outcome::Skipped("the kernel in /boot is not readable (run as root)".into());
    }
    if !Path::new(ZLIB_H).exists() || util::which("gcc").is_none() {
        return Outcome::Skipped(format!(
            "{ZLIB_H} or gcc not found (apt-get install zlib1g-dev gcc)"
        ));
    }
    if !util::is_static_elf(Path::new("/bin/busybox")) {
        return Outcome::Skipped(
            "static busybox not found (apt-get install busybox-static)".into(),
        );
    }
    let host_files = HOST_FILES.iter().copied().chain(guest::host_files());
    if let Some(f) = host_files.into_iter().find(|f| !Path::new(f).exists()) {
        return Outcome::Skipped(format!(
            "{f} not found (scripts/setup installs it with apt-get)"
        ));
    }
    let mut tools = match programs() {
        Ok(t) => t,
        Err(why) => return Outcome::Skipped(why),
    };

    // 3. bootcheck, and the brush-bash launcher with brush's store path
    // built in, as pkgs/brush-bash/package.nix does.
    let built =
        util::run_shown(&mut ctx.cargo(&["build", "--quiet", "--locked", "-p", "bootcheck"]));
    if !built.ok {
        t.fail("building bootcheck", &built.why());
        return t.finish();
    }
    let Some(brush) = packages.get("brush").and_then(|b| b.as_str()) else {
        t.fail("tests/probes/eval.nix", "no package brush");
        return t.finish();
    };
    let mut cargo = ctx.cargo(&[
        "build",
        "--quiet",
        "--locked",
        "--release",
        "-p",
        "brush-bash",
    ]);
    cargo.env("NIXOS_RS_BRUSH_PATH", format!("{brush}/bin/brush"));
    let built = util::run_shown(&mut cargo);
    if !built.ok {
        t.fail("building brush-bash", &built.why());
        return t.finish();
    }
    let target = ctx.target_dir();
    tools.insert(
        "brush-bash".into(),
        target.join("release/brush-bash").display().to_string(),
    );
    let bootcheck = target.join("debug/bootcheck");

    let work = match ctx.work_dir(&mut t) {
        Ok(w) => w,
        Err(o) => return o,
    };
    let w = work.path();

    // 4. The spec: every probe that needs no booted NixOS, then controls
    // that must pass on both guests; the oxidation meter with what the
    // components must run as Rust.
    let mut the_spec = match spec::spec(&eval) {
        Ok(s) => s,
        Err(e) => {
            t.fail("the bootcheck spec", &e.to_string());
            return t.finish();
        }
    };

    // 5. Both guests, one after the other (each boots in seconds under TCG).
    for side in [Side::Rust, Side::C] {
        let name = side.name();
        let cpio = w.join(format!("{name}.cpio"));
        // The guest's files, laid out here too: the oxidation meter reads
        // its programs under this root (their store paths are the
        // evaluation's, which this machine does not have).
        let root = w.join(format!("{name}-root"));
        the_spec.oxidation.root = Some(root.display().to_string());
        let spec_file = w.join(format!("{name}.spec.json"));
        let written = serde_json::to_vec_pretty(&the_spec)
            .map_err(|e| e.to_string())
            .and_then(|b| std::fs::write(&spec_file, b).map_err(|e| e.to_string()));
        if let Err(e) = written {
            t.fail("the bootcheck spec", &e);
            return t.finish();
        }
        let image = guest::build(
            guest::Inputs {
                side,
                packages: packages.clone(),
                tools: tools.clone(),
                busybox: "/bin/busybox".into(),
            },
            Some(&root),
        )
        .map_err(|e| e.to_string())
        .and_then(|(bytes, entries)| {
            std::fs::write(&cpio, &bytes).map_err(|e| e.to_string())?;
            Ok(format!("{entries} entries, {} KiB", bytes.len() / 1024))
        });
        match image {
            Ok(what) => t.line(format!("==> booting the {name} guest ({what})")),
            Err(e) => {
                t.fail(&format!("the {name} guest"), &e);
                return t.finish();
            }
        }
        let mut run = std::process::Command::new(&bootcheck);
        run.arg("run")
            .arg("--quiet")
            .arg("--spec")
            .arg(&spec_file)
            .arg("--log")
            .arg(w.join(format!("{name}.log")))
            .arg("--report")
            .arg(w.join(format!("{name}.json")))
            .arg("--")
            .args(["qemu-system-x86_64", "-name", &format!("probes-{name}")])
            .args([
                "-accel", "tcg", "-m", "512", "-display", "none", "-monitor", "none",
            ])
            .args(["-serial", "stdio", "-no-reboot", "-kernel"])
            .arg(&kernel)
            .arg("-initrd")
            .arg(&cpio)
            .args(["-append", "console=ttyS0,115200 quiet rdinit=/init"]);
        let r = util::run_shown(&mut run);
        t.line(format!("<== {name} guest: bootcheck {}", r.status()));
        if let Some(keep) = std::env::var_os("NIXOS_RS_PROBES_KEEP") {
            for f in [format!("{name}.log"), format!("{name}.json")] {
                let _ = std::fs::copy(w.join(&f), Path::new(&keep).join(&f));
            }
        }
    }

    // 6. The verdicts and the tables.
    let (rust_report, c_report) = (
        Report::read(&w.join("rust.json")),
        Report::read(&w.join("c.json")),
    );
    let j = judge::judge(&probes, &rust_report, &c_report);
    for l in &j.lines {
        t.line(l.as_str());
    }
    t.add(j.passed, j.failed, j.skipped);
    let (lines, oxidation_table, good, bad) = judge::oxidation(&rust_report, &c_report);
    for l in &lines {
        t.line(l.as_str());
    }
    t.add(good, bad, 0);
    let table = format!("{}\n{oxidation_table}", j.table);
    let components: Vec<String> = eval
        .get("components")
        .and_then(|c| serde_json::from_value(c.clone()).ok())
        .unwrap_or_default();
    if components.is_empty() {
        t.fail("tests/probes/eval.nix", "no `components` list");
    }
    let (lines, good, bad) =
        judge::coverage(&components, &probes, &Report::read(&w.join("rust.json")));
    for l in &lines {
        t.line(l.as_str());
    }
    t.add(good, bad, 0);
    zlib_program(ctx, &mut t, w, &tools["lib/libz.so.1"]);
    let readme_path = ctx.path(TABLE);
    let readme = std::fs::read_to_string(&readme_path).unwrap_or_default();
    if ctx.update_probes_table {
        let written = judge::with_table(&readme, TABLE, &table)
            .map_err(|e| e.to_string())
            .and_then(|new| std::fs::write(&readme_path, new).map_err(|e| e.to_string()));
        t.check(&format!("the table in {TABLE} written"), written);
    } else {
        let same = judge::has_table(&readme, TABLE, &table).map_err(|e| e.to_string());
        t.check(
            &format!("the table in {TABLE} is this run's"),
            match same {
                Ok(true) => Ok(()),
                Ok(false) => Err("it differs: run cargo xtask probes --update".into()),
                Err(e) => Err(e),
            },
        );
    }
    t.finish()
}

/// The C program linked against zlib, run with this machine's zlib (it
/// must fail: not zlib-rs) and with the Rust libz.so.1 at `rust_libz` first
/// on LD_LIBRARY_PATH (it must pass, silent on stderr: no "no version
/// information available").
fn zlib_program(ctx: &Ctx, t: &mut Tally, w: &Path, rust_libz: &str) {
    let name = "the C program linked against zlib";
    let program = w.join("zlib-check");
    let mut cc = std::process::Command::new("gcc");
    cc.args(["-Wall", "-Werror", "-o"])
        .arg(&program)
        .arg(ctx.path("dev/probe-guests/zlib-check.c"))
        .arg("-lz");
    let built = util::run(&mut cc);
    if !built.ok {
        t.fail(&format!("{name}: gcc"), &built.why());
        return;
    }
    let c = util::run(&mut std::process::Command::new(&program));
    t.check(
        &format!("{name} fails with this machine's zlib"),
        if c.ok {
            Err(format!("it passed: {}", c.stdout.trim()))
        } else {
            Ok(())
        },
    );
    t.detail([format!("{}: {}", c.status(), c.stdout.trim())]);
    let dir = Path::new(rust_libz).parent().unwrap_or(Path::new("."));
    let mut with_rust = std::process::Command::new(&program);
    with_rust.env("LD_LIBRARY_PATH", dir);
    let r = util::run(&mut with_rust);
    t.check(
        &format!("{name} passes with the Rust libz.so.1"),
        if !r.ok {
            Err(r.why())
        } else if !r.stderr.trim().is_empty() {
            Err(format!("it said on stderr: {}", r.stderr.trim()))
        } else {
            Ok(())
        },
    );
    t.detail([format!("{}: {}", r.status(), r.stdout.trim())]);
}

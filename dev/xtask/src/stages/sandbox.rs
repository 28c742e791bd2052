//! nix-sandbox: lib.mkBootCheck built for real in Nix's sandbox. The checks
//! of tests/sandbox/flake.nix each boot a QEMU guest (the build machine's
//! kernel and busybox, the stand-in nixpkgs' VM) under this checkout's
//! bootcheck; the stage asserts on what each build leaves, and prints the
//! wall time of each build.

use super::{need_lib, stand_in, start_nix, Ctx};
use crate::nix::{Nix, Profile};
use crate::report::{Outcome, Tally};
use crate::util;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A build of one attribute of a check.
struct Built {
    ok: bool,
    /// The output as this process sees it.
    out: Option<PathBuf>,
    /// The output's store path, as Nix names it.
    store: Option<PathBuf>,
    log: String,
}

struct Sandbox<'a> {
    nix: &'a Nix,
    work: &'a Path,
    flake: Vec<String>,
    /// The checks, `path:DIR#checks.x86_64-linux`.
    checks: String,
    nonce: String,
    times: Vec<(String, Duration)>,
}

impl Sandbox<'_> {
    /// `nix build` of `<case><attr>` (attr `.result` or empty).
    fn build(&mut self, t: &mut Tally, case: &str, attr: &str) -> Built {
        let start = Instant::now();
        let link = self.work.join("link");
        let _ = std::fs::remove_file(&link);
        let installable = format!("{}.{case}{attr}", self.checks);
        let run = || {
            let mut cmd = self.nix.nix(["build", "-L", "--out-link"]);
            cmd.arg(&link).args(&self.flake).arg(&installable);
            util::run(&mut cmd)
        };
        let mut r = run();
        if killed_as_it_exited(&r) {
            t.detail([format!(
                "(Nix killed the builder as it exited; building {case}{attr} again)"
            )]);
            r = run();
        }
        self.times.push((format!("{case}{attr}"), start.elapsed()));
        Built {
            ok: r.ok,
            // The link points into the store of the Nix that built it.
            out: std::fs::read_link(&link)
                .ok()
                .map(|p| crate::nix::seen_from_here(&p)),
            store: std::fs::read_link(&link).ok(),
            log: r.stderr,
        }
    }

    /// `nix eval --json <case attribute>`.
    fn eval(&self, attr: &str) -> Result<Value, String> {
        let mut cmd = self.nix.nix(["eval", "--json"]);
        cmd.args(&self.flake).arg(format!("{}.{attr}", self.checks));
        let r = util::run(&mut cmd);
        if !r.ok {
            return Err(r.why());
        }
        serde_json::from_str(&r.stdout).map_err(|e| e.to_string())
    }
}

/// Nix kills a builder's process group as soon as the builder's log pipe
/// closes (NixOS/nix#2176, in 2.8 and 2.26 alike); a program that closes
/// its output before it exits, run last by a builder, then fails with
/// "signal 9 (Killed)". The stand-in's builders end with a builtin to avoid
/// it; one retry tells a leftover case apart from a real failure.
fn killed_as_it_exited(r: &util::Ran) -> bool {
    !r.ok && r.stderr.contains("failed due to signal 9 (Killed)")
}

fn report(out: &Path) -> Value {
    std::fs::read(out.join("report.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null)
}

/// `Ok` when `got` is `want`, else what came.
fn is(got: impl Into<Value>, want: impl Into<Value>) -> Result<(), String> {
    let (got, want) = (got.into(), want.into());
    if got == want {
        Ok(())
    } else {
        Err(format!("expected {want}, got {got}"))
    }
}

fn holds(ok: bool, why: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why.to_string())
    }
}

fn contains(text: &str, needle: &str) -> Result<(), String> {
    holds(text.contains(needle), &format!("no {needle:?}"))
}

/// A build that should have worked: its log's last lines.
fn bad_build(t: &mut Tally, name: &str, b: &Built) {
    t.fail(name, "");
    t.detail(util::tail(&util::strip_ansi(&b.log), 15));
}

/// Whether a process whose command line has all of `words` runs.
fn process_running(words: &[&str]) -> bool {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return false;
    };
    dir.flatten().any(|e| {
        std::fs::read(e.path().join("cmdline")).is_ok_and(|c| {
            let c = String::from_utf8_lossy(&c).replace('\0', " ");
            words.iter().all(|w| c.contains(w))
        })
    })
}

pub fn stage(ctx: &Ctx) -> Outcome {
    let mut t = Tally::new("nix-sandbox");
    let nix = match start_nix(&mut t, Profile::Build) {
        Ok(n) => n,
        Err(o) => return o,
    };
    let lib = match need_lib(ctx, &mut t) {
        Ok(l) => l,
        Err(o) => return o,
    };
    if util::which("qemu-system-x86_64").is_none() {
        return Outcome::Skipped(
            "qemu-system-x86_64 not found (apt-get install qemu-system-x86)".into(),
        );
    }
    let Some(kernel) = util::newest_kernel().filter(|k| util::readable(k)) else {
        return Outcome::Skipped(
            "no readable kernel in /boot (apt-get install linux-image-amd64; run as root)".into(),
        );
    };
    let busybox = Path::new("/bin/busybox");
    if !util::is_static_elf(busybox) {
        return Outcome::Skipped(
            "static busybox not found (apt-get install busybox-static)".into(),
        );
    }
    let built =
        util::run_shown(&mut ctx.cargo(&["build", "--quiet", "--locked", "-p", "bootcheck"]));
    if !built.ok {
        t.fail("building bootcheck", &built.why());
        return t.finish();
    }
    let work = match ctx.work_dir(&mut t) {
        Ok(w) => w,
        Err(o) => return o,
    };
    let w = work.path();
    let bootcheck = ctx.target_dir().join("debug/bootcheck");
    let prebuilt = [
        (bootcheck.as_path(), "bootcheck"),
        (kernel.as_path(), "vmlinuz"),
        (busybox, "busybox"),
    ];
    let cases = w.join("cases");
    // A fresh nonce in the checks' names: each run boots for real.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
        .to_string();
    let laid_out = stand_in(ctx, &w.join("nixpkgs"), &lib, &prebuilt)
        .and_then(|()| util::copy_tree(&ctx.path("tests/sandbox"), &cases))
        .and_then(|()| {
            std::fs::write(cases.join("nonce"), format!("{nonce}\n")).map_err(|e| e.to_string())
        });
    if let Err(e) = laid_out {
        t.fail("laying out the stand-in and the cases", &e);
        return t.finish();
    }
    let standin = format!("path:{}", w.join("nixpkgs").display());
    let mut s = Sandbox {
        nix: &nix,
        work: w,
        flake: [
            "--no-write-lock-file",
            "--override-input",
            "nixpkgs",
            &standin,
            "--override-input",
            "nixos-rs",
            &format!("git+file://{}", ctx.root.display()),
            "--override-input",
            "nixos-rs/nixpkgs",
            &standin,
        ]
        .map(String::from)
        .to_vec(),
        checks: format!("path:{}#checks.x86_64-linux", cases.display()),
        nonce,
        times: Vec::new(),
    };

    pass(&mut s, &mut t);
    panic(&mut s, &mut t);
    probe_fails(&mut s, &mut t);
    silent(&mut s, &mut t);
    emulated_and_kvm(&mut s, &mut t);
    spec_contract(&mut s, &mut t, &bootcheck);
    oxidation(&mut s, &mut t);

    t.line("wall time per build:");
    for (name, d) in &s.times {
        t.line(format!("  {name:<22} {:5.1}s", d.as_secs_f64()));
    }
    t.finish()
}

/// A guest that boots to an autologin shell; its probe passes.
fn pass(s: &mut Sandbox, t: &mut Tally) {
    let b = s.build(t, "pass", ".result");
    let Some(r) = b.out.as_deref().filter(|_| b.ok) else {
        return bad_build(t, "pass: the result builds", &b);
    };
    t.ok("pass: the result builds");
    let rep = report(r);
    t.check(
        "pass: report.json says pass",
        is(rep["verdict"].clone(), "pass"),
    );
    for f in [
        "report.json",
        "summary.txt",
        "serial.log",
        "junit.xml",
        "spec.json",
        "exit-code",
    ] {
        t.check(
            &format!("pass: {f} is there"),
            holds(r.join(f).exists(), "missing"),
        );
    }
    t.check(
        "pass: no nix-support/failed",
        holds(!r.join("nix-support/failed").exists(), "it is there"),
    );
    let products =
        std::fs::read_to_string(r.join("nix-support/hydra-build-products")).unwrap_or_default();
    let listed: Vec<&str> = products
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    t.check(
        "pass: hydra-build-products lists report, log and JUnit",
        is(
            json!(listed),
            json!(["report.json", "serial.log", "junit.xml"]),
        ),
    );
    let passed: Vec<Value> = rep["probes"]
        .as_array()
        .map(|ps| ps.iter().map(|p| p["passed"].clone()).collect())
        .unwrap_or_default();
    t.check(
        "pass: the probe ran in the autologin shell",
        is(json!(passed), json!([true])),
    );
    // The oxidation meter, on by default, measured the VM after the probe.
    let ox = &rep["oxidation"];
    t.check(
        "pass: the oxidation meter found PID 1 and counted the processes",
        holds(
            ox["pid1"]["exe"].is_string()
                && ox["headline"]
                    .as_str()
                    .is_some_and(|h| h.starts_with("Rust: "))
                && ox["counts"]["kernel_threads"].as_u64().unwrap_or(0) > 0,
            &format!("the section is {ox}"),
        ),
    );
    t.detail([format!(
        "oxidation in the sandbox: {}; PID 1 {} ({})",
        ox["headline"], ox["pid1"]["exe"], ox["pid1"]["language"]
    )]);
    // bootcheck says so on stderr (in summary.txt) when it has no pty.
    let summary = std::fs::read_to_string(r.join("summary.txt")).unwrap_or_default();
    let console = if summary.contains("using pipes for the console") {
        "pipes"
    } else {
        "pty"
    };
    let took = s.times.last().map_or(0.0, |(_, d)| d.as_secs_f64());
    t.detail([format!(
        "bootcheck's console in the sandbox: {console}; bootcheck's run {} ms of the build's {took:.1} s",
        rep["duration_ms"]
    )]);
    let check = s.build(t, "pass", "");
    if check.ok {
        t.ok("pass: the check builds");
    } else {
        bad_build(t, "pass: the check builds", &check);
    }
}

/// /init exits: a kernel panic.
fn panic(s: &mut Sandbox, t: &mut Tally) {
    let b = s.build(t, "panic", ".result");
    let Some(r) = b.out.as_deref().filter(|_| b.ok) else {
        return bad_build(t, "panic: the result still builds", &b);
    };
    t.ok("panic: the result still builds");
    let rep = report(r);
    t.check(
        "panic: nix-support/failed",
        holds(r.join("nix-support/failed").exists(), "missing"),
    );
    t.check("panic: verdict fail", is(rep["verdict"].clone(), "fail"));
    t.check(
        "panic: kind kernel-panic",
        is(rep["kind"].clone(), "kernel-panic"),
    );
    let check = s.build(t, "panic", "");
    if check.ok {
        t.fail("panic: the check fails", "it builds");
        return;
    }
    t.ok("panic: the check fails");
    let store = b.store.as_deref().unwrap_or(r).display().to_string();
    t.check(
        "panic: the check's log names the result",
        contains(&check.log, &store),
    );
    t.check(
        "panic: the check's log shows the decisive line",
        contains(&check.log, "Kernel panic - not syncing"),
    );
    // The builder's last line (what `nix flake check` shows last) is the
    // verdict in one line.
    let last = check
        .log
        .lines()
        .filter(|l| l.contains("> "))
        .map(|l| l.split_once("> ").map_or(l, |(_, rest)| rest))
        .next_back()
        .unwrap_or_default()
        .to_string();
    t.check(
        "panic: the check's last line is the verdict",
        holds(
            last.starts_with("boot check sandbox-panic") && last.contains("FAIL kernel-panic"),
            &format!("it is {last:?}"),
        ),
    );
}

/// A probe that does not hold, named with its component.
fn probe_fails(s: &mut Sandbox, t: &mut Tally) {
    let b = s.build(t, "probe-fails", ".result");
    let Some(r) = b.out.as_deref().filter(|_| b.ok) else {
        return bad_build(t, "probe-fails: the result builds", &b);
    };
    let rep = report(r);
    t.check(
        "probe-fails: verdict fail, kind probe-failed",
        is(
            json!([rep["verdict"], rep["kind"]]),
            json!(["fail", "probe-failed"]),
        ),
    );
    let failing: Vec<String> = rep["probes"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["passed"] != json!(true))
                .map(|p| {
                    format!(
                        "{}/{}",
                        p["component"].as_str().unwrap_or("?"),
                        p["name"].as_str().unwrap_or("?")
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    t.check(
        "probe-fails: the failing probe is named with its component",
        is(json!(failing), json!(["coreutils/is-rust"])),
    );
    let summary = std::fs::read_to_string(r.join("summary.txt")).unwrap_or_default();
    t.check(
        "probe-fails: the summary names it",
        contains(&summary, "coreutils/is-rust"),
    );
}

/// Nothing on the console: bootcheck gives up after idleTimeout.
fn silent(s: &mut Sandbox, t: &mut Tally) {
    let start = Instant::now();
    let b = s.build(t, "silent", ".result");
    let Some(r) = b.out.as_deref().filter(|_| b.ok) else {
        return bad_build(t, "silent: the result builds", &b);
    };
    let took = start.elapsed().as_secs();
    t.check(
        "silent: verdict timeout",
        is(report(r)["verdict"].clone(), "timeout"),
    );
    t.check(
        "silent: the idle deadline decided",
        is(report(r)["kind"].clone(), "idle-timeout"),
    );
    t.line(format!(
        "     silent: the timeout verdict after {took} s (idle timeout 10 s x slowdown 2)"
    ));
    t.check(
        "silent: no QEMU left on the host",
        holds(
            !process_running(&["qemu-system", "sandbox-silent"]),
            "a QEMU of sandbox-silent still runs",
        ),
    );
}

/// `emulated = true` multiplies the timeouts and asks for no kvm; without
/// it the check needs the kvm feature, which this builder lacks.
fn emulated_and_kvm(s: &mut Sandbox, t: &mut Tally) {
    let ev = |attr: &str, want: Value| s.eval(attr).and_then(|v| is(v, want));
    // The stand-in's NixOS has security wrappers (sudo, su, mount, ...),
    // which the spec hands to the meter; boot-check.nix's tests check them.
    let spec_without_wrappers = |attr: &str, want: Value| {
        s.eval(attr).and_then(|mut v| {
            let wrappers = v["oxidation"]
                .as_object_mut()
                .and_then(|o| o.remove("wrappers"));
            holds(
                wrappers.is_some_and(|w| w.get("/run/wrappers/bin/sudo").is_some()),
                "the spec's oxidation section has no wrapper of sudo",
            )?;
            is(v, want)
        })
    };
    t.check(
        "emulated: the spec says how much slower",
        spec_without_wrappers("pass.spec", json!({"name": format!("sandbox-pass-{}", s.nonce), "timeout": 60, "idle_timeout": 30, "slowdown": 2, "login": {"autologin": true}, "oxidation": {"enable": true}, "probes": [{"name": "echo", "component": "stand-in", "command": "echo hello", "expect": "^hello$", "ignore_exit": false, "timeout": 30}]})),
    );
    t.check(
        "emulated: no kvm feature",
        ev("pass.result.requiredSystemFeatures", json!(["nixos-test"])),
    );
    t.check(
        "kvm: the kvm feature",
        ev(
            "kvm.result.requiredSystemFeatures",
            json!(["nixos-test", "kvm"]),
        ),
    );
    let b = s.build(t, "kvm", ".result");
    t.check(
        "kvm: a builder without kvm refuses it",
        if b.ok {
            Err("it built".into())
        } else {
            contains(&b.log, "kvm")
        },
    );
}

/// The spec mkBootCheck writes is one bootcheck reads, with the defaults
/// and the slowdown as both sides mean them: `bootcheck spec` on the
/// passing check's spec.json.
fn spec_contract(s: &mut Sandbox, t: &mut Tally, bootcheck: &Path) {
    let b = s.build(t, "pass", ".result");
    let Some(r) = b.out.as_deref().filter(|_| b.ok) else {
        return bad_build(t, "contract: the result builds", &b);
    };
    let ran = util::run(
        std::process::Command::new(bootcheck)
            .arg("spec")
            .arg(r.join("spec.json")),
    );
    let read = if ran.ok {
        serde_json::from_str::<Value>(&ran.stdout).map_err(|e| e.to_string())
    } else {
        Err(ran.why())
    };
    let read = match read {
        Ok(v) => v,
        Err(e) => return t.fail("contract: bootcheck reads mkBootCheck's spec", &e),
    };
    t.ok("contract: bootcheck reads mkBootCheck's spec");
    // Both sides state a probe's default timeout (the Nix probe type,
    // bootcheck's spec): they must agree.
    let bare = r#"{"login": {"autologin": true}, "probes": [{"name": "x", "command": "true", "expect": ""}]}"#;
    let bare_file = s.work.join("bare-spec.json");
    let rust_default = std::fs::write(&bare_file, bare)
        .ok()
        .map(|()| {
            util::run(
                std::process::Command::new(bootcheck)
                    .arg("spec")
                    .arg(&bare_file),
            )
        })
        .and_then(|r| serde_json::from_str::<Value>(&r.stdout).ok())
        .map_or(Value::Null, |v| v["probes"][0]["timeout"].clone());
    let nix_default = serde_json::from_str::<Value>(
        &std::fs::read_to_string(r.join("spec.json")).unwrap_or_default(),
    )
    .map_or(Value::Null, |v| v["probes"][0]["timeout"].clone());
    t.check(
        "contract: Nix's and bootcheck's default probe timeout agree",
        is(rust_default, nix_default),
    );
    t.check(
        "contract: every timeout slowed down, the defaults included",
        is(
            json!([
                read["timeout"],
                read["idle_timeout"],
                read["login"]["timeout"],
                read["probes"][0]["timeout"]
            ]),
            json!([120, 60, 240, 60]),
        ),
    );
}

/// lib.mkOxidationReport of a stand-in system whose closure holds real
/// programs: this checkout's bootcheck (Rust) and busybox (C).
fn oxidation(s: &mut Sandbox, t: &mut Tally) {
    let b = s.build(t, "oxidation", "");
    let Some(r) = b.out.as_deref().filter(|_| b.ok) else {
        return bad_build(t, "oxidation: the report builds", &b);
    };
    t.ok("oxidation: the report builds");
    let rep: Value = std::fs::read_to_string(r.join("oxidation.json"))
        .ok()
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or(Value::Null);
    let language = |cmd: &str| -> Value {
        rep["commands"]["entries"]
            .as_array()
            .and_then(|cs| {
                cs.iter().find(|c| {
                    c["path"]
                        .as_str()
                        .is_some_and(|p| p.ends_with(&format!("/{cmd}")))
                })
            })
            .map_or(Value::Null, |c| c["language"].clone())
    };
    t.check(
        "oxidation: bootcheck on PATH is Rust",
        is(language("bootcheck"), "rust"),
    );
    t.check(
        "oxidation: busybox on PATH is C",
        is(language("busybox"), "c"),
    );
    let headline = std::fs::read_to_string(r.join("headline.txt")).unwrap_or_default();
    t.check(
        "oxidation: the headline names the system",
        holds(
            headline.starts_with("nixos: ") && headline.contains("commands on PATH are Rust"),
            &format!("it is {headline:?}"),
        ),
    );
    for f in ["oxidation.json", "oxidation.md", "summary.txt"] {
        t.check(
            &format!("oxidation: {f} is there"),
            holds(r.join(f).is_file(), "missing"),
        );
    }
}

//! `bootcheck oxidation` against real binaries: a labelled sample of
//! Debian's programs and libraries, the Rust programs the setup installs,
//! this workspace's binaries, and programs the test builds (Rust stripped,
//! static and as a C-ABI library, C, C++, Zig), wrappers built the way
//! nixpkgs builds them, scripts, bad input, the system report, its
//! headline and `compare`.
//!
//! Fixtures in `tests/oxidation/`: `debian-sample.tsv` (path, label,
//! package), and the sources the test compiles with the machine's rustc,
//! gcc and g++ (and Zig from PyPI's `ziglang` when installed). Every
//! program a test needs and lacks prints `skipped: <why>`; scripts/setup
//! installs them.

use bootcheck::oxidation::{Classifier, Entry, Kind, Language, WrapperKind};
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oxidation")
}

fn bootcheck() -> &'static str {
    env!("CARGO_BIN_EXE_bootcheck")
}

fn have(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Classifies every `(path, expected)` and fails listing each file whose
/// language differs, with its evidence.
fn assert_languages(c: &Classifier, cases: &[(PathBuf, Language)]) {
    let mut wrong = Vec::new();
    for (path, want) in cases {
        let e = c.classify(path);
        if e.language != Some(*want) || e.error.is_some() {
            wrong.push(format!(
                "  {}: expected {want}, got {:?} (kind {:?}, error {:?}); evidence: {}",
                path.display(),
                e.language,
                e.kind,
                e.error,
                e.evidence.join("; ")
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} files misclassified:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

struct Sample {
    path: PathBuf,
    label: Language,
    package: String,
}

fn debian_sample() -> Vec<Sample> {
    let text = std::fs::read_to_string(fixtures().join("debian-sample.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert!(cols.len() >= 3, "bad sample line: {l}");
            Sample {
                path: PathBuf::from(cols[0]),
                label: Language::parse(cols[1]).unwrap_or_else(|| panic!("bad label in: {l}")),
                package: cols[2].to_string(),
            }
        })
        .collect()
}

#[test]
fn the_labelled_debian_sample_is_classified_right() {
    let sample = debian_sample();
    assert!(sample.len() >= 100, "the sample has {} files", sample.len());
    for lang in [
        Language::Rust,
        Language::C,
        Language::Cxx,
        Language::Go,
        Language::Other,
    ] {
        assert!(
            sample.iter().any(|s| s.label == lang),
            "the sample has no {lang} file"
        );
    }
    let (present, missing): (Vec<&Sample>, Vec<&Sample>) =
        sample.iter().partition(|s| s.path.exists());
    if !missing.is_empty() {
        let mut pkgs: Vec<&str> = missing.iter().map(|s| s.package.as_str()).collect();
        pkgs.sort();
        pkgs.dedup();
        println!(
            "skipped: {} sample files missing (scripts/setup installs their packages: {})",
            missing.len(),
            pkgs.join(" ")
        );
    }
    if present.is_empty() {
        return;
    }
    let cases: Vec<(PathBuf, Language)> =
        present.iter().map(|s| (s.path.clone(), s.label)).collect();
    assert_languages(&Classifier::new(), &cases);
    println!(
        "{} of {} sample files classified right",
        present.len(),
        sample.len()
    );
}

#[test]
fn a_c_program_linking_rust_librsvg_is_c_with_evidence() {
    let loader =
        Path::new("/usr/lib/x86_64-linux-gnu/gdk-pixbuf-2.0/2.10.0/loaders/libpixbufloader-svg.so");
    if !loader.exists() {
        println!(
            "skipped: {} missing (Debian package librsvg2-common)",
            loader.display()
        );
        return;
    }
    let e = Classifier::new().classify(loader);
    assert_eq!(e.language, Some(Language::C), "{e:?}");
    assert_eq!(e.rust_libraries, ["librsvg-2.so.2"], "{e:?}");
    assert!(
        e.evidence
            .contains(&"links Rust library librsvg-2.so.2".to_string()),
        "{e:?}"
    );
}

#[test]
fn the_rust_programs_the_setup_installs_are_rust() {
    let home = PathBuf::from(std::env::var_os("HOME").unwrap_or_default());
    let probe = std::env::var_os("NIXOS_RS_PROBE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| home.join(".local/share/nixos-rs/probe-tools"));
    let mut cases = Vec::new();
    let mut missing = Vec::new();
    for p in ["brush", "coreutils", "fmt-nix", "deadnix"]
        .iter()
        .map(|b| home.join(".cargo/bin").join(b))
        .chain(
            ["sudo", "su", "find", "xargs", "diffutils", "ntp-daemon"]
                .iter()
                .map(|b| probe.join("bin").join(b)),
        )
    {
        if p.exists() {
            cases.push((p, Language::Rust));
        } else {
            missing.push(p.display().to_string());
        }
    }
    if !missing.is_empty() {
        println!(
            "skipped: not installed (scripts/setup installs them): {}",
            missing.join(" ")
        );
    }
    assert_languages(&Classifier::new(), &cases);
}

#[test]
fn this_workspaces_binaries_are_rust() {
    let me = PathBuf::from(bootcheck());
    let dir = me.parent().unwrap();
    let mut cases = vec![(me.clone(), Language::Rust)];
    let mut missing = Vec::new();
    for b in ["bootcheck-bench", "fmt-nix", "brush-bash", "probe-guests"] {
        let p = dir.join(b);
        if p.exists() {
            cases.push((p, Language::Rust));
        } else {
            missing.push(b);
        }
    }
    if !missing.is_empty() {
        println!(
            "skipped: not built in {} (cargo build --workspace builds them): {}",
            dir.display(),
            missing.join(" ")
        );
    }
    assert_languages(&Classifier::new(), &cases);
}

/// A scratch directory for built programs.
fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("oxidation-test")
        .tempdir()
        .unwrap()
}

fn rustc(src: &str, out: &Path, flags: &[&str]) {
    run_ok(
        Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
            .arg("--edition=2021")
            .arg(fixtures().join(src))
            .arg("-o")
            .arg(out)
            .args(flags),
    );
}

/// glibc's static libraries, for `+crt-static` and `gcc -static`.
fn have_static_libc() -> bool {
    Command::new("gcc")
        .arg("-print-file-name=libc.a")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() != "libc.a")
}

#[test]
fn rust_built_here_stripped_static_and_as_a_c_library() {
    let d = scratch();
    let p = |n: &str| d.path().join(n);
    rustc(
        "hello.rs",
        &p("hello-stripped"),
        &["-O", "-C", "strip=symbols"],
    );
    rustc(
        "hello.rs",
        &p("hello-abort"),
        &["-O", "-C", "strip=symbols", "-C", "panic=abort"],
    );
    rustc("hello.rs", &p("hello-debug"), &[]);
    let mut cases = vec![
        (p("hello-stripped"), Language::Rust),
        (p("hello-abort"), Language::Rust),
        (p("hello-debug"), Language::Rust),
    ];
    if have_static_libc() {
        rustc(
            "hello.rs",
            &p("hello-static"),
            &[
                "-O",
                "-C",
                "strip=symbols",
                "-C",
                "target-feature=+crt-static",
            ],
        );
        let file = Command::new("file").arg(p("hello-static")).output();
        if let Ok(o) = file {
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(text.contains("static"), "not static: {text}");
        }
        cases.push((p("hello-static"), Language::Rust));
    } else {
        println!("skipped: no static glibc (Debian package libc6-dev) for +crt-static");
    }
    // A Rust library with a C interface, and a C program that links it.
    rustc(
        "answer.rs",
        &p("liboxanswer.so"),
        &["--crate-type", "cdylib", "-O", "-C", "strip=symbols"],
    );
    run_ok(
        Command::new("gcc")
            .arg(fixtures().join("answer-user.c"))
            .arg("-o")
            .arg(p("answer-user"))
            .arg(format!("-L{}", d.path().display()))
            .arg(format!("-Wl,-rpath,{}", d.path().display()))
            .args(["-loxanswer", "-s"]),
    );
    let out = Command::new(p("answer-user")).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "42");
    cases.push((p("liboxanswer.so"), Language::Rust));
    cases.push((p("answer-user"), Language::C));
    let c = Classifier::new();
    assert_languages(&c, &cases);

    let lib = c.classify(&p("liboxanswer.so"));
    assert_eq!(lib.kind, Kind::SharedLibrary);
    let user = c.classify(&p("answer-user"));
    assert_eq!(user.kind, Kind::Executable);
    assert_eq!(user.rust_libraries, ["liboxanswer.so"], "{user:?}");
    let stripped = c.classify(&p("hello-stripped"));
    assert!(
        stripped
            .evidence
            .iter()
            .any(|e| e.starts_with("Rust std paths")),
        "{stripped:?}"
    );
}

#[test]
fn c_and_cxx_built_here() {
    if !have("g++") {
        println!("skipped: g++ not found (Debian package g++)");
        return;
    }
    let d = scratch();
    let p = |n: &str| d.path().join(n);
    let cc = |compiler: &str, src: &str, out: &str, flags: &[&str]| {
        run_ok(
            Command::new(compiler)
                .arg(fixtures().join(src))
                .arg("-o")
                .arg(p(out))
                .args(flags),
        )
    };
    cc("gcc", "hello.c", "c-dyn", &["-O2", "-s"]);
    cc("g++", "hello.cpp", "cxx-dyn", &["-O2", "-s"]);
    cc(
        "g++",
        "hello.cpp",
        "cxx-static-libstdcxx",
        &["-O2", "-s", "-static-libstdc++"],
    );
    // Needs libstdc++ without using any of it: a C program overlinked.
    cc(
        "gcc",
        "hello.c",
        "c-overlinked",
        &["-O2", "-s", "-Wl,--no-as-needed", "-lstdc++"],
    );
    let mut cases = vec![
        (p("c-dyn"), Language::C),
        (p("cxx-dyn"), Language::Cxx),
        (p("cxx-static-libstdcxx"), Language::Cxx),
        (p("c-overlinked"), Language::C),
    ];
    if have_static_libc() {
        cc("gcc", "hello.c", "c-static", &["-O2", "-s", "-static"]);
        cc("g++", "hello.cpp", "cxx-static", &["-O2", "-s", "-static"]);
        cases.push((p("c-static"), Language::C));
        cases.push((p("cxx-static"), Language::Cxx));
    } else {
        println!("skipped: no static glibc (libc6-dev) for gcc -static");
    }
    let c = Classifier::new();
    assert_languages(&c, &cases);
    let over = c.classify(&p("c-overlinked"));
    assert!(
        over.evidence
            .iter()
            .any(|e| e.contains("uses none of its symbols")),
        "{over:?}"
    );
}

fn zig() -> Option<Command> {
    let ok = Command::new("python3")
        .args(["-m", "ziglang", "version"])
        .output()
        .is_ok_and(|o| o.status.success());
    ok.then(|| {
        let mut c = Command::new("python3");
        c.args(["-m", "ziglang"]);
        c
    })
}

#[test]
fn zig_built_here_is_zig_and_c_built_by_zig_is_c() {
    if zig().is_none() {
        println!("skipped: Zig not found (scripts/setup: pip install ziglang)");
        return;
    }
    let d = scratch();
    let p = |n: &str| d.path().join(n);
    let mut cases = Vec::new();
    for mode in ["ReleaseSafe", "ReleaseFast", "ReleaseSmall"] {
        let out = p(&format!("zig-{mode}"));
        run_ok(
            zig()
                .unwrap()
                .current_dir(d.path())
                .args(["build-exe", "-O", mode, "-fstrip"])
                .arg(format!("-femit-bin={}", out.display()))
                .arg(fixtures().join("hello.zig")),
        );
        cases.push((out, Language::Zig));
    }
    // Linked with libc: still Zig.
    run_ok(
        zig()
            .unwrap()
            .current_dir(d.path())
            .args(["build-exe", "-O", "ReleaseSafe", "-fstrip", "-lc"])
            .arg(format!("-femit-bin={}", p("zig-libc").display()))
            .arg(fixtures().join("hello.zig")),
    );
    cases.push((p("zig-libc"), Language::Zig));
    // C compiled by Zig's toolchain is C.
    run_ok(
        zig()
            .unwrap()
            .current_dir(d.path())
            .args(["cc", "-O2", "-s", "-o"])
            .arg(p("zig-cc"))
            .arg(fixtures().join("hello.c")),
    );
    cases.push((p("zig-cc"), Language::C));
    assert_languages(&Classifier::new(), &cases);
}

/// Builds `hello-stripped` (Rust) in `dir` and returns its path.
fn rust_program(dir: &Path) -> PathBuf {
    let out = dir.join("hello-stripped");
    rustc("hello.rs", &out, &["-O", "-C", "strip=symbols"]);
    out
}

fn gcc(src: &str, out: &Path, flags: &[String]) {
    run_ok(
        Command::new("gcc")
            .arg(fixtures().join(src))
            .arg("-o")
            .arg(out)
            .args(flags),
    );
}

#[test]
fn wrappers_count_as_what_they_run() {
    let d = scratch();
    let p = |n: &str| d.path().join(n);
    let target = rust_program(d.path());
    let quoted = format!("-DSOURCE_PROG=\"{}\"", target.display());
    // NixOS's security wrapper, new style (target compiled in), dynamic
    // and static (nixpkgs links it statically, with musl).
    gcc(
        "security-wrapper.c",
        &p("sudo-wrapper"),
        &["-O2".into(), "-s".into(), quoted.clone()],
    );
    let mut wrappers = vec![(p("sudo-wrapper"), WrapperKind::NixosSecurityWrapper)];
    if have_static_libc() {
        gcc(
            "security-wrapper.c",
            &p("sudo-wrapper-static"),
            &["-O2".into(), "-s".into(), "-static".into(), quoted],
        );
        wrappers.push((p("sudo-wrapper-static"), WrapperKind::NixosSecurityWrapper));
    }
    // Old style: the target read from `<wrapper>.real`.
    gcc(
        "security-wrapper.c",
        &p("su-wrapper"),
        &["-O2".into(), "-s".into()],
    );
    std::fs::write(p("su-wrapper.real"), target.display().to_string()).unwrap();
    wrappers.push((p("su-wrapper"), WrapperKind::NixosSecurityWrapper));
    // makeBinaryWrapper's shape, -Os as nixpkgs compiles it.
    gcc(
        "binary-wrapper.c",
        &p("hello-bin-wrapper"),
        &[
            "-Os".into(),
            "-s".into(),
            format!("-DEXECUTABLE=\"{}\"", target.display()),
        ],
    );
    wrappers.push((p("hello-bin-wrapper"), WrapperKind::MakeBinaryWrapper));
    // makeWrapper's shell wrapper, around the binary wrapper: a chain.
    std::fs::write(
        p("hello-sh-wrapper"),
        format!(
            "#! /bin/bash -e\ndeclare -a extraFlagsArray=()\nexport OXIDATION_WRAPPED=${{OXIDATION_WRAPPED-'1'}}\nset +u\nexec -a \"$0\" '{}' \"${{extraFlagsArray[@]}}\" \"$@\"\n",
            p("hello-bin-wrapper").display()
        ),
    )
    .unwrap();
    chmod_x(&p("hello-sh-wrapper"));
    wrappers.push((p("hello-sh-wrapper"), WrapperKind::ShellWrapper));

    // The fixtures are real wrappers: each runs the Rust program.
    for (w, _) in &wrappers {
        let out = Command::new(w).arg("1").output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.starts_with("hello"),
            "{} printed {text:?}",
            w.display()
        );
    }

    let c = Classifier::new();
    let real_target = std::fs::canonicalize(&target)
        .unwrap()
        .display()
        .to_string();
    for (w, kind) in &wrappers {
        let e = c.classify(w);
        assert_eq!(e.language, Some(Language::Rust), "{e:#?}");
        assert_eq!(e.wrapper.as_ref().map(|w| w.kind), Some(*kind), "{e:#?}");
        assert_eq!(e.target.as_deref(), Some(real_target.as_str()), "{e:#?}");
        assert_eq!(e.error, None, "{e:#?}");
        if *kind == WrapperKind::ShellWrapper {
            assert_eq!(e.kind, Kind::Script);
            assert_eq!(e.file_language, None);
        } else {
            assert_eq!(e.kind, Kind::Executable);
            assert_eq!(e.file_language, Some(Language::C), "{e:#?}");
            assert_eq!(
                e.wrapper.as_ref().unwrap().target,
                target.display().to_string()
            );
        }
    }

    // A symlink to a wrapper, as /run/wrappers/bin or a profile has.
    std::os::unix::fs::symlink(p("sudo-wrapper"), p("sudo")).unwrap();
    let e = c.classify(&p("sudo"));
    assert_eq!(e.language, Some(Language::Rust));
    assert_eq!(
        e.real_path.as_deref(),
        Some(p("sudo-wrapper").to_str().unwrap())
    );

    // A wrapper whose target is gone: an error entry that names it.
    gcc(
        "binary-wrapper.c",
        &p("dangling-wrapper"),
        &[
            "-Os".into(),
            "-s".into(),
            "-DEXECUTABLE=\"/nonexistent/bin/gone\"".into(),
        ],
    );
    let e = c.classify(&p("dangling-wrapper"));
    assert_eq!(
        e.wrapper.as_ref().map(|w| w.target.as_str()),
        Some("/nonexistent/bin/gone")
    );
    assert!(
        e.error
            .as_deref()
            .unwrap_or("")
            .contains("/nonexistent/bin/gone"),
        "{e:#?}"
    );
    assert_eq!(e.language, None);
}

fn chmod_x(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn scripts_name_their_interpreter() {
    let d = scratch();
    let p = |n: &str| d.path().join(n);
    let rust = rust_program(d.path());
    let scripts = [
        ("env-bash", "#!/usr/bin/env bash\necho hi\n".to_string()),
        ("sh", "#!/bin/sh\necho hi\n".to_string()),
        ("rust-interp", format!("#!{}\n", rust.display())),
        ("gone", "#!/nonexistent/interpreter\n".to_string()),
    ];
    for (name, text) in &scripts {
        std::fs::write(p(name), text).unwrap();
        chmod_x(&p(name));
    }
    let mut c = Classifier::new();
    c.search_path = vec![PathBuf::from("/usr/bin"), PathBuf::from("/bin")];
    let e = c.classify(&p("env-bash"));
    assert_eq!(e.kind, Kind::Script);
    assert_eq!(e.language, Some(Language::C), "{e:#?}");
    let i = e.interpreter.unwrap();
    assert_eq!(i.command, "/usr/bin/env bash");
    let bash = std::fs::canonicalize("/usr/bin/bash").unwrap();
    assert_eq!(i.path.as_deref(), Some(bash.to_str().unwrap()));
    let e = c.classify(&p("rust-interp"));
    assert_eq!(e.language, Some(Language::Rust), "{e:#?}");
    let e = c.classify(&p("sh"));
    assert_eq!(e.language, Some(Language::C), "{e:#?}");
    assert!(e.target.is_some());
    let e = c.classify(&p("gone"));
    assert_eq!(e.kind, Kind::Script);
    assert_eq!(e.language, None);
    assert!(e.evidence.iter().any(|x| x.contains("not found")), "{e:#?}");
}

fn run_cli(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bootcheck())
        .arg("oxidation")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn entries(json: &serde_json::Value) -> Vec<Entry> {
    serde_json::from_value(json["entries"].clone()).unwrap()
}

#[test]
fn bad_input_is_an_entry_and_never_stops_the_walk() {
    let d = scratch();
    let p = |n: &str| d.path().join(n);
    let dir = p("tree");
    std::fs::create_dir(&dir).unwrap();
    let rust = rust_program(d.path());
    std::fs::copy(&rust, dir.join("good")).unwrap();
    // A real binary cut in half.
    let bytes = std::fs::read(&rust).unwrap();
    std::fs::write(dir.join("truncated"), &bytes[..bytes.len() / 2]).unwrap();
    chmod_x(&dir.join("truncated"));
    // Only the ELF header.
    std::fs::write(dir.join("header-only"), &bytes[..64]).unwrap();
    chmod_x(&dir.join("header-only"));
    std::fs::write(dir.join("notes.txt"), "not a program\n").unwrap();
    std::fs::write(dir.join("exec-data"), "no shebang here\n").unwrap();
    chmod_x(&dir.join("exec-data"));
    std::os::unix::fs::symlink("/nonexistent/target", dir.join("broken-link")).unwrap();
    let missing = p("missing");
    let text_file = p("plain.txt");
    std::fs::write(&text_file, "hello\n").unwrap();

    let json_path = p("report.json");
    let (code, stdout, stderr) = run_cli(&[
        "--json",
        json_path.to_str().unwrap(),
        missing.to_str().unwrap(),
        text_file.to_str().unwrap(),
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let es = entries(&json);
    let by = |n: &str| {
        es.iter()
            .find(|e| e.path.ends_with(&format!("/{n}")))
            .unwrap_or_else(|| panic!("no entry for {n}: {es:#?}"))
    };
    let err = |n: &str| by(n).error.clone().unwrap_or_default();
    assert!(
        err("missing").contains("No such file"),
        "{}",
        err("missing")
    );
    assert!(
        err("plain.txt").contains("not an ELF"),
        "{}",
        err("plain.txt")
    );
    assert!(
        err("truncated").contains("truncated"),
        "{}",
        err("truncated")
    );
    assert!(
        err("header-only").contains("truncated"),
        "{}",
        err("header-only")
    );
    assert!(
        err("exec-data").contains("neither ELF"),
        "{}",
        err("exec-data")
    );
    assert!(
        err("broken-link").contains("broken symlink"),
        "{}",
        err("broken-link")
    );
    assert_eq!(by("good").language, Some(Language::Rust));
    // Walked data that is no program is counted, not listed.
    assert!(es.iter().all(|e| !e.path.ends_with("notes.txt")));
    assert_eq!(json["skipped_files"], 1);
    assert_eq!(json["errors"], 6);
    // The human summary names each bad input on a line.
    for n in ["missing", "plain.txt", "truncated", "broken-link"] {
        assert!(
            stdout.lines().any(|l| l.contains(n) && l.contains(": ")),
            "no line for {n} in:\n{stdout}"
        );
    }
}

#[test]
fn an_unreadable_file_or_directory_is_an_entry() {
    use std::os::unix::fs::PermissionsExt;
    let mode =
        |p: &Path, m: u32| std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
    let d = scratch();
    // Others may enter the directories; the file and `locked` are mode 000.
    mode(d.path(), 0o755);
    let tree = d.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    mode(&tree, 0o755);
    let secret = tree.join("secret");
    std::fs::copy("/bin/sh", &secret).unwrap();
    mode(&secret, 0o000);
    let locked = tree.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::copy("/bin/sh", locked.join("sh")).unwrap();
    mode(&locked, 0o000);
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let out = if root {
        // Root reads mode-000 files and directories anyway: run bootcheck
        // as nobody, for whom they are closed.
        if !have("setpriv") {
            println!("skipped: running as root and setpriv (util-linux) not found");
            mode(&locked, 0o755);
            return;
        }
        let exe = d.path().join("bootcheck");
        std::fs::copy(bootcheck(), &exe).unwrap();
        mode(&exe, 0o755);
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(&exe)
            .args(["oxidation", "--json", "-", "-q"])
            .arg(&tree)
            .current_dir("/")
            .output()
            .unwrap()
    } else {
        Command::new(bootcheck())
            .args(["oxidation", "--json", "-", "-q"])
            .arg(&tree)
            .output()
            .unwrap()
    };
    // Let the temporary directory be removed.
    mode(&locked, 0o755);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let es = entries(&json);
    assert_eq!(es.len(), 2, "{es:#?}");
    let err = |suffix: &str| {
        es.iter()
            .find(|e| e.path.ends_with(suffix))
            .and_then(|e| e.error.clone())
            .unwrap_or_default()
    };
    assert!(err("/secret").contains("Permission denied"), "{es:#?}");
    assert!(err("/locked").contains("cannot read directory"), "{es:#?}");
    assert!(err("/locked").contains("Permission denied"), "{es:#?}");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, err) = run_cli(&[]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run_cli(&["--no-such-flag", "/bin/sh"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run_cli(&["--closure", "x", "/bin/sh"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = run_cli(&["--help"]);
    assert_eq!(code, 0);
    let (code, _, err) = run_cli(&["compare", "/nonexistent/a.json", "/nonexistent/b.json"]);
    assert_eq!(code, 2, "{err}");
}

/// A fake store path `<dir>/<32 chars>-<name>`.
fn store_path(root: &Path, hash_char: char, name: &str) -> PathBuf {
    let p = root.join(format!("{}-{name}", hash_char.to_string().repeat(32)));
    std::fs::create_dir_all(p.join("bin")).unwrap();
    p
}

/// A system with `ls` from `ls_pkg` (a copy of `ls_bin`), a Rust `sudo`
/// behind a security wrapper, a C `hello`, a shell script; returns the
/// toplevel and the closure file.
fn fake_system(
    root: &Path,
    tag: &str,
    ls_pkg: &str,
    ls_bin: &Path,
    rust: &Path,
    c_prog: &Path,
) -> (PathBuf, PathBuf) {
    let ls = store_path(root, 'a', ls_pkg);
    std::fs::copy(ls_bin, ls.join("bin/ls")).unwrap();
    let sudo = store_path(root, 'b', "sudo-rs-0.2.15");
    std::fs::copy(rust, sudo.join("bin/sudo")).unwrap();
    let wrapper = store_path(root, 'c', "security-wrapper-sudo");
    gcc(
        "security-wrapper.c",
        &wrapper.join("bin/security-wrapper"),
        &[
            "-O2".into(),
            "-s".into(),
            format!("-DSOURCE_PROG=\"{}\"", sudo.join("bin/sudo").display()),
        ],
    );
    let hello = store_path(root, 'd', "hello-2.12");
    std::fs::copy(c_prog, hello.join("bin/hello")).unwrap();
    std::fs::write(hello.join("bin/greet"), "#!/usr/bin/env hello\n").unwrap();
    chmod_x(&hello.join("bin/greet"));
    let top = root.join(format!("{}-nixos-system-{tag}", "e".repeat(32)));
    let path = store_path(root, 'f', "system-path");
    for (name, to) in [
        ("ls", ls.join("bin/ls")),
        ("sudo", wrapper.join("bin/security-wrapper")),
        ("hello", hello.join("bin/hello")),
        ("greet", hello.join("bin/greet")),
    ] {
        std::os::unix::fs::symlink(&to, path.join("bin").join(name)).unwrap();
    }
    std::fs::create_dir_all(&top).unwrap();
    std::os::unix::fs::symlink(&path, top.join("sw")).unwrap();
    // A store path that is a single file and no program (a config file).
    let conf = root.join(format!("{}-hosts", "g".repeat(32)));
    std::fs::write(&conf, "127.0.0.1 localhost\n").unwrap();
    let closure = root.join("store-paths");
    let list: Vec<String> = [&ls, &sudo, &wrapper, &hello, &path, &top, &conf]
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    std::fs::write(&closure, list.join("\n") + "\n").unwrap();
    (top, closure)
}

#[test]
fn system_report_headline_and_compare() {
    let d = scratch();
    let rust = rust_program(d.path());
    let c_prog = d.path().join("hello-c");
    gcc("hello.c", &c_prog, &["-O2".into(), "-s".into()]);
    let a_root = d.path().join("a");
    let b_root = d.path().join("b");
    let (a_top, a_closure) = fake_system(&a_root, "nix", "coreutils-9.5", &c_prog, &rust, &c_prog);
    let (b_top, b_closure) = fake_system(
        &b_root,
        "rs",
        "uutils-coreutils-0.0.30",
        &rust,
        &rust,
        &c_prog,
    );

    let mut reports = Vec::new();
    for (top, closure, name) in [
        (&a_top, &a_closure, "nixos-nix"),
        (&b_top, &b_closure, "nixos-rs"),
    ] {
        let json = d.path().join(format!("{name}.json"));
        let md = d.path().join(format!("{name}.md"));
        let (code, stdout, stderr) = run_cli(&[
            "--system",
            top.to_str().unwrap(),
            "--closure",
            closure.to_str().unwrap(),
            "--name",
            name,
            "--json",
            json.to_str().unwrap(),
            "--markdown",
            md.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.starts_with(name), "{stdout}");
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
        let markdown = std::fs::read_to_string(&md).unwrap();
        assert!(
            markdown.starts_with(&format!("# {}", v["headline"].as_str().unwrap())),
            "{markdown}"
        );
        assert!(markdown.contains("| `sudo` | rust |"), "{markdown}");
        reports.push((json, v));
    }
    let (a, b) = (&reports[0].1, &reports[1].1);
    // nix: sudo is Rust (through its wrapper); ls, hello, greet are C.
    // Closure executables: ls, hello (C), sudo (Rust), the wrapper (C).
    assert_eq!(
        a["headline"],
        "nixos-nix: 1/4 commands on PATH are Rust (25%), 25% of closure executables"
    );
    assert_eq!(
        b["headline"],
        "nixos-rs: 2/4 commands on PATH are Rust (50%), 50% of closure executables"
    );
    let cmds: Vec<Entry> = serde_json::from_value(b["commands"]["entries"].clone()).unwrap();
    let sudo = cmds.iter().find(|e| e.path.ends_with("/sudo")).unwrap();
    assert_eq!(
        sudo.wrapper.as_ref().unwrap().kind,
        WrapperKind::NixosSecurityWrapper
    );
    let greet = cmds.iter().find(|e| e.path.ends_with("/greet")).unwrap();
    assert_eq!(greet.kind, Kind::Script);
    assert_eq!(greet.language, Some(Language::C), "{greet:#?}");
    let pkgs: Vec<&str> = b["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        pkgs,
        [
            "uutils-coreutils-0.0.30",
            "sudo-rs-0.2.15",
            "security-wrapper-sudo",
            "hello-2.12"
        ]
    );
    assert_eq!(b["packages"][0]["by_language"]["rust"]["executables"], 1);
    // The single-file store path that is no program: counted, not an error.
    assert_eq!(b["errors"], 0, "{b:#}");
    assert_eq!(b["skipped_files"], 1, "{b:#}");

    let (code, out, err) = run_cli(&[
        "compare",
        reports[0].0.to_str().unwrap(),
        reports[1].0.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("1 commands changed language\n  ls: c -> rust\n"),
        "{out}"
    );
    let rust_row = out.lines().find(|l| l.starts_with("| rust |")).unwrap();
    assert!(
        rust_row.starts_with("| rust | 1 -> 2 (+1) | 1 -> 2 (+1) |"),
        "{out}"
    );
    let c_row = out.lines().find(|l| l.starts_with("| c |")).unwrap();
    assert!(
        c_row.starts_with("| c | 3 -> 2 (-1) | 3 -> 2 (-1) |"),
        "{out}"
    );
    assert!(out.contains("  coreutils: c "), "{out}");
    assert!(out.contains("  uutils-coreutils: - -> rust "), "{out}");
}

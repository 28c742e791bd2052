//! `bootcheck oxidation` over a machine's programs and libraries, side by
//! side with the `file`-based classification a user would reach for.
//!
//! The tree is `/usr/lib/<triple>` and `/usr/bin`. The page cache is
//! warmed first (every file read once), then each tool runs; time and peak
//! RSS come from `wait4`. `file` tells ELF files apart and names Go
//! binaries (`Go BuildID=`), but not Rust, C or C++: the last column says
//! what each answer holds.

use super::{run, Setup};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Regular files and symlinks to files under `roots` (symlinked
/// directories not followed), and the bytes of the regular files.
fn tree(roots: &[PathBuf]) -> (Vec<PathBuf>, u64, u64) {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>, regular: &mut u64, bytes: &mut u64) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = rd.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let Ok(ft) = e.file_type() else { continue };
            let p = e.path();
            if ft.is_dir() {
                walk(&p, files, regular, bytes);
            } else if ft.is_file() {
                *regular += 1;
                *bytes += e.metadata().map(|m| m.len()).unwrap_or(0);
                files.push(p);
            } else if ft.is_symlink() && std::fs::metadata(&p).is_ok_and(|m| m.is_file()) {
                files.push(p);
            }
        }
    }
    let (mut files, mut regular, mut bytes) = (Vec::new(), 0, 0);
    for r in roots {
        walk(r, &mut files, &mut regular, &mut bytes);
    }
    (files, regular, bytes)
}

/// Reads every file once, so both tools meet a warm page cache.
fn warm(files: &[PathBuf]) {
    let mut buf = vec![0u8; 1 << 20];
    for f in files {
        if let Ok(mut h) = std::fs::File::open(f) {
            while matches!(h.read(&mut buf), Ok(n) if n > 0) {}
        }
    }
}

struct Row {
    secs: f64,
    rss_mib: f64,
    ok: bool,
    stdout: String,
}

/// Best time of `runs` runs (one when a run takes over 10 s), largest RSS.
fn measure(argv: &[String], runs: usize) -> Row {
    let mut row = Row {
        secs: f64::MAX,
        rss_mib: 0.0,
        ok: true,
        stdout: String::new(),
    };
    for _ in 0..runs {
        let start = Instant::now();
        let e = run(argv, true);
        let took = start.elapsed().as_secs_f64();
        row.secs = row.secs.min(took);
        row.rss_mib = row.rss_mib.max(e.max_rss_kib as f64 / 1024.0);
        row.ok &= e.code == Some(0);
        row.stdout = e.stdout;
        if took > 10.0 {
            break;
        }
    }
    row
}

fn count(json: &serde_json::Value, lang: &str, field: &str) -> u64 {
    json["by_language"][lang][field].as_u64().unwrap_or(0)
}

pub fn bench(s: &Setup) {
    let triple = format!("{}-linux-gnu", std::env::consts::ARCH);
    let roots = vec![
        PathBuf::from(format!("/usr/lib/{triple}")),
        PathBuf::from("/usr/bin"),
    ];
    let (files, regular, bytes) = tree(&roots);
    let mb = bytes as f64 / 1e6;
    let roots_s: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
    println!("## Classifying binaries by language\n");
    println!(
        "`{}`: {} files and links to files, {regular} regular files, {mb:.0} MB (a hard-linked file counted once per name; symlinked directories not followed). Page cache warm (every file read once first); best of 3 runs (1 when a run takes over 10 s); time and peak RSS from `wait4`. Goals for bootcheck: < 10 s on 2 cores and < 50 MiB peak RSS.\n",
        roots_s.join("` and `"),
        files.len(),
    );
    warm(&files);
    let list = s.dir.join("oxidation-files.txt");
    let text: String = files.iter().map(|f| format!("{}\n", f.display())).collect();
    std::fs::write(&list, text).expect("file list");

    println!("| tool | seconds | MB/s of the tree | peak RSS MB | what the answer holds |");
    println!("|---|---:|---:|---:|---|");
    let json_path = s.dir.join("oxidation.json");
    let mut argv = vec![
        s.bootcheck.display().to_string(),
        "oxidation".into(),
        "--quiet".into(),
        "--json".into(),
        json_path.display().to_string(),
    ];
    argv.extend(roots_s.iter().cloned());
    let bc = measure(&argv, 3);
    let json: serde_json::Value = std::fs::read_to_string(&json_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let entries = json["entries"].as_array().map_or(0, Vec::len);
    if !bc.ok || entries == 0 {
        println!("| `bootcheck oxidation` | failed | | | |");
    } else {
        let langs: Vec<String> = ["rust", "c", "c++", "go", "zig", "other"]
            .iter()
            .map(|l| {
                format!(
                    "{l} {}",
                    count(&json, l, "executables") + count(&json, l, "libraries")
                )
            })
            .collect();
        let searched = json["bytes_searched"].as_u64().unwrap_or(0) as f64 / 1e6;
        println!(
            "| `bootcheck oxidation` | {:.2} | {:.0} | {:.1} | {entries} entries, {} distinct ELF files by language: {}; {searched:.0} MB of sections searched |",
            bc.secs,
            mb / bc.secs,
            bc.rss_mib,
            json["total"]["executables"].as_u64().unwrap_or(0)
                + json["total"]["libraries"].as_u64().unwrap_or(0),
            langs.join(", ")
        );
    }

    let tell = |out: &str| {
        let elf = out.lines().filter(|l| l.starts_with("ELF")).count();
        let go = out.lines().filter(|l| l.contains("Go BuildID")).count();
        format!("{elf} ELF files; Go named in {go} (`Go BuildID`); Rust, C, C++: not told")
    };
    let file_list = measure(
        &[
            "file".into(),
            "-b".into(),
            "-L".into(),
            "-f".into(),
            list.display().to_string(),
        ],
        3,
    );
    println!(
        "| `file -b -L -f LIST` (one process) | {:.2} | {:.0} | {:.1} | {} |",
        file_list.secs,
        mb / file_list.secs,
        file_list.rss_mib,
        tell(&file_list.stdout)
    );
    let loop_sh = format!(
        "while IFS= read -r f; do file -b -L \"$f\"; done < '{}'",
        list.display()
    );
    let file_loop = measure(&["sh".into(), "-c".into(), loop_sh], 3);
    println!(
        "| `file -b` per file (shell loop) | {:.2} | {:.0} | {:.1} | {} |",
        file_loop.secs,
        mb / file_loop.secs,
        file_loop.rss_mib,
        tell(&file_loop.stdout)
    );
    if bc.ok && entries > 0 {
        println!(
            "\nGoals: time < 10 s: {}; peak RSS < 50 MiB: {}.",
            if bc.secs < 10.0 { "met" } else { "NOT met" },
            if bc.rss_mib < 50.0 { "met" } else { "NOT met" }
        );
    }
    println!();
}

//! bootcheck-bench: bootcheck side by side with what people use today to
//! watch a VM's console: a poll-and-grep loop, Tcl `expect`, Python
//! `pexpect`, and rexpect 0.7 (which bootcheck does not use on its judging
//! path).
//!
//!   bootcheck-bench [--quick] [--bootcheck PATH]
//!
//! Four tables, in Markdown: detection latency (prompt written -> watcher
//! exits), `scan` throughput and peak RSS on a big log, CPU time while
//! watching a long boot, and `bootcheck oxidation` against `file` on the
//! machine's programs and libraries. The goals are printed next to the numbers; nothing
//! is asserted. Every run's result is checked (exit status, the line found),
//! so a fast wrong answer is not counted as fast.

mod console;
mod corpus;
mod oxidation;
mod watchers;

use console::{now_ns, PROMPT};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};
use watchers::Watcher;

const USAGE: &str = "usage: bootcheck-bench [--quick] [--only SECTION] [--bootcheck PATH]

  --quick           10 latency runs, a 20 MB log, a 10 s boot (a smoke run)
  --only SECTION    run one section: corpus, latency, scan, cpu or oxidation
  --bootcheck PATH  the bootcheck binary to measure (default: the one next
                    to this program, e.g. target/release/bootcheck)";

/// How one child process ended.
struct Ended {
    /// CLOCK_MONOTONIC when `wait4` returned.
    at_ns: u64,
    code: Option<i32>,
    /// User + system CPU seconds of the child and what it reaped.
    cpu_s: f64,
    /// Peak resident set, KiB (the largest of the child and what it reaped).
    max_rss_kib: i64,
    stdout: String,
}

/// Consoles left behind by watchers that do not stop them (their writers
/// outlive them by design) are re-parented to this process, which reaps
/// them, so no zombies pile up where PID 1 does not reap.
fn become_subreaper() {
    // SAFETY: prctl with integer arguments only.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
}

/// Reap the orphans that have exited; called between runs, when no
/// measured child is alive.
fn reap_orphans() {
    let mut status = 0;
    // SAFETY: non-blocking wait for any child.
    while unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) } > 0 {}
}

/// Run `argv` to its end; its resource usage comes from `wait4`.
#[allow(clippy::zombie_processes)] // reaped below with wait4, for its rusage
fn run(argv: &[String], capture: bool) -> Ended {
    reap_orphans();
    let mut child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(if capture {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", argv[0]));
    let mut stdout = String::new();
    if let Some(mut o) = child.stdout.take() {
        let _ = o.read_to_string(&mut stdout);
    }
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be overwritten.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child and fills `status` and `ru`.
    let r = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut ru) };
    let at_ns = now_ns();
    assert!(r > 0, "wait4 failed for {}", argv[0]);
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ended {
        at_ns,
        code: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        cpu_s: tv(ru.ru_utime) + tv(ru.ru_stime),
        max_rss_kib: ru.ru_maxrss,
        stdout,
    }
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn shell(cmd: &str) -> String {
    Command::new("sh")
        .args(["-c", cmd])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

/// The built-in decisive patterns (failure and success) of this bootcheck,
/// from `bootcheck patterns`, so grep and pexpect look for the same things.
fn decisive_patterns(bootcheck: &Path) -> Vec<String> {
    let out = Command::new(bootcheck)
        .arg("patterns")
        .output()
        .expect("bootcheck patterns");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let (_kind, rest) = l.split_once(' ')?;
            let (class, regex) = rest.trim_start().split_once(' ')?;
            matches!(class, "failure" | "success").then(|| regex.trim_start().to_string())
        })
        .collect()
}

/// Fails loudly when the bootcheck binary is older than its sources
/// (`cargo run -p bootcheck-bench` does not rebuild it).
fn check_fresh(bootcheck: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../checkers/bootcheck/src");
    let newest_src = std::fs::read_dir(&src)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.metadata().ok()?.modified().ok())
        .max();
    let built = std::fs::metadata(bootcheck).and_then(|m| m.modified()).ok();
    match (built, newest_src) {
        (None, _) => {
            eprintln!(
                "bootcheck-bench: no bootcheck at {} (cargo build --release -p bootcheck, or pass --bootcheck)",
                bootcheck.display()
            );
            std::process::exit(2);
        }
        (Some(b), Some(s)) if b < s => {
            eprintln!(
                "bootcheck-bench: {} is older than bootcheck's sources; rebuild it (cargo build --release -p bootcheck)",
                bootcheck.display()
            );
            std::process::exit(2);
        }
        _ => {}
    }
}

struct Setup {
    me: PathBuf,
    bootcheck: PathBuf,
    dir: PathBuf,
    runs: usize,
    log_mb: usize,
    stream_secs: f64,
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let me = std::env::current_exe().expect("own path");
    match args.get(1).map(String::as_str) {
        Some("fake-console") => return console::fake_console(&me, &args[2..]),
        Some("fake-writer") => return console::fake_writer(&args[2..]),
        Some("rexpect-watch") => std::process::exit(watchers::rexpect_watch(&args[2..])),
        _ => {}
    }
    let mut quick = false;
    let mut only: Option<String> = None;
    let mut bootcheck = me.with_file_name("bootcheck");
    let mut it = args.iter().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--only" => match it.next().map(String::as_str) {
                Some(sec @ ("corpus" | "latency" | "scan" | "cpu" | "oxidation")) => {
                    only = Some(sec.to_string())
                }
                _ => usage_error("--only needs one of corpus, latency, scan, cpu, oxidation"),
            },
            "--bootcheck" => match it.next() {
                Some(p) => bootcheck = PathBuf::from(p),
                None => usage_error("--bootcheck needs a path"),
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return;
            }
            other => usage_error(&format!("unknown argument {other}")),
        }
    }
    check_fresh(&bootcheck);
    become_subreaper();
    let (runs, log_mb, stream_secs) = if quick {
        (10, 20, 10.0)
    } else {
        (50, 200, 60.0)
    };
    let dir = std::env::temp_dir().join(format!("bootcheck-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let s = Setup {
        me,
        bootcheck,
        dir,
        runs,
        log_mb,
        stream_secs,
    };

    let patterns = decisive_patterns(&s.bootcheck);
    assert!(!patterns.is_empty(), "bootcheck patterns printed nothing");
    let ere = s.dir.join("patterns.ere");
    // POSIX ERE has neither `\d` nor non-capturing groups.
    let ere_text = patterns
        .join("\n")
        .replace(r"\d", "[0-9]")
        .replace("(?:", "(");
    std::fs::write(&ere, ere_text + "\n").unwrap();
    let py = s.dir.join("patterns.py");
    std::fs::write(&py, patterns.join("\n") + "\n").unwrap();
    let watchers = watchers::all(&s.bootcheck, &s.me, &ere, &s.dir);

    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = shell("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2");
    println!(
        "# bootcheck-bench, {} UTC\n\n{cores} cores ({cpu}), Linux {}; {}; {}, {}, pexpect {}, {}.\n{} latency runs, a {} MB log, a {:.0} s boot{}.\n",
        shell("date -u '+%Y-%m-%d %H:%M'"),
        shell("uname -r"),
        shell(&format!("{} --version", s.bootcheck.display())),
        shell("expect -v"),
        shell("grep -V | head -1"),
        shell("python3 -c 'import pexpect; print(pexpect.__version__)' 2>/dev/null"),
        shell("python3 --version"),
        s.runs,
        s.log_mb,
        s.stream_secs,
        if quick { " (--quick)" } else { "" },
    );

    let want = |sec: &str| only.as_deref().is_none_or(|o| o == sec);
    if want("corpus") {
        corpus::score(&s.bootcheck, &s.dir);
    }
    if want("latency") {
        latency(&s, &watchers);
    }
    if want("scan") {
        scan(&s, &ere, &py);
    }
    if want("cpu") {
        cpu_time(&s, &watchers);
    }
    if want("oxidation") {
        oxidation::bench(&s);
    }
    let _ = std::fs::remove_dir_all(&s.dir);
}

fn usage_error(msg: &str) -> ! {
    eprintln!("bootcheck-bench: {msg}\n{USAGE}");
    std::process::exit(2);
}

fn console_argv(s: &Setup, lines: usize, secs: f64, ts: &Path) -> Vec<String> {
    vec![
        s.me.display().to_string(),
        "fake-console".into(),
        lines.to_string(),
        format!("{secs:.3}"),
        ts.display().to_string(),
    ]
}

/// Detection latency: from the moment the console writes the prompt to the
/// moment the watcher has exited.
fn latency(s: &Setup, watchers: &[Watcher]) {
    println!("## Prompt to process exit\n");
    println!(
        "The console prints 300 boot lines, then `{}`; the time is from the write of the prompt to the watcher's exit as its parent sees it (`wait4`), so it includes stopping the console. bootcheck also kills and reaps the console's whole process group and writes the raw log, the JSON report and JUnit XML before it exits. Goal for bootcheck: median < 5 ms, and no worse than Tcl expect at the median and at p99.\n",
        PROMPT.trim_end()
    );
    println!("| watcher | median ms | p90 ms | p99 ms | failed runs | after the match |");
    println!("|---|---:|---:|---:|---:|---|");
    let ts = s.dir.join("prompt-written");
    let mut stats = Vec::new();
    // Runs are interleaved (run i of every watcher, then run i + 1), so a
    // change in the machine's load hits all watchers alike.
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); watchers.len()];
    for i in 0..s.runs {
        // The noise lasts 0.3 s to 1.3 s (spread evenly over the runs), so
        // a polling watcher meets the prompt at every phase of its poll
        // interval, as it would with real boots.
        let secs = 0.3 + (i as f64 * 0.618_034).fract();
        for (w, ms) in watchers.iter().zip(samples.iter_mut()) {
            let _ = std::fs::remove_file(&ts);
            let e = run(&w.argv(&console_argv(s, 300, secs, &ts)), false);
            let written = std::fs::read_to_string(&ts)
                .ok()
                .and_then(|t| t.trim().parse::<u64>().ok());
            match (e.code, written) {
                (Some(0), Some(t)) => ms.push(e.at_ns.saturating_sub(t) as f64 / 1e6),
                _ => eprintln!("{}: run {i} failed (exit {:?})", w.name, e.code),
            }
        }
    }
    for (w, mut ms) in watchers.iter().zip(samples) {
        ms.sort_by(f64::total_cmp);
        let failed = s.runs - ms.len();
        if ms.is_empty() {
            println!("| {} | - | - | - | {failed} | {} |", w.name, w.after_match);
            continue;
        }
        let (median, p99) = (percentile(&ms, 0.5), percentile(&ms, 0.99));
        stats.push((w.name, median, p99));
        println!(
            "| {} | {:.2} | {:.2} | {:.2} | {failed} | {} |",
            w.name,
            median,
            percentile(&ms, 0.9),
            p99,
            w.after_match
        );
    }
    let get = |n: &str| {
        stats
            .iter()
            .find(|(m, _, _)| *m == n)
            .map(|&(_, a, b)| (a, b))
    };
    if let Some((bc, bc99)) = get("bootcheck") {
        let vs = |what: &str, b: f64, e: Option<f64>| match e {
            Some(e) if b <= e => format!("{what} met ({b:.2} <= {e:.2} ms)"),
            Some(e) => format!("{what} NOT met ({b:.2} > {e:.2} ms)"),
            None => format!("{what}: expect not measured"),
        };
        let ex = get("Tcl expect");
        println!(
            "\nGoal median < 5 ms: {}. Against Tcl expect: {}; {}.",
            if bc < 5.0 { "met" } else { "NOT met" },
            vs("median", bc, ex.map(|e| e.0)),
            vs("p99", bc99, ex.map(|e| e.1)),
        );
    }
    println!();
}

const PEXPECT_SCAN: &str = r#"
import re, sys, pexpect.fdpexpect
# python3 -c SCRIPT PATTERNS LOG: sys.argv[0] is "-c"
pats = [p for p in open(sys.argv[1]).read().split("\n") if p]
rx = re.compile("|".join("(?:%s)" % p for p in pats).encode(), re.M)
f = open(sys.argv[2], "rb")
# A search window at least as big as one read: a smaller one skips text.
c = pexpect.fdpexpect.fdspawn(f.fileno(), timeout=None, maxread=65536, searchwindowsize=131072)
c.expect([rx])
print(c.after.decode())
"#;

/// A scanner's command line for a log file.
type ScanArgv = Box<dyn Fn(&Path) -> Vec<String>>;
/// Did this run find the prompt on the log's last line (its line count)?
type ScanCheck = Box<dyn Fn(&Ended, u64) -> bool>;

/// The decisive line number of a pass by login prompt, from bootcheck's
/// pretty-printed JSON report (without a JSON parser: no extra dependency).
fn decisive_line(report: &str) -> Option<u64> {
    if !report.contains(r#""kind": "login-prompt""#) {
        return None;
    }
    let d = &report[report.find(r#""decisive": {"#)?..];
    let n = &d[d.find(r#""line_number": "#)? + r#""line_number": "#.len()..];
    n[..n.find(|c: char| !c.is_ascii_digit())?].parse().ok()
}

/// Throughput and memory of judging a saved log.
fn scan(s: &Setup, ere: &Path, py: &Path) {
    let big = s.dir.join("big.log");
    let small = s.dir.join("small.log");
    let big_lines = console::write_log(&big, s.log_mb * 1_000_000);
    let small_lines = console::write_log(&small, s.log_mb * 100_000);
    let mb = |p: &Path| std::fs::metadata(p).unwrap().len() as f64 / 1e6;
    let (big_mb, small_mb) = (mb(&big), mb(&small));
    println!("## Scan of a saved log\n");
    println!(
        "{big_mb:.0} MB of boot noise whose only decisive line is the prompt at the end; best of 3 runs (1 when a run takes over 10 s), page cache warm; every run's answer is checked. Peak RSS also on a {small_mb:.0} MB log. Goals for bootcheck: >= 500 MB/s, peak RSS < 30 MB whatever the log size.\n"
    );
    println!(
        "| tool | seconds | MB/s | peak RSS MB ({big_mb:.0} MB log) | peak RSS MB ({small_mb:.0} MB log) |"
    );
    println!("|---|---:|---:|---:|---:|");
    let report = s.dir.join("scan.json");
    let report_for_check = report.clone();
    let mut tools: Vec<(&str, ScanArgv, ScanCheck)> = vec![
        (
            "bootcheck scan",
            Box::new({
                let bc = s.bootcheck.display().to_string();
                let report = report.display().to_string();
                move |log: &Path| {
                    vec![
                        bc.clone(),
                        "scan".into(),
                        "--quiet".into(),
                        "--report".into(),
                        report.clone(),
                        log.display().to_string(),
                    ]
                }
            }),
            Box::new(move |e: &Ended, lines: u64| {
                let r = std::fs::read_to_string(&report_for_check).unwrap_or_default();
                e.code == Some(0) && decisive_line(&r) == Some(lines)
            }),
        ),
        (
            "grep -E (same patterns)",
            Box::new({
                let ere = ere.display().to_string();
                move |log: &Path| {
                    vec![
                        "grep".into(),
                        "-E".into(),
                        "-n".into(),
                        "-m1".into(),
                        "-f".into(),
                        ere.clone(),
                        log.display().to_string(),
                    ]
                }
            }),
            Box::new(|e: &Ended, lines: u64| {
                e.code == Some(0) && e.stdout.trim_end() == format!("{lines}:{PROMPT}").trim_end()
            }),
        ),
    ];
    if watchers::has_pexpect() {
        tools.push((
            "pexpect (fdspawn)",
            Box::new({
                let py = py.display().to_string();
                move |log: &Path| {
                    vec![
                        "python3".into(),
                        "-c".into(),
                        PEXPECT_SCAN.into(),
                        py.clone(),
                        log.display().to_string(),
                    ]
                }
            }),
            Box::new(|e: &Ended, _| e.code == Some(0) && e.stdout.trim_end() == PROMPT.trim_end()),
        ));
    } else {
        eprintln!("skipped: pexpect not found (pip install pexpect); no pexpect scan");
    }
    for (name, argv, ok) in &tools {
        let mut best = f64::MAX;
        let mut rss_big = 0;
        let mut wrong = false;
        for _ in 0..3 {
            let start = Instant::now();
            let e = run(&argv(&big), true);
            let took = start.elapsed().as_secs_f64();
            wrong |= !ok(&e, big_lines);
            best = best.min(took);
            rss_big = rss_big.max(e.max_rss_kib);
            if took > 10.0 {
                // Slow enough that a repeat would not change the picture.
                break;
            }
        }
        let e = run(&argv(&small), true);
        wrong |= !ok(&e, small_lines);
        if wrong {
            println!("| {name} | wrong result | | | |");
            continue;
        }
        println!(
            "| {name} | {best:.3} | {:.0} | {:.1} | {:.1} |",
            big_mb / best,
            rss_big as f64 / 1024.0,
            e.max_rss_kib as f64 / 1024.0
        );
    }
    println!();
}

/// CPU spent watching a boot of realistic length.
fn cpu_time(s: &Setup, watchers: &[Watcher]) {
    let rate = 40.0;
    let lines = (s.stream_secs * rate) as usize;
    println!("## CPU while watching a boot\n");
    println!(
        "The console prints {rate:.0} lines a second for {:.0} s, then the prompt. User + system CPU time of the watcher (and what it reaped; the console's writer is never reaped by it).\n",
        s.stream_secs
    );
    println!("| watcher | CPU ms | CPU % of the boot | peak RSS MB |");
    println!("|---|---:|---:|---:|");
    let ts = s.dir.join("prompt-written-cpu");
    for w in watchers {
        let start = SystemTime::now();
        let e = run(&w.argv(&console_argv(s, lines, s.stream_secs, &ts)), false);
        let wall = start.elapsed().unwrap_or(Duration::ZERO).as_secs_f64();
        if e.code != Some(0) {
            println!("| {} | failed (exit {:?}) | | |", w.name, e.code);
            continue;
        }
        println!(
            "| {} | {:.0} | {:.2} | {:.1} |",
            w.name,
            e.cpu_s * 1000.0,
            100.0 * e.cpu_s / wall,
            e.max_rss_kib as f64 / 1024.0
        );
    }
    println!();
}

//! bootcheck-bench: bootcheck side by side with what people use today to
//! watch a boot: a poll-and-grep loop, Tcl `expect`, Python `pexpect`, and
//! rexpect (which bootcheck does not use on its judging path).
//!
//!   bootcheck-bench [--quick] [--bootcheck PATH]
//!
//! Prints three tables: detection latency (success line written -> watcher
//! exits), scan throughput and peak RSS on a large log, CPU time while
//! watching a long boot. Goals are printed next to the numbers; nothing is
//! asserted.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: fills the struct.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

const NOISE: &[&str] = &[
    "[    2.104512] systemd[1]: Starting systemd-journald.service - Journal Service...",
    "[    2.231877] systemd[1]: Started systemd-udevd.service - Rule-based Manager for Device Events and Files.",
    "[    2.301555] virtio_net virtio1 enp0s3: renamed from eth0",
    "[    2.412033] EXT4-fs (vda): mounted filesystem with ordered data mode. Quota mode: none.",
    "[  OK  ] Finished systemd-tmpfiles-setup.service - Create Volatile Files and Directories.",
    "         Starting systemd-timesyncd.service - Network Time Synchronization...",
    "[    3.002177] systemd-journald[312]: Received client request to flush runtime journal.",
];

/// The fake console: `lines` noise lines spread over `secs` seconds, then
/// the timestamp goes to `ts_file` and the login prompt to stdout.
fn fake_console(lines: usize, secs: f64, ts_file: &Path) {
    let out = std::io::stdout();
    let mut out = out.lock();
    let start = Instant::now();
    for i in 0..lines {
        let due = Duration::from_secs_f64(secs * i as f64 / lines.max(1) as f64);
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
        let _ = writeln!(out, "{}", NOISE[i % NOISE.len()]);
        let _ = out.flush();
    }
    std::fs::write(ts_file, now_ns().to_string()).unwrap();
    let _ = write!(out, "\r\nnixos login: ");
    let _ = out.flush();
    std::thread::sleep(Duration::from_secs(5));
}

/// rexpect as a watcher: spawn, wait for the prompt, exit.
fn rexpect_watch(cmd: &[String]) {
    let mut c = Command::new(&cmd[0]);
    c.args(&cmd[1..]);
    let mut p = rexpect::session::spawn_command(c, Some(60_000)).expect("spawn");
    p.exp_regex(r"login: ").expect("prompt");
    // Dropping the session terminates the console (SIGTERM, then SIGKILL).
    p.process_mut().set_kill_timeout(Some(100));
}

/// Builds the watcher command for a console command.
type WatcherArgv = Box<dyn Fn(&[String]) -> Vec<String>>;

struct Peer {
    name: &'static str,
    argv: WatcherArgv,
}

fn shell_quote(args: &[String]) -> String {
    args.iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
        .unwrap_or(false)
}

fn peers(bootcheck: &Path, me: &Path) -> Vec<Peer> {
    let mut v: Vec<Peer> = Vec::new();
    let bc = bootcheck.display().to_string();
    v.push(Peer {
        name: "bootcheck",
        argv: Box::new(move |cmd| {
            let mut a = vec![
                bc.clone(),
                "run".into(),
                "--quiet".into(),
                "--timeout".into(),
                "120".into(),
                "--".into(),
            ];
            a.extend(cmd.iter().cloned());
            a
        }),
    });
    let me_s = me.display().to_string();
    v.push(Peer {
        name: "rexpect 0.7",
        argv: Box::new(move |cmd| {
            let mut a = vec![me_s.clone(), "rexpect-watch".into()];
            a.extend(cmd.iter().cloned());
            a
        }),
    });
    if on_path("expect") {
        v.push(Peer {
            name: "Tcl expect",
            argv: Box::new(|cmd| {
                vec![
                    "expect".into(),
                    "-c".into(),
                    format!(
                        "set timeout 120; spawn -noecho {}; expect -re {{login: }}; exit 0",
                        cmd.join(" ")
                    ),
                ]
            }),
        });
    } else {
        eprintln!("skipped: Tcl expect not found (apt-get install expect)");
    }
    let has_pexpect = Command::new("python3")
        .args(["-c", "import pexpect"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if has_pexpect {
        v.push(Peer {
            name: "pexpect",
            argv: Box::new(|cmd| {
                vec![
                    "python3".into(),
                    "-c".into(),
                    format!(
                        "import pexpect,sys\nc=pexpect.spawn({:?}, {:?}, timeout=120)\nc.expect('login: ')\nc.terminate(force=True)",
                        cmd[0],
                        cmd[1..].to_vec()
                    ),
                ]
            }),
        });
    } else {
        eprintln!("skipped: pexpect not found (pip install pexpect)");
    }
    v.push(Peer {
        name: "grep loop (1 s)",
        argv: Box::new(|cmd| {
            vec![
                "bash".into(),
                "-c".into(),
                format!(
                    "log=$(mktemp); {} > \"$log\" 2>&1 & pid=$!; \
                     while sleep 1; do grep -q 'login: ' \"$log\" && break; done; kill $pid; rm -f \"$log\"",
                    shell_quote(cmd)
                ),
            ]
        }),
    });
    v
}

/// Run a watcher; returns (exit monotonic ns, user+sys CPU seconds, max RSS KiB).
#[allow(clippy::zombie_processes)] // reaped with wait4 for its rusage
fn run_watcher(argv: &[String]) -> (u64, f64, i64) {
    let child = Command::new(&argv[0])
        .args(&argv[1..])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("watcher starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child and reads its resource usage.
    unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
    let t = now_ns();
    let cpu = ru.ru_utime.tv_sec as f64
        + ru.ru_utime.tv_usec as f64 / 1e6
        + ru.ru_stime.tv_sec as f64
        + ru.ru_stime.tv_usec as f64 / 1e6;
    (t, cpu, ru.ru_maxrss)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let me = std::env::current_exe().unwrap();
    match args.get(1).map(String::as_str) {
        Some("fake-console") => {
            // The writer runs as a child that this process never reaps, so
            // its CPU time is never added to the watcher's: the watcher's
            // CPU below is its own.
            let mut writer = Command::new(&me);
            writer.arg("fake-writer").args(&args[2..]);
            #[allow(clippy::zombie_processes)] // never reaped, on purpose
            let _child = writer.spawn().expect("writer starts");
            std::thread::sleep(Duration::from_secs(120));
            return;
        }
        Some("fake-writer") => {
            let lines: usize = args[2].parse().unwrap();
            let secs: f64 = args[3].parse().unwrap();
            fake_console(lines, secs, Path::new(&args[4]));
            return;
        }
        Some("rexpect-watch") => {
            rexpect_watch(&args[2..]);
            return;
        }
        _ => {}
    }
    let quick = args.iter().any(|a| a == "--quick");
    let bootcheck = args
        .iter()
        .position(|a| a == "--bootcheck")
        .map(|i| PathBuf::from(&args[i + 1]))
        .unwrap_or_else(|| me.with_file_name("bootcheck"));
    if !bootcheck.is_file() {
        eprintln!(
            "bootcheck-bench: no bootcheck at {} (build it, or pass --bootcheck)",
            bootcheck.display()
        );
        std::process::exit(2);
    }
    let (runs, log_mb, stream_secs) = if quick {
        (10, 20, 10.0)
    } else {
        (50, 200, 60.0)
    };
    let dir = std::env::temp_dir().join(format!("bootcheck-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ts = dir.join("ts");
    let peers = peers(&bootcheck, &me);
    let machine = format!(
        "{} cores",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!(
        "bootcheck-bench ({machine}; {runs} runs, {log_mb} MB log, {stream_secs:.0} s boot)\n"
    );

    // 1. Detection latency.
    println!("Detection latency: success line written -> watcher exits (goal: median < 5 ms, no worse than expect)");
    println!(
        "{:<18} {:>12} {:>12} {:>12}",
        "watcher", "median ms", "p99 ms", "max ms"
    );
    for p in &peers {
        let mut lat = Vec::new();
        for _ in 0..runs {
            let console = vec![
                me.display().to_string(),
                "fake-console".into(),
                "300".into(),
                "0.3".into(),
                ts.display().to_string(),
            ];
            let _ = std::fs::remove_file(&ts);
            let (t_exit, _, _) = run_watcher(&(p.argv)(&console));
            let Ok(t) = std::fs::read_to_string(&ts) else {
                continue;
            };
            let t_written: u64 = t.trim().parse().unwrap();
            lat.push((t_exit.saturating_sub(t_written)) as f64 / 1e6);
        }
        lat.sort_by(|a, b| a.partial_cmp(b).unwrap());
        if lat.is_empty() {
            println!("{:<18} {:>12}", p.name, "no result");
            continue;
        }
        println!(
            "{:<18} {:>12.2} {:>12.2} {:>12.2}",
            p.name,
            percentile(&lat, 0.5),
            percentile(&lat, 0.99),
            lat[lat.len() - 1]
        );
    }

    // 2. Scan throughput and memory.
    let log = dir.join("big.log");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
        let mut n = 0usize;
        let mut i = 0usize;
        while n < log_mb * 1_000_000 {
            let l = NOISE[i % NOISE.len()];
            writeln!(f, "{l}").unwrap();
            n += l.len() + 1;
            i += 1;
        }
        write!(f, "nixos login: ").unwrap();
    }
    let size = std::fs::metadata(&log).unwrap().len() as f64 / 1e6;
    println!("\nScan of a {size:.0} MB log, success on the last line (goal: >= 500 MB/s, peak RSS < 30 MB)");
    println!(
        "{:<18} {:>10} {:>10} {:>12}",
        "tool", "seconds", "MB/s", "peak RSS MB"
    );
    let scans: Vec<(&str, Vec<String>)> = vec![
        (
            "bootcheck scan",
            vec![
                bootcheck.display().to_string(),
                "scan".into(),
                "--quiet".into(),
                log.display().to_string(),
            ],
        ),
        (
            "grep -E (3 patterns)",
            vec![
                "grep".into(),
                "-E".into(),
                "-q".into(),
                "Kernel panic - not syncing|panicked at |^[A-Za-z0-9._-]+ login: ?$".into(),
                log.display().to_string(),
            ],
        ),
    ];
    for (name, argv) in scans {
        let mut best = f64::MAX;
        let mut rss = 0;
        for _ in 0..3 {
            let start = Instant::now();
            let (_, _, r) = run_watcher(&argv);
            best = best.min(start.elapsed().as_secs_f64());
            rss = rss.max(r);
        }
        println!(
            "{:<18} {:>10.3} {:>10.0} {:>12.1}",
            name,
            best,
            size / best,
            rss as f64 / 1024.0
        );
    }

    // 3. CPU while watching a long boot.
    println!("\nCPU time (user + sys) of the watcher while watching a {stream_secs:.0} s boot (40 lines/s, then the prompt)");
    println!("{:<18} {:>12}", "watcher", "CPU ms");
    let lines = (stream_secs * 40.0) as usize;
    let console = vec![
        me.display().to_string(),
        "fake-console".into(),
        lines.to_string(),
        stream_secs.to_string(),
        ts.display().to_string(),
    ];
    for p in &peers {
        let (_, cpu, _) = run_watcher(&(p.argv)(&console));
        println!("{:<18} {:>12.1}", p.name, cpu * 1000.0);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

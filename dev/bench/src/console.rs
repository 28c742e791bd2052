//! The fake console every watcher reads, and the big log `scan` reads.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// CLOCK_MONOTONIC in nanoseconds: comparable across processes.
pub fn now_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the struct it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
}

/// Boot chatter that matches none of bootcheck's patterns (no failure,
/// success, warning or milestone), so nothing is decided before the prompt.
const NOISE: &[&str] = &[
    "systemd[1]: Starting systemd-journald.service - Journal Service...",
    "systemd[1]: Started systemd-udevd.service - Rule-based Manager for Device Events and Files.",
    "virtio_net virtio1 enp0s3: renamed from eth0",
    "EXT4-fs (vda): mounted filesystem 5d0c1f3a-77c2-4b8e-9a51-0c4f2e8d1b6a with ordered data mode. Quota mode: none.",
    "[  OK  ] Finished systemd-tmpfiles-setup.service - Create Volatile Files and Directories.",
    "         Starting systemd-timesyncd.service - Network Time Synchronization...",
    "systemd-journald[312]: Received client request to flush runtime journal.",
    "audit: type=1130 audit(1732512345.123:42): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=nscd comm=\"systemd\" res=success'",
    "[  OK  ] Listening on systemd-udevd-kernel.socket - udev Kernel Socket.",
    "random: crng init done",
];

/// The `i`-th console line: a kernel-style timestamp and some noise.
pub fn noise_line(i: usize) -> String {
    let ms = i as u64 * 7;
    format!(
        "[{:5}.{:06}] {}",
        ms / 1000,
        (ms % 1000) * 1000 + (i as u64 % 997),
        NOISE[i % NOISE.len()]
    )
}

/// What the console prints when the boot is done.
pub const PROMPT: &str = "nixos login: ";

/// `fake-console LINES SECS TS_FILE`: the process a watcher starts. The
/// writing happens in a child this process never waits for, so when a
/// watcher reaps the console, the writer's CPU time is not added to the
/// watcher's own.
pub fn fake_console(me: &Path, args: &[String]) {
    let secs: f64 = args[1].parse().expect("SECS");
    #[allow(clippy::zombie_processes)] // never waited for, on purpose (see above)
    let _writer = Command::new(me)
        .arg("fake-writer")
        .args(args)
        .spawn()
        .expect("the writer starts");
    // Stay alive after the prompt, as a VM does, until the watcher stops us.
    std::thread::sleep(Duration::from_secs_f64(secs + 60.0));
}

/// `fake-writer LINES SECS TS_FILE`: LINES lines spread evenly over SECS
/// seconds, then the monotonic time goes to TS_FILE and, right after, the
/// login prompt to stdout (no newline after it, like getty).
pub fn fake_writer(args: &[String]) {
    let lines: usize = args[0].parse().expect("LINES");
    let secs: f64 = args[1].parse().expect("SECS");
    let ts_file = Path::new(&args[2]);
    let out = std::io::stdout();
    let mut out = out.lock();
    let start = Instant::now();
    for i in 0..lines {
        let due = Duration::from_secs_f64(secs * i as f64 / lines.max(1) as f64);
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
        let _ = writeln!(out, "{}", noise_line(i));
        let _ = out.flush();
    }
    if let Some(wait) = Duration::from_secs_f64(secs).checked_sub(start.elapsed()) {
        std::thread::sleep(wait);
    }
    std::fs::write(ts_file, now_ns().to_string()).expect("timestamp written");
    let _ = write!(out, "\r\n{PROMPT}");
    let _ = out.flush();
    // The watcher stops the console; a writer nobody stops goes by itself.
    std::thread::sleep(Duration::from_secs(5));
}

/// A log of at least `bytes` bytes of noise whose only decisive line is the
/// prompt at the very end. Returns the number of lines.
pub fn write_log(path: &Path, bytes: usize) -> u64 {
    let mut f = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).expect("log"));
    let mut written = 0;
    let mut i = 0;
    while written < bytes {
        let l = noise_line(i);
        writeln!(f, "{l}").expect("log written");
        written += l.len() + 1;
        i += 1;
    }
    write!(f, "{PROMPT}").expect("log written");
    f.flush().expect("log written");
    i as u64 + 1
}

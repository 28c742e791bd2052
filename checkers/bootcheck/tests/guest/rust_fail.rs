//! A small Rust program for the guests in the QEMU tests: it fails the way
//! real Rust programs fail, chosen by its first argument (for PID 1 the
//! kernel passes the words after `--` on its command line):
//!
//! `unwrap`, `expect`, `panic`, `index`, `thread` (a panic in a named
//! thread), `stack-overflow` (in the main thread), `thread-stack-overflow`,
//! `alloc`.
//!
//! The test suite builds it statically with the toolchain at hand, so it
//! prints exactly what that Rust version prints. It uses std only.

use std::hint::black_box;

fn read_units(dir: &str) -> std::io::Result<usize> {
    Ok(std::fs::read_dir(dir)?.count())
}

#[allow(unconditional_recursion)]
fn recurse(depth: u64) -> u64 {
    let frame = black_box([depth; 512]);
    recurse(depth + 1).wrapping_add(frame[7])
}

fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    match mode.as_str() {
        "unwrap" => {
            let n = read_units("/etc/units").unwrap();
            println!("{n} units");
        }
        "expect" => {
            let n = read_units("/etc/units").expect("failed to read unit directory /etc/units");
            println!("{n} units");
        }
        "panic" => panic!("no usable console found (tried {} devices)", 3),
        "index" => {
            let services: Vec<&str> = black_box(vec!["getty", "sshd"]);
            let pick = black_box(services.len() + 1);
            println!("{}", services[pick]);
        }
        "thread" => {
            let worker = std::thread::Builder::new()
                .name("journal-writer".into())
                .spawn(|| -> u32 { panic!("journal file is corrupt at offset {}", 4096) })
                .unwrap();
            let _ = worker.join();
            // The worker's panic is the failure; the program goes on.
            std::thread::sleep(std::time::Duration::from_secs(1000));
        }
        "stack-overflow" => println!("{}", recurse(black_box(0))),
        "thread-stack-overflow" => {
            let worker = std::thread::Builder::new()
                .name("unit-loader".into())
                .spawn(|| recurse(black_box(0)))
                .unwrap();
            println!("{:?}", worker.join());
        }
        "alloc" => {
            let table: Vec<u64> = Vec::with_capacity(black_box(1usize << 44));
            println!("{}", table.capacity());
        }
        other => {
            eprintln!("rust_fail: unknown mode {other:?}");
            std::process::exit(2);
        }
    }
}

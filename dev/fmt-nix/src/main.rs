//! `fmt-nix [--check] FILE...`: format Nix files with alejandra's formatter.
//!
//! crates.io publishes alejandra as a library only, so CI machines without
//! Nix get the same formatter through this small front end. With a Nix
//! devShell, `alejandra` itself does the same job.
//!
//! Exit codes: 0 formatted (or, with --check, already formatted);
//! 1 with --check when a file would change; 2 on a parse or I/O error.

use alejandra::format::{in_memory, Status};
use std::process::ExitCode;

/// A file as given, or every `*.nix` below a directory.
fn collect(path: &std::path::Path, files: &mut Vec<String>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if e.is_dir() && !name.starts_with('.') && name != "target" {
                collect(&e, files);
            } else if name.ends_with(".nix") {
                files.push(e.display().to_string());
            }
        }
    } else {
        files.push(path.display().to_string());
    }
}

fn main() -> ExitCode {
    let mut check = false;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" | "-c" => check = true,
            "--quiet" | "-q" => {}
            "-h" | "--help" => {
                println!("usage: fmt-nix [--check] FILE...");
                return ExitCode::SUCCESS;
            }
            a if a.starts_with('-') => {
                eprintln!("fmt-nix: unknown option {a}");
                return ExitCode::from(2);
            }
            _ => collect(std::path::Path::new(&arg), &mut files),
        }
    }
    if files.is_empty() {
        eprintln!("usage: fmt-nix [--check] FILE...");
        return ExitCode::from(2);
    }
    let (mut changed, mut errors) = (0, 0);
    for f in &files {
        let before = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("fmt-nix: cannot read {f}: {e}");
                errors += 1;
                continue;
            }
        };
        match in_memory(f.clone(), before) {
            (Status::Error(e), _) => {
                eprintln!("fmt-nix: {f}: {e}");
                errors += 1;
            }
            (Status::Changed(false), _) => {}
            (Status::Changed(true), after) => {
                changed += 1;
                if check {
                    eprintln!("fmt-nix: {f} is not formatted (run: fmt-nix {f})");
                } else if let Err(e) = std::fs::write(f, after) {
                    eprintln!("fmt-nix: cannot write {f}: {e}");
                    errors += 1;
                } else {
                    eprintln!("fmt-nix: formatted {f}");
                }
            }
        }
    }
    eprintln!(
        "fmt-nix: {} files, {changed} {}, {errors} errors",
        files.len(),
        if check {
            "need formatting"
        } else {
            "reformatted"
        }
    );
    if errors > 0 {
        ExitCode::from(2)
    } else if check && changed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

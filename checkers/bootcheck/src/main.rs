use bootcheck::error::Error;
use bootcheck::report::Report;
use bootcheck::run::{self, Outputs, RunOptions};
use bootcheck::spec::Spec;
use clap::{Args, Parser, Subcommand};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXIT_CODES: &str = "\
Exit codes:
  0    pass: success pattern seen with no failure before it, and every probe passed
  1    fail: a failure pattern, the VM exited before success, a login or probe failed
  2    usage or infrastructure error (command not found, bad regex, invalid spec,
       a log or report that cannot be read)
  3    timeout: the overall deadline or the idle deadline was reached
  4    incomplete: `scan` reached the end of the log undecided
  130  interrupted by SIGINT, SIGTERM or SIGHUP (log and report are still written)";

/// Boot a VM, watch its serial console, judge the boot, run probes.
#[derive(Parser, Debug)]
#[command(name = "bootcheck", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Start the VM command with its console on a pty (or a unix socket) and judge it.
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Judge a saved serial log with the same rules (FILE or - for stdin).
    #[command(after_help = EXIT_CODES)]
    Scan(ScanArgs),
    /// Print two JSON reports side by side (e.g. nixos-nix and nixos-rs).
    Compare {
        /// The baseline's report, shown in the left column (e.g. nixos-nix's report.json).
        #[arg(value_name = "A.json")]
        a: PathBuf,
        /// The report set against it, shown in the right column (e.g. nixos-rs's report.json).
        #[arg(value_name = "B.json")]
        b: PathBuf,
    },
    /// Print the built-in patterns (kind, class, regex).
    Patterns,
    /// Classify programs and libraries by source language (Rust, C, C++, Go, Zig).
    Oxidation(bootcheck::oxidation::cli::OxidationArgs),
    /// Check a spec exactly as `run` would and print it as JSON with every
    /// default filled in; exit 2 with the reason if it is invalid.
    Spec {
        /// The spec, or - for stdin.
        #[arg(value_name = "FILE")]
        file: String,
    },
    /// Print a report's verdict in one line (for the tail of a build log);
    /// exit as the run did: 0 pass, 1 fail, 3 timeout, 2 unreadable report.
    Verdict {
        /// A JSON report written by `run` or `scan`.
        #[arg(value_name = "REPORT.json")]
        report: PathBuf,
    },
}

#[derive(Args, Debug)]
struct Common {
    /// JSON spec: patterns, timeouts, login, probes (schema in checkers/README.md).
    #[arg(long, value_name = "FILE")]
    spec: Option<PathBuf>,
    /// Extra success regex (repeatable).
    #[arg(long, value_name = "REGEX")]
    success: Vec<String>,
    /// Extra failure regex (repeatable).
    #[arg(long, value_name = "REGEX")]
    failure: Vec<String>,
    /// Write the JSON report here (- for stdout).
    #[arg(long, value_name = "FILE")]
    report: Option<String>,
    /// Write a JUnit XML report here.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// No progress or summary on stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Args, Debug)]
struct RunArgs {
    #[command(flatten)]
    common: Common,
    /// Overall deadline in seconds (default 300, or the spec's).
    #[arg(long, value_name = "SECS")]
    timeout: Option<f64>,
    /// Fail with timeout when the console is silent this long.
    #[arg(long, value_name = "SECS")]
    idle_timeout: Option<f64>,
    /// Write the raw serial bytes here (always written, also on failure).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// Read the console from this unix socket, which the VM creates.
    #[arg(long, value_name = "PATH")]
    serial_socket: Option<PathBuf>,
    /// After pass, keep the VM running with its console on this terminal.
    #[arg(long)]
    keep: bool,
    /// Connect the VM's stdin/stdout with pipes instead of a pty (used
    /// automatically where no pty can be opened).
    #[arg(long, conflicts_with = "serial_socket")]
    pipes: bool,
    /// The VM command and its arguments.
    #[arg(last = true, required = true, value_name = "CMD")]
    command: Vec<String>,
}

#[derive(Args, Debug)]
struct ScanArgs {
    #[command(flatten)]
    common: Common,
    /// The saved log, or - for stdin.
    input: String,
}

fn load_spec(path: &Option<PathBuf>) -> Result<Spec, Error> {
    match path {
        None => Ok(Spec::default()),
        Some(p) => Spec::load(p),
    }
}

fn outputs(c: &Common, log: Option<PathBuf>) -> Outputs {
    Outputs {
        log,
        report: c.report.clone(),
        junit: c.junit.clone(),
        quiet: c.quiet,
    }
}

fn run_cmd(a: RunArgs) -> Result<i32, Error> {
    let spec = load_spec(&a.common.spec)?;
    Ok(run::run(RunOptions {
        command: a.command,
        serial_socket: a.serial_socket,
        timeout: a.timeout,
        idle_timeout: a.idle_timeout,
        spec,
        success: a.common.success.clone(),
        failure: a.common.failure.clone(),
        keep: a.keep,
        pipes: a.pipes,
        outputs: outputs(&a.common, a.log),
    }))
}

fn scan_cmd(a: ScanArgs) -> Result<i32, Error> {
    let spec = load_spec(&a.common.spec)?;
    run::scan(
        &a.input,
        &spec,
        &a.common.success,
        &a.common.failure,
        &outputs(&a.common, None),
    )
}

/// `bootcheck patterns`: kind, class and regex in aligned columns.
fn patterns_cmd() -> Result<i32, Error> {
    let all = bootcheck::patterns::builtin();
    let rows: Vec<(String, String, &str)> = all
        .iter()
        .map(|p| (p.kind.to_string(), p.class.to_string(), p.regex.as_str()))
        .collect();
    let wk = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    let wc = rows.iter().map(|r| r.1.len()).max().unwrap_or(0);
    for (kind, class, regex) in rows {
        println!("{kind:wk$}  {class:wc$}  {regex}");
    }
    Ok(0)
}

/// `bootcheck spec FILE|-`.
fn spec_cmd(file: &str) -> Result<i32, Error> {
    let spec = if file == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|source| Error::SpecUnreadable {
                path: PathBuf::from(file),
                source,
            })?;
        Spec::from_json(&text, "stdin")?
    } else {
        Spec::load(Path::new(file))?
    };
    // The spec's patterns with the built-ins, compiled as `run` does.
    run::patterns(&spec, &[], &[]).map_err(|e| Error::SpecInvalid {
        origin: file.to_string(),
        reason: e.to_string(),
    })?;
    let json = serde_json::to_string_pretty(&spec.normalised()).expect("a spec serializes");
    println!("{json}");
    Ok(0)
}

/// `bootcheck verdict REPORT.json`.
fn verdict_cmd(path: &Path) -> Result<i32, Error> {
    let r = Report::load(path)?;
    println!("{}", bootcheck::verdict_line::render(&r));
    Ok(r.verdict.exit_code())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            // clap: 0 for --help/--version, else our usage error code.
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let result = match cli.command {
        Cmd::Run(a) => run_cmd(a),
        Cmd::Scan(a) => scan_cmd(a),
        Cmd::Compare { a, b } => run::compare(&a, &b),
        Cmd::Patterns => patterns_cmd(),
        Cmd::Spec { file } => spec_cmd(&file),
        Cmd::Verdict { report } => verdict_cmd(&report),
        Cmd::Oxidation(a) => Ok(bootcheck::oxidation::cli::run(a)),
    };
    let code = result.unwrap_or_else(|e| {
        eprintln!("bootcheck: {e}");
        e.exit_code()
    });
    ExitCode::from(code.clamp(0, 255) as u8)
}

//! `run`, `scan` and `compare`: wiring of console, judge, phases and writers.

use crate::console::{connect_socket, Console, ConsoleError, Vm, VmExit};
use crate::engine::{self, Engine, EngineConfig, Stop, Timing};
use crate::error::Error;
use crate::judge::{Decision, Judge, LineRef};
use crate::oxidation::boot::{self as meter, BootOxidation};
use crate::patterns::PatternSet;
use crate::report::{self, Kind, LoginResult, ProbeResult, Report, Verdict};
use crate::session;
use crate::spec::Spec;
use crate::text;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Exit code for a run stopped by SIGINT/SIGTERM/SIGHUP.
pub const EXIT_INTERRUPTED: i32 = 130;

#[derive(Debug, Clone, Default)]
pub struct Outputs {
    pub log: Option<PathBuf>,
    /// A path, or `-` for stdout.
    pub report: Option<String>,
    pub junit: Option<PathBuf>,
    pub quiet: bool,
}

#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub command: Vec<String>,
    pub serial_socket: Option<PathBuf>,
    pub timeout: Option<f64>,
    pub idle_timeout: Option<f64>,
    pub spec: Spec,
    pub success: Vec<String>,
    pub failure: Vec<String>,
    pub keep: bool,
    /// Use pipes instead of a pty for the VM's stdio console.
    pub pipes: bool,
    pub outputs: Outputs,
}

/// The pattern set a spec and the command line's additions make.
pub fn patterns(spec: &Spec, success: &[String], failure: &[String]) -> Result<PatternSet, Error> {
    Ok(PatternSet::new(&spec.overrides(success, failure))?)
}

fn open_log(path: &Option<PathBuf>) -> Result<Option<File>, Error> {
    match path {
        None => Ok(None),
        Some(p) => File::create(p).map(Some).map_err(|source| Error::Write {
            what: "create log",
            path: Some(p.clone()),
            source,
        }),
    }
}

/// Write `data` to `path`. An existing regular file is overwritten in
/// place and then cut to length, not truncated first (`std::fs::write`):
/// truncating frees all its blocks at once, which on ext4 costs from 0.1
/// to 2.6 ms per file when the same report path is rewritten run after
/// run, at the moment CI waits for bootcheck to exit. Measured with the
/// bench: with `std::fs::write` the median from the prompt to the exit
/// was 3.6 ms against 2.5 ms (dev/bench/README.md). Readers look
/// after exit, when the file is complete.
fn write_file(path: &Path, data: &[u8]) -> io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)?;
    f.write_all(data)?;
    if f.metadata()?.is_file() {
        f.set_len(data.len() as u64)?;
    }
    Ok(())
}

fn write_outputs(r: &Report, out: &Outputs) -> Result<(), Error> {
    write_junit(r, out)?;
    write_report(r, out)
}

/// JUnit does not show the VM's exit, so `run` writes it while the VM is
/// still shutting down.
fn write_junit(r: &Report, out: &Outputs) -> Result<(), Error> {
    if let Some(p) = &out.junit {
        write_file(p, report::junit(r).as_bytes()).map_err(|source| Error::Write {
            what: "write JUnit",
            path: Some(p.clone()),
            source,
        })?;
    }
    Ok(())
}

fn write_report(r: &Report, out: &Outputs) -> Result<(), Error> {
    if let Some(dest) = &out.report {
        let json = r.to_json();
        let (path, written) = if dest == "-" {
            (None, io::stdout().write_all(json.as_bytes()))
        } else {
            let path = PathBuf::from(dest);
            let written = write_file(&path, json.as_bytes());
            (Some(path), written)
        };
        written.map_err(|source| Error::Write {
            what: "write report",
            path,
            source,
        })?;
    }
    Ok(())
}

/// Finish: write every output, print the summary, return the exit code.
fn conclude(r: &Report, out: &Outputs, interrupted: bool) -> i32 {
    conclude_with(r, out, interrupted, write_outputs(r, out))
}

/// [`conclude`] once the outputs are written (`written` says how that went).
fn conclude_with(r: &Report, out: &Outputs, interrupted: bool, written: Result<(), Error>) -> i32 {
    let mut code = r.verdict.exit_code();
    if let Err(e) = written {
        eprintln!("bootcheck: {e}");
        code = e.exit_code();
    }
    if !out.quiet {
        eprint!("{}", report::human(r, text::colour_on_stderr()));
    }
    if interrupted {
        EXIT_INTERRUPTED
    } else {
        code
    }
}

fn context_before(judge: &Judge, decisive: &Option<LineRef>) -> Vec<String> {
    let Some(d) = decisive else { return Vec::new() };
    if let Some(a) = judge.around().filter(|a| a.line_number == d.line_number) {
        return a.before.clone();
    }
    let last = judge.last_lines();
    let seen = judge.lines_seen();
    let first = seen + 1 - last.len() as u64;
    last.into_iter()
        .enumerate()
        .map(|(i, l)| (first + i as u64, l))
        .filter(|(n, _)| *n < d.line_number && *n + 5 >= d.line_number)
        .map(|(_, l)| l)
        .collect()
}

/// The first failure line of a run, if it is a Rust failure: its line number.
fn rust_failure_line(stops: &[&Stop]) -> Option<u64> {
    stops.iter().find_map(|s| match s {
        Stop::Decided(d) if !d.success && d.at.kind.is_rust() => Some(d.at.line_number),
        _ => None,
    })
}

/// For a Rust failure line: the lines after it, the failure that followed
/// (the kernel panic when PID 1 dies), what the line says, and a summary
/// that carries the message.
fn describe_rust(r: &mut Report, judge: &Judge, settled: Option<LineRef>) {
    let Some(d) = r.decisive.clone() else { return };
    if !d.kind.is_rust() {
        return;
    }
    let Some(a) = judge.around().filter(|a| a.line_number == d.line_number) else {
        return;
    };
    r.context_after = a.after.clone();
    r.followed_by = a.after.iter().enumerate().find_map(|(i, l)| {
        // Further Rust lines (the abort after a stack overflow, the main
        // thread's panic after a worker's) belong to the same failure.
        let kind = judge.failure_kind(l).filter(|k| !k.is_rust())?;
        let line_number = d.line_number + 1 + i as u64;
        Some(LineRef {
            kind,
            line: l.clone(),
            line_number,
            offset_ms: settled
                .as_ref()
                .filter(|s| s.line_number == line_number)
                .and_then(|s| s.offset_ms),
        })
    });
    let f = crate::rust::describe(&d.line, &a.before, &a.after);
    if let Some(m) = f.message.as_deref().and_then(|m| m.lines().next()) {
        r.summary = format!("{}: {}", r.summary, m);
    }
    r.rust = Some(f);
}

/// A report with what the judge saw: milestones, warnings, the console's
/// size and last lines.
fn base_report(name: &str, judge: &Judge, log: &Option<PathBuf>) -> Report {
    Report {
        milestones: judge.milestones.clone(),
        warnings: judge.warnings.clone(),
        warnings_dropped: judge.warnings_dropped,
        lines: judge.lines_seen(),
        bytes: judge.bytes_seen(),
        last_lines: judge.last_lines(),
        log: log.as_ref().map(|p| p.display().to_string()),
        ..Report::new(name)
    }
}

/// Fill verdict fields from a stop that ended the boot or a later phase.
fn apply_stop(r: &mut Report, stop: &Stop, what: &str, vm_exit: &Option<VmExit>) {
    match stop {
        Stop::Decided(Decision { success: true, at }) => {
            r.verdict = Verdict::Pass;
            r.kind = Kind::Pattern(at.kind.clone());
            r.summary = format!("{what} reached {} at line {}", at.kind, at.line_number);
            r.decisive = Some(at.clone());
        }
        Stop::Decided(Decision { success: false, at }) => {
            r.verdict = Verdict::Fail;
            r.kind = Kind::Pattern(at.kind.clone());
            r.summary = format!("{what}: {} at line {}", at.kind, at.line_number);
            r.decisive = Some(at.clone());
        }
        Stop::Deadline => {
            r.verdict = Verdict::Timeout;
            r.kind = Kind::Timeout;
            r.summary = format!("{what}: overall deadline reached");
        }
        Stop::Idle => {
            r.verdict = Verdict::Timeout;
            r.kind = Kind::IdleTimeout;
            r.summary = format!("{what}: the console was silent past the idle timeout");
        }
        Stop::StepTimeout => {
            r.verdict = Verdict::Fail;
            r.kind = Kind::LoginFailed;
            r.summary = format!("{what}: no answer in time");
        }
        Stop::Closed => {
            r.verdict = Verdict::Fail;
            r.kind = Kind::VmExited;
            let how = match vm_exit {
                Some(VmExit { code: Some(c), .. }) => format!(" with exit code {c}"),
                Some(VmExit {
                    signal: Some(s), ..
                }) => format!(" killed by signal {s}"),
                _ => String::new(),
            };
            r.summary = format!("{what}: the VM exited{how} before success");
        }
        Stop::Interrupted(sig) => {
            r.verdict = Verdict::Error;
            r.kind = Kind::Interrupted;
            r.summary = format!("{what}: interrupted by signal {sig}");
        }
        Stop::Progressed => unreachable!("pump never returns Progressed"),
    }
}

pub fn report_name(spec: &Spec, command: &[String]) -> String {
    spec.name.clone().unwrap_or_else(|| {
        command
            .first()
            .map(|c| {
                Path::new(c)
                    .file_name()
                    .map(|f| f.to_string_lossy().into_owned())
                    .unwrap_or_else(|| c.clone())
            })
            .unwrap_or_else(|| "boot".into())
    })
}

/// `bootcheck run`.
pub fn run(opts: RunOptions) -> i32 {
    match run_inner(&opts) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bootcheck: {e}");
            // Still leave a report behind for CI to read.
            let r = Report {
                verdict: Verdict::Error,
                kind: Kind::Infrastructure,
                summary: e.to_string(),
                ..Report::new(&report_name(&opts.spec, &opts.command))
            };
            let _ = write_outputs(&r, &opts.outputs);
            e.exit_code()
        }
    }
}

fn secs(v: Option<f64>) -> Option<Duration> {
    v.map(Duration::from_secs_f64)
}

/// What the boot phase ended with.
struct Boot {
    stop: Stop,
    booted: bool,
}

/// What the login-and-probes phase ended with.
struct Session {
    login: Option<LoginResult>,
    probes: Vec<ProbeResult>,
    /// How many of the spec's probes ran, in order.
    ran: usize,
    /// The oxidation meter's listing: its output, or why there is none.
    listing: Option<Result<String, String>>,
    /// How the last phase ended: the boot's stop, or the session's.
    stop: Stop,
}

/// The run, phase by phase: check the options, start the VM, judge the
/// boot, log in and run the probes, conclude the verdict, write the report.
fn run_inner(opts: &RunOptions) -> Result<i32, Error> {
    let spec = &opts.spec;
    let set = patterns(spec, &opts.success, &opts.failure)?;
    check_options(opts)?;
    let name = report_name(spec, &opts.command);
    let timeout = opts.timeout.unwrap_or(spec.timeout());
    let idle = secs(opts.idle_timeout.or(spec.idle_timeout));
    let log = open_log(&opts.outputs.log)?;
    engine::install_signal_handlers();

    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(timeout);
    let (vm, console) = spawn(opts, deadline)?;
    let pid = vm.pid();
    let mut eng = Engine::new(EngineConfig {
        console,
        vm: Some(vm),
        judge: Judge::new(set),
        log,
        timing: Timing::Live {
            start,
            deadline,
            idle,
        },
        quiet: opts.outputs.quiet,
    });
    eng.note(&format!("started `{}` (pid {pid})", opts.command.join(" ")));

    let boot = judge_boot(&mut eng, spec, opts.keep);
    let session = login_and_probes(&mut eng, spec, &boot);
    eng.set_phase("done");
    eng.clear_status();
    let oxidation = spec.oxidation().map(|o| {
        if !opts.keep && session.listing.is_some() {
            // The console is not needed any more: the VM shuts down while
            // the processes are classified here.
            eng.terminate_vm();
        }
        oxidation_section(o, spec, &boot, &session, &eng.judge().notes)
    });
    // A Rust failure line: read on briefly for its message and what follows.
    let settled = rust_failure_line(&[&session.stop, &boot.stop]).and_then(|n| eng.settle(n));

    // The report is complete before --keep hands the console over.
    let interrupted = matches!(session.stop, Stop::Interrupted(_));
    let mut r = base_report(&name, eng.judge(), &opts.outputs.log);
    r.duration_ms = Some(eng.elapsed().as_millis() as u64);
    r.idle_timeout_s = idle.map(|d| d.as_secs_f64());
    let vm_exit_now = eng.vm_exit_so_far(matches!(session.stop, Stop::Closed));
    r.oxidation = oxidation;
    conclude_verdict(&mut r, spec, &boot, &session, &vm_exit_now);
    r.login = session.login;
    r.probes = session.probes;
    r.context = context_before(eng.judge(), &r.decisive);
    describe_rust(&mut r, eng.judge(), settled);

    finish(opts, eng, r, interrupted)
}

/// The oxidation section: the listing measured, or why there is none.
fn oxidation_section(
    o: &crate::spec::Oxidation,
    spec: &Spec,
    boot: &Boot,
    session: &Session,
    notes: &[LineRef],
) -> BootOxidation {
    match &session.listing {
        Some(Ok(out)) => meter::measure(o, &meter::parse(out), notes),
        Some(Err(why)) => BootOxidation::not_measured(o, why, notes),
        None if !boot.booted => {
            BootOxidation::not_measured(o, "the boot did not reach its goal", notes)
        }
        None if spec.login.is_none() => BootOxidation::not_measured(
            o,
            "the spec has no login: the processes are listed in a shell",
            notes,
        ),
        None => BootOxidation::not_measured(o, "the run ended before the listing", notes),
    }
}

/// Options that would make the run meaningless fail before the VM starts.
fn check_options(opts: &RunOptions) -> Result<(), Error> {
    if opts.command.is_empty() {
        return Err(Error::Usage(
            "no VM command given (bootcheck run -- CMD ARGS...)".into(),
        ));
    }
    for (what, v) in [
        ("--timeout", opts.timeout),
        ("--idle-timeout", opts.idle_timeout),
    ] {
        if let Some(v) = v {
            if !(v.is_finite() && v > 0.0) {
                return Err(Error::Usage(format!(
                    "{what} must be a positive number of seconds"
                )));
            }
        }
    }
    Ok(())
}

/// Start the VM command with its console: a pty (pipes where there is
/// none, or with --pipes), or the unix socket QEMU serves.
fn spawn(opts: &RunOptions, deadline: Instant) -> Result<(Vm, Console), Error> {
    match &opts.serial_socket {
        None if opts.pipes => Ok(Vm::spawn_pipes(&opts.command)?),
        None => match Vm::spawn_pty(&opts.command) {
            Ok(v) => Ok(v),
            // Some build sandboxes have no /dev/ptmx: QEMU's -serial stdio
            // works on pipes too, only without a terminal.
            Err(e @ ConsoleError::NoPty(_)) => {
                eprintln!("bootcheck: {e}; using pipes for the console");
                Ok(Vm::spawn_pipes(&opts.command)?)
            }
            Err(e) => Err(e.into()),
        },
        Some(path) => {
            let mut vm = Vm::spawn_detached(&opts.command)?;
            match connect_socket(path, &mut vm, deadline) {
                Ok(console) => Ok((vm, console)),
                Err(error) => {
                    let exit = vm.stop(Duration::from_secs(2));
                    let mut out = Vec::new();
                    if let Some(f) = &mut vm.output {
                        crate::console::drain_nonblocking(f, &mut out, 8192);
                    }
                    Err(Error::Socket {
                        error,
                        exit,
                        output: String::from_utf8_lossy(&out).into_owned(),
                    })
                }
            }
        }
    }
}

/// Judge the console until the boot is decided (success or failure), the
/// deadline or idle timeout passes, the VM exits or a signal arrives.
fn judge_boot(eng: &mut Engine, spec: &Spec, keep: bool) -> Boot {
    let ends_run = !spec.wants_session() && !keep;
    let stop = eng.judge_boot(ends_run);
    let booted = matches!(&stop, Stop::Decided(d) if d.success);
    if matches!(stop, Stop::Decided(_))
        && rust_failure_line(&[&stop]).is_none()
        && (!booted || ends_run)
    {
        // The verdict is in and the console is not needed any more: the VM
        // shuts down while the report is put together. (After a Rust
        // failure line run() reads on first.)
        eng.terminate_vm();
    }
    Boot { stop, booted }
}

/// Log in and run the probes and the oxidation meter's listing, when the
/// boot reached its goal and the spec has either.
fn login_and_probes(eng: &mut Engine, spec: &Spec, boot: &Boot) -> Session {
    let mut s = Session {
        login: None,
        probes: Vec::new(),
        ran: 0,
        listing: None,
        stop: boot.stop.clone(),
    };
    if !boot.booted {
        return s;
    }
    eng.note("boot reached its goal");
    if spec.wants_session() {
        let login_spec = spec.login.clone().unwrap_or_default();
        let res = session::interactive(eng, &login_spec, &spec.probes, spec.oxidation());
        s.login = Some(res.login);
        s.probes = res.probes;
        s.ran = res.ran;
        s.listing = res.listing;
        if let Some(stop) = res.stop {
            s.stop = stop;
        }
    }
    s
}

/// The verdict, kind and summary from how each phase ended: the boot's
/// stop first, then a failed login or the probes. Pure: the tests below
/// go through the cases as a table.
fn conclude_verdict(
    r: &mut Report,
    spec: &Spec,
    boot: &Boot,
    session: &Session,
    vm_exit_now: &Option<VmExit>,
) {
    apply_stop(r, &boot.stop, "boot", vm_exit_now);
    if boot.booted {
        let login = &session.login;
        let phase_stop = &session.stop;
        let probes = &session.probes;
        if login.as_ref().is_some_and(|l| !l.ok) {
            apply_stop(r, phase_stop, "login", vm_exit_now);
            if r.verdict == Verdict::Pass {
                r.verdict = Verdict::Fail;
            }
            if matches!(r.kind, Kind::LoginFailed | Kind::VmExited) {
                r.summary = login
                    .as_ref()
                    .and_then(|l| l.error.clone())
                    .unwrap_or(r.summary.clone());
            }
            r.kind = match phase_stop {
                Stop::Decided(d) => Kind::Pattern(d.at.kind.clone()),
                Stop::Deadline => Kind::Timeout,
                Stop::Interrupted(_) => Kind::Interrupted,
                _ => Kind::LoginFailed,
            };
        } else {
            let failed: Vec<String> = probes
                .iter()
                .filter(|p| !p.passed)
                .map(|p| {
                    format!(
                        "{}/{}: {}",
                        p.component.as_deref().unwrap_or("-"),
                        p.name,
                        p.error.as_deref().unwrap_or("failed")
                    )
                })
                .collect();
            match phase_stop {
                Stop::Decided(d) if !d.success => apply_stop(r, phase_stop, "probes", vm_exit_now),
                Stop::Deadline | Stop::Interrupted(_) | Stop::Closed | Stop::Idle => {
                    apply_stop(r, phase_stop, "probes", vm_exit_now)
                }
                _ if !failed.is_empty() => {
                    r.verdict = Verdict::Fail;
                    r.kind = Kind::ProbeFailed;
                    r.summary = format!(
                        "{} of {} probes failed: {}",
                        failed.len(),
                        probes.len(),
                        failed.join("; ")
                    );
                }
                _ => {
                    if !probes.is_empty() {
                        r.summary = format!("{}; {} probes passed", r.summary, probes.len());
                    }
                }
            }
        }
    }
    not_run_fails(r, spec, boot, session);
    rust_missing_fails(r);
    if session.login.is_none() && spec.login.is_some() {
        r.login_skipped = Some(
            if !boot.booted {
                "the boot did not reach its goal"
            } else if spec.probes.is_empty() {
                "the spec has no probes: a login is made only to run them"
            } else {
                "the run ended before the login"
            }
            .to_string(),
        );
    }
}

/// Every probe of the spec must have run: the ones that did not are
/// named (`probes_not_run`), and a run that would pass without them fails
/// with `probes-not-run`. Whatever ended the run early (a boot that never
/// reached its goal, a failed login, a session cut short) keeps its own
/// verdict and kind; the probes it left out are named all the same.
fn not_run_fails(r: &mut Report, spec: &Spec, boot: &Boot, session: &Session) {
    let ran = if boot.booted { session.ran } else { 0 };
    r.probes_not_run = spec
        .probes
        .iter()
        .skip(ran)
        .map(|p| format!("{}/{}", p.component.as_deref().unwrap_or("-"), p.name))
        .collect();
    if r.verdict == Verdict::Pass && !r.probes_not_run.is_empty() {
        r.verdict = Verdict::Fail;
        r.kind = Kind::ProbesNotRun;
        r.summary = format!(
            "{} of {} probes not run: {}",
            r.probes_not_run.len(),
            spec.probes.len(),
            report::not_run_list(&r.probes_not_run, 400)
        );
    }
}

/// A run that would pass while a requirement of the spec's `oxidation`
/// does not hold fails with `rust-missing`.
fn rust_missing_fails(r: &mut Report) {
    let Some(o) = &r.oxidation else { return };
    let unmet: Vec<String> = o
        .unmet()
        .map(|u| format!("{} {}: {}", u.component, u.what, u.why))
        .collect();
    if r.verdict == Verdict::Pass && !unmet.is_empty() {
        r.verdict = Verdict::Fail;
        r.kind = Kind::RustMissing;
        r.summary = format!(
            "{} of {} Rust requirements not met: {}",
            unmet.len(),
            o.requirements.len(),
            unmet.join("; ")
        );
    }
}

/// Hand the console over with --keep, stop the VM, write the outputs and
/// give the exit code.
fn finish(
    opts: &RunOptions,
    mut eng: Engine,
    mut r: Report,
    interrupted: bool,
) -> Result<i32, Error> {
    let keep = opts.keep && r.verdict == Verdict::Pass;
    if keep {
        // Write what we know now; the final VM exit is added afterwards.
        let _ = write_outputs(&r, &opts.outputs);
        if !opts.outputs.quiet {
            eprint!("{}", report::human(&r, text::colour_on_stderr()));
        }
        eng.attach_terminal();
    }
    // JUnit is final already: write it while the VM shuts down.
    let junit = if keep {
        Ok(())
    } else {
        eng.terminate_vm();
        write_junit(&r, &opts.outputs)
    };
    let (exit, out) = eng.stop_vm(Duration::from_secs(3));
    if let Some(path) = &opts.serial_socket {
        let _ = std::fs::remove_file(path);
    }
    r.vm_exit = exit;
    r.vm_output = String::from_utf8_lossy(&out)
        .lines()
        .rev()
        .take(40)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(str::to_string)
        .collect();
    if keep {
        let _ = write_outputs(&r, &opts.outputs);
        return Ok(r.verdict.exit_code());
    }
    let written = junit.and_then(|()| write_report(&r, &opts.outputs));
    let code = conclude_with(&r, &opts.outputs, interrupted, written);
    // Everything is written and the process ends now. Freeing the engine
    // (the compiled pattern set's caches, buffers) costs 0.1 to 0.35 ms of
    // the 2.5 ms CI waits from the prompt to bootcheck's exit (measured
    // with the bench, dev/bench/README.md); the kernel releases it
    // all, and closes the console and the log, at exit anyway.
    std::mem::forget(eng);
    Ok(code)
}

/// `bootcheck scan FILE|-`: the same rules over a saved log.
pub fn scan(
    input: &str,
    spec: &Spec,
    success: &[String],
    failure: &[String],
    out: &Outputs,
) -> Result<i32, Error> {
    let set = patterns(spec, success, failure)?;
    let reader: Box<dyn Read + Send> = if input == "-" {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(input).map_err(|source| Error::Read {
            what: "log",
            path: input.to_string(),
            source,
        })?)
    };
    let name = spec.name.clone().unwrap_or_else(|| {
        if input == "-" {
            "stdin".into()
        } else {
            Path::new(input)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| input.to_string())
        }
    });
    let mut eng = Engine::new(EngineConfig {
        console: Console::Reader(reader),
        vm: None,
        judge: Judge::new(set),
        log: None,
        timing: Timing::Replay,
        quiet: true,
    });
    let stop = eng.pump(None);
    if let Some(source) = eng.take_read_error() {
        // A directory, a file the system cannot read: not a log.
        return Err(Error::Read {
            what: "log",
            path: input.to_string(),
            source,
        });
    }
    let settled = rust_failure_line(&[&stop]).and_then(|n| eng.settle(n));
    let mut r = base_report(&name, eng.judge(), &None);
    r.log = (input != "-").then(|| input.to_string());
    // What the spec asks that a saved log cannot give.
    if spec.login.is_some() {
        r.login_skipped = Some("scan judges a saved log: no login is made".into());
    }
    r.oxidation = spec.oxidation().map(|o| {
        BootOxidation::not_measured(
            o,
            "scan judges a saved log: no processes are listed",
            &eng.judge().notes,
        )
    });
    if !spec.probes.is_empty() {
        r.probes_skipped = Some(format!(
            "scan judges a saved log: no probes are run (the spec has {})",
            spec.probes.len()
        ));
    }
    match &stop {
        Stop::Closed => {
            r.verdict = Verdict::Incomplete;
            r.kind = Kind::Incomplete;
            r.summary = format!(
                "the log ends after {} lines without a success or failure line",
                eng.judge().lines_seen()
            );
        }
        s => apply_stop(&mut r, s, "log", &None),
    }
    r.context = context_before(eng.judge(), &r.decisive);
    describe_rust(&mut r, eng.judge(), settled);
    Ok(conclude(&r, out, matches!(stop, Stop::Interrupted(_))))
}

/// `bootcheck compare A B`.
pub fn compare(a: &Path, b: &Path) -> Result<i32, Error> {
    let (x, y) = (Report::load(a)?, Report::load(b)?);
    print!("{}", report::compare(&x, &y));
    Ok(0)
}

#[cfg(test)]
mod verdict_tests {
    use super::*;
    use crate::judge::Decision;
    use crate::kind::PatternKind;

    fn line(kind: &str) -> LineRef {
        LineRef {
            kind: PatternKind::parse(kind),
            line: format!("a {kind} line"),
            line_number: 7,
            offset_ms: Some(100),
        }
    }
    fn decided(success: bool, kind: &str) -> Stop {
        Stop::Decided(Decision {
            success,
            at: line(kind),
        })
    }
    fn login(ok: bool) -> Option<LoginResult> {
        Some(LoginResult {
            user: None,
            autologin: true,
            ok,
            duration_ms: 10,
            error: (!ok).then(|| "no shell answered".to_string()),
        })
    }
    fn probe(passed: bool) -> ProbeResult {
        ProbeResult {
            name: "p".into(),
            component: Some("sudo".into()),
            command: "true".into(),
            expect: "^x$".into(),
            passed,
            exit_status: Some(0),
            output: String::new(),
            duration_ms: 1,
            error: (!passed).then(|| "output does not match".to_string()),
        }
    }

    /// (case, spec, boot stop, login, probes, session stop, verdict, kind,
    /// login_skipped)
    type Case<'a> = (
        &'a str,
        &'a Spec,
        Stop,
        Option<LoginResult>,
        Vec<ProbeResult>,
        Stop,
        Verdict,
        &'a str,
        Option<&'a str>,
    );

    #[test]
    fn each_way_a_run_ends_gives_its_verdict_and_kind() {
        let with_login: Spec = serde_json::from_str(r#"{"login": {"autologin": true}, "probes": [{"name": "p", "command": "true", "expect": "x"}]}"#).unwrap();
        let no_probes: Spec = serde_json::from_str(r#"{"login": {"autologin": true}}"#).unwrap();
        let ok = decided(true, "autologin");
        // (case, spec, boot stop, login, probes, session stop) -> (verdict, kind, login_skipped)
        let cases: Vec<Case> = vec![
            (
                "boot passes, probes pass",
                &with_login,
                ok.clone(),
                login(true),
                vec![probe(true)],
                ok.clone(),
                Verdict::Pass,
                "autologin",
                None,
            ),
            (
                "a probe fails",
                &with_login,
                ok.clone(),
                login(true),
                vec![probe(true), probe(false)],
                ok.clone(),
                Verdict::Fail,
                "probe-failed",
                None,
            ),
            (
                "login fails",
                &with_login,
                ok.clone(),
                login(false),
                vec![],
                Stop::StepTimeout,
                Verdict::Fail,
                "login-failed",
                None,
            ),
            (
                "kernel panic in a probe",
                &with_login,
                ok.clone(),
                login(true),
                vec![probe(true)],
                decided(false, "kernel-panic"),
                Verdict::Fail,
                "kernel-panic",
                None,
            ),
            (
                "deadline during probes",
                &with_login,
                ok.clone(),
                login(true),
                vec![],
                Stop::Deadline,
                Verdict::Timeout,
                "timeout",
                None,
            ),
            (
                "boot fails",
                &with_login,
                decided(false, "emergency-mode"),
                None,
                vec![],
                decided(false, "emergency-mode"),
                Verdict::Fail,
                "emergency-mode",
                Some("the boot did not reach its goal"),
            ),
            (
                "silent boot",
                &with_login,
                Stop::Idle,
                None,
                vec![],
                Stop::Idle,
                Verdict::Timeout,
                "idle-timeout",
                Some("the boot did not reach its goal"),
            ),
            (
                "VM exits",
                &with_login,
                Stop::Closed,
                None,
                vec![],
                Stop::Closed,
                Verdict::Fail,
                "vm-exited",
                Some("the boot did not reach its goal"),
            ),
            (
                "interrupted",
                &with_login,
                Stop::Interrupted(2),
                None,
                vec![],
                Stop::Interrupted(2),
                Verdict::Error,
                "interrupted",
                Some("the boot did not reach its goal"),
            ),
            (
                "the login works, the session ends, no probe ran",
                &with_login,
                ok.clone(),
                login(true),
                vec![],
                ok.clone(),
                Verdict::Fail,
                "probes-not-run",
                None,
            ),
            (
                "no probes, no login",
                &no_probes,
                ok.clone(),
                None,
                vec![],
                ok.clone(),
                Verdict::Pass,
                "autologin",
                Some("the spec has no probes: a login is made only to run them"),
            ),
        ];
        for (case, spec, boot_stop, login, probes, session_stop, verdict, kind, skipped) in cases {
            let boot = Boot {
                booted: matches!(&boot_stop, Stop::Decided(d) if d.success),
                stop: boot_stop,
            };
            let session = Session {
                login,
                ran: probes.len(),
                probes,
                listing: None,
                stop: session_stop,
            };
            let mut r = Report::new("t");
            conclude_verdict(&mut r, spec, &boot, &session, &None);
            assert_eq!(
                (r.verdict, r.kind.as_str(), r.login_skipped.as_deref()),
                (verdict, kind, skipped),
                "{case}: {}",
                r.summary
            );
        }
    }

    #[test]
    fn a_failed_probe_is_named_with_its_component_in_the_summary() {
        let spec: Spec = serde_json::from_str(
            r#"{"probes": [{"name": "p", "command": "true", "expect": "x"}]}"#,
        )
        .unwrap();
        let ok = decided(true, "login-prompt");
        let boot = Boot {
            stop: ok.clone(),
            booted: true,
        };
        let session = Session {
            login: login(true),
            probes: vec![probe(false)],
            ran: 1,
            listing: None,
            stop: ok,
        };
        let mut r = Report::new("t");
        conclude_verdict(&mut r, &spec, &boot, &session, &None);
        assert_eq!(
            r.summary,
            "1 of 1 probes failed: sudo/p: output does not match"
        );
    }

    #[test]
    fn probes_that_did_not_run_are_named_and_never_pass() {
        let spec: Spec = serde_json::from_str(
            r#"{"login": {"autologin": true}, "probes": [
                {"name": "a", "component": "sudo", "command": "true", "expect": ""},
                {"name": "b", "component": "ntp", "command": "true", "expect": ""},
                {"name": "c", "command": "true", "expect": ""}]}"#,
        )
        .unwrap();
        let ok = decided(true, "autologin");
        let booted = Boot {
            stop: ok.clone(),
            booted: true,
        };
        // Only the first probe ran, and the session ended as if all was
        // well: the run fails, naming the two others.
        let cut_short = Session {
            login: login(true),
            probes: vec![probe(true)],
            ran: 1,
            listing: None,
            stop: ok.clone(),
        };
        let mut r = Report::new("t");
        conclude_verdict(&mut r, &spec, &booted, &cut_short, &None);
        assert_eq!(
            (r.verdict, r.kind.as_str()),
            (Verdict::Fail, "probes-not-run")
        );
        assert_eq!(r.probes_not_run, ["ntp/b", "-/c"]);
        assert_eq!(r.summary, "2 of 3 probes not run: ntp/b, -/c");
        // A failed login keeps its kind and names every probe.
        let no_login = Session {
            login: login(false),
            probes: vec![],
            ran: 0,
            listing: None,
            stop: Stop::StepTimeout,
        };
        let mut r = Report::new("t");
        conclude_verdict(&mut r, &spec, &booted, &no_login, &None);
        assert_eq!(r.kind.as_str(), "login-failed");
        assert_eq!(r.probes_not_run, ["sudo/a", "ntp/b", "-/c"]);
        // All ran: nothing named.
        let all = Session {
            login: login(true),
            probes: vec![probe(true), probe(true), probe(true)],
            ran: 3,
            listing: None,
            stop: ok,
        };
        let mut r = Report::new("t");
        conclude_verdict(&mut r, &spec, &booted, &all, &None);
        assert_eq!(r.verdict, Verdict::Pass);
        assert!(r.probes_not_run.is_empty());
    }
}

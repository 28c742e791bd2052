//! The phase machine's engine: reads the console as it arrives, logs every
//! raw byte, feeds the judge, and offers `expect`-style waits for the login
//! and probe phases on top of the same stream.
//!
//! The judging path is streaming: each read is matched as soon as it
//! arrives (no fixed polling interval, no rescanning of old output).

use crate::console::{Console, Read1, Vm};
use crate::judge::{Decision, Event, Judge, LineRef};
use crate::report::{LoginResult, ProbeResult};
use crate::spec::{Login, Probe};
use regex::Regex;
use std::fs::File;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

/// The last termination signal received (0 = none).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    SIGNAL.store(sig, Ordering::SeqCst);
}

/// Route SIGINT, SIGTERM and SIGHUP to a flag; blocking reads return EINTR
/// so the main loop notices at once and cleans up.
pub fn install_signal_handlers() {
    use nix::sys::signal::{sigaction, SaFlags, SigAction, SigHandler, SigSet, Signal};
    let act = SigAction::new(
        SigHandler::Handler(on_signal),
        SaFlags::empty(),
        SigSet::empty(),
    );
    for s in [Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP] {
        // SAFETY: the handler only stores to an atomic.
        unsafe {
            let _ = sigaction(s, &act);
        }
    }
}

pub fn pending_signal() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Why a wait ended without what it waited for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// A decisive pattern (a failure, or during boot a success).
    Decided(Decision),
    /// The overall deadline passed.
    Deadline,
    /// No console output for the idle timeout.
    Idle,
    /// The wait's own time limit passed (login step, probe).
    StepTimeout,
    /// The console closed or the VM exited.
    Closed,
    /// SIGINT/SIGTERM/SIGHUP.
    Interrupted(i32),
    /// New console text arrived (only with `Engine::pump_once`).
    Progressed,
}

/// Progress output on stderr: a live status line on a terminal, plain
/// lines otherwise.
pub struct Progress {
    tty: bool,
    quiet: bool,
    last_draw: Option<Instant>,
    pub phase: &'static str,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        Self {
            tty: io::stderr().is_terminal(),
            quiet,
            last_draw: None,
            phase: "boot",
        }
    }

    /// Whether a live status line is drawn (stderr is a terminal).
    pub fn live(&self) -> bool {
        self.tty && !self.quiet
    }

    pub fn line(&mut self, elapsed: Duration, msg: &str) {
        if self.quiet {
            return;
        }
        let mut e = io::stderr().lock();
        if self.tty {
            let _ = write!(e, "\r\x1b[2K");
        }
        let _ = writeln!(e, "bootcheck: [{:7.1}s] {msg}", elapsed.as_secs_f64());
        self.last_draw = None;
    }

    fn status(&mut self, elapsed: Duration, current: &str) {
        if self.quiet || !self.tty {
            return;
        }
        if self
            .last_draw
            .is_some_and(|t| t.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.last_draw = Some(Instant::now());
        let width = terminal_width().saturating_sub(30).max(20);
        let text: String = current.chars().take(width).collect();
        let _ = write!(
            io::stderr().lock(),
            "\r\x1b[2K[{:7.1}s] {:7} | {}",
            elapsed.as_secs_f64(),
            self.phase,
            text
        );
    }

    pub fn clear(&mut self) {
        if self.tty && !self.quiet {
            let _ = write!(io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

fn terminal_width() -> usize {
    let mut ws: libc::winsize = unsafe { std::mem::zeroed() };
    // SAFETY: TIOCGWINSZ fills a winsize struct.
    let ok = unsafe { libc::ioctl(2, libc::TIOCGWINSZ, &mut ws) } == 0;
    if ok && ws.ws_col > 0 {
        ws.ws_col as usize
    } else {
        100
    }
}

pub struct Engine {
    pub console: Console,
    pub judge: Judge,
    log: Option<File>,
    pub start: Instant,
    pub deadline: Option<Instant>,
    idle: Option<Duration>,
    last_data: Instant,
    pub progress: Progress,
    buf: Vec<u8>,
    /// Offsets are only meaningful on a live console.
    live: bool,
    pub vm_output: Vec<u8>,
    /// A success ends the run (no probes, no `--keep`): on any decision the
    /// VM gets SIGTERM at once, before the chunk is logged, so it shuts
    /// down while bootcheck finishes. A failure always ends the run.
    pub end_on_success: bool,
}

impl Engine {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        console: Console,
        judge: Judge,
        log: Option<File>,
        start: Instant,
        deadline: Option<Instant>,
        idle: Option<Duration>,
        progress: Progress,
        live: bool,
    ) -> Self {
        Self {
            console,
            judge,
            log,
            start,
            deadline,
            idle,
            last_data: Instant::now(),
            progress,
            buf: vec![0; 64 * 1024],
            live,
            vm_output: Vec::new(),
            end_on_success: false,
        }
    }

    fn offset(&self) -> Option<u64> {
        self.live.then(|| self.start.elapsed().as_millis() as u64)
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    pub fn log_bytes(&mut self, data: &[u8]) {
        if let Some(log) = &mut self.log {
            if let Err(e) = log.write_all(data) {
                eprintln!("bootcheck: writing the log failed: {e}; logging stops");
                self.log = None;
            }
        }
    }

    fn handle_events(&mut self, events: Vec<Event>) -> Option<Decision> {
        let mut decision = None;
        for ev in events {
            match ev {
                Event::Milestone(name, _) if self.live => {
                    let el = self.elapsed();
                    self.progress.line(el, &format!("milestone {name}"));
                }
                Event::Warning(w) if self.live => {
                    let el = self.elapsed();
                    self.progress
                        .line(el, &format!("warning {}: {}", w.kind, w.line.trim_end()));
                }
                Event::Decision(d) if decision.is_none() => decision = Some(d),
                _ => {}
            }
        }
        decision
    }

    /// Read and judge until something decisive happens or `until` passes.
    pub fn pump(&mut self, until: Option<Instant>, mut vm: Option<&mut Vm>) -> Stop {
        loop {
            match self.pump_once(until, vm.as_deref_mut()) {
                Stop::Progressed => continue,
                stop => return stop,
            }
        }
    }

    /// Like [`Engine::pump`], but also returns [`Stop::Progressed`] after
    /// each chunk of console data.
    pub fn pump_once(&mut self, until: Option<Instant>, mut vm: Option<&mut Vm>) -> Stop {
        loop {
            if let Some(sig) = pending_signal() {
                return Stop::Interrupted(sig);
            }
            let now = Instant::now();
            if self.deadline.is_some_and(|d| now >= d) {
                return Stop::Deadline;
            }
            if let Some(idle) = self.idle {
                if now.duration_since(self.last_data) >= idle {
                    return Stop::Idle;
                }
            }
            if until.is_some_and(|u| now >= u) {
                return Stop::StepTimeout;
            }
            // Wake at the earliest of: step end, deadline, idle end; at
            // least every 250 ms on a terminal (status line), every second
            // otherwise (a VM whose console stays open after it exits).
            // Data, a closed console and signals wake the wait at once.
            let mut wait = if self.progress.live() {
                Duration::from_millis(250)
            } else {
                Duration::from_secs(1)
            };
            for t in [until, self.deadline, self.idle.map(|i| self.last_data + i)]
                .into_iter()
                .flatten()
            {
                wait = wait.min(t.saturating_duration_since(now));
            }
            if let Some(vm) = vm.as_deref_mut() {
                if let Some(out) = &mut vm.output {
                    crate::console::drain_nonblocking(out, &mut self.vm_output, 64 * 1024);
                }
            }
            let mut buf = std::mem::take(&mut self.buf);
            let r = self.console.read_some(&mut buf, wait);
            let result = match r {
                Ok(Read1::Data(n)) => {
                    self.last_data = Instant::now();
                    let off = self.offset();
                    let events = self.judge.feed(&buf[..n], off);
                    let d = self.handle_events(events);
                    if let (Some(d), Some(vm)) = (&d, vm.as_deref_mut()) {
                        // A Rust failure line is followed by its message
                        // (and often the kernel panic it causes): the VM
                        // keeps running while run() reads them (settle).
                        let reads_on = !d.success && d.at.kind.is_rust();
                        if (!d.success && !reads_on) || (d.success && self.end_on_success) {
                            vm.terminate();
                        }
                    }
                    self.log_bytes(&buf[..n]);
                    self.draw_status();
                    Some(d.map_or(Stop::Progressed, Stop::Decided))
                }
                Ok(Read1::Idle) => {
                    self.draw_status();
                    let exited = vm.as_deref_mut().is_some_and(|vm| vm.poll_exit().is_some());
                    exited.then(|| self.close(true))
                }
                Ok(Read1::Interrupted) => None,
                Ok(Read1::Closed) => Some(self.close(false)),
                Err(e) => {
                    let el = self.elapsed();
                    self.progress
                        .line(el, &format!("reading the console failed: {e}"));
                    Some(self.close(false))
                }
            };
            self.buf = buf;
            if let Some(stop) = result {
                return stop;
            }
        }
    }

    /// After a Rust failure on line `line`: keep reading a little, so the
    /// lines after it (its message, the kernel panic that follows) reach
    /// the log and the report. Stops after [`crate::rust::AFTER_LINES`]
    /// lines, when the console is quiet for a second and a half or closes,
    /// or after five seconds. Returns the first failure seen meanwhile.
    pub fn settle(&mut self, line: u64, mut vm: Option<&mut Vm>) -> Option<LineRef> {
        let started = Instant::now();
        let want = line + crate::rust::AFTER_LINES as u64;
        let mut followed = None;
        while self.judge.lines_seen() < want {
            let quiet = Instant::now() + Duration::from_millis(1500);
            let until = quiet.min(started + Duration::from_secs(5));
            match self.pump_once(Some(until), vm.as_deref_mut()) {
                Stop::Progressed => {}
                Stop::Decided(d) if !d.success => {
                    followed.get_or_insert(d.at);
                }
                Stop::Decided(_) => {}
                _ => break,
            }
        }
        followed
    }

    /// Redraw the live status line (terminals only; nothing to build otherwise).
    fn draw_status(&mut self) {
        if self.live && self.progress.live() {
            let el = self.elapsed();
            let cur = self.judge.current_line();
            self.progress.status(el, &cur);
        }
    }

    /// The console closed: judge the unfinished line, then report.
    fn close(&mut self, drain: bool) -> Stop {
        if drain {
            // The VM exited; take what is still buffered in the pty/socket.
            let mut buf = std::mem::take(&mut self.buf);
            while let Ok(Read1::Data(n)) =
                self.console.read_some(&mut buf, Duration::from_millis(50))
            {
                self.log_bytes(&buf[..n]);
                let off = self.offset();
                let events = self.judge.feed(&buf[..n], off);
                if let Some(d) = self.handle_events(events) {
                    self.buf = buf;
                    return Stop::Decided(d);
                }
            }
            self.buf = buf;
        }
        let off = self.offset();
        let events = self.judge.finish(off);
        match self.handle_events(events) {
            Some(d) => Stop::Decided(d),
            None => Stop::Closed,
        }
    }

    pub fn send(&mut self, text: &str) -> io::Result<()> {
        self.console.write_all(text.as_bytes())
    }

    /// Wait until `re` matches the console text collected since the last
    /// successful expect. Returns the captures (group 0 first).
    pub fn expect(
        &mut self,
        re: &Regex,
        until: Instant,
        vm: &mut Option<&mut Vm>,
    ) -> Result<Vec<Option<String>>, Stop> {
        loop {
            let view = self.judge.transcript_view();
            if let Some(c) = re.captures(&view) {
                let end = c.get(0).map(|m| m.end()).unwrap_or(0);
                let groups = c
                    .iter()
                    .map(|m| m.map(|m| m.as_str().to_string()))
                    .collect();
                self.judge.consume_transcript(end);
                return Ok(groups);
            }
            match self.pump_once(Some(until), vm.as_deref_mut()) {
                // Success patterns were disabled by `decided`; only
                // failures come back here.
                Stop::Decided(d) if d.success => continue,
                Stop::Progressed => continue,
                stop => return Err(stop),
            }
        }
    }

    /// Forget collected text (before sending a new command).
    pub fn clear_transcript(&mut self) {
        let n = self.judge.transcript_view().len();
        self.judge.consume_transcript(n);
    }
}

fn describe(stop: &Stop, what: &str, secs: f64) -> String {
    match stop {
        Stop::Decided(d) => format!(
            "{what}: console showed {} at line {}: {}",
            d.at.kind,
            d.at.line_number,
            d.at.line.trim_end()
        ),
        Stop::Deadline => format!("{what}: overall deadline reached"),
        Stop::Idle => format!("{what}: console silent past the idle timeout"),
        Stop::StepTimeout => format!("{what}: no answer within {secs:.0}s"),
        Stop::Closed => format!("{what}: console closed (VM exited)"),
        Stop::Interrupted(s) => format!("{what}: interrupted by signal {s}"),
        Stop::Progressed => format!("{what}: still running"),
    }
}

fn nonce() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "{:08x}",
        (t as u64 ^ (std::process::id() as u64) << 20) & 0xffff_ffff
    )
}

/// Outcome of the interactive phase.
pub struct Interactive {
    pub login: LoginResult,
    pub probes: Vec<ProbeResult>,
    /// Set when the phase stopped on something other than a probe result.
    pub stop: Option<Stop>,
}

fn min_deadline(a: Instant, b: Option<Instant>) -> Instant {
    match b {
        Some(b) if b < a => b,
        _ => a,
    }
}

/// Log in (unless autologin) and prove a shell answers.
fn login(
    eng: &mut Engine,
    vm: &mut Option<&mut Vm>,
    spec: &Login,
    tag: &str,
) -> Result<(), (Stop, String)> {
    let secs = spec.timeout.unwrap_or(60.0);
    let until = min_deadline(Instant::now() + Duration::from_secs_f64(secs), eng.deadline);
    let fail = |stop: Stop, what: &str| {
        let msg = describe(&stop, what, secs);
        (stop, msg)
    };
    if !spec.autologin {
        let user = spec.user.as_deref().unwrap_or("root");
        eng.send(&format!("{user}\n"))
            .map_err(|e| (Stop::Closed, format!("typing the user name failed: {e}")))?;
        if let Some(pw) = &spec.password {
            let re = Regex::new(r"(?mi)password: *$").expect("static regex");
            eng.expect(&re, until, vm)
                .map_err(|s| fail(s, "waiting for the password prompt"))?;
            eng.send(&format!("{pw}\n"))
                .map_err(|e| (Stop::Closed, format!("typing the password failed: {e}")))?;
        }
    }
    // Prove a shell: the typed command shows `BCREADY <tag>`, only its
    // output shows `BCREADY_<tag>`. Retype it until it answers: input typed
    // while login is still busy may be flushed.
    let ready = Regex::new(&format!(r"BCREADY_{tag}|(?mi)^password: *$")).expect("static regex");
    loop {
        eng.send(&format!("printf '%s_%s\\n' BCREADY {tag}\n"))
            .map_err(|e| (Stop::Closed, format!("typing on the console failed: {e}")))?;
        let step = min_deadline(Instant::now() + Duration::from_secs(3), Some(until));
        match eng.expect(&ready, step, vm) {
            Ok(g) => {
                if g[0].as_deref().is_some_and(|m| m.starts_with("BCREADY")) {
                    return Ok(());
                }
                return Err((
                    Stop::StepTimeout,
                    "the guest asked for a password but the spec gives none (login.password)"
                        .into(),
                ));
            }
            Err(Stop::StepTimeout) if Instant::now() < until => continue,
            Err(s) => return Err(fail(s, "waiting for a shell after login")),
        }
    }
}

/// Drop kernel log lines (`[ seconds.micros] text`) from probe output.
fn strip_kernel_lines(s: &str) -> String {
    s.split_inclusive('\n')
        .filter(|l| !is_kernel_line(l))
        .collect()
}

fn is_kernel_line(l: &str) -> bool {
    crate::lines::is_kernel_line(l.as_bytes())
}

fn clip_output(mut s: String) -> String {
    const MAX: usize = 4096;
    if s.len() > MAX {
        let mut cut = MAX;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
        s.push_str("\n[output truncated]");
    }
    s
}

/// A probe's result before (or instead of) running it.
fn not_run(p: &Probe, error: Option<String>) -> ProbeResult {
    ProbeResult {
        name: p.name.clone(),
        component: p.component.clone(),
        command: p.command.clone(),
        expect: p.expect.clone(),
        passed: false,
        exit_status: None,
        output: String::new(),
        duration_ms: 0,
        error,
    }
}

/// Run one probe, framed by markers so its output and status are exact.
fn probe(
    eng: &mut Engine,
    vm: &mut Option<&mut Vm>,
    p: &Probe,
    tag: &str,
    index: usize,
) -> (ProbeResult, Option<Stop>) {
    let secs = p.timeout.unwrap_or(30.0);
    let started = Instant::now();
    let until = min_deadline(started + Duration::from_secs_f64(secs), eng.deadline);
    let mut result = not_run(p, None);
    let expect = match Regex::new(&p.expect) {
        Ok(r) => r,
        Err(e) => {
            result.error = Some(format!("bad expect regex: {e}"));
            return (result, None);
        }
    };
    eng.clear_transcript();
    eng.judge.quiet = true;
    // The subshell keeps an `exit` or `cd` in the command from touching the
    // login shell; stdin from /dev/null keeps it off the console.
    let line = format!(
        "printf '%s_%s_%s\\n' BCBEGIN {tag} {index}; (export LC_ALL=C; {cmd} ) </dev/null 2>&1; printf '\\n%s_%s_%s_%s\\n' BCEND {tag} {index} $?\n",
        cmd = p.command
    );
    let framed = Regex::new(&format!(
        r"(?s)BCBEGIN_{tag}_{index}\n(.*?)BCEND_{tag}_{index}_(\d+)"
    ))
    .expect("static regex");
    let sent = eng.send(&line);
    let outcome = match sent {
        Err(e) => Err((Stop::Closed, format!("typing the probe failed: {e}"))),
        Ok(()) => eng
            .expect(&framed, until, vm)
            .map_err(|s| (s.clone(), describe(&s, "no result", secs))),
    };
    eng.judge.quiet = false;
    result.duration_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok(g) => {
            // Kernel messages (`[    3.141592] ...`) reach the console whenever
            // the kernel prints; they are not the command's output. Trailing
            // newlines (the command's and the frame's) are dropped, so
            // `^Linux$` matches the output of `uname -s`.
            let raw = g[1].clone().unwrap_or_default();
            let out = strip_kernel_lines(&raw)
                .trim_end_matches(['\n', '\r'])
                .to_string();
            let status: Option<i32> = g[2].as_deref().and_then(|s| s.parse().ok());
            result.exit_status = status;
            let matched = expect.is_match(&out);
            let status_ok = p.ignore_exit || status == Some(0);
            result.passed = matched && status_ok;
            if !result.passed {
                let got = out.lines().next().unwrap_or("").trim();
                result.error = Some(match (matched, status_ok) {
                    (false, _) => format!(
                        "output does not match /{}/ (exit {}, first line: {:?})",
                        p.expect,
                        status.map_or("?".into(), |s| s.to_string()),
                        got
                    ),
                    _ => format!(
                        "exit status {} (output matched /{}/)",
                        status.map_or("?".into(), |s| s.to_string()),
                        p.expect
                    ),
                });
            }
            result.output = clip_output(out);
            (result, None)
        }
        Err((stop, msg)) => {
            result.output = clip_output(eng.judge.transcript_view());
            result.error = Some(msg);
            // A hung probe: interrupt it so the next one gets a shell.
            if stop == Stop::StepTimeout {
                let _ = eng.send("\x03\n");
                (result, None)
            } else {
                (result, Some(stop))
            }
        }
    }
}

/// Login and probes, after the boot succeeded.
pub fn interactive(
    eng: &mut Engine,
    mut vm: Option<&mut Vm>,
    login_spec: &Login,
    probes: &[Probe],
) -> Interactive {
    let tag = nonce();
    eng.judge.start_transcript();
    eng.progress.phase = "login";
    let started = Instant::now();
    let mut login_result = LoginResult {
        user: if login_spec.autologin {
            None
        } else {
            login_spec.user.clone()
        },
        autologin: login_spec.autologin,
        ok: false,
        duration_ms: 0,
        error: None,
    };
    let r = login(eng, &mut vm, login_spec, &tag);
    login_result.duration_ms = started.elapsed().as_millis() as u64;
    if let Err((stop, msg)) = r {
        login_result.error = Some(msg);
        return Interactive {
            login: login_result,
            probes: Vec::new(),
            stop: Some(stop),
        };
    }
    login_result.ok = true;
    let el = eng.elapsed();
    eng.progress.line(
        el,
        &format!(
            "logged in ({:.1}s)",
            login_result.duration_ms as f64 / 1000.0
        ),
    );
    eng.progress.phase = "probes";
    let mut results = Vec::new();
    let mut stop = None;
    for (i, p) in probes.iter().enumerate() {
        if let Some(s) = &stop {
            results.push(not_run(p, Some(describe(s, "not run", 0.0))));
            continue;
        }
        let (res, s) = probe(eng, &mut vm, p, &tag, i);
        let el = eng.elapsed();
        let comp = p.component.as_deref().unwrap_or("-");
        eng.progress.line(
            el,
            &match &res.error {
                None => format!("probe {comp}/{} ok", p.name),
                Some(e) => format!("probe {comp}/{} FAILED: {e}", p.name),
            },
        );
        results.push(res);
        stop = s;
    }
    Interactive {
        login: login_result,
        probes: results,
        stop,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kernel_lines_are_removed_from_probe_output() {
        let out = "ls (uutils coreutils) 0.12.0\n[    3.141592] random: crng init done\n[not a stamp] x\n";
        assert_eq!(
            strip_kernel_lines(out),
            "ls (uutils coreutils) 0.12.0\n[not a stamp] x\n"
        );
    }
}

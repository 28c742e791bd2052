//! The phase machine's engine: reads the console as it arrives, logs every
//! raw byte, feeds the judge, and offers `expect`-style waits for the login
//! and probe phases ([`crate::session`]) on top of the same stream. It owns
//! the VM: it stops it when the verdict needs no more console, and when
//! the run ends.
//!
//! The judging path is streaming: each read is matched as soon as it
//! arrives (no fixed polling interval, no rescanning of old output).

use crate::console::{Console, Read1, Vm, VmExit};
use crate::judge::{Decision, Event, Judge, LineRef};
use regex::Regex;
use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
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
    phase: &'static str,
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
        let text: String = crate::text::printable(current)
            .chars()
            .take(width)
            .collect();
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

/// How the engine times what it reads.
#[derive(Debug, Clone, Copy)]
pub enum Timing {
    /// A running VM: offsets count from `start`; the run ends at
    /// `deadline`, or when the console is silent for `idle`.
    Live {
        start: Instant,
        deadline: Instant,
        idle: Option<Duration>,
    },
    /// A saved log: no offsets, no deadlines.
    Replay,
}

/// What an [`Engine`] is made of.
pub struct EngineConfig {
    pub console: Console,
    /// The VM whose console it is (none for a saved log).
    pub vm: Option<Vm>,
    pub judge: Judge,
    /// Where every raw console byte goes.
    pub log: Option<File>,
    pub timing: Timing,
    /// No progress output on stderr.
    pub quiet: bool,
}

pub struct Engine {
    console: Console,
    vm: Option<Vm>,
    judge: Judge,
    log: Option<File>,
    start: Instant,
    deadline: Option<Instant>,
    idle: Option<Duration>,
    last_data: Instant,
    progress: Progress,
    buf: Vec<u8>,
    /// Offsets are only meaningful on a live console.
    live: bool,
    /// The VM command's own output (socket mode), collected while reading.
    vm_output: Vec<u8>,
    /// Why reading the console stopped, if it failed (the console then
    /// counts as closed).
    read_error: Option<io::Error>,
    /// A success ends the run (no probes, no `--keep`): on any decision the
    /// VM gets SIGTERM at once, before the chunk is logged, so it shuts
    /// down while bootcheck finishes. A failure always ends the run.
    end_on_success: bool,
}

impl Engine {
    pub fn new(c: EngineConfig) -> Self {
        let (start, deadline, idle, live) = match c.timing {
            Timing::Live {
                start,
                deadline,
                idle,
            } => (start, Some(deadline), idle, true),
            Timing::Replay => (Instant::now(), None, None, false),
        };
        Self {
            console: c.console,
            vm: c.vm,
            judge: c.judge,
            log: c.log,
            start,
            deadline,
            idle,
            last_data: Instant::now(),
            progress: Progress::new(c.quiet),
            buf: vec![0; 64 * 1024],
            live,
            vm_output: Vec::new(),
            read_error: None,
            end_on_success: false,
        }
    }

    /// The error that ended reading the console, if one did.
    pub fn take_read_error(&mut self) -> Option<io::Error> {
        self.read_error.take()
    }

    pub fn judge(&self) -> &Judge {
        &self.judge
    }

    pub(crate) fn judge_mut(&mut self) -> &mut Judge {
        &mut self.judge
    }

    /// The overall deadline (none for a saved log).
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// A progress line (with the time since the start) on stderr.
    pub fn note(&mut self, msg: &str) {
        let el = self.elapsed();
        self.progress.line(el, msg);
    }

    /// The phase the live status line shows.
    pub fn set_phase(&mut self, phase: &'static str) {
        self.progress.phase = phase;
    }

    /// Erase the live status line (before the summary is printed).
    pub fn clear_status(&mut self) {
        self.progress.clear();
    }

    pub fn vm_pid(&self) -> Option<i32> {
        self.vm.as_ref().map(Vm::pid)
    }

    fn offset(&self) -> Option<u64> {
        self.live.then(|| self.start.elapsed().as_millis() as u64)
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    fn log_bytes(&mut self, data: &[u8]) {
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
                    self.note(&format!("milestone {name}"));
                }
                Event::Warning(w) if self.live => {
                    let line = crate::text::printable(w.line.trim_end()).into_owned();
                    self.note(&format!("warning {}: {line}", w.kind));
                }
                Event::Decision(d) if decision.is_none() => decision = Some(d),
                _ => {}
            }
        }
        decision
    }

    /// Judge the boot: read until something decisive happens, the deadline
    /// or idle timeout passes, the console closes or a signal arrives. With
    /// `success_ends_run` the VM is stopped as soon as a success is seen
    /// (it always is on a failure, except a Rust failure line, whose
    /// message [`Engine::settle`] reads first).
    pub fn judge_boot(&mut self, success_ends_run: bool) -> Stop {
        self.end_on_success = success_ends_run;
        let stop = self.pump(None);
        self.end_on_success = false;
        stop
    }

    /// Read and judge until something decisive happens or `until` passes.
    pub fn pump(&mut self, until: Option<Instant>) -> Stop {
        loop {
            match self.pump_once(until) {
                Stop::Progressed => continue,
                stop => return stop,
            }
        }
    }

    /// Like [`Engine::pump`], but also returns [`Stop::Progressed`] after
    /// each chunk of console data.
    pub fn pump_once(&mut self, until: Option<Instant>) -> Stop {
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
            if let Some(out) = self.vm.as_mut().and_then(|vm| vm.output.as_mut()) {
                crate::console::drain_nonblocking(out, &mut self.vm_output, 64 * 1024);
            }
            let mut buf = std::mem::take(&mut self.buf);
            let r = self.console.read_some(&mut buf, wait);
            let result = match r {
                Ok(Read1::Data(n)) => {
                    self.last_data = Instant::now();
                    let off = self.offset();
                    let events = self.judge.feed(&buf[..n], off);
                    let d = self.handle_events(events);
                    if let Some(d) = &d {
                        // A Rust failure line is followed by its message
                        // (and often the kernel panic it causes): the VM
                        // keeps running while run() reads them (settle).
                        let reads_on = !d.success && d.at.kind.is_rust();
                        if (!d.success && !reads_on) || (d.success && self.end_on_success) {
                            self.terminate_vm();
                        }
                    }
                    self.log_bytes(&buf[..n]);
                    self.draw_status();
                    Some(d.map_or(Stop::Progressed, Stop::Decided))
                }
                Ok(Read1::Idle) => {
                    self.draw_status();
                    let exited = self.vm.as_mut().is_some_and(|vm| vm.poll_exit().is_some());
                    exited.then(|| self.close(true))
                }
                Ok(Read1::Interrupted) => None,
                Ok(Read1::Closed) => Some(self.close(false)),
                Err(e) => {
                    self.note(&format!("reading the console failed: {e}"));
                    self.read_error = Some(e);
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
    pub fn settle(&mut self, line: u64) -> Option<LineRef> {
        let started = Instant::now();
        let want = line + crate::rust::AFTER_LINES as u64;
        let mut followed = None;
        while self.judge.lines_seen() < want {
            let quiet = Instant::now() + Duration::from_millis(1500);
            let until = quiet.min(started + Duration::from_secs(5));
            match self.pump_once(Some(until)) {
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
    pub fn expect(&mut self, re: &Regex, until: Instant) -> Result<Vec<Option<String>>, Stop> {
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
            match self.pump_once(Some(until)) {
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

    /// SIGTERM to the VM's process group, at once: it shuts down while
    /// bootcheck puts its report together. Does nothing the second time.
    pub fn terminate_vm(&mut self) {
        if let Some(vm) = &mut self.vm {
            vm.terminate();
        }
    }

    /// How the VM ended as far as is known now, without stopping it. After
    /// the console closed (`closed`), give it a moment to become reapable.
    pub fn vm_exit_so_far(&mut self, closed: bool) -> Option<VmExit> {
        let vm = self.vm.as_mut()?;
        if closed {
            let until = Instant::now() + Duration::from_secs(2);
            while vm.poll_exit().is_none() && Instant::now() < until {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        vm.poll_exit().map(|st| {
            use std::os::unix::process::ExitStatusExt;
            VmExit {
                code: st.code(),
                signal: st.signal(),
                killed_by_bootcheck: false,
            }
        })
    }

    /// Stop the VM (SIGTERM, `grace`, SIGKILL to its process group) and
    /// reap it: how it exited, and the VM command's own output (socket
    /// mode; empty otherwise).
    pub fn stop_vm(&mut self, grace: Duration) -> (Option<VmExit>, Vec<u8>) {
        let mut out = std::mem::take(&mut self.vm_output);
        let Some(vm) = &mut self.vm else {
            return (None, out);
        };
        let exit = vm.stop(grace);
        if let Some(f) = &mut vm.output {
            crate::console::drain_nonblocking(f, &mut out, 64 * 1024);
        }
        (Some(exit), out)
    }

    /// `--keep`: hand the running VM's console to the user's terminal.
    /// Ctrl-] detaches; the log keeps recording.
    pub fn attach_terminal(&mut self) {
        let stdin = io::stdin();
        let tty = stdin.is_terminal();
        eprintln!("bootcheck: --keep: the VM keeps running; console attached, Ctrl-] to quit");
        let saved = if tty {
            nix::sys::termios::tcgetattr(&stdin).ok().inspect(|t| {
                let mut raw = t.clone();
                nix::sys::termios::cfmakeraw(&mut raw);
                let _ =
                    nix::sys::termios::tcsetattr(&stdin, nix::sys::termios::SetArg::TCSANOW, &raw);
            })
        } else {
            None
        };
        let mut inbuf = [0u8; 4096];
        let mut outbuf = vec![0u8; 64 * 1024];
        let stdin_fd = 0;
        // Let the guest redraw its prompt.
        let _ = self.send("\n");
        loop {
            let exited = self.vm.as_mut().is_some_and(|vm| vm.poll_exit().is_some());
            if pending_signal().is_some() || exited {
                break;
            }
            let Some(cfd) = self.console.raw_fd() else {
                break;
            };
            let mut fds = [
                libc::pollfd {
                    fd: cfd,
                    events: libc::POLLIN,
                    revents: 0,
                },
                libc::pollfd {
                    fd: stdin_fd,
                    events: libc::POLLIN,
                    revents: 0,
                },
            ];
            // SAFETY: poll on two valid descriptors.
            let n = unsafe { libc::poll(fds.as_mut_ptr(), 2, 250) };
            if n <= 0 {
                continue;
            }
            if fds[0].revents != 0 {
                match self.console.read_some(&mut outbuf, Duration::ZERO) {
                    Ok(Read1::Data(k)) => {
                        let data = &outbuf[..k];
                        self.log_bytes(data);
                        let mut so = io::stdout().lock();
                        let _ = so.write_all(data);
                        let _ = so.flush();
                    }
                    Ok(Read1::Closed) | Err(_) => break,
                    Ok(Read1::Idle | Read1::Interrupted) => {}
                }
            }
            if fds[1].revents != 0 {
                match io::stdin().lock().read(&mut inbuf) {
                    Ok(0) | Err(_) => break,
                    Ok(k) => {
                        if let Some(pos) = inbuf[..k].iter().position(|&b| b == 0x1d) {
                            let _ = self.console.write_all(&inbuf[..pos]);
                            break;
                        }
                        if self.console.write_all(&inbuf[..k]).is_err() {
                            break;
                        }
                    }
                }
            }
        }
        if let Some(t) = saved {
            let _ = nix::sys::termios::tcsetattr(&stdin, nix::sys::termios::SetArg::TCSANOW, &t);
        }
        eprintln!("\r\nbootcheck: detached; stopping the VM");
    }
}

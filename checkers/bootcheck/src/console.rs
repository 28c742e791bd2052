//! Console sources: the VM command on a pty, a unix serial socket, or a
//! saved log; plus the VM process (its own session and process group, so
//! that everything it started can be killed and reaped together).

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::signal::{killpg, Signal};
use nix::sys::termios;
use nix::unistd::Pid;
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Result of one read attempt.
#[derive(Debug)]
pub enum Read1 {
    Data(usize),
    /// Nothing arrived before the timeout.
    Idle,
    /// The other end is gone (EOF, or EIO on a pty whose slave closed).
    Closed,
    /// A signal interrupted the wait.
    Interrupted,
}

/// A readable and writable console stream.
pub enum Console {
    Pty(File),
    /// The VM's stdout and stdin as pipes, where no pty can be had.
    Pipes {
        out: File,
        input: File,
    },
    Socket(UnixStream),
    /// A saved log (`scan`), or stdin.
    Reader(Box<dyn Read + Send>),
}

impl Console {
    fn fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Console::Pty(f) => Some(f.as_fd()),
            Console::Pipes { out, .. } => Some(out.as_fd()),
            Console::Socket(s) => Some(s.as_fd()),
            Console::Reader(_) => None,
        }
    }

    pub fn raw_fd(&self) -> Option<i32> {
        self.fd().map(|f| f.as_raw_fd())
    }

    /// Wait up to `timeout` for data, then read what is there.
    pub fn read_some(&mut self, buf: &mut [u8], timeout: Duration) -> io::Result<Read1> {
        if let Some(fd) = self.fd() {
            let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
            let mut fds = [PollFd::new(fd, PollFlags::POLLIN)];
            match poll(
                &mut fds,
                PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
            ) {
                Ok(0) => return Ok(Read1::Idle),
                Ok(_) => {}
                Err(Errno::EINTR) => return Ok(Read1::Interrupted),
                Err(e) => return Err(e.into()),
            }
        }
        let (r, pty) = match self {
            Console::Pty(f) => (f.read(buf), true),
            Console::Pipes { out, .. } => (out.read(buf), false),
            Console::Socket(s) => (s.read(buf), false),
            Console::Reader(r) => (r.read(buf), false),
        };
        match r {
            Ok(0) => Ok(Read1::Closed),
            Ok(n) => Ok(Read1::Data(n)),
            // A pty master reads EIO once every slave descriptor is closed;
            // elsewhere EIO is an error.
            Err(e) if pty && e.raw_os_error() == Some(libc::EIO) => Ok(Read1::Closed),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(Read1::Interrupted),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(Read1::Idle),
            Err(e) => Err(e),
        }
    }

    pub fn write_all(&mut self, data: &[u8]) -> io::Result<()> {
        match self {
            Console::Pty(f) => f.write_all(data),
            Console::Pipes { input, .. } => input.write_all(data),
            Console::Socket(s) => s.write_all(data),
            Console::Reader(_) => Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "a saved log cannot be typed into",
            )),
        }
    }
}

/// The VM command, running in its own session.
pub struct Vm {
    child: Child,
    pub program: String,
    /// How the command exited, once it has; see [`Vm::poll_exit`].
    exit: Option<ExitStatus>,
    /// Whether the exited command has been reaped (only [`Vm::stop`] does).
    reaped: bool,
    /// In socket mode the command's own stdout/stderr (not the console).
    pub output: Option<File>,
    /// Set once SIGTERM went out (see [`Vm::terminate`]).
    term: Option<Terminating>,
}

/// A stop under way: the exit is awaited on the pidfd opened before the
/// signal, if the kernel has pidfds.
#[derive(Debug)]
struct Terminating {
    pidfd: Option<OwnedFd>,
    was_running: bool,
}

/// How the VM's exit looked, for the report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VmExit {
    pub code: Option<i32>,
    pub signal: Option<i32>,
    /// True when bootcheck stopped it (verdict reached, timeout, interrupt).
    pub killed_by_bootcheck: bool,
}

/// Why the VM command or its console could not be set up. Matched by
/// variant (run() falls back to pipes on [`ConsoleError::NoPty`]); the
/// Display text goes into the report as an infrastructure error.
#[derive(Debug)]
pub enum ConsoleError {
    NoCommand,
    /// The program is missing, not a file, or could not be executed.
    Start {
        program: String,
        source: io::Error,
    },
    /// No pty could be opened (some build sandboxes have no /dev/ptmx).
    NoPty(nix::Error),
    /// The pty opened but could not be set up.
    Pty {
        what: &'static str,
        source: io::Error,
    },
    Pipe(io::Error),
    /// The VM exited before its serial socket appeared.
    SocketVmExited {
        path: PathBuf,
        status: ExitStatus,
    },
    SocketDeadline {
        path: PathBuf,
    },
    SocketConnect {
        path: PathBuf,
        source: io::Error,
    },
}

impl std::fmt::Display for ConsoleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::error::io_reason;
        match self {
            ConsoleError::NoCommand => write!(f, "no VM command given"),
            ConsoleError::Start { program, source } => {
                write!(
                    f,
                    "cannot start VM command `{program}`: {}",
                    io_reason(source)
                )
            }
            ConsoleError::NoPty(e) => write!(f, "cannot open a pty: {}", e.desc()),
            ConsoleError::Pty { what, source } => write!(f, "cannot {what}: {}", io_reason(source)),
            ConsoleError::Pipe(e) => write!(f, "cannot create pipe: {}", io_reason(e)),
            ConsoleError::SocketVmExited { path, status } => write!(
                f,
                "VM command exited ({status}) before its serial socket {} appeared",
                path.display()
            ),
            ConsoleError::SocketDeadline { path } => write!(
                f,
                "serial socket {} did not appear before the deadline",
                path.display()
            ),
            ConsoleError::SocketConnect { path, source } => {
                write!(
                    f,
                    "cannot connect to {}: {}",
                    path.display(),
                    io_reason(source)
                )
            }
        }
    }
}

impl std::error::Error for ConsoleError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConsoleError::Start { source, .. }
            | ConsoleError::Pty { source, .. }
            | ConsoleError::SocketConnect { source, .. } => Some(source),
            ConsoleError::Pipe(e) => Some(e),
            ConsoleError::NoPty(e) => Some(e),
            ConsoleError::NoCommand
            | ConsoleError::SocketVmExited { .. }
            | ConsoleError::SocketDeadline { .. } => None,
        }
    }
}

fn find_program(program: &str) -> Result<PathBuf, ConsoleError> {
    let not_found = |source: io::Error| ConsoleError::Start {
        program: program.to_string(),
        source,
    };
    if program.contains('/') {
        let p = PathBuf::from(program);
        return match std::fs::metadata(&p) {
            Ok(m) if m.is_file() => Ok(p),
            Ok(m) if m.is_dir() => Err(not_found(io::Error::from_raw_os_error(libc::EISDIR))),
            Ok(_) => Err(not_found(io::Error::other("not a file"))),
            Err(e) => Err(not_found(e)),
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        let cand = dir.join(program);
        if cand.is_file() {
            return Ok(cand);
        }
    }
    Err(not_found(io::Error::new(
        io::ErrorKind::NotFound,
        "not found in PATH",
    )))
}

fn new_session() -> io::Result<()> {
    nix::unistd::setsid().map_err(io::Error::from)?;
    Ok(())
}

/// Make bootcheck the reaper of whatever the VM command leaves orphaned
/// (a QEMU whose wrapper script exited, a `sleep` in the background), so
/// that [`Vm::stop`] can wait for the whole group to be gone instead of
/// leaving that to an init that may never reap it.
fn become_subreaper() {
    // SAFETY: prctl with integer arguments only; failure leaves the
    // default (orphans go to init), which stop() tolerates.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1 as libc::c_ulong, 0, 0, 0);
    }
}

/// After the SIGKILL: reap the group's members that were orphaned to us
/// and wait, at most `bound`, until no process of the group is left.
/// Returns whether the group is gone.
fn reap_group(pgid: Pid, bound: Duration) -> bool {
    use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
    let until = Instant::now() + bound;
    let mut nap = Duration::from_micros(200);
    loop {
        // Members are in the group until reaped, zombies included.
        while let Ok(st) = waitpid(Pid::from_raw(-pgid.as_raw()), Some(WaitPidFlag::WNOHANG)) {
            if st == WaitStatus::StillAlive {
                break;
            }
        }
        if killpg(pgid, None) == Err(Errno::ESRCH) {
            return true;
        }
        if Instant::now() >= until {
            return false;
        }
        std::thread::sleep(nap);
        nap = (nap * 2).min(Duration::from_millis(20));
    }
}

impl Vm {
    /// Start `argv` with stdin/stdout/stderr on a new pty (raw mode, like a
    /// serial line). Returns the VM and the pty master as its console.
    pub fn spawn_pty(argv: &[String]) -> Result<(Vm, Console), ConsoleError> {
        let program = argv.first().ok_or(ConsoleError::NoCommand)?.clone();
        find_program(&program)?;
        let winsize = nix::pty::Winsize {
            ws_row: 50,
            ws_col: 160,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = nix::pty::openpty(Some(&winsize), None).map_err(ConsoleError::NoPty)?;
        // Raw: the pty passes bytes through untouched, like a serial line.
        let mut tio = termios::tcgetattr(&pty.slave).map_err(|e| ConsoleError::Pty {
            what: "read pty modes",
            source: e.into(),
        })?;
        termios::cfmakeraw(&mut tio);
        termios::tcsetattr(&pty.slave, termios::SetArg::TCSANOW, &tio).map_err(|e| {
            ConsoleError::Pty {
                what: "set pty modes",
                source: e.into(),
            }
        })?;
        let dup = |fd: &OwnedFd| {
            fd.try_clone()
                .map(Stdio::from)
                .map_err(|source| ConsoleError::Pty {
                    what: "duplicate pty",
                    source,
                })
        };
        let mut cmd = Command::new(&program);
        cmd.args(&argv[1..])
            .stdin(dup(&pty.slave)?)
            .stdout(dup(&pty.slave)?)
            .stderr(dup(&pty.slave)?);
        // SAFETY: only async-signal-safe calls (setsid, ioctl) after fork.
        unsafe {
            cmd.pre_exec(|| {
                new_session()?;
                if libc::ioctl(0, libc::TIOCSCTTY as _, 0) != 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        become_subreaper();
        let child = cmd.spawn().map_err(|source| ConsoleError::Start {
            program: program.clone(),
            source,
        })?;
        drop(pty.slave);
        let master = File::from(pty.master);
        Ok((
            Vm {
                child,
                program,
                exit: None,
                reaped: false,
                output: None,
                term: None,
            },
            Console::Pty(master),
        ))
    }

    /// Start `argv` in its own session with stdin/stdout as pipes and
    /// stderr joined to stdout: the console for QEMU's `-serial stdio` where
    /// no pty is available.
    pub fn spawn_pipes(argv: &[String]) -> Result<(Vm, Console), ConsoleError> {
        let (mut child, program, out) = spawn_in_session(argv, Stdio::piped())?;
        let input = File::from(OwnedFd::from(child.stdin.take().expect("piped stdin")));
        Ok((
            Vm {
                child,
                program,
                exit: None,
                reaped: false,
                output: None,
                term: None,
            },
            Console::Pipes { out, input },
        ))
    }

    /// Start `argv` in its own session; its console is a unix socket it
    /// creates. Its stdout/stderr go to a pipe kept for the report.
    pub fn spawn_detached(argv: &[String]) -> Result<Vm, ConsoleError> {
        let (child, program, out) = spawn_in_session(argv, Stdio::null())?;
        set_nonblocking(&out);
        Ok(Vm {
            child,
            program,
            exit: None,
            reaped: false,
            output: Some(out),
            term: None,
        })
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Non-blocking: has the VM command exited? It looks without reaping
    /// the command (WNOWAIT): while the exited leader is unreaped, its pid,
    /// which is also its process group's id, cannot go to another process,
    /// so the SIGKILL [`Vm::stop`] sends the group reaches only what the
    /// VM command left behind. Reaped first, the number could be reused and
    /// the signal could kill an unrelated process group.
    pub fn poll_exit(&mut self) -> Option<ExitStatus> {
        if self.exit.is_none() && !self.reaped {
            self.exit = peek_exit(self.pid());
        }
        self.exit
    }

    /// A pidfd for the command (Linux 5.3 and later): readable once it has
    /// exited, so waiting for it needs no polling interval.
    fn pidfd(&self) -> Option<OwnedFd> {
        // SAFETY: pidfd_open takes a pid and flags; it returns a new
        // descriptor that we own, or -1. The pid is our unreaped child, so
        // it cannot have been reused.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, self.pid(), 0) };
        if fd < 0 {
            return None;
        }
        // SAFETY: a fresh descriptor nobody else owns.
        Some(unsafe { <OwnedFd as std::os::fd::FromRawFd>::from_raw_fd(fd as i32) })
    }

    /// Wait up to `grace` for the command to exit (and reap it). With a
    /// pidfd the wakeup is immediate; without one, short naps that grow.
    fn wait_exit(&mut self, pidfd: Option<OwnedFd>, grace: Duration) {
        let until = Instant::now() + grace;
        let mut nap = Duration::from_micros(200);
        while self.poll_exit().is_none() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            match &pidfd {
                Some(fd) => {
                    let ms = left.as_millis().clamp(1, i32::MAX as u128) as i32;
                    let mut fds = [PollFd::new(fd.as_fd(), PollFlags::POLLIN)];
                    let _ = poll(
                        &mut fds,
                        PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX),
                    );
                }
                None => {
                    std::thread::sleep(nap.min(left));
                    nap = (nap * 2).min(Duration::from_millis(20));
                }
            }
        }
    }

    /// Send SIGTERM to the whole process group and return at once: the
    /// VM shuts down while bootcheck finishes its report; [`Vm::stop`]
    /// then waits for it. Does nothing the second time.
    pub fn terminate(&mut self) {
        if self.term.is_some() {
            return;
        }
        let was_running = self.poll_exit().is_none();
        let mut pidfd = None;
        if was_running {
            // Opened before the signal, so the exit cannot be missed.
            pidfd = self.pidfd();
            let _ = killpg(Pid::from_raw(self.pid()), Signal::SIGTERM);
        }
        self.term = Some(Terminating { pidfd, was_running });
    }

    /// Kill the whole process group: SIGTERM (unless [`Vm::terminate`]
    /// sent it already), a grace period, then SIGKILL; reap the command.
    /// Safe to call when it already exited.
    pub fn stop(&mut self, grace: Duration) -> VmExit {
        let pgid = Pid::from_raw(self.pid());
        self.terminate();
        let Terminating { pidfd, was_running } = self.term.take().expect("terminate() sets it");
        if was_running {
            self.wait_exit(pidfd, grace);
        }
        // Children that outlived the leader (or ignored SIGTERM) go too,
        // before the leader is reaped and its pid (the group's id) freed.
        let _ = killpg(pgid, Signal::SIGKILL);
        if !self.reaped {
            if let Ok(st) = self.child.wait() {
                self.exit.get_or_insert(st);
            }
            self.reaped = true;
        }
        // The signal is only pending until each member runs again: wait
        // until they are gone, so nothing outlives bootcheck's exit.
        reap_group(pgid, Duration::from_secs(5));
        let st = self.exit;
        VmExit {
            code: st.and_then(|s| s.code()),
            signal: st.and_then(|s| s.signal()),
            killed_by_bootcheck: was_running,
        }
    }
}

impl Drop for Vm {
    fn drop(&mut self) {
        if !self.reaped {
            self.stop(Duration::from_millis(200));
        }
    }
}

/// The exit status of the child `pid` if it has exited, leaving it
/// unreaped (waitid with WNOWAIT).
fn peek_exit(pid: i32) -> Option<ExitStatus> {
    // SAFETY: siginfo_t is plain data; zeroed is a valid value, and
    // waitid fills it in (si_pid stays 0 when the child is still running).
    let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to the siginfo_t above; the pid is our child.
    let rc = unsafe {
        libc::waitid(
            libc::P_PID,
            pid as libc::id_t,
            &mut info,
            libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
        )
    };
    // SAFETY: waitid succeeded, so the fields of a SIGCHLD siginfo are set.
    if rc != 0 || unsafe { info.si_pid() } == 0 {
        return None;
    }
    // SAFETY: as above.
    let status = unsafe { info.si_status() };
    // The wait(2) status word ExitStatus is made from.
    let raw = match info.si_code {
        libc::CLD_EXITED => (status & 0xff) << 8,
        libc::CLD_DUMPED => status | 0x80,
        _ => status,
    };
    Some(ExitStatus::from_raw(raw))
}

/// Start `argv` in a new session with the given stdin, stdout and stderr
/// joined into one pipe; returns the child, its program and the pipe's
/// read end.
fn spawn_in_session(argv: &[String], stdin: Stdio) -> Result<(Child, String, File), ConsoleError> {
    let program = argv.first().ok_or(ConsoleError::NoCommand)?.clone();
    find_program(&program)?;
    let (reader, writer) = std::io::pipe().map_err(ConsoleError::Pipe)?;
    let writer2 = writer.try_clone().map_err(ConsoleError::Pipe)?;
    let mut cmd = Command::new(&program);
    cmd.args(&argv[1..])
        .stdin(stdin)
        .stdout(writer)
        .stderr(writer2);
    // SAFETY: setsid is async-signal-safe.
    unsafe {
        cmd.pre_exec(new_session);
    }
    become_subreaper();
    let child = cmd.spawn().map_err(|source| ConsoleError::Start {
        program: program.clone(),
        source,
    })?;
    // The parent's copies of the write end go, so EOF reaches the reader.
    drop(cmd);
    Ok((child, program, File::from(OwnedFd::from(reader))))
}

fn set_nonblocking(f: &File) {
    // SAFETY: plain fcntl on an fd we own.
    unsafe {
        let fl = libc::fcntl(f.as_raw_fd(), libc::F_GETFL);
        libc::fcntl(f.as_raw_fd(), libc::F_SETFL, fl | libc::O_NONBLOCK);
    }
}

/// Read what is available from a non-blocking pipe without waiting.
pub fn drain_nonblocking(f: &mut File, into: &mut Vec<u8>, cap: usize) {
    let mut buf = [0u8; 8192];
    while let Ok(n) = f.read(&mut buf) {
        if n == 0 {
            break;
        }
        into.extend_from_slice(&buf[..n]);
        if into.len() > cap {
            let cut = into.len() - cap;
            into.drain(..cut);
        }
    }
}

/// Wait for the VM to create its serial socket and connect to it.
/// Gives up at `deadline`, or early when the VM exits.
pub fn connect_socket(
    path: &Path,
    vm: &mut Vm,
    deadline: Instant,
) -> Result<Console, ConsoleError> {
    loop {
        match UnixStream::connect(path) {
            Ok(s) => return Ok(Console::Socket(s)),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::ConnectionRefused
                ) =>
            {
                if let Some(st) = vm.poll_exit() {
                    return Err(ConsoleError::SocketVmExited {
                        path: path.to_path_buf(),
                        status: st,
                    });
                }
                if Instant::now() >= deadline {
                    return Err(ConsoleError::SocketDeadline {
                        path: path.to_path_buf(),
                    });
                }
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(source) => {
                return Err(ConsoleError::SocketConnect {
                    path: path.to_path_buf(),
                    source,
                })
            }
        }
    }
}

#[cfg(test)]
mod exit_tests {
    use super::*;

    fn sh(script: &str) -> Vm {
        let argv = ["sh".to_string(), "-c".to_string(), script.to_string()];
        Vm::spawn_pipes(&argv).expect("spawn sh").0
    }

    fn wait_for_exit(vm: &mut Vm) -> ExitStatus {
        let until = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(st) = vm.poll_exit() {
                return st;
            }
            assert!(Instant::now() < until, "the command did not exit");
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn errors_are_variants_with_the_same_words_as_before() {
        let argv = ["no-such-vm-command-here".to_string()];
        let err = Vm::spawn_pty(&argv).err().expect("a missing program fails");
        assert!(
            matches!(&err, ConsoleError::Start { program, .. } if program == "no-such-vm-command-here")
        );
        assert_eq!(
            err.to_string(),
            "cannot start VM command `no-such-vm-command-here`: not found in PATH"
        );
        assert!(matches!(Vm::spawn_pipes(&[]), Err(ConsoleError::NoCommand)));
    }

    #[test]
    fn an_exited_command_stays_unreaped_until_stop() {
        let mut vm = sh("exit 3");
        let st = wait_for_exit(&mut vm);
        assert_eq!(st.code(), Some(3));
        // Still a zombie: its pid, the group id stop() signals, is not free.
        let proc_dir = PathBuf::from(format!("/proc/{}", vm.pid()));
        assert!(proc_dir.exists(), "reaped before stop()");
        let exit = vm.stop(Duration::from_millis(100));
        assert_eq!(exit.code, Some(3));
        assert!(!exit.killed_by_bootcheck);
        assert!(!proc_dir.exists(), "not reaped by stop()");
    }

    #[test]
    fn a_signalled_command_reports_its_signal() {
        let mut vm = sh("kill -9 $$");
        let st = wait_for_exit(&mut vm);
        assert_eq!(st.signal(), Some(9));
        assert_eq!(vm.stop(Duration::from_millis(100)).signal, Some(9));
    }

    #[test]
    fn stop_kills_a_running_command_and_its_group() {
        let mut vm = sh("sleep 60 & sleep 60");
        std::thread::sleep(Duration::from_millis(100));
        assert!(vm.poll_exit().is_none());
        let exit = vm.stop(Duration::from_millis(500));
        assert!(exit.killed_by_bootcheck);
        assert_eq!(exit.signal, Some(15));
    }
}

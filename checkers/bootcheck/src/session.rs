//! Login and probes, after the boot reached its goal: typed on the console
//! and read back through the [`Engine`]'s `expect`-style waits.

use crate::engine::{Engine, Stop};
use crate::report::{LoginResult, ProbeResult};
use crate::spec::{Login, Oxidation, Probe};
use regex::Regex;
use std::time::{Duration, Instant};

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
    /// How many of the spec's probes ran (were typed into the shell), in
    /// order: those after them were not run.
    pub ran: usize,
    /// The oxidation meter's listing, when the spec asks for it: its
    /// output, or why there is none.
    pub listing: Option<Result<String, String>>,
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
fn login(eng: &mut Engine, spec: &Login, tag: &str) -> Result<(), (Stop, String)> {
    let secs = spec.timeout();
    let until = min_deadline(
        Instant::now() + Duration::from_secs_f64(secs),
        eng.deadline(),
    );
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
            eng.expect(&re, until)
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
        match eng.expect(&ready, step) {
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

/// Type `command` framed by markers and read back its output (kernel
/// lines removed, trailing newlines kept) and exit status, exactly,
/// whatever the prompt, echo or shell. Failure patterns are not applied to
/// the output (a probe may print `BUG:`), the kernel's own panic aside.
fn framed(
    eng: &mut Engine,
    command: &str,
    tag: &str,
    index: usize,
    until: Instant,
    secs: f64,
) -> Result<(String, Option<i32>), (Stop, String)> {
    eng.clear_transcript();
    eng.judge_mut().quiet = true;
    // The subshell keeps an `exit` or `cd` in the command from touching the
    // login shell; stdin from /dev/null keeps it off the console.
    let line = format!(
        "printf '%s_%s_%s\\n' BCBEGIN {tag} {index}; (export LC_ALL=C; {command} ) </dev/null 2>&1; printf '\\n%s_%s_%s_%s\\n' BCEND {tag} {index} $?\n"
    );
    let re = Regex::new(&format!(
        r"(?s)BCBEGIN_{tag}_{index}\n(.*?)BCEND_{tag}_{index}_(\d+)"
    ))
    .expect("static regex");
    let outcome = match eng.send(&line) {
        Err(e) => Err((Stop::Closed, format!("typing the command failed: {e}"))),
        Ok(()) => eng
            .expect(&re, until)
            .map_err(|s| (s.clone(), describe(&s, "no result", secs))),
    };
    eng.judge_mut().quiet = false;
    let g = outcome?;
    // Kernel messages (`[    3.141592] ...`) reach the console whenever
    // the kernel prints; they are not the command's output.
    let out = strip_kernel_lines(&g[1].clone().unwrap_or_default());
    let status = g[2].as_deref().and_then(|s| s.parse().ok());
    Ok((out, status))
}

/// Run one probe, framed by markers so its output and status are exact.
fn probe(eng: &mut Engine, p: &Probe, tag: &str, index: usize) -> (ProbeResult, Option<Stop>) {
    let secs = p.timeout();
    let started = Instant::now();
    let until = min_deadline(started + Duration::from_secs_f64(secs), eng.deadline());
    let mut result = not_run(p, None);
    let expect = match Regex::new(&p.expect) {
        Ok(r) => r,
        Err(e) => {
            result.error = Some(format!("bad expect regex: {e}"));
            return (result, None);
        }
    };
    let outcome = framed(eng, &p.command, tag, index, until, secs);
    result.duration_ms = started.elapsed().as_millis() as u64;
    match outcome {
        Ok((raw, status)) => {
            // Trailing newlines (the command's and the frame's) are
            // dropped, so `^Linux$` matches the output of `uname -s`.
            let out = raw.trim_end_matches(['\n', '\r']).to_string();
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
            result.output = clip_output(eng.judge().transcript_view());
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

/// The oxidation meter's listing of the guest's processes
/// ([`crate::oxidation::boot::listing_command`]): its raw output, or why
/// there is none. Its output is not cut.
fn listing(eng: &mut Engine, o: &Oxidation, tag: &str, index: usize) -> Result<String, String> {
    let secs = o.timeout();
    let started = Instant::now();
    let until = min_deadline(started + Duration::from_secs_f64(secs), eng.deadline());
    eng.set_phase("oxidation");
    let command = crate::oxidation::boot::listing_command(o);
    match framed(eng, &command, tag, index, until, secs) {
        Ok((out, _)) => {
            eng.note(&format!(
                "processes listed ({} bytes, {:.1}s)",
                out.len(),
                started.elapsed().as_secs_f64()
            ));
            Ok(out)
        }
        Err((stop, msg)) => {
            if stop == Stop::StepTimeout {
                let _ = eng.send("\x03\n");
            }
            eng.note(&format!("listing the processes FAILED: {msg}"));
            Err(format!("listing the processes: {msg}"))
        }
    }
}

/// Login, probes and the oxidation meter's listing, after the boot
/// succeeded.
pub fn interactive(
    eng: &mut Engine,
    login_spec: &Login,
    probes: &[Probe],
    oxidation: Option<&Oxidation>,
) -> Interactive {
    let tag = nonce();
    eng.judge_mut().start_transcript();
    eng.set_phase("login");
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
    let r = login(eng, login_spec, &tag);
    login_result.duration_ms = started.elapsed().as_millis() as u64;
    if let Err((stop, msg)) = r {
        login_result.error = Some(msg);
        return Interactive {
            login: login_result,
            probes: Vec::new(),
            ran: 0,
            listing: oxidation.map(|_| Err("the login failed".to_string())),
            stop: Some(stop),
        };
    }
    login_result.ok = true;
    eng.note(&format!(
        "logged in ({:.1}s)",
        login_result.duration_ms as f64 / 1000.0
    ));
    eng.set_phase("probes");
    let mut results = Vec::new();
    let mut stop = None;
    let mut ran = 0;
    for (i, p) in probes.iter().enumerate() {
        if let Some(s) = &stop {
            results.push(not_run(p, Some(describe(s, "not run", 0.0))));
            continue;
        }
        ran += 1;
        let (res, s) = probe(eng, p, &tag, i);
        let comp = p.component.as_deref().unwrap_or("-");
        eng.note(&match &res.error {
            None => format!("probe {comp}/{} ok", p.name),
            Some(e) => format!(
                "probe {comp}/{} FAILED: {}",
                p.name,
                crate::text::printable(e)
            ),
        });
        results.push(res);
        stop = s;
    }
    let listing = oxidation.map(|o| match &stop {
        None => listing(eng, o, &tag, probes.len()),
        Some(s) => Err(describe(s, "the session ended before the listing", 0.0)),
    });
    Interactive {
        login: login_result,
        probes: results,
        ran,
        listing,
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

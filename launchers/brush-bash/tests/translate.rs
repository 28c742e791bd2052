//! Snapshots of the translation: bash's argv in, brush's argv out (argv[0]
//! first), with what the launcher does around the exec, or the refusal.

use brush_bash::{translate, Terminal};
use expect_test::{expect, Expect};
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// Pipes everywhere: scripts, `bash -c` from a program, a Nix build.
fn pipes() -> Terminal {
    Terminal::default()
}

/// A terminal emulator on a pseudo-terminal.
fn pty() -> Terminal {
    Terminal {
        stdin_is_tty: true,
        stderr_is_tty: true,
        term: Some("xterm-256color".into()),
        stdin_device: Some("/dev/pts/3".into()),
    }
}

/// A getty on the first serial port.
fn serial() -> Terminal {
    Terminal {
        term: Some("vt220".into()),
        stdin_device: Some("/dev/ttyS0".into()),
        ..pty()
    }
}

fn quote(arg: &str) -> String {
    let plain = !arg.is_empty()
        && arg
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_+=./$#@:".contains(c));
    if plain {
        arg.to_string()
    } else {
        format!("'{}'", arg.replace('\'', r"'\''"))
    }
}

fn render(argv: &[&str], terminal: &Terminal) -> String {
    let args: Vec<OsString> = argv[1..].iter().map(OsString::from).collect();
    match translate(argv[0].as_ref(), &args, terminal) {
        Ok(plan) => {
            let mut line = std::iter::once(&plan.argv0)
                .chain(&plan.args)
                .map(|a| quote(a.to_str().unwrap()))
                .collect::<Vec<_>>()
                .join(" ");
            let notes: Vec<&str> = [
                (plan.interactive, "interactive"),
                (plan.login, "login"),
                (plan.take_terminal, "takes the terminal"),
            ]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, n)| *n)
            .collect();
            if !notes.is_empty() {
                line.push_str(&format!("  [{}]", notes.join(", ")));
            }
            line
        }
        Err(err) => format!("exit {}: {err}", err.exit_code()),
    }
}

fn check(argv: &[&str], terminal: &Terminal, want: Expect) {
    want.assert_eq(&render(argv, terminal));
}

#[test]
fn combined_letters_become_set_o_names() {
    check(
        &["bash", "-eu", "-o", "pipefail", "build.sh", "out"],
        &pipes(),
        expect!["bash -o errexit -o nounset -o pipefail --disable-color build.sh out"],
    );
    check(
        &["bash", "-exc", "make"],
        &pipes(),
        expect!["bash -o errexit -o xtrace --disable-color -c make"],
    );
    check(
        &["bash", "-aBCEfhmnPtT", "-c", "x"],
        &pipes(),
        expect!["bash -o allexport -o braceexpand -o noclobber -o errtrace -o noglob -o hashall -o monitor -o noexec -o physical -o onecmd -o functrace --disable-color -c x"],
    );
}

#[test]
fn c_takes_the_first_operand_then_dollar0_and_parameters() {
    check(
        &["bash", "-c", "echo $0 $1 $#", "name", "a", "b"],
        &pipes(),
        expect!["bash --disable-color -c 'echo $0 $1 $#' name a b"],
    );
    check(
        &["bash", "-ec", "cmd", "name"],
        &pipes(),
        expect!["bash -o errexit --disable-color -c cmd name"],
    );
    // Options may follow -c: the command is the first operand.
    check(
        &["/bin/bash", "-c", "-x", "echo hi"],
        &pipes(),
        expect!["/bin/bash -o xtrace --disable-color -c 'echo hi'"],
    );
    // Parameters after $0 may look like options; `-` and `--` are fine as $0.
    check(
        &["bash", "-c", "cmd", "--", "-x", "--foo"],
        &pipes(),
        expect!["bash --disable-color -c cmd -- -x --foo"],
    );
    check(
        &["bash", "-c", "cmd", "-", "a"],
        &pipes(),
        expect!["bash --disable-color -c cmd - a"],
    );
    check(
        &["bash", "-c", ""],
        &pipes(),
        expect!["bash --disable-color -c ''"],
    );
    // After `--` a command may start with `-`: attached, brush takes it as
    // the value of -c.
    check(
        &["bash", "-c", "--", "-x", "a"],
        &pipes(),
        expect!["bash --disable-color -c-x a"],
    );
    check(
        &["bash", "-c", "--", "--"],
        &pipes(),
        expect!["bash --disable-color -c--"],
    );
    // `+c` is `-c`, as in bash.
    check(
        &["bash", "+c", "true"],
        &pipes(),
        expect!["bash --disable-color -c true"],
    );
}

#[test]
fn plus_forms_turn_options_off_and_the_last_setting_wins() {
    check(
        &["bash", "-e", "+e", "-c", "false"],
        &pipes(),
        expect!["bash --+o errexit --disable-color -c false"],
    );
    check(
        &["bash", "+o", "errexit", "-o", "errexit", "-c", "x"],
        &pipes(),
        expect!["bash -o errexit --disable-color -c x"],
    );
    check(
        &["bash", "-x", "+x", "+B", "-c", "x"],
        &pipes(),
        expect!["bash --+o xtrace --+o braceexpand --disable-color -c x"],
    );
    check(
        &["bash", "+u", "-O", "nullglob", "+O", "dotglob", "-c", "x"],
        &pipes(),
        expect!["bash --+o nounset -O nullglob --+O dotglob --disable-color -c x"],
    );
    // Each `o`/`O` in a group takes the next unused argument.
    check(
        &[
            "bash", "-oo", "errexit", "nounset", "-Oe", "lastpipe", "-c", "x",
        ],
        &pipes(),
        expect!["bash -o errexit -o nounset -O lastpipe --disable-color -c x"],
    );
}

#[test]
fn option_names_are_checked_because_brush_ignores_unknown_ones() {
    check(
        &["bash", "-o", "nosuch", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: nosuch: invalid option name (brush-bash)"],
    );
    check(
        &["bash", "-O", "nosuch", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: nosuch: invalid shell option name (brush-bash)"],
    );
    // bash takes the name and ignores it; nothing is passed.
    check(
        &["bash", "-o", "nolog", "-O", "login_shell", "-c", "x"],
        &pipes(),
        expect!["bash --disable-color -c x"],
    );
    check(
        &["bash", "-O", "syslog_history", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: -O syslog_history: not supported by brush-bash: brush 0.4 has no `syslog_history` option"],
    );
}

#[test]
fn options_brush_takes_but_ignores_are_refused_where_they_would_matter() {
    check(
        &["bash", "-v", "script"],
        &pipes(),
        expect!["exit 2: bash: -v: not supported by brush-bash: brush 0.4 takes `verbose` but always behaves as if it were off"],
    );
    check(
        &["bash", "--verbose", "script"],
        &pipes(),
        expect!["exit 2: bash: -v: not supported by brush-bash: brush 0.4 takes `verbose` but always behaves as if it were off"],
    );
    check(
        &["bash", "-O", "globstar", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: -O globstar: not supported by brush-bash: brush 0.4 takes `globstar` but always behaves as if it were off"],
    );
    check(
        &["bash", "+h", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: +h: not supported by brush-bash: brush 0.4 takes `hashall` but always behaves as if it were on"],
    );
    check(
        &["bash", "+O", "expand_aliases", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: +O expand_aliases: not supported by brush-bash: brush 0.4 takes `expand_aliases` but always behaves as if it were on"],
    );
    // The value brush always has is passed on (so `$-` and `shopt` say so).
    check(
        &["bash", "-O", "extglob", "+v", "-c", "x"],
        &pipes(),
        expect!["bash --+o verbose -O extglob --disable-color -c x"],
    );
    // Editing and job-notification options only matter interactively.
    check(
        &["bash", "-o", "vi", "-b", "-c", "x"],
        &pipes(),
        expect!["bash -o vi -o notify --disable-color -c x"],
    );
    check(
        &["bash", "-o", "vi"],
        &pty(),
        expect!["exit 2: bash: -o vi: not supported by brush-bash: brush 0.4 takes `vi` but always behaves as if it were off"],
    );
}

#[test]
fn argv0_decides_login_and_sh_mode() {
    check(
        &["-bash"],
        &serial(),
        expect![
            "-bash --login -i --input-backend minimal  [interactive, login, takes the terminal]"
        ],
    );
    check(
        &["-sh"],
        &pty(),
        expect!["-sh --sh --login -i  [interactive, login, takes the terminal]"],
    );
    check(
        &["sh", "-c", "echo $0"],
        &pipes(),
        expect!["sh --sh --disable-color -c 'echo $0'"],
    );
    check(
        &["/run/current-system/sw/bin/sh", "-e", "script"],
        &pipes(),
        expect!["/run/current-system/sw/bin/sh --sh -o errexit --disable-color script"],
    );
    check(
        &["-su", "-c", "id"],
        &pipes(),
        expect!["-su --login --disable-color -c id  [login]"],
    );
}

#[test]
fn login_flags_and_startup_files() {
    check(
        &["bash", "-l", "-c", "x"],
        &pipes(),
        expect!["bash --login --disable-color -c x  [login]"],
    );
    check(
        &["bash", "--login", "--noprofile", "--norc", "-c", "x"],
        &pipes(),
        expect!["bash --login --noprofile --norc --disable-color -c x  [login]"],
    );
    check(
        &["bash", "--rcfile", "/etc/rc", "-i"],
        &pty(),
        expect!["bash -i --rcfile=/etc/rc  [interactive, takes the terminal]"],
    );
    check(
        &["bash", "--init-file", "-odd-name"],
        &pty(),
        expect!["bash -i --rcfile=-odd-name  [interactive, takes the terminal]"],
    );
    check(
        &["bash", "--posix", "--noediting", "-c", "x"],
        &pipes(),
        expect!["bash --posix --noediting --disable-color -c x"],
    );
    // The backdoor shell of the NixOS test driver.
    check(
        &["bash", "--norc", "/dev/hvc0"],
        &pipes(),
        expect!["bash --norc --disable-color /dev/hvc0"],
    );
}

#[test]
fn long_options_take_one_dash_too_but_only_before_the_letters() {
    check(
        &["bash", "-login", "-norc", "-c", "x"],
        &pipes(),
        expect!["bash --login --norc --disable-color -c x  [login]"],
    );
    // After a letter, `-norc` is -n -o rc and `--login` is not an option.
    check(
        &["bash", "-e", "-norc", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: -c: invalid option name (brush-bash)"],
    );
    check(
        &["bash", "-e", "--login"],
        &pipes(),
        expect!["exit 2: bash: --: invalid option (brush-bash)"],
    );
    check(
        &["bash", "--rcfile=/etc/rc"],
        &pipes(),
        expect!["exit 2: bash: --rcfile=/etc/rc: invalid option (brush-bash)"],
    );
    check(
        &["bash", "--rcfile"],
        &pipes(),
        expect!["exit 2: bash: --rcfile: option requires an argument (brush-bash)"],
    );
}

#[test]
fn help_and_version_are_brushs_and_end_the_parse() {
    check(&["bash", "--version"], &pipes(), expect!["bash --version"]);
    check(
        &["bash", "--norc", "--help", "-r"],
        &pty(),
        expect!["bash --help"],
    );
    check(
        &["bash", "--version", "--help"],
        &pipes(),
        expect!["bash --help"],
    );
    check(
        &["bash", "--version", "--frob"],
        &pipes(),
        expect!["exit 2: bash: --frob: invalid option (brush-bash)"],
    );
}

#[test]
fn stdin_lone_dash_and_double_dash() {
    check(
        &["bash", "-s", "a", "-x"],
        &pipes(),
        expect!["bash --disable-color --input-backend minimal -s a -x"],
    );
    check(
        &["bash", "-s", "--", "--", "a"],
        &pipes(),
        expect!["bash --disable-color --input-backend minimal -s -- a"],
    );
    check(
        &["bash"],
        &pipes(),
        expect!["bash --disable-color --input-backend minimal"],
    );
    check(
        &["bash", "-", "script", "-x"],
        &pipes(),
        expect!["bash --disable-color script -x"],
    );
    check(
        &["bash", "-e", "--", "-weird.sh", "a"],
        &pipes(),
        expect!["bash -o errexit --disable-color ./-weird.sh a"],
    );
    // Script parameters may look like options, or hold `--`.
    check(
        &["bash", "script", "-c", "x", "--", "--help"],
        &pipes(),
        expect!["bash --disable-color script -c x -- --help"],
    );
}

#[test]
fn interactive_as_bash_decides_it() {
    check(
        &["bash"],
        &pty(),
        expect!["bash -i  [interactive, takes the terminal]"],
    );
    // brush alone would not call `bash -s args` on a terminal interactive.
    check(
        &["bash", "-s", "a"],
        &pty(),
        expect!["bash -i -s a  [interactive, takes the terminal]"],
    );
    // -i without a terminal: interactive, but no terminal to take.
    check(
        &["bash", "-i"],
        &pipes(),
        expect!["bash -i --disable-color --input-backend minimal  [interactive]"],
    );
    check(
        &["bash", "+i", "-i", "+i", "-c", "x"],
        &pty(),
        expect!["bash -c x"],
    );
    // Scripts and -c never take the terminal, wherever they run.
    check(&["bash", "script"], &serial(), expect!["bash script"]);
    check(&["bash", "-c", "x"], &pty(), expect!["bash -c x"]);
    // stderr not a terminal: not interactive, yet commands come from one.
    let half = Terminal {
        stderr_is_tty: false,
        ..pty()
    };
    check(&["bash"], &half, expect!["bash --disable-color"]);
}

#[test]
fn terminals_that_answer_queries() {
    let answers = |t: Terminal| t.answers_queries();
    assert!(answers(pty()));
    let vt = Terminal {
        term: Some("linux".into()),
        stdin_device: Some("/dev/tty1".into()),
        ..pty()
    };
    assert!(answers(vt));
    assert!(!answers(serial()));
    assert!(!answers(pipes()));
    for device in ["/dev/hvc0", "/dev/ttyAMA0", "/dev/console", "/dev/ttyUSB1"] {
        let t = Terminal {
            stdin_device: Some(device.into()),
            ..pty()
        };
        assert!(!answers(t), "{device}");
    }
    for term in [None, Some(""), Some("dumb")] {
        let t = Terminal {
            term: term.map(str::to_string),
            ..pty()
        };
        assert!(!answers(t), "{term:?}");
    }
    check(
        &["bash"],
        &Terminal {
            term: Some("dumb".into()),
            ..pty()
        },
        expect!["bash -i --input-backend minimal  [interactive, takes the terminal]"],
    );
}

#[test]
fn restricted_and_other_modes_brush_lacks_are_refused() {
    check(
        &["bash", "-r"],
        &pipes(),
        expect!["exit 2: bash: -r: not supported by brush-bash: brush 0.4 has no restricted mode"],
    );
    check(
        &["bash", "--restricted", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: --restricted: not supported by brush-bash: brush 0.4 has no restricted mode"],
    );
    check(
        &["/usr/bin/rbash"],
        &pipes(),
        expect![
            "exit 2: bash: rbash: not supported by brush-bash: brush 0.4 has no restricted mode"
        ],
    );
    // `+r` leaves restricted mode off, which it is.
    check(
        &["bash", "+r", "-c", "x"],
        &pipes(),
        expect!["bash --disable-color -c x"],
    );
    check(
        &["bash", "+D", "-c", "x"],
        &pipes(),
        expect!["exit 2: bash: +D: not supported by brush-bash: brush 0.4 cannot list translatable strings"],
    );
    check(
        &["bash", "--debugger", "script"],
        &pipes(),
        expect!["exit 2: bash: --debugger: not supported by brush-bash: brush 0.4 has no debugger support"],
    );
    check(
        &["bash", "--debug", "script"],
        &pipes(),
        expect!["exit 2: bash: --debug: not supported by brush-bash: bash's internal debugging switch has no brush equivalent"],
    );
    check(
        &["bash", "--pretty-print", "script"],
        &pipes(),
        expect!["exit 2: bash: --pretty-print: not supported by brush-bash: brush 0.4 has no pretty-printer"],
    );
    check(
        &["bash", "-o"],
        &pipes(),
        expect!["exit 2: bash: -o: not supported by brush-bash: listing the options at startup (no option name given) is not available"],
    );
}

#[test]
fn invalid_invocations_fail_as_in_bash() {
    check(
        &["bash", "-Z"],
        &pipes(),
        expect!["exit 2: bash: -Z: invalid option (brush-bash)"],
    );
    check(
        &["bash", "+Z"],
        &pipes(),
        expect!["exit 2: bash: +Z: invalid option (brush-bash)"],
    );
    check(
        &["bash", "--frobnicate"],
        &pipes(),
        expect!["exit 2: bash: --frobnicate: invalid option (brush-bash)"],
    );
    check(
        &["bash", "-c"],
        &pipes(),
        expect!["exit 2: bash: -c: option requires an argument (brush-bash)"],
    );
    check(
        &["bash", "-e", "-c", "--"],
        &pipes(),
        expect!["exit 2: bash: -c: option requires an argument (brush-bash)"],
    );
}

#[test]
fn arguments_brush_would_misread_are_refused() {
    check(
        &["bash", "-c", "echo $0", "-x"],
        &pipes(),
        expect!["exit 2: bash: -c: not supported by brush-bash: brush 0.4 would read the name `-x` ($0) as an option"],
    );
    check(
        &["bash", "-s", "--", "-x"],
        &pipes(),
        expect!["exit 2: bash: -s: not supported by brush-bash: brush 0.4 would read the first parameter `-x` as an option"],
    );
    check(
        &["bash", "-c", "echo $1", "name", "+Ofoo"],
        &pipes(),
        expect!["exit 2: bash: `+Ofoo`: not supported by brush-bash: brush 0.4 rewrites every argument that starts with `+O` into `--+O...`"],
    );
    check(
        &["bash", "script", "-ec", "--", "x"],
        &pipes(),
        expect!["exit 2: bash: `-ec --`: not supported by brush-bash: brush 0.4 drops a `--` that follows an argument like `-c`"],
    );
    // Only the first `--` matters to brush; `-o` takes a value.
    check(
        &["bash", "script", "--", "-c", "--"],
        &pipes(),
        expect!["bash --disable-color script -- -c --"],
    );
    check(
        &["bash", "script", "-oc", "--"],
        &pipes(),
        expect!["bash --disable-color script -oc --"],
    );
}

#[test]
fn arguments_that_are_not_utf8_are_refused() {
    let args = [
        OsString::from("-c"),
        OsString::from_vec(b"echo \xff".to_vec()),
    ];
    let err = translate("bash".as_ref(), &args, &pipes()).unwrap_err();
    expect!["bash: argument 2: not supported by brush-bash: not valid UTF-8; brush 0.4 reads its arguments as UTF-8 and panics on others"]
        .assert_eq(&err.to_string());
}

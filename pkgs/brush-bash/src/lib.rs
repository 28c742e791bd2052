//! Translate bash's invocation grammar into brush's command line.
//!
//! bash: `bash [long options] [-abefhkmnptuvxBCEHPT] [-o name] [+o name]
//! [-O shopt] [-c | -s | -i | -l | -r] [--] [operands]`, with single letters
//! combined (`-eu`, `-ec 'cmd'`), `+` turning an option off, `-c` taking the
//! command string from the first *operand*, and argv[0] deciding login
//! (`-bash`) and sh mode (`sh`). brush 0.4 takes a subset with other
//! spellings (every `set -o` name through `-o`, no `+` forms, no restricted
//! mode). [`translate`] maps one onto the other or says why it cannot.

use std::fmt;

/// What the launcher knows about its terminal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tty {
    pub stdin: bool,
    pub stderr: bool,
    /// stdin is a serial line (ttyS*, ttyAMA*, hvc*, console...) or TERM is
    /// unset or `dumb`: nothing answers terminal queries there.
    pub dumb: bool,
}

/// The brush invocation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// argv[0] for brush (bash's own, so `$0` matches bash's).
    pub argv0: String,
    pub args: Vec<String>,
    pub interactive: bool,
    pub login: bool,
}

impl Plan {
    /// Interactive shells on a terminal take its foreground process group.
    pub fn takes_terminal(&self, tty: Tty) -> bool {
        self.interactive && tty.stdin
    }
}

/// Why bash's command line cannot be given to brush; exit status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsupported(pub String);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `set` letters and their `-o` names (bash's `set` builtin).
const LETTERS: &[(char, &str)] = &[
    ('a', "allexport"),
    ('b', "notify"),
    ('e', "errexit"),
    ('f', "noglob"),
    ('h', "hashall"),
    ('k', "keyword"),
    ('m', "monitor"),
    ('n', "noexec"),
    ('p', "privileged"),
    ('t', "onecmd"),
    ('u', "nounset"),
    ('v', "verbose"),
    ('x', "xtrace"),
    ('B', "braceexpand"),
    ('C', "noclobber"),
    ('E', "errtrace"),
    ('H', "histexpand"),
    ('P', "physical"),
    ('T', "functrace"),
];

/// `set -o` names brush accepts at startup (checked against brush 0.4).
const O_NAMES: &[&str] = &[
    "allexport",
    "braceexpand",
    "emacs",
    "errexit",
    "errtrace",
    "functrace",
    "hashall",
    "histexpand",
    "history",
    "ignoreeof",
    "interactive-comments",
    "keyword",
    "monitor",
    "noclobber",
    "noexec",
    "noglob",
    "nolog",
    "notify",
    "nounset",
    "onecmd",
    "physical",
    "pipefail",
    "posix",
    "privileged",
    "verbose",
    "vi",
    "xtrace",
];

/// Options bash has on by default: turning them off cannot be expressed
/// to brush at startup. (monitor and histexpand only when interactive.)
fn on_by_default(name: &str, interactive: bool) -> bool {
    matches!(name, "braceexpand" | "hashall" | "interactive-comments")
        || (interactive && matches!(name, "monitor" | "histexpand" | "history"))
}

/// shopt options bash has on by default (`shopt` in a non-interactive bash 5).
const SHOPT_ON: &[&str] = &[
    "checkwinsize",
    "cmdhist",
    "complete_fullquote",
    "extquote",
    "force_fignore",
    "globasciiranges",
    "globskipdots",
    "hostcomplete",
    "interactive_comments",
    "patsub_replacement",
    "progcomp",
    "promptvars",
    "sourcepath",
];

fn last_settings(list: &[(String, bool)]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    for (name, on) in list {
        match out.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = *on,
            None => out.push((name.clone(), *on)),
        }
    }
    out
}

fn basename(argv0: &str) -> &str {
    argv0.rsplit('/').next().unwrap_or(argv0)
}

fn err(msg: impl Into<String>) -> Result<Plan, Unsupported> {
    Err(Unsupported(msg.into()))
}

/// Translate `argv0 args...` as bash would read them.
pub fn translate(argv0: &str, args: &[String], tty: Tty) -> Result<Plan, Unsupported> {
    let base = basename(argv0);
    let login_by_name = base.starts_with('-');
    let name = base.trim_start_matches('-');
    if name == "rbash" {
        return err("bash: restricted mode (rbash) is not supported by brush");
    }
    let sh_mode = name == "sh";

    let mut options: Vec<(String, bool)> = Vec::new();
    let mut shopts: Vec<(String, bool)> = Vec::new();
    let mut long: Vec<String> = Vec::new();
    let (mut command, mut stdin_mode, mut interactive_flag, mut login) =
        (false, false, false, login_by_name);
    let mut i = 0;
    let mut operands_from = args.len();
    while i < args.len() {
        let a = args[i].as_str();
        if a == "--" || a == "-" {
            operands_from = i + 1;
            break;
        }
        if let Some(opt) = a.strip_prefix("--") {
            let (key, inline) = match opt.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (opt, None),
            };
            match key {
                "login" => login = true,
                "noprofile" | "norc" | "posix" | "noediting" => long.push(a.to_string()),
                "verbose" => options.push(("verbose".into(), true)),
                "rcfile" | "init-file" => {
                    let file = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            match args.get(i) {
                                Some(v) => v.clone(),
                                None => {
                                    return err(format!(
                                        "bash: --{key}: option requires an argument"
                                    ))
                                }
                            }
                        }
                    };
                    long.push("--rcfile".into());
                    long.push(file);
                }
                "version" | "help" => {
                    return Ok(Plan {
                        argv0: argv0.to_string(),
                        args: vec![a.to_string()],
                        interactive: false,
                        login: false,
                    })
                }
                "restricted" => {
                    return err("bash: --restricted: restricted mode is not supported by brush")
                }
                "debugger" | "dump-strings" | "dump-po-strings" | "pretty-print" | "wordexp"
                | "protected" => return err(format!("bash: --{key}: not supported by brush")),
                _ => return err(format!("bash: --{key}: invalid option")),
            }
            i += 1;
            continue;
        }
        let (on, letters) = match (a.strip_prefix('-'), a.strip_prefix('+')) {
            (Some(l), _) if !l.is_empty() => (true, l),
            (_, Some(l)) if !l.is_empty() => (false, l),
            _ => {
                operands_from = i;
                break;
            }
        };
        // Letters that take a value read it from the next argument.
        let mut takes_next = 0;
        for c in letters.chars() {
            match c {
                'c' if on => command = true,
                's' if on => stdin_mode = true,
                'i' if on => interactive_flag = true,
                'l' if on => login = true,
                'r' => {
                    return err(format!(
                        "bash: {}r: restricted mode is not supported by brush",
                        if on { '-' } else { '+' }
                    ))
                }
                'D' => return err("bash: -D: not supported by brush"),
                'o' | 'O' => {
                    takes_next += 1;
                    let Some(value) = args.get(i + takes_next) else {
                        return err(format!(
                            "bash: {}{c}: option requires an argument",
                            if on { '-' } else { '+' }
                        ));
                    };
                    if c == 'o' {
                        if !O_NAMES.contains(&value.as_str()) {
                            return err(format!("bash: {value}: invalid option name"));
                        }
                        options.push((value.clone(), on));
                    } else {
                        shopts.push((value.clone(), on));
                    }
                }
                _ => match LETTERS.iter().find(|(l, _)| *l == c) {
                    Some((_, name)) => options.push((name.to_string(), on)),
                    None => {
                        return err(format!(
                            "bash: {}{c}: invalid option",
                            if on { '-' } else { '+' }
                        ))
                    }
                },
            }
        }
        i += 1 + takes_next;
    }
    if operands_from > args.len() {
        operands_from = args.len();
    }
    let operands = &args[operands_from..];

    let script = !command && !stdin_mode && !operands.is_empty();
    let interactive = interactive_flag || (!command && !script && tty.stdin && tty.stderr);

    let mut out: Vec<String> = Vec::new();
    if sh_mode {
        out.push("--sh".into());
    }
    if login {
        out.push("--login".into());
    }
    if interactive_flag {
        out.push("-i".into());
    }
    out.extend(long);
    // The last setting of each option wins, as in bash; the order of
    // first appearance is kept.
    for (name, on) in last_settings(&options) {
        if on {
            out.push("-o".into());
            out.push(name);
        } else if on_by_default(&name, interactive) {
            return err(format!(
                "bash: +o {name}: brush cannot start with {name} turned off"
            ));
        }
    }
    for (name, on) in last_settings(&shopts) {
        if on {
            out.push("-O".into());
            out.push(name);
        } else if SHOPT_ON.contains(&name.as_str()) {
            return err(format!(
                "bash: +O {name}: brush cannot start with {name} turned off"
            ));
        }
    }
    if interactive && tty.dumb {
        // brush's line editors query the terminal (cursor position) and hang
        // where nothing answers, as on a serial console.
        out.push("--input-backend".into());
        out.push("minimal".into());
    }
    if command {
        let Some(cmd) = operands.first() else {
            return err("bash: -c: option requires an argument");
        };
        out.push("-c".into());
        out.push(cmd.clone());
        if let Some(zero) = operands.get(1) {
            if zero.starts_with('-') && zero != "--" && zero != "-" {
                return err(format!(
                    "bash: -c: brush cannot take `{zero}` as $0 (it would read it as an option)"
                ));
            }
        }
        out.extend(operands[1..].iter().cloned());
    } else if stdin_mode {
        out.push("-s".into());
        if operands.first().is_some_and(|o| o.starts_with('-')) {
            return err("bash: -s: brush cannot take positional parameters that start with `-`");
        }
        out.extend(operands.iter().cloned());
    } else if script {
        let path = &operands[0];
        // brush reads `--` as a script name: give such paths a `./`.
        out.push(if path.starts_with('-') {
            format!("./{path}")
        } else {
            path.clone()
        });
        out.extend(operands[1..].iter().cloned());
    }
    Ok(Plan {
        argv0: argv0.to_string(),
        args: out,
        interactive,
        login,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(argv: &[&str], tty: Tty, want: Expect) {
        let args: Vec<String> = argv[1..].iter().map(|s| s.to_string()).collect();
        let got = match translate(argv[0], &args, tty) {
            Ok(p) => format!(
                "{} {}{}{}",
                p.argv0,
                p.args
                    .iter()
                    .map(|a| if a.contains(' ') || a.is_empty() {
                        format!("'{a}'")
                    } else {
                        a.clone()
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                if p.interactive { "  [interactive]" } else { "" },
                if p.login { "  [login]" } else { "" }
            ),
            Err(e) => format!("exit 2: {e}"),
        };
        want.assert_eq(&got);
    }

    const NO_TTY: Tty = Tty {
        stdin: false,
        stderr: false,
        dumb: false,
    };
    const SERIAL: Tty = Tty {
        stdin: true,
        stderr: true,
        dumb: true,
    };
    const TERMINAL: Tty = Tty {
        stdin: true,
        stderr: true,
        dumb: false,
    };

    #[test]
    fn combined_letters_and_c_with_dollar_zero() {
        check(
            &["bash", "-eu", "-o", "pipefail", "script.sh", "a"],
            NO_TTY,
            expect!["bash -o errexit -o nounset -o pipefail script.sh a"],
        );
        check(
            &["bash", "-ec", "echo $0 $1", "name", "arg"],
            NO_TTY,
            expect!["bash -o errexit -c 'echo $0 $1' name arg"],
        );
        check(
            &["/bin/bash", "-c", "-x", "echo hi"],
            NO_TTY,
            expect!["/bin/bash -o xtrace -c 'echo hi'"],
        );
        check(
            &["bash", "-exc", "true"],
            NO_TTY,
            expect!["bash -o errexit -o xtrace -c true"],
        );
    }

    #[test]
    fn plus_forms_turn_options_off() {
        check(
            &["bash", "-e", "+e", "-c", "false"],
            NO_TTY,
            expect!["bash -c false"],
        );
        check(
            &["bash", "+o", "errexit", "-c", "x"],
            NO_TTY,
            expect!["bash -c x"],
        );
        check(&["bash", "+x", "-c", "x"], NO_TTY, expect!["bash -c x"]);
        check(
            &["bash", "+h", "-c", "x"],
            NO_TTY,
            expect!["exit 2: bash: +o hashall: brush cannot start with hashall turned off"],
        );
        check(
            &["bash", "-O", "extglob", "+O", "nullglob", "-c", "x"],
            NO_TTY,
            expect!["bash -O extglob -c x"],
        );
        check(
            &["bash", "+O", "sourcepath", "-c", "x"],
            NO_TTY,
            expect!["exit 2: bash: +O sourcepath: brush cannot start with sourcepath turned off"],
        );
    }

    #[test]
    fn login_and_sh_from_argv0() {
        check(
            &["-bash"],
            SERIAL,
            expect!["-bash --login --input-backend minimal  [interactive]  [login]"],
        );
        check(
            &["-sh"],
            TERMINAL,
            expect!["-sh --sh --login  [interactive]  [login]"],
        );
        check(
            &["sh", "-c", "echo $0"],
            NO_TTY,
            expect!["sh --sh -c 'echo $0'"],
        );
        check(
            &["/run/current-system/sw/bin/sh", "script"],
            NO_TTY,
            expect!["/run/current-system/sw/bin/sh --sh script"],
        );
        check(
            &["bash", "-l", "--noprofile", "--norc"],
            TERMINAL,
            expect!["bash --login --noprofile --norc  [interactive]  [login]"],
        );
        check(
            &["bash", "--login", "-i"],
            NO_TTY,
            expect!["bash --login -i  [interactive]  [login]"],
        );
    }

    #[test]
    fn serial_console_gets_the_minimal_input_backend() {
        check(
            &["bash", "-i"],
            SERIAL,
            expect!["bash -i --input-backend minimal  [interactive]"],
        );
        check(&["bash"], TERMINAL, expect!["bash   [interactive]"]);
        // A script on a serial console is not interactive: nothing to add.
        check(&["bash", "x.sh"], SERIAL, expect!["bash x.sh"]);
    }

    #[test]
    fn stdin_lone_dash_and_double_dash() {
        check(&["bash", "-s", "a", "b"], NO_TTY, expect!["bash -s a b"]);
        check(&["bash", "-", "x.sh", "a"], NO_TTY, expect!["bash x.sh a"]);
        check(
            &["bash", "--", "-weird.sh"],
            NO_TTY,
            expect!["bash ./-weird.sh"],
        );
        check(
            &["bash", "-c", "echo $0", "--", "x"],
            NO_TTY,
            expect!["bash -c 'echo $0' -- x"],
        );
        check(&["bash"], NO_TTY, expect!["bash "]);
    }

    #[test]
    fn rc_files_posix_and_info() {
        check(
            &["bash", "--rcfile", "/etc/rc", "-i"],
            TERMINAL,
            expect!["bash -i --rcfile /etc/rc  [interactive]"],
        );
        check(
            &["bash", "--init-file=/etc/rc"],
            TERMINAL,
            expect!["bash --rcfile /etc/rc  [interactive]"],
        );
        check(
            &["bash", "--posix", "-c", "x"],
            NO_TTY,
            expect!["bash --posix -c x"],
        );
        check(&["bash", "--version"], NO_TTY, expect!["bash --version"]);
    }

    #[test]
    fn unsupported_or_invalid_is_refused_with_a_reason() {
        check(
            &["bash", "-r"],
            NO_TTY,
            expect!["exit 2: bash: -r: restricted mode is not supported by brush"],
        );
        check(
            &["rbash"],
            NO_TTY,
            expect!["exit 2: bash: restricted mode (rbash) is not supported by brush"],
        );
        check(
            &["bash", "--restricted"],
            NO_TTY,
            expect!["exit 2: bash: --restricted: restricted mode is not supported by brush"],
        );
        check(
            &["bash", "-Z"],
            NO_TTY,
            expect!["exit 2: bash: -Z: invalid option"],
        );
        check(
            &["bash", "--frobnicate"],
            NO_TTY,
            expect!["exit 2: bash: --frobnicate: invalid option"],
        );
        check(
            &["bash", "-o", "nosuch"],
            NO_TTY,
            expect!["exit 2: bash: nosuch: invalid option name"],
        );
        check(
            &["bash", "-o"],
            NO_TTY,
            expect!["exit 2: bash: -o: option requires an argument"],
        );
        check(
            &["bash", "-c"],
            NO_TTY,
            expect!["exit 2: bash: -c: option requires an argument"],
        );
        check(
            &["bash", "-c", "x", "-n"],
            NO_TTY,
            expect![
                "exit 2: bash: -c: brush cannot take `-n` as $0 (it would read it as an option)"
            ],
        );
        check(
            &["bash", "--dump-strings"],
            NO_TTY,
            expect!["exit 2: bash: --dump-strings: not supported by brush"],
        );
    }
}

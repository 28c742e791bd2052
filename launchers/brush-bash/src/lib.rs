//! Translate bash's invocation grammar into brush's command line.
//!
//! bash reads its arguments in two passes (`shell.c`): first a run of long
//! options (`--login`, and also `-login` with one dash), then single letters
//! introduced by `-` or `+`, possibly combined (`-eu`, `-ec`, `+o name`),
//! where `o` and `O` take the next argument as their value. `-` or `--` end
//! the options. `-c` takes its command string from the first operand; the
//! operands after it are `$0` and the positional parameters. argv[0] decides
//! login (`-bash`) and sh mode (`sh`).
//!
//! brush 0.4 parses its arguments with clap: every `set -o` name through
//! `-o`, `--+o`/`--+O` to turn options off, `--sh`, `--login`, and a few
//! quirks the translation has to avoid (see [`translate`]). An option brush
//! cannot honour is refused with exit status 2 rather than dropped.

use std::ffi::{OsStr, OsString};
use std::fmt;

/// How brush 0.4 handles a bash option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Brush {
    /// brush takes the name and acts on it.
    Acts,
    /// brush takes the name but always behaves as if the option had the
    /// given value; asking for the other value is refused (where the option
    /// has an effect at all: `interactive_only` options only matter in
    /// interactive shells).
    Fixed { value: bool, interactive_only: bool },
    /// bash accepts the name and does nothing with it; so does the launcher.
    Ignored,
    /// brush has no such option at all.
    Missing,
}

const ACTS: Brush = Brush::Acts;
const fn fixed(value: bool) -> Brush {
    Brush::Fixed {
        value,
        interactive_only: false,
    }
}
const fn fixed_interactive(value: bool) -> Brush {
    Brush::Fixed {
        value,
        interactive_only: true,
    }
}

/// `set -o` options: name, single letter (bash's `set` letters), brush.
/// The names are bash 5.3's; brush 0.4 knows all of them except `nolog`,
/// and ignores unknown names silently, which is why they are checked here.
/// `Fixed` entries: brush stores the value but never reads it (checked
/// against brush 0.4's source and, where the effect is visible outside an
/// interactive terminal, by `inert_options_still_have_no_effect` in
/// tests/differential.rs).
const SET_OPTIONS: &[(&str, Option<char>, Brush)] = &[
    ("allexport", Some('a'), ACTS),
    ("braceexpand", Some('B'), ACTS),
    ("emacs", None, ACTS),
    ("errexit", Some('e'), ACTS),
    ("errtrace", Some('E'), ACTS),
    ("functrace", Some('T'), ACTS),
    ("hashall", Some('h'), fixed(true)),
    ("histexpand", Some('H'), fixed(false)),
    ("history", None, ACTS),
    ("ignoreeof", None, fixed_interactive(false)),
    ("interactive-comments", None, fixed_interactive(true)),
    ("keyword", Some('k'), fixed(false)),
    ("monitor", Some('m'), ACTS),
    ("noclobber", Some('C'), ACTS),
    ("noexec", Some('n'), ACTS),
    ("noglob", Some('f'), ACTS),
    ("nolog", None, Brush::Ignored),
    ("notify", Some('b'), fixed_interactive(false)),
    ("nounset", Some('u'), ACTS),
    ("onecmd", Some('t'), ACTS),
    ("physical", Some('P'), ACTS),
    ("pipefail", None, ACTS),
    ("posix", None, ACTS),
    ("privileged", Some('p'), fixed(false)),
    ("verbose", Some('v'), fixed(false)),
    ("vi", None, fixed_interactive(false)),
    ("xtrace", Some('x'), ACTS),
];

/// `shopt` options (bash 5.3's list, which is also brush 0.4's) and how
/// brush handles them. `Fixed` as for [`SET_OPTIONS`].
const SHOPT_OPTIONS: &[(&str, Brush)] = &[
    ("array_expand_once", ACTS),
    ("assoc_expand_once", ACTS),
    ("autocd", ACTS),
    ("bash_source_fullpath", ACTS),
    ("cdable_vars", fixed(false)),
    ("cdspell", ACTS),
    ("checkhash", ACTS),
    ("checkjobs", ACTS),
    ("checkwinsize", ACTS),
    ("cmdhist", ACTS),
    ("compat31", ACTS),
    ("compat32", ACTS),
    ("compat40", ACTS),
    ("compat41", ACTS),
    ("compat42", ACTS),
    ("compat43", ACTS),
    ("compat44", ACTS),
    ("complete_fullquote", ACTS),
    ("direxpand", ACTS),
    ("dirspell", ACTS),
    ("dotglob", ACTS),
    // brush survives a failed `exec` whatever the option says.
    ("execfail", fixed(true)),
    // brush expands aliases in every shell, interactive or not.
    ("expand_aliases", fixed(true)),
    ("extdebug", ACTS),
    // brush parses extended patterns whatever the option says.
    ("extglob", fixed(true)),
    ("extquote", ACTS),
    ("failglob", ACTS),
    ("force_fignore", ACTS),
    ("globasciiranges", ACTS),
    ("globskipdots", fixed(true)),
    ("globstar", fixed(false)),
    ("gnu_errfmt", ACTS),
    ("histappend", ACTS),
    ("histreedit", ACTS),
    ("histverify", ACTS),
    ("hostcomplete", ACTS),
    ("huponexit", ACTS),
    ("inherit_errexit", ACTS),
    ("interactive_comments", fixed_interactive(true)),
    ("lastpipe", ACTS),
    ("lithist", ACTS),
    ("localvar_inherit", fixed(false)),
    ("localvar_unset", ACTS),
    // Read-only in bash: setting them at startup is silently ignored.
    ("login_shell", Brush::Ignored),
    ("mailwarn", ACTS),
    ("no_empty_cmd_completion", ACTS),
    ("nocaseglob", ACTS),
    ("nocasematch", ACTS),
    ("noexpand_translation", ACTS),
    ("nullglob", ACTS),
    // brush does not replace `&` in ${var/pattern/string}.
    ("patsub_replacement", fixed(false)),
    ("progcomp", ACTS),
    ("progcomp_alias", ACTS),
    ("promptvars", ACTS),
    ("restricted_shell", Brush::Ignored),
    ("shift_verbose", fixed(false)),
    ("sourcepath", ACTS),
    // Only in bash builds configured for it; brush has no syslog history.
    ("syslog_history", Brush::Missing),
    ("varredir_close", ACTS),
    ("xpg_echo", fixed(false)),
];

/// brush's boolean single-letter flags (its clap definition). brush drops a
/// `--` that follows an argument made only of these and ending in `c`.
const BRUSH_BOOL_LETTERS: &str = "Cefilnstuvx";

/// What the launcher sees of its standard streams.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terminal {
    pub stdin_is_tty: bool,
    pub stderr_is_tty: bool,
    /// The `TERM` variable, if set.
    pub term: Option<String>,
    /// The device behind stdin (`ttyname(0)`), if stdin is a terminal.
    pub stdin_device: Option<String>,
}

/// Device name prefixes of serial lines and consoles: nothing on the other
/// end is known to answer a cursor-position query there.
const SERIAL_DEVICES: &[&str] = &[
    "/dev/console",
    "/dev/hvc",
    "/dev/hvsi",
    "/dev/ttyACM",
    "/dev/ttyAMA",
    "/dev/ttyO",
    "/dev/ttyPS",
    "/dev/ttyS",
    "/dev/ttySAC",
    "/dev/ttyTHS",
    "/dev/ttyUSB",
    "/dev/ttymxc",
    "/dev/ttysclp",
    "/dev/xvc",
];

impl Terminal {
    /// Whether stdin is a terminal that answers escape-sequence queries,
    /// which brush's line editor sends and then waits for: a tty that is
    /// not a serial line or console, with `TERM` set and not `dumb`.
    pub fn answers_queries(&self) -> bool {
        let term_ok = self
            .term
            .as_deref()
            .is_some_and(|t| !t.is_empty() && t != "dumb");
        let serial = self
            .stdin_device
            .as_deref()
            .is_some_and(|d| SERIAL_DEVICES.iter().any(|p| d.starts_with(p)));
        self.stdin_is_tty && term_ok && !serial
    }
}

/// The brush invocation that does what bash would have done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// argv[0] for brush: bash's own, so that `$0` and login detection match.
    pub argv0: OsString,
    pub args: Vec<OsString>,
    /// bash would run interactively.
    pub interactive: bool,
    pub login: bool,
    /// The launcher makes the shell the terminal's foreground process group
    /// before exec: interactive shells on a terminal only.
    pub take_terminal: bool,
}

/// Why the invocation cannot be handed to brush. Exit status 2 either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TranslateError {
    /// bash rejects it too; the message is bash's.
    Invalid { what: String, message: String },
    /// bash accepts it; brush cannot do it.
    Unsupported { what: String, why: String },
}

impl TranslateError {
    pub fn exit_code(&self) -> u8 {
        2
    }
}

impl fmt::Display for TranslateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Invalid { what, message } => write!(f, "bash: {what}: {message} (brush-bash)"),
            Self::Unsupported { what, why } => {
                write!(f, "bash: {what}: not supported by brush-bash: {why}")
            }
        }
    }
}

impl std::error::Error for TranslateError {}

fn invalid(what: impl Into<String>, message: &str) -> TranslateError {
    TranslateError::Invalid {
        what: what.into(),
        message: message.into(),
    }
}

fn unsupported(what: impl Into<String>, why: impl Into<String>) -> TranslateError {
    TranslateError::Unsupported {
        what: what.into(),
        why: why.into(),
    }
}

/// What was read from bash's command line.
#[derive(Default)]
struct Request {
    login: bool,
    forced_interactive: bool,
    command: bool,
    stdin: bool,
    help: bool,
    version: bool,
    long: Vec<String>,
    /// Last setting of each option, in order of first appearance.
    set: Vec<(usize, bool)>,
    shopt: Vec<(usize, bool)>,
}

fn record(list: &mut Vec<(usize, bool)>, index: usize, on: bool) {
    match list.iter_mut().find(|(i, _)| *i == index) {
        Some(slot) => slot.1 = on,
        None => list.push((index, on)),
    }
}

fn utf8(arg: &OsStr, what: String) -> Result<String, TranslateError> {
    arg.to_str().map(str::to_string).ok_or_else(|| {
        unsupported(
            what,
            "not valid UTF-8; brush 0.4 reads its arguments as UTF-8 and panics on others",
        )
    })
}

/// The first pass: long options, `--name` or `-name`. Returns the index of
/// the first argument it did not take.
fn long_options(args: &[String], req: &mut Request) -> Result<usize, TranslateError> {
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        let (name, double_dash) = match arg.strip_prefix("--").filter(|n| !n.is_empty()) {
            Some(name) => (name, true),
            None => match arg.strip_prefix('-') {
                Some(name) => (name, false),
                None => break,
            },
        };
        if LONG.contains(&name) {
            i = long_option(args, i, name, req)?;
        } else if double_dash {
            return Err(invalid(arg.as_str(), "invalid option"));
        } else {
            // `-` alone, `--`, or single letters: the second pass.
            break;
        }
    }
    Ok(i)
}

/// bash 5.3's long options (`long_args` in shell.c).
const LONG: &[&str] = &[
    "debug",
    "debugger",
    "dump-po-strings",
    "dump-strings",
    "help",
    "init-file",
    "login",
    "noediting",
    "noprofile",
    "norc",
    "posix",
    "pretty-print",
    "protected",
    "rcfile",
    "restricted",
    "verbose",
    "version",
    "wordexp",
];

fn long_option(
    args: &[String],
    i: usize,
    name: &str,
    req: &mut Request,
) -> Result<usize, TranslateError> {
    let what = format!("--{name}");
    match name {
        "login" => req.login = true,
        "noediting" | "noprofile" | "norc" | "posix" => req.long.push(what),
        "verbose" => record(&mut req.set, set_index("verbose"), true),
        "rcfile" | "init-file" => {
            let Some(file) = args.get(i + 1) else {
                return Err(invalid(what, "option requires an argument"));
            };
            // `=` keeps a file name that starts with `-` a value for clap.
            req.long.push(format!("--rcfile={file}"));
            return Ok(i + 2);
        }
        "help" => req.help = true,
        "version" => req.version = true,
        "restricted" => return Err(unsupported(what, "brush 0.4 has no restricted mode")),
        "debugger" => return Err(unsupported(what, "brush 0.4 has no debugger support")),
        "dump-strings" | "dump-po-strings" => {
            return Err(unsupported(
                what,
                "brush 0.4 cannot list translatable strings",
            ))
        }
        "pretty-print" => return Err(unsupported(what, "brush 0.4 has no pretty-printer")),
        "wordexp" | "protected" => {
            return Err(unsupported(
                what,
                "brush 0.4 has no word-expansion-only mode",
            ))
        }
        // "debug": bash's internal debugging switch.
        _ => {
            return Err(unsupported(
                what,
                "bash's internal debugging switch has no brush equivalent",
            ))
        }
    }
    Ok(i + 1)
}

fn set_index(name: &str) -> usize {
    SET_OPTIONS
        .iter()
        .position(|(n, _, _)| *n == name)
        .expect("a bash set -o name")
}

/// The second pass: single letters after `-` or `+`. Returns the index of
/// the first operand.
fn short_options(
    args: &[String],
    mut i: usize,
    req: &mut Request,
) -> Result<usize, TranslateError> {
    while let Some(arg) = args.get(i) {
        if arg == "-" || arg == "--" {
            return Ok(i + 1);
        }
        let (sign, letters) = match arg.split_at_checked(1) {
            Some((s @ ("-" | "+"), rest)) if !rest.is_empty() => (s, rest),
            _ => break,
        };
        let on = sign == "-";
        let mut next = i + 1;
        for c in letters.chars() {
            let what = format!("{sign}{c}");
            match c {
                // As in bash, `+c`, `+l` and `+s` act like their `-` forms.
                'c' => req.command = true,
                'l' => req.login = true,
                's' => req.stdin = true,
                'i' => req.forced_interactive = on,
                'r' if on => {
                    return Err(unsupported(what, "brush 0.4 has no restricted mode"));
                }
                'r' => {}
                'D' => {
                    return Err(unsupported(
                        what,
                        "brush 0.4 cannot list translatable strings",
                    ))
                }
                'o' | 'O' => {
                    let Some(name) = args.get(next) else {
                        return Err(unsupported(
                            what,
                            "listing the options at startup (no option name given) is not available",
                        ));
                    };
                    next += 1;
                    if c == 'o' {
                        let index = SET_OPTIONS
                            .iter()
                            .position(|(n, _, _)| n == name)
                            .ok_or_else(|| invalid(name.as_str(), "invalid option name"))?;
                        record(&mut req.set, index, on);
                    } else {
                        let index = SHOPT_OPTIONS
                            .iter()
                            .position(|(n, _)| n == name)
                            .ok_or_else(|| invalid(name.as_str(), "invalid shell option name"))?;
                        record(&mut req.shopt, index, on);
                    }
                }
                _ => {
                    let index = SET_OPTIONS
                        .iter()
                        .position(|(_, l, _)| *l == Some(c))
                        .ok_or_else(|| invalid(what, "invalid option"))?;
                    record(&mut req.set, index, on);
                }
            }
        }
        i = next;
    }
    Ok(i)
}

/// Checks an option setting against what brush can do: `Ok(true)` to pass
/// it on, `Ok(false)` when there is nothing to pass.
fn check_option(
    what: String,
    name: &str,
    brush: Brush,
    on: bool,
    interactive: bool,
) -> Result<bool, TranslateError> {
    match brush {
        Brush::Acts => Ok(true),
        Brush::Ignored => Ok(false),
        Brush::Missing => Err(unsupported(
            what,
            format!("brush 0.4 has no `{name}` option"),
        )),
        Brush::Fixed {
            value,
            interactive_only,
        } => {
            if on != value && (interactive || !interactive_only) {
                let state = if value { "on" } else { "off" };
                Err(unsupported(
                    what,
                    format!("brush 0.4 takes `{name}` but always behaves as if it were {state}"),
                ))
            } else {
                Ok(true)
            }
        }
    }
}

/// brush's own check for a `-c` that takes the argument after a `--`
/// (entry.rs, `has_pending_c_flag`): such a `--` is removed.
fn looks_like_pending_c(arg: &str) -> bool {
    arg.strip_prefix('-')
        .and_then(|flags| flags.strip_suffix('c'))
        .is_some_and(|before| before.chars().all(|c| BRUSH_BOOL_LETTERS.contains(c)))
}

/// Translate `argv0 args...` as bash reads them into a brush invocation.
///
/// brush quirks the result avoids or refuses:
/// - clap reads any argument starting with `-` as an option: a `-c` command
///   string starting with `-` is attached (`-c-x`), a script path starting
///   with `-` gets `./`, and a `$0` (after `-c`) or first `-s` parameter
///   starting with `-` is refused;
/// - brush keeps a `--` and everything after it as operands, so the
///   launcher never emits `--` itself;
/// - brush rewrites every argument starting with `+O` into `--+O...`, and
///   drops a `--` that follows an argument looking like `-c`/`-ec`: such
///   operands are refused rather than changed;
/// - brush ignores unknown `-o`/`-O` names: names are checked here.
pub fn translate(
    argv0: &OsStr,
    args: &[OsString],
    terminal: &Terminal,
) -> Result<Plan, TranslateError> {
    let argv0_str = utf8(argv0, "argv[0]".into())?;
    let args = args
        .iter()
        .enumerate()
        .map(|(i, a)| utf8(a, format!("argument {}", i + 1)))
        .collect::<Result<Vec<_>, _>>()?;

    let base = argv0_str.rsplit('/').next().unwrap_or_default();
    let name = base.strip_prefix('-').unwrap_or(base);
    if name == "rbash" {
        return Err(unsupported("rbash", "brush 0.4 has no restricted mode"));
    }
    let mut req = Request {
        login: base.starts_with('-'),
        ..Request::default()
    };
    let sh_mode = name == "sh";

    let first_short = long_options(&args, &mut req)?;
    if req.help || req.version {
        // bash prints its help (first) or version and exits before reading
        // the letters.
        let flag = if req.help { "--help" } else { "--version" };
        return Ok(Plan {
            argv0: argv0.to_os_string(),
            args: vec![flag.into()],
            interactive: false,
            login: false,
            take_terminal: false,
        });
    }
    let first_operand = short_options(&args, first_short, &mut req)?;
    let operands = &args[first_operand..];

    let script = !req.command && !req.stdin && !operands.is_empty();
    let reads_stdin = !req.command && !script;
    let interactive =
        req.forced_interactive || (reads_stdin && terminal.stdin_is_tty && terminal.stderr_is_tty);

    let mut out: Vec<String> = Vec::new();
    if sh_mode {
        out.push("--sh".into());
    }
    if req.login {
        out.push("--login".into());
    }
    if interactive {
        // brush would not see `bash -s args` on a terminal as interactive.
        out.push("-i".into());
    }
    out.append(&mut req.long);
    for &(index, on) in &req.set {
        let (name, letter, brush) = SET_OPTIONS[index];
        let sign = if on { '-' } else { '+' };
        let what = match letter {
            Some(l) => format!("{sign}{l}"),
            None => format!("{sign}o {name}"),
        };
        if check_option(what, name, brush, on, interactive)? {
            out.push(if on { "-o" } else { "--+o" }.into());
            out.push(name.into());
        }
    }
    for &(index, on) in &req.shopt {
        let (name, brush) = SHOPT_OPTIONS[index];
        let what = format!("{}O {name}", if on { '-' } else { '+' });
        if check_option(what, name, brush, on, interactive)? {
            out.push(if on { "-O" } else { "--+O" }.into());
            out.push(name.into());
        }
    }
    if !terminal.stderr_is_tty {
        // bash's messages are plain text; brush colours its own even in
        // logs and pipes unless told not to.
        out.push("--disable-color".into());
    }
    if reads_stdin && !terminal.answers_queries() {
        // brush's line editor queries the terminal and waits for an answer
        // that a serial console never sends.
        out.push("--input-backend".into());
        out.push("minimal".into());
    }

    let dash_value = |s: &str| s.starts_with('-') && s != "-" && s != "--";
    if req.command {
        let Some(command) = operands.first() else {
            return Err(invalid("-c", "option requires an argument"));
        };
        if command.starts_with('-') {
            out.push(format!("-c{command}"));
        } else {
            out.push("-c".into());
            out.push(command.clone());
        }
        if let Some(zero) = operands.get(1).filter(|z| dash_value(z)) {
            return Err(unsupported(
                "-c",
                format!("brush 0.4 would read the name `{zero}` ($0) as an option"),
            ));
        }
        out.extend(operands[1..].iter().cloned());
    } else if req.stdin {
        out.push("-s".into());
        if let Some(first) = operands.first().filter(|f| dash_value(f)) {
            return Err(unsupported(
                "-s",
                format!("brush 0.4 would read the first parameter `{first}` as an option"),
            ));
        }
        out.extend(operands.iter().cloned());
    } else if let Some((path, rest)) = operands.split_first() {
        out.push(if path.starts_with('-') {
            format!("./{path}")
        } else {
            path.clone()
        });
        out.extend(rest.iter().cloned());
    }

    // None of the launcher's own arguments starts with `+O`.
    if let Some(arg) = out.iter().find(|a| a.starts_with("+O")) {
        return Err(unsupported(
            format!("`{arg}`"),
            "brush 0.4 rewrites every argument that starts with `+O` into `--+O...`",
        ));
    }
    if let Some(dd) = out.iter().position(|a| a == "--") {
        if dd > 0 && looks_like_pending_c(&out[dd - 1]) {
            return Err(unsupported(
                format!("`{} --`", out[dd - 1]),
                "brush 0.4 drops a `--` that follows an argument like `-c`",
            ));
        }
    }

    Ok(Plan {
        argv0: argv0.to_os_string(),
        args: out.into_iter().map(OsString::from).collect(),
        interactive,
        login: req.login,
        take_terminal: interactive && terminal.stdin_is_tty,
    })
}

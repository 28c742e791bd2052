//! Differential tests: each invocation runs through real bash and through
//! the launcher with real brush (crates.io `brush-shell`); stdout and the
//! exit status must be the same, and stderr empty in both or in neither.
//!
//! brush is `NIXOS_RS_BRUSH`, else `brush` on PATH, else
//! `~/.cargo/bin/brush`. Without it the tests say `skipped:` and pass: the
//! Nix build, whose sandbox has no brush to compare with, runs them so.
//!
//! Where brush really differs from bash the case is kept in `known_gaps`
//! and asserted to still differ, so that README.md's table stays true: when
//! brush catches up, the test fails and names the case to move.

use std::io::Write;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// One invocation: argv[0], the arguments, stdin, files written into the
/// working directory (paths relative to it; `home/` is `$HOME`; `sub/` holds
/// `file.txt` and `deep/file.txt`) and extra environment variables.
#[derive(Clone, Copy)]
struct Case<'a> {
    name: &'a str,
    argv0: &'a str,
    args: &'a [&'a str],
    stdin: &'a str,
    /// Written to `script.sh`.
    script: Option<&'a str>,
    files: &'a [(&'a str, &'a str)],
    env: &'a [(&'a str, &'a str)],
}

const BASE: Case<'static> = Case {
    name: "",
    argv0: "bash",
    args: &[],
    stdin: "",
    script: None,
    files: &[],
    env: &[],
};

const fn c(name: &'static str, args: &'static [&'static str]) -> Case<'static> {
    Case { name, args, ..BASE }
}

const fn script(
    name: &'static str,
    text: &'static str,
    args: &'static [&'static str],
) -> Case<'static> {
    Case {
        name,
        args,
        script: Some(text),
        ..BASE
    }
}

const STDENV_STYLE: &str = r#"set -eu -o pipefail
log() { echo "[$1] ${*:2}"; }
declare -a outputs=(out dev)
declare -A seen=()
for o in "${outputs[@]}"; do seen[$o]=1; done
log info "outputs: ${outputs[*]} (${#seen[@]})"
name=${1:-unnamed}; version=${2:-0}
case "$name" in
  *-lib) kind=library ;;
  *) kind=program ;;
esac
[[ $version =~ ^([0-9]+)\.([0-9]+) ]] && log info "major ${BASH_REMATCH[1]} minor ${BASH_REMATCH[2]}"
printf -v padded '%-8s|' "$kind"
echo "$padded"
count=$(printf '%s\n' a b c | wc -l)
echo "count=$((count * 2))"
while read -r line; do echo "read: $line"; done <<< "first line"
echo "${name%-lib} ${name^^} ${#name}"
"#;

const ERREXIT_MIDWAY: &str = "set -e\necho before\nfalse\necho after\n";

const NOUNSET_SCRIPT: &str = "set -u\necho start\necho \"$not_set\"\necho end\n";

const HEREDOCS: &str = r#"name=brush
cat <<EOF
unquoted $name $(echo sub) \$literal
EOF
cat <<'EOF'
quoted $name $(echo sub)
EOF
cat <<-EOF
	tabs stripped $name
	EOF
cat <<"EOF" | tr a-z A-Z
piped $name
EOF
"#;

const TRAP_EXIT_ERREXIT: &str =
    "trap 'echo cleanup status $?' EXIT\nset -e\necho working\nfalse\necho not reached\n";

const ACTIVATION_STYLE: &str = r#"#!/bin/bash
set -e
shopt -s nullglob
_status=0
trap "_status=1" ERR
for f in ./nothing-here-*; do echo "never $f"; done
mkdir -p state && echo ok > state/flag
if [ -e state/flag ]; then echo "flag: $(cat state/flag)"; fi
(exit 3) || echo "subshell failed with $?"
echo "status $_status"
exit $_status
"#;

const ARGS_SCRIPT: &str = "echo \"0=$0 n=$# 1=$1 2=$2\"\nshift\necho \"after shift: $*\"\n";

const GETOPTS_SCRIPT: &str = r#"while getopts "ab:" opt; do
  case $opt in
    a) echo "flag a" ;;
    b) echo "b=$OPTARG" ;;
    *) echo "bad" ;;
  esac
done
shift $((OPTIND - 1))
echo "rest: $*"
"#;

fn corpus() -> Vec<Case<'static>> {
    vec![
        // bash -c with $0 and positional parameters.
        c(
            "c-dollar0-and-parameters",
            &["-c", "echo \"$0|$1|$2|$#\"", "name", "a", "b"],
        ),
        c("c-without-dollar0", &["-c", "echo \"$0|$#\""]),
        c(
            "c-parameters-that-look-like-options",
            &["-c", "printf '<%s>' \"$@\"; echo", "name", "-x", "--foo", "--", "+e"],
        ),
        c("c-dollar0-double-dash", &["-c", "echo \"$0|$*\"", "--", "a"]),
        c("c-after-double-dash", &["-c", "--", "echo \"$0\"", "zero"]),
        c("options-after-c", &["-c", "-e", "false; echo not reached"]),
        // errexit, nounset, pipefail in their invocation forms.
        c("ec-stops-at-failure", &["-ec", "echo one; false; echo two"]),
        c("e-and-c-apart", &["-e", "-c", "false; echo not reached"]),
        c("e-then-plus-e", &["-e", "+e", "-c", "false; echo reached"]),
        c(
            "plus-o-errexit",
            &["-o", "errexit", "+o", "errexit", "-c", "false; echo reached"],
        ),
        c("eu-unset-variable", &["-eu", "-c", "echo \"$undefined_var\""]),
        c(
            "o-pipefail",
            &["-o", "pipefail", "-c", "false | true; echo $?"],
        ),
        c(
            "combined-eu-o-pipefail",
            &["-euo", "pipefail", "-c", "echo $-; true | false; echo no"],
        ),
        c("dollar-dash", &["-c", "echo $-"]),
        c(
            "pipestatus",
            &["-c", "true | false | (exit 3); echo \"${PIPESTATUS[@]}\""],
        ),
        c("exit-status", &["-c", "exit 42"]),
        c("last-status", &["-c", "false"]),
        c(
            "exec-replaces-the-shell",
            &["-c", "exec echo replaced; echo not reached"],
        ),
        c(
            "exec-redirects-the-shell",
            &["-c", "exec 3>&1; echo via-fd-3 >&3; exec >&2; echo to-stderr"],
        ),
        c("xtrace-goes-to-stderr", &["-xc", "echo traced"]),
        c("xtrace-off-again", &["-x", "+x", "-c", "echo quiet"]),
        c("set-x-inside", &["-c", "set -x; echo traced; set +x; echo done"]),
        c(
            "O-nullglob",
            &["-O", "nullglob", "-c", "echo none: *.nothing"],
        ),
        c(
            "brace-expansion-off",
            &["+B", "-c", "echo {a,b}"],
        ),
        c(
            "O-then-plus-O",
            &["-O", "dotglob", "+O", "dotglob", "-c", "echo *"],
        ),
        c(
            "noglob",
            &["-f", "-c", "echo *"],
        ),
        c("noexec-checks-only", &["-n", "-c", "echo not run"]),
        c(
            "trap-err",
            &["-c", "trap 'echo err trapped' ERR; false; echo after"],
        ),
        c("trap-exit", &["-c", "trap 'echo bye $?' EXIT; exit 3"]),
        c(
            "functions-and-locals",
            &[
                "-c",
                "f() { local x=$1; echo \"in f $x\"; return 4; }; f arg; echo \"ret $?\"; echo \"x=${x-unset}\"",
            ],
        ),
        c(
            "arithmetic-and-arrays",
            &["-c", "a=(3 4 5); echo $(( ${a[1]} * 2 )) ${#a[@]} ${a[@]:1}"],
        ),
        c("posix-flag", &["--posix", "-c", "echo posix"]),
        c(
            "norc-noprofile",
            &["--norc", "--noprofile", "-c", "echo quiet"],
        ),
        c("invalid-option", &["-Z"]),
        c("invalid-long-option", &["--frobnicate"]),
        c("invalid-o-name", &["-o", "nosuch", "-c", "echo no"]),
        c("c-without-command", &["-c"]),
        // sh: POSIX mode and $0.
        Case {
            name: "sh-c",
            argv0: "sh",
            args: &["-c", "echo \"$0\" sh-mode; set -o | grep -c '^posix.*on'"],
            ..BASE
        },
        Case {
            name: "sh-script",
            argv0: "sh",
            args: &["script.sh", "x"],
            files: &[("script.sh", "echo \"$0 $1\"\n[ -n \"$1\" ] && echo set\n")],
            ..BASE
        },
        // Commands from stdin.
        Case {
            name: "s-with-parameters",
            args: &["-s", "one", "two"],
            stdin: "echo \"stdin $1 $2 $#\"\n",
            ..BASE
        },
        Case {
            name: "script-on-stdin",
            stdin: "x=1\nwhile [ $x -le 3 ]; do echo line $x; x=$((x+1)); done\n",
            ..BASE
        },
        Case {
            name: "lone-dash-reads-stdin",
            args: &["-"],
            stdin: "echo from stdin\n",
            ..BASE
        },
        Case {
            name: "read-from-stdin-in-c",
            args: &["-c", "read -r x; echo \"got $x\""],
            stdin: "a line\n",
            ..BASE
        },
        // Script files.
        script("script-with-parameters", ARGS_SCRIPT, &["script.sh", "a", "b c"]),
        script("double-dash-then-script", ARGS_SCRIPT, &["--", "script.sh", "x"]),
        script("lone-dash-then-script", ARGS_SCRIPT, &["-", "script.sh", "-x"]),
        script(
            "script-parameters-that-look-like-options",
            ARGS_SCRIPT,
            &["script.sh", "-e", "--", "--help"],
        ),
        script("stdenv-style-script", STDENV_STYLE, &["script.sh", "zlib-lib", "1.3"]),
        script("errexit-midway", ERREXIT_MIDWAY, &["script.sh"]),
        script("errexit-by-flag", "echo before\nfalse\necho after\n", &["-e", "script.sh"]),
        script("nounset-error", NOUNSET_SCRIPT, &["script.sh"]),
        script("heredocs", HEREDOCS, &["script.sh"]),
        script("trap-exit-with-errexit", TRAP_EXIT_ERREXIT, &["script.sh"]),
        script("activation-style", ACTIVATION_STYLE, &["script.sh"]),
        script("getopts", GETOPTS_SCRIPT, &["script.sh", "-a", "-b", "val", "rest"]),
        script("syntax-check-only", "echo not run\n", &["-n", "script.sh"]),
        Case {
            name: "source-with-arguments",
            args: &["-c", ". ./lib.sh one two; echo \"back $#\""],
            files: &[("lib.sh", "echo \"sourced $# $1 $2\"\n")],
            ..BASE
        },
        // Login shells: argv[0] `-bash`, `-l`, `--login`, `--noprofile`.
        Case {
            name: "login-by-argv0-reads-bash-profile",
            argv0: "-bash",
            args: &["-c", "echo \"$0 ${FROM-none}\"; shopt -q login_shell && echo login"],
            files: &[
                ("home/.bash_profile", "FROM=bash_profile\n"),
                ("home/.profile", "FROM=profile\n"),
            ],
            ..BASE
        },
        Case {
            name: "login-by-flag-falls-back-to-profile",
            args: &["-l", "-c", "echo \"${FROM-none}\""],
            files: &[("home/.profile", "FROM=profile\n")],
            ..BASE
        },
        Case {
            name: "login-noprofile",
            args: &["--login", "--noprofile", "-c", "echo \"${FROM-none}\""],
            files: &[("home/.bash_profile", "FROM=bash_profile\n")],
            ..BASE
        },
        Case {
            name: "login-sh-by-argv0",
            argv0: "-sh",
            args: &["--noprofile", "-c", "echo \"$0 $-\""],
            ..BASE
        },
        Case {
            name: "login-script-on-stdin",
            argv0: "-bash",
            stdin: "echo \"stdin after ${FROM-none}\"\n",
            files: &[("home/.bash_profile", "FROM=bash_profile\n")],
            ..BASE
        },
        Case {
            name: "interactive-rcfile",
            args: &["--rcfile", "rc", "-i"],
            stdin: "echo \"rc said ${FROM_RC-none}\"\n",
            files: &[("rc", "FROM_RC=yes\n")],
            ..BASE
        },
    ]
}

/// Cases where brush 0.4 differs from bash; README.md lists each.
fn known_gaps() -> Vec<Case<'static>> {
    vec![
        c(
            "select-loop",
            &["-c", "select x in a b; do echo $x; break; done <<< 1"],
        ),
        c("wait-n", &["-c", "sleep 0.2 & wait -n; echo waited $?"]),
        c(
            "heredoc-in-command-substitution",
            &["-c", "x=$(cat <<EOF\na)b\nEOF\n); echo \"$x\""],
        ),
        Case {
            name: "bash-env-is-set",
            args: &["-c", "echo main"],
            files: &[("env.sh", "echo from-bash-env\n")],
            env: &[("BASH_ENV", "./env.sh")],
            ..BASE
        },
        Case {
            name: "sh-with-env-set",
            argv0: "sh",
            args: &["-c", "echo main"],
            env: &[("ENV", "./nothing")],
            ..BASE
        },
        c(
            "failed-exec-continues",
            &["-c", "exec ./does-not-exist; echo survived"],
        ),
        c(
            "aliases-expand-in-scripts",
            &["-c", "alias hi='echo aliased'\nhi"],
        ),
        c("patsub-ampersand", &["-c", "x=abc; echo \"${x/b/[&]}\""]),
        c(
            "extglob-on-by-default",
            &["-c", "shopt -q extglob && echo on || echo off"],
        ),
        c("shopt-listing-format", &["-c", "shopt lastpipe"]),
        Case {
            name: "sh-mode-rejects-arrays-it-never-runs",
            argv0: "sh",
            args: &["-c", "if false; then a=(x y); fi; echo ok"],
            ..BASE
        },
        Case {
            name: "sh-mode-has-no-shopt",
            argv0: "sh",
            args: &["-c", "shopt -q login_shell; echo $?"],
            ..BASE
        },
        // bash has test, [, echo and printf built in; brush 0.4 run as sh
        // looks them up on PATH, so a PATH without coreutils (sudo's
        // secure_path on a system without them, `env -i`) loses them.
        Case {
            name: "sh-mode-test-and-echo-come-from-path",
            argv0: "sh",
            args: &["-c", "[ 1 = 1 ] && test 2 = 2 && echo yes"],
            env: &[("PATH", "/nonexistent")],
            ..BASE
        },
    ]
}

/// bash options brush takes but ignores, which the launcher refuses: the
/// invocation in bash's spelling and in brush's, and stdin.
struct Inert {
    name: &'static str,
    bash: &'static [&'static str],
    brush: &'static [&'static str],
    stdin: &'static str,
}

const fn inert(
    name: &'static str,
    bash: &'static [&'static str],
    brush: &'static [&'static str],
) -> Inert {
    Inert {
        name,
        bash,
        brush,
        stdin: "",
    }
}

const INERT: &[Inert] = &[
    inert(
        "verbose",
        &["-v", "-c", "echo shown"],
        &["-o", "verbose", "-c", "echo shown"],
    ),
    inert(
        "keyword",
        &["-k", "-c", "f() { echo \"a=$a\"; }; f a=1"],
        &["-o", "keyword", "-c", "f() { echo \"a=$a\"; }; f a=1"],
    ),
    inert(
        "hashall",
        &["+h", "-c", "ls >/dev/null; hash; echo $?"],
        &["--+o", "hashall", "-c", "ls >/dev/null; hash; echo $?"],
    ),
    Inert {
        name: "histexpand",
        bash: &["-H", "-o", "history", "-s"],
        brush: &["-o", "histexpand", "-o", "history", "-s"],
        stdin: "echo one\necho !!\n",
    },
    Inert {
        name: "interactive-comments",
        bash: &["--norc", "-i", "+o", "interactive-comments"],
        brush: &["--norc", "-i", "--+o", "interactive-comments"],
        stdin: "echo a # b\n",
    },
    inert(
        "privileged",
        &["-p", "-c", "f 2>/dev/null; echo $?"],
        &["-o", "privileged", "-c", "f 2>/dev/null; echo $?"],
    ),
    inert(
        "globstar",
        &["-O", "globstar", "-c", "echo **/*.txt"],
        &["-O", "globstar", "-c", "echo **/*.txt"],
    ),
    inert(
        "xpg_echo",
        &["-O", "xpg_echo", "-c", "echo 'a\\tb'"],
        &["-O", "xpg_echo", "-c", "echo 'a\\tb'"],
    ),
    inert(
        "shift_verbose",
        &["-O", "shift_verbose", "-c", "shift 3; echo $?"],
        &["-O", "shift_verbose", "-c", "shift 3; echo $?"],
    ),
    inert(
        "cdable_vars",
        &[
            "-O",
            "cdable_vars",
            "-c",
            "v=sub; cd v 2>/dev/null && echo moved",
        ],
        &[
            "-O",
            "cdable_vars",
            "-c",
            "v=sub; cd v 2>/dev/null && echo moved",
        ],
    ),
    inert(
        "localvar_inherit",
        &[
            "-O",
            "localvar_inherit",
            "-c",
            "x=1; f() { local x; echo ${x-unset}; }; f",
        ],
        &[
            "-O",
            "localvar_inherit",
            "-c",
            "x=1; f() { local x; echo ${x-unset}; }; f",
        ],
    ),
    inert(
        "globskipdots",
        &["+O", "globskipdots", "-c", "echo .*"],
        &["--+O", "globskipdots", "-c", "echo .*"],
    ),
    inert(
        "expand_aliases",
        &[
            "+O",
            "expand_aliases",
            "-c",
            "alias hi='echo aliased'\nhi 2>/dev/null; true",
        ],
        &[
            "--+O",
            "expand_aliases",
            "-c",
            "alias hi='echo aliased'\nhi 2>/dev/null; true",
        ],
    ),
    inert(
        "extglob",
        &["+O", "extglob", "-c", "echo @(a|b).txt 2>/dev/null; true"],
        &["--+O", "extglob", "-c", "echo @(a|b).txt 2>/dev/null; true"],
    ),
    inert(
        "execfail",
        &[
            "+O",
            "execfail",
            "-c",
            "exec ./does-not-exist 2>/dev/null; echo survived",
        ],
        &[
            "--+O",
            "execfail",
            "-c",
            "exec ./does-not-exist 2>/dev/null; echo survived",
        ],
    ),
    inert(
        "patsub_replacement",
        &[
            "-O",
            "patsub_replacement",
            "-c",
            "x=abc; echo \"${x/b/[&]}\"",
        ],
        &[
            "-O",
            "patsub_replacement",
            "-c",
            "x=abc; echo \"${x/b/[&]}\"",
        ],
    ),
];

#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

impl Outcome {
    fn same_as(&self, other: &Outcome) -> bool {
        self.stdout == other.stdout
            && self.code == other.code
            && self.stderr.is_empty() == other.stderr.is_empty()
    }
}

fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn find_brush() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("NIXOS_RS_BRUSH").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    find_on_path("brush").or_else(|| {
        let home = std::env::var_os("HOME")?;
        let p = Path::new(&home).join(".cargo/bin/brush");
        p.is_file().then_some(p)
    })
}

struct Tools {
    bash: PathBuf,
    brush: PathBuf,
    launcher: PathBuf,
}

fn tools() -> Option<Tools> {
    let Some(brush) = find_brush() else {
        eprintln!("skipped: brush not found (cargo install brush-shell, or set NIXOS_RS_BRUSH)");
        return None;
    };
    let Some(bash) = find_on_path("bash") else {
        eprintln!("skipped: bash not found on PATH");
        return None;
    };
    Some(Tools {
        bash,
        brush,
        launcher: PathBuf::from(env!("CARGO_BIN_EXE_brush-bash")),
    })
}

/// A fresh directory under the system's temporary directory.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "brush-bash-test-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(dir.join("home")).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const TIMEOUT: Duration = Duration::from_secs(20);

/// Runs `program` as `case` would be run, in a fresh directory. `brush`:
/// run through the launcher with this brush.
fn run(program: &Path, brush: Option<&Path>, case: &Case) -> Outcome {
    let dir = TempDir::new();
    let script = case.script.map(|text| ("script.sh", text));
    for (path, text) in case.files.iter().copied().chain(script) {
        let path = dir.0.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::create_dir_all(dir.0.join("sub/deep")).unwrap();
    std::fs::write(dir.0.join("sub/file.txt"), "").unwrap();
    std::fs::write(dir.0.join("sub/deep/file.txt"), "").unwrap();
    let (out, err) = (dir.0.join(".stdout"), dir.0.join(".stderr"));
    let mut cmd = Command::new(program);
    cmd.arg0(case.argv0)
        .args(case.args)
        .current_dir(&dir.0)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir.0.join("home"))
        .env("LC_ALL", "C")
        .envs(case.env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap());
    if let Some(brush) = brush {
        cmd.env("NIXOS_RS_BRUSH", brush);
    }
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = case.stdin.to_string();
    let writer = std::thread::spawn(move || {
        // The shell may exit without reading everything.
        let _ = stdin.write_all(input.as_bytes());
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{}: {} did not finish within {TIMEOUT:?}",
                case.name,
                program.display()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    writer.join().unwrap();
    Outcome {
        stdout: std::fs::read_to_string(&out).unwrap(),
        stderr: std::fs::read_to_string(&err).unwrap(),
        code: status.code(),
    }
}

fn compare(tools: &Tools, case: &Case) -> (Outcome, Outcome) {
    let bash = run(&tools.bash, None, case);
    let launcher = run(&tools.launcher, Some(&tools.brush), case);
    (bash, launcher)
}

fn describe(name: &str, bash: &Outcome, brush: &Outcome) -> String {
    format!("{name}:\n  bash:       {bash:?}\n  brush-bash: {brush:?}")
}

#[test]
fn launcher_behaves_like_bash_on_the_corpus() {
    let Some(tools) = tools() else { return };
    let mut failures = Vec::new();
    let cases = corpus();
    for case in &cases {
        let (bash, brush) = compare(&tools, case);
        if !bash.same_as(&brush) {
            failures.push(describe(case.name, &bash, &brush));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn known_gaps_still_differ() {
    let Some(tools) = tools() else { return };
    let mut closed = Vec::new();
    for case in &known_gaps() {
        let (bash, brush) = compare(&tools, case);
        if bash.same_as(&brush) {
            closed.push(format!(
                "{}: brush now behaves like bash; move it to the corpus and out of README.md",
                case.name
            ));
        }
    }
    assert!(closed.is_empty(), "{}", closed.join("\n"));
}

#[test]
fn inert_options_still_have_no_effect_and_are_refused() {
    let Some(tools) = tools() else { return };
    let mut problems = Vec::new();
    for inert in INERT {
        let bash_case = Case {
            name: inert.name,
            args: inert.bash,
            stdin: inert.stdin,
            // An exported function, for `privileged`.
            env: &[("BASH_FUNC_f%%", "() { echo imported; }")],
            ..BASE
        };
        let brush_case = Case {
            args: inert.brush,
            ..bash_case
        };
        let bash = run(&tools.bash, None, &bash_case);
        let brush = run(&tools.brush, None, &brush_case);
        if bash.same_as(&brush) {
            problems.push(format!(
                "{}: brush now honours it; mark it Acts in src/lib.rs and update README.md",
                inert.name
            ));
        }
        let launcher = run(&tools.launcher, Some(&tools.brush), &bash_case);
        if launcher.code != Some(2) || !launcher.stderr.contains("brush-bash") {
            problems.push(describe(inert.name, &bash, &launcher));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn programs_started_by_brush_lose_an_ignored_sigpipe() {
    // systemd starts units with SIGPIPE ignored; bash passes that on to the
    // programs it runs, brush (like every Rust program that spawns with
    // std) resets it. Bit 13 of SigIgn in /proc/<pid>/status is SIGPIPE.
    let Some(tools) = tools() else { return };
    let sigign = |program: &Path, brush: Option<&Path>| -> u64 {
        let mut cmd = Command::new(program);
        cmd.args(["-c", "grep '^SigIgn' /proc/self/status"])
            .stdin(Stdio::null());
        if let Some(brush) = brush {
            cmd.env("NIXOS_RS_BRUSH", brush);
        }
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::signal(libc::SIGPIPE, libc::SIG_IGN);
                Ok(())
            });
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        let hex = text.trim().trim_start_matches("SigIgn:").trim();
        u64::from_str_radix(hex, 16).unwrap()
    };
    let pipe_bit = 1u64 << (libc::SIGPIPE - 1);
    assert_ne!(sigign(&tools.bash, None) & pipe_bit, 0, "bash passes it on");
    assert_eq!(
        sigign(&tools.launcher, Some(&tools.brush)) & pipe_bit,
        0,
        "brush now passes an ignored SIGPIPE on; update README.md's gap table"
    );
}

#[test]
fn missing_brush_is_exit_127_naming_path_and_variable() {
    let launcher = PathBuf::from(env!("CARGO_BIN_EXE_brush-bash"));
    let out = Command::new(&launcher)
        .args(["-c", "true"])
        .env("NIXOS_RS_BRUSH", "/nonexistent/brush")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(127));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/brush") && err.contains("NIXOS_RS_BRUSH"),
        "{err}"
    );
}

#[test]
fn refusals_exit_2_before_brush_is_looked_for() {
    let launcher = PathBuf::from(env!("CARGO_BIN_EXE_brush-bash"));
    let out = Command::new(&launcher)
        .args(["-r", "-c", "true"])
        .env("NIXOS_RS_BRUSH", "/nonexistent/brush")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        "bash: -r: not supported by brush-bash: brush 0.4 has no restricted mode\n"
    );
}

#[test]
fn messages_carry_no_colour_codes_off_a_terminal() {
    let Some(tools) = tools() else { return };
    let case = c("error-message", &["-xc", "echo hi; ./no-such-command"]);
    let (bash, brush) = compare(&tools, &case);
    assert!(
        bash.same_as(&brush),
        "{}",
        describe(case.name, &bash, &brush)
    );
    assert!(!brush.stderr.contains('\x1b'), "{:?}", brush.stderr);
    assert!(
        brush.stderr.contains("no-such-command"),
        "{:?}",
        brush.stderr
    );
}

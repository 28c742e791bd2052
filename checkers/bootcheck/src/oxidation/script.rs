//! `#!` scripts: the interpreter line, and whether the script is a shell
//! wrapper, a script whose last command is `exec /abs/path ...`.
//!
//! nixpkgs' makeWrapper (pkgs/build-support/setup-hooks/make-wrapper.sh)
//! writes such wrappers: `#! <bash> -e`, `export` lines, then
//! `exec -a "$0" '/nix/store/...-foo/bin/.foo-wrapped' ... "$@"` (older
//! versions double-quote the path).

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

/// A script longer than this is a program, not a wrapper.
const WRAPPER_MAX: u64 = 64 * 1024;
/// Shells whose `exec` line is read.
const SHELLS: &[&str] = &[
    "sh", "bash", "dash", "zsh", "ksh", "mksh", "brush", "busybox",
];

/// What a script's first line and (for a small shell script) its last
/// command say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script {
    /// The `#!` line without `#!`, trimmed.
    pub shebang: String,
    /// The interpreter the kernel runs (first word), if any.
    pub program: Option<String>,
    /// For `#!/usr/bin/env [-S] [VAR=x] NAME`: NAME.
    pub env_name: Option<String>,
    /// For a shell wrapper: the absolute path it execs.
    pub exec_target: Option<String>,
}

/// Reads a script of `size` bytes whose first two bytes are `#!`.
pub fn read(file: &File, size: u64) -> io::Result<Script> {
    let small = size <= WRAPPER_MAX;
    let mut text = vec![0; size.min(if small { WRAPPER_MAX } else { 4096 }) as usize];
    let mut got = 0;
    while got < text.len() {
        match file.read_at(&mut text[got..], got as u64)? {
            0 => break,
            n => got += n,
        }
    }
    text.truncate(got);
    Ok(parse(&text, small))
}

/// Parses a script's text (`small`: the whole script is in `text`).
pub fn parse(text: &[u8], small: bool) -> Script {
    let first = text.split(|&b| b == b'\n').next().unwrap_or(b"");
    let shebang = String::from_utf8_lossy(first.strip_prefix(b"#!").unwrap_or(first))
        .trim()
        .to_string();
    let mut words = shebang.split_whitespace();
    let program = words.next().map(String::from);
    let base = program
        .as_deref()
        .and_then(|p| p.rsplit('/').next())
        .unwrap_or("");
    let env_name = if base == "env" {
        words
            .find(|w| !w.starts_with('-') && !w.contains('='))
            .map(String::from)
    } else {
        None
    };
    let shell = env_name.as_deref().unwrap_or(base);
    let exec_target = if small && SHELLS.contains(&shell) {
        exec_target(&String::from_utf8_lossy(text))
    } else {
        None
    };
    Script {
        shebang,
        program,
        env_name,
        exec_target,
    }
}

/// The absolute path the last command (`exec [-a NAME] [-c] [-l] PATH ...`)
/// runs, if that command is an `exec` of a literal path.
fn exec_target(text: &str) -> Option<String> {
    let last = text
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with('#'))?;
    let mut words = shell_words(last)?.into_iter();
    if words.next()?.as_deref() != Some("exec") {
        return None;
    }
    loop {
        let w = words.next()??;
        match w.as_str() {
            "-a" => {
                words.next()?;
            }
            "-c" | "-l" | "-cl" | "-lc" | "--" => {}
            _ => return w.starts_with('/').then_some(w),
        }
    }
}

/// Splits a line into shell words. A word that needs expansion (`$`,
/// backquote outside single quotes) is `None`; a line with a list,
/// pipeline or redirection is `None` (not a plain command).
fn shell_words(line: &str) -> Option<Vec<Option<String>>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut literal = true;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => {
                if in_word {
                    words.push(literal.then(|| std::mem::take(&mut cur)));
                    cur.clear();
                    in_word = false;
                    literal = true;
                }
            }
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    cur.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => cur.extend(chars.next()),
                        '$' | '`' => {
                            literal = false;
                            cur.push(c);
                        }
                        _ => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.extend(chars.next());
            }
            '$' | '`' => {
                in_word = true;
                literal = false;
                cur.push(c);
            }
            ';' | '&' | '|' | '<' | '>' => return None,
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(literal.then_some(cur));
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shebang_forms() {
        let s = parse(b"#!/bin/sh\necho hi\n", true);
        assert_eq!(s.program.as_deref(), Some("/bin/sh"));
        assert_eq!(s.env_name, None);
        let s = parse(b"#! /usr/bin/env -S python3 -u\nprint(1)\n", true);
        assert_eq!(s.program.as_deref(), Some("/usr/bin/env"));
        assert_eq!(s.env_name.as_deref(), Some("python3"));
        let s = parse(b"#!/usr/bin/env LC_ALL=C perl\n", true);
        assert_eq!(s.env_name.as_deref(), Some("perl"));
        let s = parse(b"#!\n", true);
        assert_eq!(s.program, None);
    }

    #[test]
    fn make_wrapper_output_is_a_wrapper() {
        // The shape nixpkgs' makeWrapper writes (quoted with ${var@Q}).
        let text = b"#! /nix/store/aaaa-bash-5.2/bin/bash -e\n\
            declare -a extraFlagsArray=()\n\
            export PATH='/nix/store/bbbb-coreutils/bin'${PATH:+':'$PATH}\n\
            set +u\n\
            exec -a \"$0\" '/nix/store/cccc-foo/bin/.foo-wrapped' \"${extraFlagsArray[@]}\" \"$@\"\n";
        let s = parse(text, true);
        assert_eq!(
            s.exec_target.as_deref(),
            Some("/nix/store/cccc-foo/bin/.foo-wrapped")
        );
        // Older makeWrapper: double quotes, no -a.
        let s = parse(b"#!/bin/bash\nexec \"/opt/x/bin/x\"  \"$@\"\n", true);
        assert_eq!(s.exec_target.as_deref(), Some("/opt/x/bin/x"));
    }

    #[test]
    fn other_scripts_are_not_wrappers() {
        // exec of a variable, of a command name, a pipeline, no exec.
        for text in [
            &b"#!/bin/sh\nexec \"$PROG\" \"$@\"\n"[..],
            b"#!/bin/sh\nexec python3 \"$@\"\n",
            b"#!/bin/sh\nexec /bin/foo | cat\n",
            b"#!/bin/sh\n/bin/foo \"$@\"\n",
            b"#!/usr/bin/python3\nexec /bin/foo\n",
        ] {
            let s = parse(text, true);
            assert_eq!(s.exec_target, None, "{}", String::from_utf8_lossy(text));
        }
        // A big script is a program.
        let s = parse(b"#!/bin/sh\nexec /bin/foo\n", false);
        assert_eq!(s.exec_target, None);
    }
}

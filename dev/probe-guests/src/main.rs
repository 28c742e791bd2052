use clap::{Parser, Subcommand, ValueEnum};
use probe_guests::guest::{self, Side};
use probe_guests::judge::{self, Report};
use probe_guests::{pyjson, read_json, read_text, spec, write, Error, Result};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The guests and verdicts of the probes stage (tests/probes/run).
#[derive(Parser, Debug)]
#[command(name = "probe-guests", version)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SideArg {
    Rust,
    C,
}

#[derive(Subcommand, Debug)]
enum Cmd {
    /// Print a JSON file with sorted keys, indented by two spaces, ASCII
    /// only (the format of tests/probes/probes.json).
    JsonPretty { file: PathBuf },
    /// Print the store path probes.json gives a package.
    StorePath {
        /// probes.json
        probes: PathBuf,
        /// The package's role (e.g. brush).
        role: String,
    },
    /// Write the bootcheck spec: the probes that need no booted NixOS, then
    /// controls that must pass on both guests.
    Spec {
        /// probes.json
        probes: PathBuf,
        out: PathBuf,
    },
    /// Write the initramfs of the Rust or the C guest.
    Build {
        side: SideArg,
        /// probes.json (its `packages`: where each program goes).
        #[arg(long, value_name = "FILE")]
        eval: PathBuf,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// A static busybox.
        #[arg(long, value_name = "PATH", default_value = "/bin/busybox")]
        busybox: String,
        /// A program of the Rust side (repeatable).
        #[arg(long, value_name = "NAME=HOST_PATH")]
        tool: Vec<String>,
    },
    /// Judge bootcheck's reports of the two guests: every probe without
    /// `needsNixos` must pass on the Rust guest and fail on the C guest,
    /// every control on both. Prints one line per probe, writes the Markdown
    /// table, exits 1 when a probe does not discriminate.
    Judge {
        /// probes.json
        probes: PathBuf,
        rust_report: PathBuf,
        c_report: PathBuf,
        table_out: PathBuf,
    },
    /// Put TABLE between README's probes table markers.
    WriteTable { readme: PathBuf, table: PathBuf },
    /// Exit 1 when README's probes table is not TABLE.
    CheckTable { readme: PathBuf, table: PathBuf },
}

fn print(text: &str) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error(format!("stdout: {e}")))
}

fn run(cmd: Cmd) -> Result<bool> {
    match cmd {
        Cmd::JsonPretty { file } => {
            print(&(pyjson::to_string(&read_json(&file)?)? + "\n"))?;
        }
        Cmd::StorePath { probes, role } => {
            match read_json(&probes)?
                .get("packages")
                .and_then(|p| p.get(&role))
            {
                Some(serde_json::Value::String(p)) => print(&format!("{p}\n"))?,
                _ => return probe_guests::err(format!("{}: no package {role}", probes.display())),
            }
        }
        Cmd::Spec { probes, out } => {
            let spec = spec::spec(&read_json(&probes)?)?;
            write(&out, pyjson::to_string(&spec)?)?;
        }
        Cmd::Build {
            side,
            eval,
            out,
            busybox,
            tool,
        } => {
            let side = match side {
                SideArg::Rust => Side::Rust,
                SideArg::C => Side::C,
            };
            let mut tools = HashMap::new();
            for t in tool {
                let Some((name, path)) = t.split_once('=') else {
                    return probe_guests::err(format!("--tool {t}: not NAME=HOST_PATH"));
                };
                tools.insert(name.to_string(), path.to_string());
            }
            let packages = match read_json(&eval)?.get("packages") {
                Some(serde_json::Value::Object(p)) => p.clone(),
                _ => return probe_guests::err(format!("{}: no packages", eval.display())),
            };
            let (bytes, entries) = guest::build(guest::Inputs {
                side,
                packages,
                tools,
                busybox,
            })?;
            write(&out, &bytes)?;
            eprintln!(
                "probe-guests: {} guest, {entries} entries, {} KiB",
                side.name(),
                bytes.len() / 1024
            );
        }
        Cmd::Judge {
            probes,
            rust_report,
            c_report,
            table_out,
        } => {
            let eval = read_json(&probes)?;
            let j = judge::judge(
                spec::probes(&eval)?,
                &Report::read(&rust_report),
                &Report::read(&c_report),
            );
            print(&(j.lines.join("\n") + "\n"))?;
            write(&table_out, &j.table)?;
            return Ok(j.failures == 0);
        }
        Cmd::WriteTable { readme, table } => {
            let new = judge::with_table(&read_text(&readme)?, &name(&readme), &read_text(&table)?)?;
            write(&readme, new)?;
        }
        Cmd::CheckTable { readme, table } => {
            return judge::has_table(&read_text(&readme)?, &name(&readme), &read_text(&table)?);
        }
    }
    Ok(true)
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("probe-guests: {e}");
            ExitCode::from(1)
        }
    }
}

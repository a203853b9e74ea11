//! The command line: parse arguments, call the pipeline, print, choose the exit status.
//!
//! Exit status: 0 success, 1 the content has errors, 2 bad usage or an I/O failure.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::{self, HumanRenderer};
use crate::load::{self, LoadError, Loaded};

#[derive(Debug, Parser)]
#[command(name = "tabiji", version, about = "Customer journey maps and sales playbooks as a static site")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check the content: every reference, field and link; report coverage.
    Check {
        /// The site folder (holding tabiji.toml).
        #[arg(default_value = ".")]
        site: PathBuf,
        #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
        format: CheckFormat,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Human,
    Json,
    Github,
}

/// Errors that end a command with exit status 2.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

pub fn run(args: impl IntoIterator<Item = OsString>) -> Result<ExitCode, CliError> {
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return Ok(ExitCode::from(if e.use_stderr() { 2 } else { 0 }));
        }
    };
    match cli.command {
        Command::Check { site, format } => check(&site, format),
    }
}

fn display_prefix(site: &Path) -> String {
    let s = site.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").trim_end_matches('/');
    if s == "." { String::new() } else { s.to_string() }
}

fn load_site(site: &Path) -> Result<Loaded, CliError> {
    Ok(load::load_dir(site, &display_prefix(site))?)
}

fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn check(site: &Path, format: CheckFormat) -> Result<ExitCode, CliError> {
    let loaded = load_site(site)?;
    let d = &loaded.diagnostics;
    let mut out = std::io::stdout().lock();
    match format {
        CheckFormat::Human => {
            let r = HumanRenderer::new(use_color());
            for diag in d.iter() {
                writeln!(out, "{}\n", r.render(diag, &loaded.sources))?;
            }
            writeln!(out, "coverage:")?;
            for line in loaded.coverage.lines() {
                writeln!(out, "  {line}")?;
            }
            writeln!(out, "{}", verdict(d.errors(), d.warnings()))?;
        }
        CheckFormat::Json => {
            let doc = CheckReport {
                errors: d.errors(),
                warnings: d.warnings(),
                diagnostics: d.iter().map(|x| diagnostic::to_json(x, &loaded.sources)).collect(),
                coverage: &loaded.coverage,
            };
            let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
            writeln!(out, "{text}")?;
        }
        CheckFormat::Github => {
            for diag in d.iter() {
                writeln!(out, "{}", diagnostic::render_github(diag, &loaded.sources))?;
            }
            writeln!(out, "{}", verdict(d.errors(), d.warnings()))?;
        }
    }
    Ok(if d.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The JSON document of `check --format json` (documented in docs/commands.md).
#[derive(serde::Serialize)]
struct CheckReport<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: Vec<diagnostic::JsonDiagnostic>,
    coverage: &'a load::Coverage,
}

fn verdict(errors: usize, warnings: usize) -> String {
    let plural = |n: usize, w: &str| if n == 1 { format!("{n} {w}") } else { format!("{n} {w}s") };
    if errors > 0 {
        format!("check failed: {}, {}", plural(errors, "error"), plural(warnings, "warning"))
    } else {
        format!("check passed: {}, {}", plural(errors, "error"), plural(warnings, "warning"))
    }
}

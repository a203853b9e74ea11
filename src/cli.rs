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
use crate::pipeline;

#[derive(Debug, Parser)]
#[command(
    name = "tabiji",
    version,
    about = "Customer journey maps and sales playbooks as a static site"
)]
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
    /// Build the site into an output folder (default: SITE/public).
    Build {
        /// The site folder (holding tabiji.toml).
        #[arg(default_value = ".")]
        site: PathBuf,
        /// The output folder; replaced as a whole only when the build succeeds.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Prefix of every link, e.g. "/sales/"; overrides base_url of tabiji.toml.
        #[arg(long)]
        base_url: Option<String>,
        /// Add a "What changed" page (changes/) comparing the content with this git revision.
        #[arg(long, value_name = "REV")]
        changes_since: Option<String>,
    },
    /// Write a new site with a small example.
    Init {
        /// The folder to create the site in.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The language of the example and of the built-in labels.
        #[arg(long, value_enum, default_value_t = Lang::Ja)]
        lang: Lang,
    },
    /// Export the journeys for spreadsheets (CSV, an Excel workbook) or scripts (JSON).
    Export {
        /// The site folder (holding tabiji.toml).
        #[arg(default_value = ".")]
        site: PathBuf,
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Import a journey grid kept in a spreadsheet (.xlsx or .csv) as a new journey file.
    Import {
        /// The spreadsheet: .xlsx, or .csv in UTF-8 or Shift_JIS (CP932).
        file: PathBuf,
        /// The site folder (holding tabiji.toml).
        #[arg(default_value = ".")]
        site: PathBuf,
        /// The persona (id or name); without it, a title cell above the grid must name one.
        #[arg(long)]
        persona: Option<String>,
        /// The new journey's id (default: <persona>-<file name>).
        #[arg(long = "id", value_name = "JOURNEY_ID")]
        id: Option<String>,
        /// The sheet to read (default: the first sheet with a grid).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// The encoding of a CSV file (default: UTF-8 if it is valid UTF-8, else Shift_JIS).
        #[arg(long, value_enum)]
        encoding: Option<CsvEncoding>,
    },
    /// What changed in the journeys between two git revisions (REV_B defaults to the
    /// working tree). Arguments: [SITE] REV_A [REV_B].
    Diff {
        /// `[SITE] REV_A [REV_B]`: SITE is taken as such when it is a folder with tabiji.toml.
        #[arg(required = true, num_args = 1..=3, value_name = "ARGS")]
        args: Vec<String>,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Write JSON Schemas of every file kind, for editor completion and validation.
    Schema {
        /// A site whose stage, row, persona and department ids the schemas should list;
        /// without tabiji.toml there, the schemas accept any id.
        #[arg(default_value = ".")]
        site: PathBuf,
        /// The folder to write them into (created if missing).
        #[arg(short = 'o', long = "output", default_value = "schemas")]
        output: PathBuf,
    },
    /// Serve the site with live reload (built in memory; nothing is written).
    Serve {
        /// The site folder (holding tabiji.toml).
        #[arg(default_value = ".")]
        site: PathBuf,
        /// Address to listen on; anything but loopback makes the site visible to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// Poll the file system instead of waiting for change events (network drives,
        /// containers, WSL).
        #[arg(long)]
        poll: bool,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// With a non-loopback --bind: a host name (or address) browsers may use to reach
        /// the preview, besides the --bind address; repeatable. Other Host headers get 403.
        #[arg(long = "allow-host", value_name = "NAME")]
        allow_host: Vec<String>,
        /// Seconds a connection may stay silent before it is closed (for tests).
        #[arg(long, hide = true, default_value_t = 60.0)]
        idle_timeout: f64,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    Text,
    Markdown,
    Json,
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Lang {
    Ja,
    En,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    Csv,
    Json,
    Xlsx,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum CsvEncoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(
        name = "shift-jis",
        alias = "shift_jis",
        alias = "sjis",
        alias = "cp932"
    )]
    ShiftJis,
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
    #[error(transparent)]
    Write(#[from] crate::output::OutputError),
    #[error(transparent)]
    Serve(#[from] crate::serve::ServeError),
    #[error(transparent)]
    Init(#[from] crate::init::InitError),
    #[error(transparent)]
    Pipeline(#[from] pipeline::PipelineError),
    #[error(transparent)]
    Git(#[from] crate::diff::git::GitError),
    #[error("too many arguments: expected [SITE] REV_A [REV_B]")]
    DiffArgs,
    #[error("internal error: {0}")]
    Internal(String),
    #[error(
        "invalid --base-url `{0}`: it must be a path starting with one `/` (or `https://host/path`) and hold no spaces, backslashes, `..`, `?`, `#`, quotes or angle brackets"
    )]
    BaseUrl(String),
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
        Command::Build {
            site,
            output,
            base_url,
            changes_since,
        } => build(&site, output, base_url, changes_since),
        Command::Init { dir, lang } => init(&dir, lang),
        Command::Diff { args, format } => diff(&args, format),
        Command::Import {
            file,
            site,
            persona,
            id,
            sheet,
            encoding,
        } => import(crate::import::ImportOptions {
            file,
            site_dir: site,
            persona,
            id,
            sheet,
            encoding: encoding.map(|e| match e {
                CsvEncoding::Utf8 => crate::import::Encoding::Utf8,
                CsvEncoding::ShiftJis => crate::import::Encoding::ShiftJis,
            }),
        }),
        Command::Schema { site, output } => {
            let vocab = if site.join("tabiji.toml").is_file() {
                Some(crate::schema::Vocabulary::of(&load_site(&site)?.site))
            } else {
                None
            };
            std::fs::create_dir_all(&output)?;
            let mut o = std::io::stdout().lock();
            for (name, text) in crate::schema::schemas(vocab.as_ref()) {
                std::fs::write(output.join(name), text)?;
                writeln!(o, "wrote {}", output.join(name).display())?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            site,
            format,
            output,
        } => export(&site, format, output),
        Command::Serve {
            site,
            bind,
            port,
            poll,
            open,
            allow_host,
            idle_timeout,
        } => {
            crate::serve::run(crate::serve::ServeOptions {
                site,
                bind,
                port,
                poll,
                open,
                base_url: None,
                allow_hosts: allow_host,
                idle_timeout: std::time::Duration::from_secs_f64(
                    idle_timeout.clamp(0.05, 86_400.0),
                ),
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn load_site(site: &Path) -> Result<Loaded, CliError> {
    Ok(pipeline::load_site(site)?)
}

/// `NO_COLOR` set to a non-empty value turns colours off (https://no-color.org).
fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn use_color() -> bool {
    std::io::stdout().is_terminal() && no_color_unset()
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
                writeln!(out, "  {}", crate::terminal::safe(&line))?;
            }
            writeln!(out, "{}", verdict(d.errors(), d.warnings()))?;
        }
        CheckFormat::Json => {
            let doc = CheckReport {
                errors: d.errors(),
                warnings: d.warnings(),
                diagnostics: d
                    .iter()
                    .map(|x| diagnostic::to_json(x, &loaded.sources))
                    .collect(),
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
    Ok(if d.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The JSON document of `check --format json` (documented in docs/commands.md).
#[derive(serde::Serialize)]
struct CheckReport<'a> {
    errors: usize,
    warnings: usize,
    diagnostics: Vec<diagnostic::JsonDiagnostic>,
    coverage: &'a load::Coverage,
}

fn build(
    site: &Path,
    output: Option<PathBuf>,
    base_url: Option<String>,
    changes_since: Option<String>,
) -> Result<ExitCode, CliError> {
    let started = std::time::Instant::now();
    let base_url = match base_url {
        Some(u) => Some(load::normalize_base_url(&u).ok_or(CliError::BaseUrl(u))?),
        None => None,
    };
    let opts = pipeline::BuildOptions {
        output,
        base_url,
        changes_since,
    };
    match pipeline::build(site, opts)? {
        pipeline::Built::Done {
            pages,
            changed,
            warnings,
            out,
            held,
        } => {
            // The process ends here: the operating system frees the model faster.
            std::mem::forget(held);
            let mut o = std::io::stdout().lock();
            if warnings > 0 {
                writeln!(o, "{warnings} warnings (run `tabiji check` to see them)")?;
            }
            writeln!(
                o,
                "built {pages} pages into {} ({changed} files changed) in {} ms",
                out.display(),
                started.elapsed().as_millis()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        pipeline::Built::ContentErrors(loaded) => {
            let mut err = std::io::stderr().lock();
            write!(err, "{}", stderr_errors(&loaded))?;
            writeln!(
                err,
                "build failed: {}; the previous output was left as it was",
                diagnostic::plural(loaded.diagnostics.errors(), "error")
            )?;
            Ok(ExitCode::from(1))
        }
        pipeline::Built::TemplateError(e) => {
            eprintln!("error: {}", crate::terminal::safe(&e.to_string()));
            eprintln!("build failed; the previous output was left as it was");
            Ok(ExitCode::from(1))
        }
    }
}

fn init(dir: &Path, lang: Lang) -> Result<ExitCode, CliError> {
    let language = match lang {
        Lang::Ja => crate::model::Language::Ja,
        Lang::En => crate::model::Language::En,
    };
    let written = crate::init::init(dir, language)?;
    let mut o = std::io::stdout().lock();
    writeln!(
        o,
        "created a tabiji site in {} ({} files)",
        dir.display(),
        written.len()
    )?;
    let shown = pipeline::display_prefix(dir);
    let arg = if shown.is_empty() {
        String::new()
    } else {
        format!(" {shown}")
    };
    writeln!(o, "next:")?;
    writeln!(
        o,
        "  tabiji serve{arg}    preview it at http://127.0.0.1:4000/, reloading as you edit"
    )?;
    writeln!(
        o,
        "  tabiji check{arg}    check every reference and see what is still missing"
    )?;
    writeln!(
        o,
        "  tabiji build{arg}    write the site into{arg}{}public/",
        if arg.is_empty() { " " } else { "/" }
    )?;
    Ok(ExitCode::SUCCESS)
}

fn export(
    site: &Path,
    format: ExportFormat,
    output: Option<PathBuf>,
) -> Result<ExitCode, CliError> {
    let loaded = load_site(site)?;
    if loaded.diagnostics.has_errors() {
        let mut err = std::io::stderr().lock();
        write!(err, "{}", stderr_errors(&loaded))?;
        writeln!(
            err,
            "export failed: the content has errors (run `tabiji check`)"
        )?;
        return Ok(ExitCode::from(1));
    }
    let bytes = match format {
        ExportFormat::Csv => crate::export::to_csv(
            &loaded.site,
            loaded.site.config.language == crate::model::Language::Ja,
        ),
        ExportFormat::Json => crate::export::to_json(&loaded.site),
        ExportFormat::Xlsx => crate::export::to_xlsx(&loaded.site)
            .map_err(|e| CliError::Internal(format!("cannot write the workbook: {e}")))?,
    };
    match output {
        Some(path) => std::fs::write(&path, bytes)?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn import(opts: crate::import::ImportOptions) -> Result<ExitCode, CliError> {
    let loaded = load_site(&opts.site_dir)?;
    if loaded.diagnostics.has_errors() {
        let mut err = std::io::stderr().lock();
        write!(err, "{}", stderr_errors(&loaded))?;
        writeln!(
            err,
            "import failed: the site has errors (run `tabiji check`); nothing was written"
        )?;
        return Ok(ExitCode::from(1));
    }
    match crate::import::run(&loaded.site, &opts) {
        Ok(done) => {
            let mut o = std::io::stdout().lock();
            writeln!(
                o,
                "imported {} ({} stages, persona {}) into {}",
                done.from,
                done.stages,
                done.persona,
                done.path.display()
            )?;
            let shown = pipeline::display_prefix(&opts.site_dir);
            let arg = if shown.is_empty() {
                String::new()
            } else {
                format!(" {shown}")
            };
            writeln!(o, "next: tabiji check{arg}")?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            eprintln!("import failed; nothing was written");
            Ok(ExitCode::from(e.exit_status()))
        }
    }
}

/// `[SITE] REV_A [REV_B]`: with two arguments, the first is the site if it is a folder
/// holding tabiji.toml.
fn diff_args(args: &[String]) -> Result<(PathBuf, String, Option<String>), CliError> {
    let is_site = |s: &str| Path::new(s).join("tabiji.toml").is_file();
    match args {
        [a] => Ok((PathBuf::from("."), a.clone(), None)),
        [s, a] if is_site(s) => Ok((PathBuf::from(s), a.clone(), None)),
        [a, b] => Ok((PathBuf::from("."), a.clone(), Some(b.clone()))),
        [s, a, b] => Ok((PathBuf::from(s), a.clone(), Some(b.clone()))),
        _ => Err(CliError::DiffArgs),
    }
}

fn diff(args: &[String], format: DiffFormat) -> Result<ExitCode, CliError> {
    let (site, a, b) = diff_args(args)?;
    let report = pipeline::diff(&site, &a, b.as_deref())?;
    let text = match format {
        DiffFormat::Text => crate::diff::render_text(&report, use_color()),
        DiffFormat::Markdown => crate::diff::render_markdown(&report),
        DiffFormat::Json => report.to_json(),
        DiffFormat::Html => crate::diff::render_html(&report),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// The content errors of a load, for stderr (coloured on a terminal).
fn stderr_errors(loaded: &Loaded) -> String {
    let color = std::io::stderr().is_terminal() && no_color_unset();
    diagnostic::render_errors(&loaded.diagnostics, &loaded.sources, color, usize::MAX)
}

fn verdict(errors: usize, warnings: usize) -> String {
    use diagnostic::plural;
    if errors > 0 {
        format!(
            "check failed: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    } else {
        format!(
            "check passed: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}

//! The command line: parse arguments, call the pipeline, print, choose the exit status.
//!
//! This file parses and dispatches; `commands` runs each command and prints what it did;
//! `usage` says what was wrong with the arguments. Every line is printed in the language of
//! [`Say`]. Exit status: 0 success, 1 the content has errors, 2 bad usage or an I/O failure.

mod commands;
mod usage;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::i18n::{self, Localized, Text};
use crate::load::LoadError;
use crate::pipeline;
use crate::t;

#[derive(Debug, Parser)]
#[command(
    name = "tabiji",
    version,
    about = "Customer journey maps and sales playbooks as a static site"
)]
struct Cli {
    /// The language of messages (default: TABIJI_LANG, else the site's `language`, else the
    /// locale); for `init`, also the language of the example.
    #[arg(long, global = true, value_enum)]
    lang: Option<i18n::Lang>,
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
        /// The folder to create the site in (its language: --lang, else TABIJI_LANG, else
        /// Japanese).
        #[arg(default_value = ".")]
        dir: PathBuf,
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

/// `--lang ja|en`: the language type of [`i18n`] itself, so there is one list of languages.
impl ValueEnum for i18n::Lang {
    fn value_variants<'a>() -> &'a [Self] {
        &[i18n::Lang::Ja, i18n::Lang::En]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_str()))
    }
}

/// The language the command line speaks: `--lang`, `TABIJI_LANG`, the site's once it has
/// been read, the locale.
pub struct Say {
    flag: Option<i18n::Lang>,
    site: std::cell::Cell<Option<i18n::Lang>>,
}

impl Say {
    fn new(flag: Option<i18n::Lang>) -> Say {
        Say {
            flag,
            site: std::cell::Cell::new(None),
        }
    }

    /// The site's language is known: it now counts.
    fn site(&self, lang: i18n::Lang) {
        self.site.set(Some(lang));
    }

    /// The language a site folder's `tabiji.toml` declares, if it has one.
    fn site_of(&self, dir: &std::path::Path) {
        if let Some(lang) = crate::load::language_of(dir) {
            self.site(lang);
        }
    }

    /// `--lang`, if given.
    fn flag(&self) -> Option<i18n::Lang> {
        self.flag
    }

    pub fn lang(&self) -> i18n::Lang {
        i18n::choose(self.flag, self.site.get())
    }

    /// A text in the language spoken, safe for a terminal.
    fn text(&self, t: &Text) -> String {
        crate::terminal::safe(t.get(self.lang()))
    }
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
#[derive(Debug)]
pub enum CliError {
    Load(LoadError),
    Output(std::io::Error),
    Write(crate::output::OutputError),
    Serve(crate::serve::ServeError),
    Init(crate::init::InitError),
    Pipeline(pipeline::PipelineError),
    Git(crate::diff::git::GitError),
    DiffArgs,
    Internal(Text),
    BaseUrl(String),
}

impl Localized for CliError {
    fn text(&self) -> Text {
        match self {
            CliError::Load(e) => e.text(),
            CliError::Output(e) => t!(
                "cannot write output: {why}",
                "出力を書き込めません: {why}";
                why = i18n::io_reason(e)
            ),
            CliError::Write(e) => e.text(),
            CliError::Serve(e) => e.text(),
            CliError::Init(e) => e.text(),
            CliError::Pipeline(e) => e.text(),
            CliError::Git(e) => e.text(),
            CliError::DiffArgs => t!(
                "too many arguments: expected [SITE] REV_A [REV_B]",
                "引数が多すぎます。[SITE] REV_A [REV_B] の形で指定してください"
            ),
            CliError::Internal(e) => t!("internal error: {e}", "内部エラー: {e}"; e = e),
            CliError::BaseUrl(u) => t!(
                "invalid --base-url `{u}`: it must be a path starting with one `/` (or `https://host/path`) and hold no spaces, backslashes, `..`, `?`, `#`, quotes or angle brackets",
                "--base-url `{u}` は使えません。`/` 1つで始まるパス（または `https://host/path`）で、空白・バックスラッシュ・`..`・`?`・`#`・引用符・山括弧を含まないものにしてください"
            ),
        }
    }
}
crate::localized_error!(CliError);

macro_rules! from_error {
    ($($variant:ident($ty:ty)),+ $(,)?) => {
        $(impl From<$ty> for CliError {
            fn from(e: $ty) -> CliError {
                CliError::$variant(e)
            }
        })+
    };
}
from_error!(
    Load(LoadError),
    Output(std::io::Error),
    Write(crate::output::OutputError),
    Serve(crate::serve::ServeError),
    Init(crate::init::InitError),
    Pipeline(pipeline::PipelineError),
    Git(crate::diff::git::GitError),
);

/// Run the command line; errors are printed here, in the language spoken.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let args: Vec<OsString> = args.into_iter().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(c) => c,
        Err(e) => return usage::report(&e, usage::lang_of_args(&args)),
    };
    let say = Say::new(cli.lang);
    match commands::run(cli.command, &say) {
        Ok(code) => code,
        // `tabiji export … | head` closing the pipe early is not an error.
        Err(CliError::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let word = crate::diagnostic::Severity::Error.word(say.lang());
            eprintln!("{word}: {}", say.text(&e.text()));
            ExitCode::from(2)
        }
    }
}

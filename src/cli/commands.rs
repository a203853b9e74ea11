//! Each command: call the pipeline, print what happened in the language spoken ([`Say`]),
//! choose the exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{CheckFormat, CliError, Command, CsvEncoding, DiffFormat, ExportFormat, Say};
use crate::diagnostic::{self, HumanRenderer, Severity};
use crate::i18n::{self, Localized, Text};
use crate::load::{self, Loaded};
use crate::pipeline;
use crate::t;

pub(super) fn run(command: Command, say: &Say) -> Result<ExitCode, CliError> {
    // What is said before, and after, the site is read is said in its language.
    if let Some(site) = site_of(&command) {
        say.site_of(&site);
    }
    match command {
        Command::Check { site, format } => check(&site, format, say),
        Command::Build {
            site,
            output,
            base_url,
            changes_since,
        } => build(&site, output, base_url, changes_since, say),
        Command::Init { dir } => init(&dir, say),
        Command::Diff { args, format } => diff(&args, format, say),
        Command::Import {
            file,
            site,
            persona,
            id,
            sheet,
            encoding,
        } => import(
            crate::import::ImportOptions {
                file,
                site_dir: site,
                persona,
                id,
                sheet,
                encoding: encoding.map(|e| match e {
                    CsvEncoding::Utf8 => crate::import::Encoding::Utf8,
                    CsvEncoding::ShiftJis => crate::import::Encoding::ShiftJis,
                }),
            },
            say,
        ),
        Command::Schema { site, output } => {
            let vocab = if site.join("tabiji.toml").is_file() {
                Some(crate::schema::Vocabulary::of(
                    &pipeline::load_site(&site)?.site,
                ))
            } else {
                None
            };
            std::fs::create_dir_all(&output)?;
            let mut o = std::io::stdout().lock();
            for (name, text) in crate::schema::schemas(vocab.as_ref()) {
                let path = output.join(name);
                std::fs::write(&path, text)?;
                let p = path.display();
                writeln!(o, "{}", say.text(&t!("wrote {p}", "{p} を書き込みました")))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            site,
            format,
            output,
        } => export(&site, format, output, say),
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
                lang: say.flag(),
            })?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The site folder a command reads, if any.
fn site_of(command: &Command) -> Option<PathBuf> {
    match command {
        Command::Check { site, .. }
        | Command::Build { site, .. }
        | Command::Export { site, .. }
        | Command::Import { site, .. }
        | Command::Schema { site, .. }
        | Command::Serve { site, .. } => Some(site.clone()),
        Command::Diff { args, .. } => diff_args(args).ok().map(|(site, ..)| site),
        Command::Init { .. } => None,
    }
}

/// `NO_COLOR` set to a non-empty value turns colours off (https://no-color.org).
fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn use_color() -> bool {
    std::io::stdout().is_terminal() && no_color_unset()
}

fn check(site: &Path, format: CheckFormat, say: &Say) -> Result<ExitCode, CliError> {
    let loaded = pipeline::load_site(site)?;
    let lang = say.lang();
    let d = &loaded.diagnostics;
    let mut out = std::io::stdout().lock();
    match format {
        CheckFormat::Human => {
            let r = HumanRenderer::new(use_color(), lang);
            for diag in d.iter() {
                writeln!(out, "{}\n", r.render(diag, &loaded.sources))?;
            }
            writeln!(out, "{}", say.text(&t!("coverage:", "網羅状況:")))?;
            for line in loaded.coverage.lines() {
                writeln!(out, "  {}", say.text(&line))?;
            }
            writeln!(out, "{}", say.text(&verdict(d.errors(), d.warnings())))?;
        }
        CheckFormat::Json => {
            let doc = CheckReport {
                errors: d.errors(),
                warnings: d.warnings(),
                diagnostics: d
                    .iter()
                    .map(|x| diagnostic::to_json(x, &loaded.sources, lang))
                    .collect(),
                coverage: &loaded.coverage,
            };
            let text = serde_json::to_string_pretty(&doc).map_err(std::io::Error::other)?;
            writeln!(out, "{text}")?;
        }
        CheckFormat::Github => {
            for diag in d.iter() {
                let line = diagnostic::render_github(diag, &loaded.sources, lang);
                writeln!(out, "{line}")?;
            }
            writeln!(out, "{}", say.text(&verdict(d.errors(), d.warnings())))?;
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
    say: &Say,
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
    let built = pipeline::build(site, opts)?;
    let left = t!(
        "the previous output was left as it was",
        "前回の出力はそのまま残しています"
    );
    match built {
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
                let n = diagnostic::count(warnings, Severity::Warning);
                let line = t!(
                    "{n} (run `tabiji check` to see them)",
                    "{n}（内容は `tabiji check` で確認できます）";
                    n = n
                );
                writeln!(o, "{}", say.text(&line))?;
            }
            let (out, ms) = (out.display(), started.elapsed().as_millis());
            let (pages_en, changed_en) = (
                i18n::en_count(pages, "page", "pages"),
                i18n::en_count(changed, "file", "files"),
            );
            let line = t!(
                "built {pages_en} into {out} ({changed_en} changed) in {ms} ms",
                "{pages} ページを {out} に生成しました（変更したファイル {changed} 件、{ms} ミリ秒）"
            );
            writeln!(o, "{}", say.text(&line))?;
            Ok(ExitCode::SUCCESS)
        }
        pipeline::Built::ContentErrors(loaded) => {
            let mut err = std::io::stderr().lock();
            write!(err, "{}", stderr_errors(&loaded, say))?;
            let n = diagnostic::count(loaded.diagnostics.errors(), Severity::Error);
            let line = t!(
                "build failed: {n}; {left}",
                "生成できませんでした（{n}）。{left}";
                n = n,
                left = left
            );
            writeln!(err, "{}", say.text(&line))?;
            Ok(ExitCode::from(1))
        }
        pipeline::Built::TemplateError(e) => {
            let word = Severity::Error.word(say.lang());
            eprintln!("{word}: {}", say.text(&e.text()));
            let line = t!(
                "build failed; {left}",
                "生成できませんでした。{left}";
                left = left
            );
            eprintln!("{}", say.text(&line));
            Ok(ExitCode::from(1))
        }
    }
}

fn init(dir: &Path, say: &Say) -> Result<ExitCode, CliError> {
    // The example's language: --lang, else TABIJI_LANG, else Japanese (not the locale: a
    // team's site language is a choice, not the machine's).
    let language = say.flag().or_else(i18n::from_env).unwrap_or(i18n::Lang::Ja);
    say.site(language);
    let written = crate::init::init(dir, language)?;
    let mut o = std::io::stdout().lock();
    let (d, n) = (dir.display(), written.len());
    let files = i18n::en_count(n, "file", "files");
    let line = t!(
        "created a tabiji site in {d} ({files})",
        "{d} に tabiji のサイトを作りました（{n} ファイル）"
    );
    writeln!(o, "{}", say.text(&line))?;
    let arg = site_arg(dir);
    let public = format!(
        "{}{}public/",
        arg.trim_start(),
        if arg.is_empty() { "" } else { "/" }
    );
    let next = [
        t!("next:", "次の手順:"),
        t!(
            "  tabiji serve{arg}    preview it at http://127.0.0.1:4000/, reloading as you edit",
            "  tabiji serve{arg}    http://127.0.0.1:4000/ でプレビュー（保存すると再読み込み）"
        ),
        t!(
            "  tabiji check{arg}    check every reference and see what is still missing",
            "  tabiji check{arg}    参照をすべて確認し、まだ足りないものを表示"
        ),
        t!(
            "  tabiji build{arg}    write the site into {public}",
            "  tabiji build{arg}    サイトを {public} に書き出し"
        ),
    ];
    for line in next {
        writeln!(o, "{}", say.text(&line))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn export(
    site: &Path,
    format: ExportFormat,
    output: Option<PathBuf>,
    say: &Say,
) -> Result<ExitCode, CliError> {
    let loaded = pipeline::load_site(site)?;
    if loaded.diagnostics.has_errors() {
        let mut err = std::io::stderr().lock();
        write!(err, "{}", stderr_errors(&loaded, say))?;
        let line = t!(
            "export failed: the content has errors (run `tabiji check`)",
            "書き出せませんでした。内容にエラーがあります（`tabiji check` で確認してください）"
        );
        writeln!(err, "{}", say.text(&line))?;
        return Ok(ExitCode::from(1));
    }
    let bytes = match format {
        ExportFormat::Csv => crate::export::to_csv(
            &loaded.site,
            loaded.site.config.language == crate::model::Language::Ja,
        ),
        ExportFormat::Json => crate::export::to_json(&loaded.site),
        ExportFormat::Xlsx => crate::export::to_xlsx(&loaded.site).map_err(|e| {
            CliError::Internal(t!(
                "cannot write the workbook: {e}",
                "ブックを書き出せません: {e}"
            ))
        })?,
    };
    match output {
        Some(path) => std::fs::write(&path, bytes)?,
        None => std::io::stdout().lock().write_all(&bytes)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn import(opts: crate::import::ImportOptions, say: &Say) -> Result<ExitCode, CliError> {
    let loaded = pipeline::load_site(&opts.site_dir)?;
    let nothing = t!("nothing was written", "何も書き込んでいません");
    if loaded.diagnostics.has_errors() {
        let mut err = std::io::stderr().lock();
        write!(err, "{}", stderr_errors(&loaded, say))?;
        let line = t!(
            "import failed: the site has errors (run `tabiji check`); {nothing}",
            "取り込めませんでした。サイトにエラーがあります（`tabiji check` で確認してください）。{nothing}";
            nothing = nothing
        );
        writeln!(err, "{}", say.text(&line))?;
        return Ok(ExitCode::from(1));
    }
    match crate::import::run(&loaded.site, &opts) {
        Ok(done) => {
            let mut o = std::io::stdout().lock();
            let (from, stages, persona, path) =
                (&done.from, done.stages, &done.persona, done.path.display());
            let stages_en = i18n::en_count(stages, "stage", "stages");
            let line = t!(
                "imported {from} ({stages_en}, persona {persona}) into {path}",
                "{from} を {path} に取り込みました（ステージ {stages} 件、ペルソナ {persona}）"
            );
            writeln!(o, "{}", say.text(&line))?;
            let arg = site_arg(&opts.site_dir);
            let next = t!("next: tabiji check{arg}", "次の手順: tabiji check{arg}");
            writeln!(o, "{}", say.text(&next))?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let word = Severity::Error.word(say.lang());
            eprintln!("{word}: {}", say.text(&e.text()));
            let line = t!(
                "import failed; {nothing}",
                "取り込めませんでした。{nothing}";
                nothing = nothing
            );
            eprintln!("{}", say.text(&line));
            Ok(ExitCode::from(e.exit_status()))
        }
    }
}

/// The SITE argument of a suggested next command: `" my-playbook"`, or nothing for the
/// current folder.
fn site_arg(site: &Path) -> String {
    let shown = pipeline::display_prefix(site);
    if shown.is_empty() {
        String::new()
    } else {
        format!(" {shown}")
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

fn diff(args: &[String], format: DiffFormat, say: &Say) -> Result<ExitCode, CliError> {
    let (site, a, b) = diff_args(args)?;
    let mut report = pipeline::diff(&site, &a, b.as_deref())?;
    report.language = say.lang();
    // JSON keeps `"to": "working tree"` for scripts; people read it in their language.
    if b.is_none() && format != DiffFormat::Json {
        report.to = t!("working tree", "作業ツリー")
            .get(report.language)
            .to_owned();
    }
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
fn stderr_errors(loaded: &Loaded, say: &Say) -> String {
    let color = std::io::stderr().is_terminal() && no_color_unset();
    diagnostic::render_errors(
        &loaded.diagnostics,
        &loaded.sources,
        color,
        usize::MAX,
        say.lang(),
    )
}

fn verdict(errors: usize, warnings: usize) -> Text {
    let e = diagnostic::count(errors, Severity::Error);
    let w = diagnostic::count(warnings, Severity::Warning);
    if errors > 0 {
        t!("check failed: {e}, {w}", "確認の結果: 問題があります（{e}、{w}）"; e = e, w = w)
    } else {
        t!("check passed: {e}, {w}", "確認の結果: 問題ありません（{e}、{w}）"; e = e, w = w)
    }
}

//! Mistakes in the arguments themselves, said in the language spoken.
//!
//! clap finds the mistake and knows the usage line; its sentences are English only, so the
//! common kinds of mistake are said here in Japanese from the pieces clap gives (the
//! argument, the value, the valid values). `--help` and `--version` print as clap writes them.

use std::ffi::OsString;
use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::i18n::{self, Lang};

/// `--lang` as written among arguments clap could not parse, else the environment's choice.
pub(super) fn lang_of_args(args: &[OsString]) -> Lang {
    let args: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let flag = args.iter().enumerate().find_map(|(i, a)| {
        a.strip_prefix("--lang=")
            .or_else(|| (a == "--lang").then(|| args.get(i + 1).map_or("", String::as_str)))
            .and_then(i18n::parse_lang)
    });
    i18n::choose(flag, None)
}

/// Print a clap error (or help, or version) and give the exit status: 0 for help and
/// version, 2 for a mistake.
pub(super) fn report(e: &clap::Error, lang: Lang) -> ExitCode {
    if !e.use_stderr() {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    match (lang, japanese(e)) {
        (Lang::Ja, Some(message)) => {
            let usage = e
                .get(ContextKind::Usage)
                .map(|u| u.to_string())
                .unwrap_or_default();
            let usage = usage
                .trim()
                .strip_prefix("Usage:")
                .unwrap_or(usage.trim())
                .trim();
            let word = crate::diagnostic::Severity::Error.word(Lang::Ja);
            eprintln!("{word}: {}", crate::terminal::safe(&message));
            if !usage.is_empty() {
                eprintln!("\n使い方: {usage}");
            }
            eprintln!("\n詳しくは `--help` を付けて実行してください。");
        }
        _ => {
            let _ = e.print();
        }
    }
    ExitCode::from(2)
}

/// A piece of the error as text; several values as `a`、`b` (without the outer backticks).
fn context(e: &clap::Error, kind: ContextKind) -> String {
    match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join("`、`"),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

/// clap's suggestions in the one wording of suggestions (`load::did_you_mean_of`), or "".
fn did_you_mean(e: &clap::Error, kind: ContextKind) -> String {
    let words: Vec<String> = match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    };
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    crate::load::did_you_mean_of(&words).map_or_else(String::new, |q| q.ja().to_owned())
}

/// The Japanese sentence for the kinds of mistake people make; `None` for the rest.
fn japanese(e: &clap::Error) -> Option<String> {
    let arg = context(e, ContextKind::InvalidArg);
    let value = context(e, ContextKind::InvalidValue);
    let valid = context(e, ContextKind::ValidValue);
    let text = match e.kind() {
        ErrorKind::UnknownArgument => {
            let mut m = format!("`{arg}` というオプションはありません。");
            m.push_str(&did_you_mean(e, ContextKind::SuggestedArg));
            m
        }
        ErrorKind::InvalidValue if value.is_empty() => {
            format!("{arg} に値がありません。")
        }
        ErrorKind::InvalidValue => {
            let mut m = format!("`{value}` は {arg} に指定できません。");
            if !valid.is_empty() {
                m.push_str(&format!("指定できる値: `{valid}`。"));
            }
            m
        }
        ErrorKind::ValueValidation => {
            format!("`{value}` は {arg} の値として正しくありません。")
        }
        ErrorKind::InvalidSubcommand => {
            let sub = context(e, ContextKind::InvalidSubcommand);
            let mut m = format!("`{sub}` というコマンドはありません。");
            m.push_str(&did_you_mean(e, ContextKind::SuggestedSubcommand));
            m.push_str(
                "コマンドは init・serve・check・build・diff・export・import・schema です。",
            );
            m
        }
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "コマンドを指定してください（init・serve・check・build・diff・export・import・schema）。"
                .to_string()
        }
        ErrorKind::MissingRequiredArgument => {
            format!("必要な引数 {arg} がありません。")
        }
        ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("{arg} に渡した値の数が正しくありません。")
        }
        ErrorKind::ArgumentConflict => {
            let prior = context(e, ContextKind::PriorArg);
            format!("{arg} と {prior} は同時に指定できません。")
        }
        _ => return None,
    };
    Some(text)
}

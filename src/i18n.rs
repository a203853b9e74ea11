//! Text for people, in both languages tabiji speaks.
//!
//! Every message tabiji writes for a person — a diagnostic, its label and hint, a coverage
//! line, a line of the command line — is a [`Text`]: the English and the Japanese written
//! side by side where the message is made, with [`t!`](crate::t). Which one is shown is
//! chosen once, at the edge (the command line, the `serve` overlay), by [`choose`]: `--lang`,
//! then `TABIJI_LANG`, then the site's `language`, then the environment's locale, then
//! English. Keeping both until then means the loader never needs to know the reader, and a
//! message without its Japanese cannot be written (there is no conversion from a bare
//! string).

/// The two languages: of the built-in labels and `<html lang>` (a site's `language`), and
/// of messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Ja,
    En,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

/// One message in English and in Japanese.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text {
    en: String,
    ja: String,
}

impl Text {
    pub fn new(en: String, ja: String) -> Text {
        Text { en, ja }
    }

    /// Text made the same way in each language (a rendering that takes the language).
    pub fn from_fn(mut f: impl FnMut(Lang) -> String) -> Text {
        Text {
            en: f(Lang::En),
            ja: f(Lang::Ja),
        }
    }

    /// Text that reads the same in both languages: a file path, code, an id.
    pub fn verbatim(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            en: s.clone(),
            ja: s,
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Ja => &self.ja,
        }
    }

    pub fn en(&self) -> &str {
        &self.en
    }

    pub fn ja(&self) -> &str {
        &self.ja
    }

    /// Items joined by the list separator of each language (`, ` and `、`).
    pub fn list(items: impl IntoIterator<Item = Text>) -> Text {
        let (mut en, mut ja) = (String::new(), String::new());
        for (i, t) in items.into_iter().enumerate() {
            if i > 0 {
                en.push_str(", ");
                ja.push('、');
            }
            en.push_str(&t.en);
            ja.push_str(&t.ja);
        }
        Text { en, ja }
    }
}

/// What [`t!`](crate::t) does with a named argument: a [`Text`] gives the language being
/// written, anything else prints the same in both.
pub trait Pick {
    fn pick(&self, lang: Lang) -> String;
}

impl Pick for Text {
    fn pick(&self, lang: Lang) -> String {
        self.get(lang).to_owned()
    }
}

impl<T: std::fmt::Display + ?Sized> Pick for T {
    fn pick(&self, _: Lang) -> String {
        self.to_string()
    }
}

/// `t!("English {x}", "日本語 {x}")` makes a [`Text`](crate::i18n::Text); both strings are
/// `format!` strings and capture variables in scope. Arguments after `;` are named and may be
/// `Text` themselves, each language taking its own: `t!("in {what}", "{what}で"; what = w)`.
#[macro_export]
macro_rules! t {
    ($en:literal, $ja:literal $(,)?) => {
        $crate::i18n::Text::new(format!($en), format!($ja))
    };
    ($en:literal, $ja:literal; $($name:ident = $val:expr),+ $(,)?) => {{
        #[allow(unused_imports)]
        use $crate::i18n::Pick as _;
        $(let $name = &$val;)+
        $crate::i18n::Text::new(
            {
                $(let $name = $name.pick($crate::i18n::Lang::En);)+
                format!($en)
            },
            {
                $(let $name = $name.pick($crate::i18n::Lang::Ja);)+
                format!($ja)
            },
        )
    }};
}

/// An error that can say what went wrong in either language. Its `Display` is the English
/// (for logs and tests); people see [`Localized::text`] in their language.
pub trait Localized {
    fn text(&self) -> Text;
}

/// `Display` (the English) and `std::error::Error` for a [`Localized`] error type.
#[macro_export]
macro_rules! localized_error {
    ($ty:ty) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::i18n::Localized::text(self).en())
            }
        }
        impl std::error::Error for $ty {}
    };
}

/// What the operating system said, in words people read: the common failures translated,
/// others as the system wrote them.
pub fn io_reason(e: &std::io::Error) -> Text {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => t!(
            "no such file or folder",
            "ファイルまたはフォルダーがありません"
        ),
        K::PermissionDenied => t!("permission denied", "アクセス権がありません"),
        K::AlreadyExists => t!("it already exists", "すでに存在します"),
        K::IsADirectory => t!("it is a folder", "フォルダーです"),
        K::NotADirectory => t!(
            "a part of the path is not a folder",
            "パスの途中がフォルダーではありません"
        ),
        K::StorageFull => t!("the disk is full", "ディスクの空きがありません"),
        K::ReadOnlyFilesystem => t!(
            "the file system is read-only",
            "読み取り専用のファイルシステムです"
        ),
        K::InvalidData => t!(
            "the data is not valid ({e})",
            "データが正しくありません（{e}）"
        ),
        _ => Text::verbatim(e.to_string()),
    }
}

/// "cannot read PATH: why", the one wording for a file that cannot be read.
pub fn cannot_read(path: &std::path::Path, e: &std::io::Error) -> Text {
    let p = path.display();
    t!("cannot read {p}: {why}", "{p} を読めません: {why}"; why = io_reason(e))
}

/// "cannot write PATH: why".
pub fn cannot_write(path: &std::path::Path, e: &std::io::Error) -> Text {
    let p = path.display();
    t!("cannot write {p}: {why}", "{p} に書き込めません: {why}"; why = io_reason(e))
}

/// `ja`, `ja_JP.UTF-8`, `en-US`, … as a language; anything else is `None`.
pub fn parse_lang(s: &str) -> Option<Lang> {
    let s = s.trim().to_ascii_lowercase();
    let primary = s.split(['_', '-', '.', '@']).next().unwrap_or("");
    match primary {
        "ja" | "jp" => Some(Lang::Ja),
        "en" => Some(Lang::En),
        _ => None,
    }
}

/// The language of the messages: `--lang`, then `TABIJI_LANG`, then the site's `language`
/// (when the site was read), then the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`), then English.
pub fn choose(flag: Option<Lang>, site: Option<Lang>) -> Lang {
    choose_from(flag, site, |k| std::env::var(k).ok())
}

/// `TABIJI_LANG`, when it names a language.
pub fn from_env() -> Option<Lang> {
    std::env::var("TABIJI_LANG")
        .ok()
        .as_deref()
        .and_then(parse_lang)
}

fn choose_from(
    flag: Option<Lang>,
    site: Option<Lang>,
    env: impl Fn(&str) -> Option<String>,
) -> Lang {
    flag.or_else(|| env("TABIJI_LANG").as_deref().and_then(parse_lang))
        .or(site)
        .or_else(|| {
            // The first of the three that is set decides, as in POSIX.
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|k| env(k).filter(|v| !v.is_empty()))
                .next()
                .map(|v| parse_lang(&v).unwrap_or(Lang::En))
        })
        .unwrap_or(Lang::En)
}

/// `1 file`, `2 files`: an English count with its noun.
pub fn en_count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A count with its noun: `1 error`, `2 errors`; `エラー 2 件`.
pub fn count(n: usize, en_one: &str, en_many: &str, ja: &str) -> Text {
    Text::new(en_count(n, en_one, en_many), format!("{ja} {n} 件"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_texts_take_their_language() {
        let what = t!("a persona", "ペルソナ");
        let key = "stage";
        let msg = t!("unknown key `{key}` in {what}", "{what}では `{key}` というキーは使えません"; what = what);
        assert_eq!(msg.en(), "unknown key `stage` in a persona");
        assert_eq!(msg.ja(), "ペルソナでは `stage` というキーは使えません");
    }

    #[test]
    fn the_flag_beats_the_environment_which_beats_the_site_which_beats_the_locale() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        let ja_env = env(&[("TABIJI_LANG", "ja"), ("LANG", "en_US.UTF-8")]);
        assert_eq!(
            choose_from(Some(Lang::En), Some(Lang::Ja), ja_env),
            Lang::En
        );
        assert_eq!(choose_from(None, Some(Lang::En), ja_env), Lang::Ja);
        let locale = env(&[("LANG", "ja_JP.UTF-8")]);
        assert_eq!(choose_from(None, Some(Lang::En), locale), Lang::En);
        assert_eq!(choose_from(None, None, locale), Lang::Ja);
        let c = env(&[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")]);
        assert_eq!(choose_from(None, None, c), Lang::En);
        assert_eq!(choose_from(None, None, env(&[])), Lang::En);
    }

    #[test]
    fn counts_have_no_english_plural_mistakes() {
        assert_eq!(count(1, "error", "errors", "エラー").en(), "1 error");
        assert_eq!(count(2, "warning", "warnings", "警告").en(), "2 warnings");
        assert_eq!(count(0, "warning", "warnings", "警告").ja(), "警告 0 件");
    }
}

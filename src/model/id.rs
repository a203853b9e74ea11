//! Ids: the stems of content files and the `id` values of stages, rows and phases.

use std::fmt;

use unicode_normalization::UnicodeNormalization;

/// An id, in Unicode NFC so that `é` typed on macOS (NFD) and on Linux (NFC) is one id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Id(String);

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdError {
    Empty,
    BadChar(char),
    /// Ids become file and folder names, which file systems cap at 255 bytes.
    TooLong(usize),
}

impl crate::i18n::Localized for IdError {
    fn text(&self) -> crate::i18n::Text {
        use crate::t;
        match self {
            IdError::Empty => t!("an id cannot be empty", "ID は空にできません"),
            IdError::BadChar(c) => t!(
                "`{c}` is not allowed in an id",
                "ID に `{c}` は使えません（使えるのは文字・数字・`-`・`_` です）"
            ),
            IdError::TooLong(n) => t!(
                "an id becomes a file name, and this one is {n} bytes long in UTF-8 (at most {MAX_ID_BYTES})",
                "ID はファイル名になりますが、この ID は UTF-8 で {n} バイトあります（上限は {MAX_ID_BYTES} バイト）"
            ),
        }
    }
}
crate::localized_error!(IdError);

/// The longest id, in UTF-8 bytes: the file-name limit of ext4, APFS (in practice) and NTFS
/// for a name in one script. Longer ids would pass `check` and fail `build`.
pub const MAX_ID_BYTES: usize = 255;

impl Id {
    /// Check and normalise an id: Unicode letters and digits, `-` and `_`.
    pub fn parse(s: &str) -> Result<Id, IdError> {
        let Id(nfc) = Id::lookup(s);
        if nfc.is_empty() {
            return Err(IdError::Empty);
        }
        if let Some(c) = nfc.chars().find(|&c| !is_id_char(c)) {
            return Err(IdError::BadChar(c));
        }
        if nfc.len() > MAX_ID_BYTES {
            return Err(IdError::TooLong(nfc.len()));
        }
        Ok(Id(nfc))
    }

    /// Normalise without checking: for looking up references, which are checked separately.
    pub fn lookup(s: &str) -> Id {
        // ASCII is already NFC: skip the normalisation, which is most of the cost.
        if s.is_ascii() {
            Id(s.to_string())
        } else {
            Id(s.nfc().collect())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Letters and digits of any script (漢字, かな, カナ with `ー`, Latin …), `-` and `_`.
pub fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_' || is_combining_mark(c)
}

/// Voiced-sound marks and other combining marks that NFC cannot fold into a letter.
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{3099}'..='\u{309A}')
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::borrow::Borrow<str> for Id {
    fn borrow(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_ids_are_valid() {
        assert!(Id::parse("情シス課長").is_ok());
        assert!(Id::parse("データ-ドリブン_2").is_ok());
        assert!(Id::parse("ＡＢＣ").is_ok());
    }

    #[test]
    fn nfd_and_nfc_are_one_id() {
        assert_eq!(
            Id::parse("cafe\u{301}").unwrap(),
            Id::parse("café").unwrap()
        );
        assert_eq!(Id::parse("か\u{3099}").unwrap(), Id::parse("が").unwrap());
    }

    #[test]
    fn rejects_spaces_dots_and_slashes() {
        assert_eq!(Id::parse("a b"), Err(IdError::BadChar(' ')));
        assert_eq!(Id::parse("a.b"), Err(IdError::BadChar('.')));
        assert_eq!(Id::parse("情シス・課長"), Err(IdError::BadChar('・')));
        assert_eq!(Id::parse(""), Err(IdError::Empty));
    }

    #[test]
    fn ids_fit_a_file_name() {
        assert!(Id::parse(&"あ".repeat(85)).is_ok()); // 255 bytes
        assert_eq!(Id::parse(&"あ".repeat(100)), Err(IdError::TooLong(300)));
    }
}

//! The search tokenizer. The browser script (`static/assets/tabiji.js`) implements exactly
//! the same rules; `tests/search_tokenizer.rs` runs both on the same inputs.
//!
//! Japanese has no spaces between words and tabiji may not download a dictionary, so runs of
//! kanji and kana are indexed as overlapping character pairs (bigrams): `棚卸し` → `棚卸`,
//! `卸し`. A query matches a document that holds every pair of the query; the browser then
//! confirms the exact text. Latin letters and digits are indexed as words and matched by
//! prefix. Everything is NFKC-normalised and lower-cased first, so half-width `ｶﾀｶﾅ` finds
//! `カタカナ` and full-width `ＡＢＣ` finds `abc`.

/// NFKC, lower case.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normalize_into(text, &mut out);
    out
}

/// [`normalize`], appended to `out`.
pub fn normalize_into(text: &str, out: &mut String) {
    if normalize_common(text, out) {
        return;
    }
    out.push_str(&normalize_slow(text));
}

fn normalize_slow(text: &str) -> String {
    crate::model::fold_width_and_case(text)
}

/// [`normalize`] of text made only of ASCII, common kana, unified kanji and the usual
/// Japanese punctuation (most of a Japanese site): such text is already NFKC (none of these
/// characters changes or combines with a neighbour), and only ASCII letters have a lower
/// case. `None` for any other text.
fn normalize_common(text: &str, out: &mut String) -> bool {
    let start = out.len();
    if normalize_runs(text, out).is_none() {
        out.truncate(start);
        return false;
    }
    true
}

/// The work of [`normalize_common`], byte by byte: characters that stay as they are are
/// copied in runs, not one by one (the index normalises every document's text, tens of
/// megabytes on a large site). Runs start and end at character boundaries. `None` as soon
/// as a character is not on the shortcut, leaving `out` partly written.
fn normalize_runs(text: &str, out: &mut String) -> Option<()> {
    let b = text.as_bytes();
    out.reserve(b.len());
    let (mut i, mut run) = (0, 0);
    while i < b.len() {
        let x = b[i];
        if x < 0x80 {
            if x.is_ascii_uppercase() {
                out.push_str(text.get(run..i)?);
                out.push(char::from(x.to_ascii_lowercase()));
                run = i + 1;
            }
            i += 1;
            continue;
        }
        // Everything else on the shortcut is a three-byte sequence (U+0800 to U+FFFF).
        let &[_, y, z] = b.get(i..i + 3)? else {
            return None;
        };
        if x & 0xF0 != 0xE0 {
            return None;
        }
        let c = (u32::from(x & 0x0F) << 12) | (u32::from(y & 0x3F) << 6) | u32::from(z & 0x3F);
        let replacement = match c {
            0x3001..=0x3002 // 、。
            | 0x3005         // 々
            | 0x300C..=0x300F // 「」『』
            | 0x3041..=0x3096 // hiragana
            | 0x30A1..=0x30FC // katakana, ・, ー
            | 0x4E00..=0x9FFF // kanji
            => None,
            // Full-width ASCII (！＂＃…ｚ｛｜｝～) is its ASCII letter in NFKC.
            0xFF01..=0xFF5E => Some(char::from(((c - 0xFEE0) as u8).to_ascii_lowercase())),
            0x3000 => Some(' '), // ideographic space
            _ => return None,
        };
        if let Some(r) = replacement {
            out.push_str(text.get(run..i)?);
            out.push(r);
            run = i + 3;
        }
        i += 3;
    }
    out.push_str(text.get(run..)?);
    Some(())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Cjk,
    Word,
    Other,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Other
        };
    }
    if is_cjk(c) {
        Class::Cjk
    } else if matches!(c, '、' | '。' | '「' | '」' | '『' | '』' | '・') {
        // The commonest Japanese punctuation, without a lookup in Unicode's tables.
        Class::Other
    } else if c.is_alphanumeric() {
        Class::Word
    } else {
        Class::Other
    }
}

/// Kanji, hiragana, katakana (with the long-vowel mark) and hangul: scripts written
/// without spaces between words.
pub fn is_cjk(c: char) -> bool {
    c != '\u{30FB}' // ・ separates words
        && c != '\u{30A0}'
        && matches!(c,
        '\u{3040}'..='\u{309F}'   // hiragana
        | '\u{30A0}'..='\u{30FF}' // katakana, ー
        | '\u{31F0}'..='\u{31FF}' // katakana extensions
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // compatibility ideographs
        | '\u{AC00}'..='\u{D7AF}' // hangul
        | '\u{3005}'              // 々
    )
}

/// The tokens of a text: bigrams of CJK runs (a lone CJK character is its own token) and
/// Latin/digit words, in order, with repeats.
pub fn tokens(text: &str) -> Vec<String> {
    let norm = normalize(text);
    let mut out = Vec::new();
    for_each_token(&norm, |t| out.push(t.to_string()));
    out
}

/// Calls `f` with every token of an already [normalized](normalize) text, as slices of it:
/// the index builder hashes millions of tokens and must not allocate one string each.
pub fn for_each_token<'t>(norm: &'t str, mut f: impl FnMut(&'t str)) {
    let b = norm.as_bytes();
    let mut i = 0;
    while let Some(c) = norm.get(i..).and_then(|rest| rest.chars().next()) {
        match class(c) {
            Class::Other => i += c.len_utf8(),
            Class::Word => {
                let start = i;
                i += c.len_utf8();
                while let Some(d) = norm.get(i..).and_then(|rest| rest.chars().next()) {
                    if class(d) != Class::Word {
                        break;
                    }
                    i += d.len_utf8();
                }
                f(&norm[start..i]);
            }
            Class::Cjk => {
                // Every CJK character is three bytes long: the run is found, and its pairs
                // cut, by stepping three bytes at a time.
                let start = i;
                i += 3;
                while cjk_at(b, i) {
                    i += 3;
                }
                if i - start == 3 {
                    f(&norm[start..i]);
                }
                let mut p = start;
                while p + 6 <= i {
                    f(&norm[p..p + 6]);
                    p += 3;
                }
            }
        }
    }
}

/// Whether a CJK character starts at byte `i`.
fn cjk_at(b: &[u8], i: usize) -> bool {
    let Some(&[x, y, z]) = b.get(i..i + 3) else {
        return false;
    };
    if x & 0xF0 != 0xE0 {
        return false;
    }
    let c = (u32::from(x & 0x0F) << 12) | (u32::from(y & 0x3F) << 6) | u32::from(z & 0x3F);
    char::from_u32(c).is_some_and(is_cjk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn fast(text: &str) -> Option<String> {
        let mut out = String::new();
        normalize_common(text, &mut out).then_some(out)
    }

    fn t(s: &str) -> Vec<String> {
        tokens(s)
    }

    /// The tokenizer as first written, character by character: the reference for the
    /// byte-stepping one.
    fn for_each_token_by_chars<'t>(norm: &'t str, mut f: impl FnMut(&'t str)) {
        let mut iter = norm.char_indices().peekable();
        while let Some((start, c)) = iter.next() {
            let k = class(c);
            match k {
                Class::Other => {}
                Class::Word => {
                    let mut end = start + c.len_utf8();
                    while let Some(&(i, d)) = iter.peek() {
                        if class(d) != Class::Word {
                            break;
                        }
                        end = i + d.len_utf8();
                        iter.next();
                    }
                    f(&norm[start..end]);
                }
                Class::Cjk => {
                    // Each pair of neighbours in the run; a run of one is its own token.
                    let mut prev = (start, c);
                    let mut pairs = 0;
                    while let Some(&(i, d)) = iter.peek() {
                        if class(d) != Class::Cjk {
                            break;
                        }
                        f(&norm[prev.0..i + d.len_utf8()]);
                        pairs += 1;
                        prev = (i, d);
                        iter.next();
                    }
                    if pairs == 0 {
                        f(&norm[start..start + c.len_utf8()]);
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn stepping_by_bytes_gives_the_same_tokens(
            text in "[a-z0-9 é課長棚卸しカタカナー・、。「」ｱ가각々〆〇\u{3400}\u{4dbf}\u{9fff}\u{a000}\u{f900}\u{30a0}\u{30ff}\u{3040}😀_-]{0,24}"
        ) {
            let norm = normalize(&text);
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for_each_token(&norm, |t| a.push(t));
            for_each_token_by_chars(&norm, |t| b.push(t));
            proptest::prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn japanese_runs_become_bigrams() {
        assert_eq!(t("棚卸し"), ["棚卸", "卸し"]);
        assert_eq!(t("情シス課長"), ["情シ", "シス", "ス課", "課長"]);
        assert_eq!(t("課"), ["課"]);
    }

    #[test]
    fn mixed_text_splits_by_script() {
        assert_eq!(t("MQL月120件"), ["mql", "月", "120", "件"]);
        assert_eq!(
            t("IT資産管理のSaaS"),
            ["it", "資産", "産管", "管理", "理の", "saas"]
        );
        assert_eq!(t("BANT（予算・権限）"), ["bant", "予算", "権限"]);
    }

    #[test]
    fn half_width_and_full_width_fold() {
        assert_eq!(t("ｶﾀｶﾅ"), t("カタカナ"));
        assert_eq!(t("ＡＢＣ"), t("abc"));
        assert_eq!(t("ｶﾞｲﾄﾞ"), t("ガイド"));
        assert_eq!(t("１２３"), ["123"]);
    }

    #[test]
    fn the_fast_path_agrees_with_full_normalisation() {
        for text in [
            "IT資産管理のSaaS「棚卸し」を、導入。ABC def",
            "ｶﾀｶﾅ ＡＢＣ か\u{3099}",
            "Straße ǅ Σ",
        ] {
            let slow: String = text.nfkc().flat_map(char::to_lowercase).collect();
            assert_eq!(normalize(text), slow, "{text}");
        }
        assert!(fast("ｶﾀｶﾅ").is_none());
        assert!(fast("か\u{3099}").is_none());
        assert_eq!(fast("ABC課長").as_deref(), Some("abc課長"));
        // A failed shortcut leaves what was there before.
        let mut out = String::from("前");
        assert!(!normalize_common("ABｶ", &mut out));
        assert_eq!(out, "前");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// The shortcut gives exactly NFKC and lower case.
        #[test]
        fn the_fast_path_is_nfkc(
            text in "[a-zA-Z0-9 、。々「」『』ぁ-ゖァ-ー一-龥！-～\u{3000}\u{3099}\u{309A}ｦ-ﾟ…ヽヾヿ\u{3000}-\u{3010}\u{3095}-\u{30A1}\u{30FB}-\u{30FF}\u{9FF0}-\u{A000}\u{FF00}-\u{FF60}éÅ😀Ⅻ]{0,16}"
        ) {
            let slow: String = text.nfkc().flat_map(char::to_lowercase).collect();
            if let Some(fast) = fast(&text) {
                proptest::prop_assert_eq!(fast, slow.clone());
            }
            proptest::prop_assert_eq!(normalize(&text), slow);
        }
    }

    #[test]
    fn single_characters_and_empty() {
        assert_eq!(t("a"), ["a"]);
        assert!(t("").is_empty());
        assert!(t("、。！？ ").is_empty());
    }
}

//! "Did you mean …?" hints, and the hint for a name written where an id belongs.
//!
//! Words are compared in their NFKC form and without case, so what an IME leaves behind —
//! `ﾁｬﾝﾋﾟｵﾝ` (half-width katakana), `ｍａｒｋｅｔｉｎｇ` (full-width letters) — finds
//! `チャンピオン` and `marketing`. A suggestion is a known word equal to the word in that
//! form, else one a slip or two away (edit distance), else the known words it begins
//! (`insight` for `insight-sales`).

use std::borrow::Cow;

use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

use crate::i18n::Text;
use crate::t;

/// At most this many candidates are measured (edit distance) for one word: a site with
/// 5,000 misspelt keys and 5,000 stages would otherwise compare every pair (26 s).
const MAX_MEASURED: usize = 64;

/// At most this many known words that begin with the word are offered.
const MAX_PREFIXED: usize = 3;

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Distance is counted in characters, so it works for Japanese as for English; a candidate
/// equal to `word` but for case or character width (NFKC) always wins. The work per word is
/// bounded: every candidate is compared with `word` character by character only as far as
/// they agree (equality, prefix), and for the edit distance only candidates of a length
/// within reach that share the first or the last character with `word` (if it has more
/// than three) are measured, and at most `MAX_MEASURED` of them (the first in the given
/// order), so a slip in both the first and the last character is not suggested.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    suggest(word, candidates).into_iter().next()
}

/// The known words to offer for `word`, best first: one equal but for case and width, or
/// one a typo away, or up to [`MAX_PREFIXED`] that begin with it (in the given order).
fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let norm = nfkc(word);
    let w: &str = &norm;
    let len = w.chars().count();
    let limit = (len / 3).max(1);
    let folded: Vec<char> = w.chars().map(fold).collect();
    let first = folded.first().copied();
    let last = folded.last().copied();
    // `in` would begin half the ids of a site; three letters or two Japanese characters say more.
    let prefix_ok = len >= if w.is_ascii() { 3 } else { 2 };
    let mut best: Option<(usize, &str)> = None;
    let mut prefixed = Vec::new();
    let mut measured = 0;
    for c in candidates {
        if c == word {
            continue;
        }
        match agree(c, w, &folded) {
            Agree::Equal => return vec![c],
            Agree::Begins if prefix_ok && prefixed.len() < MAX_PREFIXED => prefixed.push(c),
            _ => {}
        }
        // Cheap filters first: a length in reach (bytes bound characters from both sides).
        if c.len() + limit < len || c.len() > 4 * (len + limit) {
            continue;
        }
        let clen = c.chars().count();
        if clen.abs_diff(len) > limit {
            continue;
        }
        if len > 3 && c.chars().next().map(fold) != first && c.chars().next_back().map(fold) != last
        {
            continue;
        }
        if measured == MAX_MEASURED {
            continue;
        }
        measured += 1;
        let d = distance(w, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    match best {
        Some((_, c)) => vec![c],
        None => prefixed,
    }
}

/// `s` in NFKC, borrowed when it already is (every ASCII word).
fn nfkc(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfkc().collect())
    }
}

/// How a candidate compares with a word in NFKC form without case.
enum Agree {
    Equal,
    /// The candidate begins with the word and goes on.
    Begins,
    Neither,
}

/// `c` in NFKC form without case against the word `w` (in NFKC form), `folded` its
/// characters without case. The characters of `c` are normalised as they are read, without
/// allocating, and most comparisons stop at the first or second character.
fn agree(c: &str, w: &str, folded: &[char]) -> Agree {
    if c.is_ascii() && w.is_ascii() {
        let (c, w) = (c.as_bytes(), w.as_bytes());
        return match c.get(..w.len()) {
            Some(head) if head.eq_ignore_ascii_case(w) => {
                if c.len() == w.len() {
                    Agree::Equal
                } else {
                    Agree::Begins
                }
            }
            _ => Agree::Neither,
        };
    }
    let mut cs = c.nfkc().map(fold);
    if !folded.iter().all(|x| cs.next() == Some(*x)) {
        return Agree::Neither;
    }
    match cs.next() {
        None => Agree::Equal,
        Some(_) => Agree::Begins,
    }
}

/// A character compared without case (its first lower-case letter: enough for hints).
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// A word as names are matched: NFKC, without case (`ｲﾝｻｲﾄﾞｾｰﾙｽ` is `インサイドセールス`).
pub fn key(s: &str) -> String {
    crate::model::fold_width_and_case(s)
}

/// `did you mean `x`?` or nothing; a word that differs from its NFKC form is first said to
/// be written in half-width katakana, full-width letters or other compatibility characters.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<Text> {
    let found = suggest(word, candidates);
    let question = question(&alternatives(&found)?);
    Some(match width_note(word) {
        Some(note) => {
            t!("{note}: {question}", "{note}。{question}"; note = note, question = question)
        }
        None => question,
    })
}

/// "did you mean `x`?": the one wording of a suggestion, for one found some other way
/// (`closest` among a short list, a folder name).
pub fn suggestion(x: &str) -> Text {
    question(&Text::verbatim(format!("`{x}`")))
}

/// "did you mean `a` or `b`?" for suggestions found elsewhere (the command line's).
pub fn question_of(words: &[&str]) -> Option<Text> {
    Some(question(&alternatives(words)?))
}

fn question(options: &Text) -> Text {
    t!("did you mean {options}?", "{options} のことでしょうか？"; options = options)
}

/// "`a`", "`a` or `b`", "`a`, `b` or `c`"; nothing for no words.
fn alternatives(words: &[&str]) -> Option<Text> {
    let (last, rest) = words.split_last()?;
    if rest.is_empty() {
        return Some(Text::verbatim(format!("`{last}`")));
    }
    let rest = Text::list(rest.iter().map(|w| Text::verbatim(format!("`{w}`"))));
    Some(t!("{rest} or `{last}`", "{rest} か `{last}`"; rest = rest))
}

/// What is unusual about a word that is not in NFKC form, or nothing.
fn width_note(word: &str) -> Option<Text> {
    if *nfkc(word) == *word {
        return None;
    }
    let kana = word.chars().any(|c| ('\u{FF61}'..='\u{FF9F}').contains(&c));
    let wide = word
        .chars()
        .any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}');
    Some(match (kana, wide) {
        (true, false) => t!(
            "`{word}` is written in half-width katakana",
            "`{word}` は半角カタカナで書かれています"
        ),
        (false, true) => t!(
            "`{word}` is written in full-width characters",
            "`{word}` は全角文字で書かれています"
        ),
        (true, true) => t!(
            "`{word}` mixes half-width katakana and full-width characters",
            "`{word}` には半角カタカナと全角文字が混じっています"
        ),
        (false, false) => {
            let odd = word
                .chars()
                .find(|c| c.to_string().nfkc().ne(std::iter::once(*c)))
                .unwrap_or(' ');
            t!(
                "`{word}` contains compatibility characters such as `{odd}`",
                "`{word}` には `{odd}` のような互換文字が含まれています"
            )
        }
    })
}

/// What of an item a word written where its id belongs turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameOf {
    /// A stage's, row's, persona's, department's … `name`.
    Name,
    /// A playbook's or quiz's `title`.
    Title,
    /// A glossary term's `reading` (the term itself is what links name).
    Reading,
}

/// The hint for a name written where an id belongs: "`課題` is the name of row `problem`;
/// use the id: write `problem`". `kind` is the item's noun ("row", 「行」).
pub fn name_for_id(word: &str, of: NameOf, kind: &Text, id: &str) -> Text {
    match of {
        NameOf::Name => t!(
            "`{word}` is the name of {kind} `{id}`; use the id: write `{id}`",
            "`{word}` は{kind} `{id}` の名前です。ID の `{id}` を書いてください";
            kind = kind
        ),
        NameOf::Title => t!(
            "`{word}` is the title of {kind} `{id}`; use the id: write `{id}`",
            "`{word}` は{kind} `{id}` のタイトルです。ID の `{id}` を書いてください";
            kind = kind
        ),
        NameOf::Reading => t!(
            "`{word}` is the reading of {kind} `{id}`; use the term: write `{id}`",
            "`{word}` は{kind} `{id}` の読みです。用語の `{id}` を書いてください";
            kind = kind
        ),
    }
}

/// Levenshtein distance over characters, with adjacent transpositions counting as one edit
/// (`probelm` is one slip away from `problem`).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cur[j] = cur[j].min(prev2[j - 2] + 1);
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_typos() {
        assert_eq!(closest("probelm", ["problem", "thinking"]), Some("problem"));
        assert_eq!(
            closest("marketting", ["marketing", "field-sales"]),
            Some("marketing")
        );
        assert_eq!(closest("Problem", ["problem"]), Some("problem"));
        assert_eq!(
            closest("情シス課長", ["情シス部長", "担当者"]),
            Some("情シス部長")
        );
    }

    #[test]
    fn ignores_unrelated_words() {
        assert_eq!(closest("zzz", ["problem", "thinking"]), None);
        assert_eq!(closest("a", ["b"]), Some("b"));
        assert_eq!(closest("ab", ["xy"]), None);
    }

    #[test]
    fn half_width_kana_and_full_width_letters_find_their_nfkc_form() {
        let ids = ["チャンピオン", "marketing", "field-sales"];
        assert_eq!(closest("ﾁｬﾝﾋﾟｵﾝ", ids), Some("チャンピオン"));
        assert_eq!(closest("ｍａｒｋｅｔｉｎｇ", ids), Some("marketing"));
        assert_eq!(closest("ＭＡＲＫＥＴＩＮＧ", ids), Some("marketing"));
        // A typo in full-width letters is measured on the NFKC form.
        assert_eq!(closest("ｍａｒｋｅｔｔｉｎｇ", ids), Some("marketing"));
        // The same width wins over a typo listed earlier.
        assert_eq!(
            closest("ﾁｬﾝﾋﾟｵﾝ", ["チャンピオソ", "チャンピオン"]),
            Some("チャンピオン")
        );
    }

    #[test]
    fn the_hint_says_what_the_width_is() {
        let h = did_you_mean("ﾁｬﾝﾋﾟｵﾝ", ["チャンピオン"]).unwrap();
        assert_eq!(
            h.en(),
            "`ﾁｬﾝﾋﾟｵﾝ` is written in half-width katakana: did you mean `チャンピオン`?"
        );
        assert_eq!(
            h.ja(),
            "`ﾁｬﾝﾋﾟｵﾝ` は半角カタカナで書かれています。`チャンピオン` のことでしょうか？"
        );
        let h = did_you_mean("ｍａｒｋｅｔｉｎｇ", ["marketing"]).unwrap();
        assert_eq!(
            h.en(),
            "`ｍａｒｋｅｔｉｎｇ` is written in full-width characters: did you mean `marketing`?"
        );
        assert_eq!(
            h.ja(),
            "`ｍａｒｋｅｔｉｎｇ` は全角文字で書かれています。`marketing` のことでしょうか？"
        );
        let h = did_you_mean("ﾌｪｰｽﾞ１", ["フェーズ1"]).unwrap();
        assert!(
            h.en().starts_with("`ﾌｪｰｽﾞ１` mixes half-width katakana"),
            "{h:?}"
        );
        let h = did_you_mean("課長①", ["課長1"]).unwrap();
        assert!(h.ja().contains("`①` のような互換文字"), "{h:?}");
        let plain = did_you_mean("probelm", ["problem"]).unwrap();
        assert_eq!(plain.en(), "did you mean `problem`?");
        assert_eq!(plain.ja(), "`problem` のことでしょうか？");
    }

    #[test]
    fn a_prefix_of_known_words_finds_them_in_the_given_order() {
        assert_eq!(
            closest("insight", ["marketing", "insight-sales"]),
            Some("insight-sales")
        );
        assert_eq!(
            closest("情シス", ["担当者", "情シス課長"]),
            Some("情シス課長")
        );
        let h = did_you_mean("field", ["field-sales", "marketing", "field-support"]).unwrap();
        assert_eq!(h.en(), "did you mean `field-sales` or `field-support`?");
        assert_eq!(
            h.ja(),
            "`field-sales` か `field-support` のことでしょうか？"
        );
        let h = did_you_mean("abc", ["abc-1", "abc-2", "abc-3", "abc-4"]).unwrap();
        assert_eq!(h.en(), "did you mean `abc-1`, `abc-2` or `abc-3`?");
        assert_eq!(h.ja(), "`abc-1`、`abc-2` か `abc-3` のことでしょうか？");
        // A typo beats a prefix; a short ASCII word begins too much to say anything.
        assert_eq!(closest("sale", ["sales-ops", "sales"]), Some("sales"));
        assert_eq!(closest("in", ["insight-sales"]), None);
        // In NFKC form too.
        assert_eq!(
            closest("ｲﾝｻｲﾄﾞ", ["インサイドセールス"]),
            Some("インサイドセールス")
        );
    }

    #[test]
    fn names_say_what_to_write_in_both_languages() {
        let h = name_for_id("課題", NameOf::Name, &t!("row", "行"), "problem");
        assert_eq!(
            h.en(),
            "`課題` is the name of row `problem`; use the id: write `problem`"
        );
        assert_eq!(
            h.ja(),
            "`課題` は行 `problem` の名前です。ID の `problem` を書いてください"
        );
        assert_eq!(key("ｲﾝｻｲﾄﾞｾｰﾙｽ"), key("インサイドセールス"));
        assert_eq!(key("Ｆｉｅｌｄ Sales"), "field sales");
    }

    #[test]
    fn many_words_against_many_candidates_take_bounded_time() {
        // 3,000 misspelt keys against 3,000 stages of similar names, unoptimised (5,000 ×
        // 5,000 was 26 s optimised).
        let stages: Vec<String> = (0..3_000).map(|i| format!("stage-{i:05}")).collect();
        let t = std::time::Instant::now();
        for i in 0..3_000 {
            let word = format!("stgae-{i:05}");
            let _ = closest(&word, stages.iter().map(String::as_str));
        }
        // The same in full-width letters against Japanese ids: every candidate is read in
        // NFKC form, as far as it agrees.
        let japanese: Vec<String> = (0..3_000).map(|i| format!("ステージ{i:05}")).collect();
        for i in 0..300 {
            let word = format!("ｽﾃｰｼﾞ{i:05}");
            let _ = closest(&word, japanese.iter().map(String::as_str));
        }
        assert!(
            t.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            t.elapsed()
        );
        assert_eq!(
            closest("stgae-00042", stages.iter().map(String::as_str)),
            Some("stage-00042")
        );
        assert_eq!(
            closest("ｽﾃｰｼﾞ00042", japanese.iter().map(String::as_str)),
            Some("ステージ00042")
        );
    }
}

//! "Did you mean …?" hints.

/// At most this many candidates are measured (edit distance) for one word: a site with
/// 5,000 misspelt keys and 5,000 stages would otherwise compare every pair (26 s).
const MAX_MEASURED: usize = 64;

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Distance is counted in characters, so it works for Japanese as for English; a candidate
/// that differs only in case always wins. The work per word is bounded: only candidates of
/// a length within reach that share the first or the last character with `word` (if it has
/// more than three) are
/// measured, and at most `MAX_MEASURED` of them (the first in the given order), so a slip
/// in both the first and the last character is not suggested.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = word.chars().count();
    let limit = (len / 3).max(1);
    let first = word.chars().next().map(fold);
    let last = word.chars().next_back().map(fold);
    let mut best: Option<(usize, &str)> = None;
    let mut measured = 0;
    for c in candidates {
        if c == word {
            continue;
        }
        // Cheap filters first: a length in reach (bytes bound characters from both sides).
        if c.len() + limit < len || c.len() > 4 * (len + limit) {
            continue;
        }
        let clen = c.chars().count();
        if clen.abs_diff(len) > limit {
            continue;
        }
        if clen == len && c.chars().map(fold).eq(word.chars().map(fold)) {
            return Some(c);
        }
        if len > 3 && c.chars().next().map(fold) != first && c.chars().next_back().map(fold) != last
        {
            continue;
        }
        if measured == MAX_MEASURED {
            continue;
        }
        measured += 1;
        let d = distance(word, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// A character compared without case (its first lower-case letter: enough for hints).
fn fold(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// `did you mean `x`?` or nothing.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(word, candidates).map(|c| format!("did you mean `{c}`?"))
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
    fn many_words_against_many_candidates_take_bounded_time() {
        // 3,000 misspelt keys against 3,000 stages of similar names, unoptimised (5,000 ×
        // 5,000 was 26 s optimised).
        let stages: Vec<String> = (0..3_000).map(|i| format!("stage-{i:05}")).collect();
        let t = std::time::Instant::now();
        for i in 0..3_000 {
            let word = format!("stgae-{i:05}");
            let _ = closest(&word, stages.iter().map(String::as_str));
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
    }
}

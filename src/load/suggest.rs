//! "Did you mean …?" hints.

/// The candidate closest to `word`, if it is close enough to be a likely typo.
///
/// Distance is counted in characters, so it works for Japanese as for English; a candidate
/// that differs only in case always wins.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let len = word.chars().count();
    let limit = (len / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        if c.to_lowercase() == lower {
            return Some(c);
        }
        let d = distance(word, c);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
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
}

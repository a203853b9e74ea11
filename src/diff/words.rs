//! Word-level differences that work for Japanese: Unicode word segmentation splits kanji
//! and kana into small units, so a change of one word in a sentence shows as that word.

use similar::{ChangeTag, TextDiff};

use super::change::Piece;

pub fn diff(old: &str, new: &str) -> Vec<Piece> {
    let d = TextDiff::configure()
        .timeout(std::time::Duration::from_millis(200))
        .diff_unicode_words(old, new);
    let mut out: Vec<Piece> = Vec::new();
    for change in d.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        let text = change.value();
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => out.push(Piece {
                op,
                text: text.to_string(),
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(p: &[Piece]) -> String {
        p.iter()
            .map(|x| match x.op {
                "delete" => format!("[-{}-]", x.text),
                "insert" => format!("{{+{}+}}", x.text),
                _ => x.text.clone(),
            })
            .collect()
    }

    #[test]
    fn japanese_changes_stay_small() {
        let p = diff(
            "年1回の棚卸で台帳と現物が合わない",
            "年2回の棚卸で台帳と現物が合わない",
        );
        let r = render(&p);
        assert!(
            r.contains("[-1-]{+2+}") || r.contains("[-年1回-]{+年2回+}"),
            "{r}"
        );
        assert!(r.ends_with("の棚卸で台帳と現物が合わない"), "{r}");
    }

    #[test]
    fn english_words() {
        let p = diff("the manager agreed", "the director agreed");
        assert_eq!(render(&p), "the [-manager-]{+director+} agreed");
    }
}

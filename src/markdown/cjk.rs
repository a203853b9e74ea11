//! CJK-friendly emphasis: the amendment to CommonMark's emphasis rules by tats-u
//! (<https://github.com/tats-u/markdown-cjk-friendly>, `specification.md`), which lets
//! `**` open or close next to Japanese, Chinese and Korean text: `課長が**「これで行く」と決め**ること`
//! is bold, where CommonMark leaves the asterisks (a `**` between `め` and `る` after `」`
//! neither opens nor closes there). pulldown-cmark 0.13 has no such option, so this file
//! amends its events.
//!
//! It exists as one small pass so that the dialect stays in one place: pulldown-cmark
//! parses as usual (links, code spans and HTML are settled first, as CommonMark settles
//! them), then, within each run of inline text (a paragraph, heading, table cell, tight
//! list item, or a link's text), the delimiter runs of `*`, `_` and `~` are found again in
//! the source, both those the parser left as text and those it made emphasis of. When the
//! amendment gives every run the same "can open / can close" as CommonMark, the parser's
//! events are kept as they are (so text without CJK characters is never touched); otherwise
//! the runs are paired again by CommonMark's delimiter algorithm (rule of 3, `~` only with
//! a run of its own length) with the amended flanking rules.

use std::ops::Range;

use super::chars::{is_cjk, is_ivs, is_punct, is_space, is_svs};
use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

type Ev<'a> = (Event<'a>, Range<usize>);

/// Whether the pass could change anything in `text`: it has a delimiter character and a
/// character outside ASCII (for ASCII text, the amendment is CommonMark).
pub(super) fn may_change(text: &str) -> bool {
    !text.is_ascii() && text.bytes().any(|b| matches!(b, b'*' | b'_' | b'~'))
}

/// The parser's events of `src` (with their source ranges), emphasis paired by the amended
/// rules.
pub(super) fn amend<'a>(src: &'a str, events: Vec<Ev<'a>>) -> Vec<Ev<'a>> {
    let mut close = vec![usize::MAX; events.len()];
    let mut open = Vec::new();
    for (i, (e, _)) in events.iter().enumerate() {
        match e {
            Event::Start(_) => open.push(i),
            Event::End(_) => {
                if let Some(s) = open.pop() {
                    close[s] = i;
                }
            }
            _ => {}
        }
    }
    let mut pass = Pass {
        src,
        events: &events,
        close,
        out: Vec::with_capacity(events.len() + 8),
    };
    pass.scope(0, events.len(), false);
    pass.out
}

/// Something inside a run of inline text, in source order.
#[derive(Clone, Copy, Debug)]
enum Atom {
    /// A text event written in the source as it is (event index, source range).
    Lit(usize, usize, usize),
    /// The delimiter characters of an emphasis the parser made (event index, source range).
    Delim(usize, usize, usize),
    /// A soft or hard line break (event index): a line's end counts as white space.
    Break(usize),
    /// Any other event, kept as it is.
    Other(usize),
    /// A nested element, from its start event to its end event.
    Child(usize),
}

impl Atom {
    /// The source range of text and delimiters, which may be paired again.
    fn chars(self) -> Option<(usize, usize)> {
        match self {
            Atom::Lit(_, s, e) | Atom::Delim(_, s, e) => Some((s, e)),
            _ => None,
        }
    }
}

/// A delimiter run, as CommonMark's algorithm sees it.
#[derive(Clone, Copy, Debug)]
struct Run {
    ch: u8,
    start: usize,
    len: usize,
    /// Characters not yet used by a pairing: those at `start + lo .. start + hi`.
    lo: usize,
    hi: usize,
    can_open: bool,
    can_close: bool,
    active: bool,
}

impl Run {
    fn left(&self) -> usize {
        self.hi - self.lo
    }
}

/// A start or end of emphasis placed on delimiter characters.
struct Mark {
    at: usize,
    len: usize,
    start: bool,
    ch: u8,
    span: Range<usize>,
}

struct Pass<'a, 'e> {
    src: &'a str,
    events: &'e [Ev<'a>],
    close: Vec<usize>,
    out: Vec<Ev<'a>>,
}

impl<'a> Pass<'a, '_> {
    /// The events `start..end`, the inside of one element: `leaf` for a block whose inline
    /// text starts and ends lines (a paragraph, heading, table cell, list item).
    fn scope(&mut self, start: usize, end: usize, leaf: bool) {
        let atoms = self.atoms(start, end);
        let runs = self.runs(&atoms, leaf);
        let same =
            |(cm, cjk): &(Run, Run)| cm.can_open == cjk.can_open && cm.can_close == cjk.can_close;
        if runs.iter().all(same) {
            for a in &atoms {
                match *a {
                    Atom::Lit(i, ..) | Atom::Delim(i, ..) | Atom::Break(i) | Atom::Other(i) => {
                        self.out.push(self.events[i].clone());
                    }
                    Atom::Child(i) => self.child(i),
                }
            }
            return;
        }
        let marks = pair(runs.into_iter().map(|(_, cjk)| cjk).collect());
        let mut marks = marks.into_iter().peekable();
        let mut k = 0;
        while k < atoms.len() {
            let Some((from, mut to)) = atoms[k].chars() else {
                match atoms[k] {
                    Atom::Child(i) => self.child(i),
                    Atom::Break(i) | Atom::Other(i) => self.out.push(self.events[i].clone()),
                    _ => {}
                }
                k += 1;
                continue;
            };
            while let Some((s, e)) = atoms.get(k + 1).and_then(|a| a.chars()) {
                if s != to {
                    break;
                }
                to = e;
                k += 1;
            }
            k += 1;
            // The text `from..to`, with the marks placed in it.
            let mut at = from;
            while at < to {
                let next = marks.peek().filter(|m| m.at < to).map(|m| m.at);
                let text_end = next.unwrap_or(to);
                if at < text_end {
                    self.out.push((
                        Event::Text(CowStr::Borrowed(&self.src[at..text_end])),
                        at..text_end,
                    ));
                    at = text_end;
                }
                if next.is_some() {
                    let m = marks.next().expect("peeked");
                    let tag = match (m.ch, m.len) {
                        (b'~', _) => Tag::Strikethrough,
                        (_, 2) => Tag::Strong,
                        _ => Tag::Emphasis,
                    };
                    let event = if m.start {
                        Event::Start(tag)
                    } else {
                        Event::End(tag.to_end())
                    };
                    self.out.push((event, m.span));
                    at = m.at + m.len;
                }
            }
        }
    }

    /// A nested element: its start, its inside amended (unless it holds code, raw HTML or an
    /// autolink's address), its end.
    fn child(&mut self, i: usize) {
        let end = self.close[i];
        let Event::Start(tag) = &self.events[i].0 else {
            return;
        };
        let verbatim = matches!(
            tag,
            Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::MetadataBlock(_)
        ) || matches!(
            tag,
            Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }
        );
        if verbatim {
            self.out.extend_from_slice(&self.events[i..=end]);
            return;
        }
        let leaf = matches!(
            tag,
            Tag::Paragraph | Tag::Heading { .. } | Tag::TableCell | Tag::Item
        );
        self.out.push(self.events[i].clone());
        self.scope(i + 1, end, leaf);
        self.out.push(self.events[end].clone());
    }

    fn atoms(&self, start: usize, end: usize) -> Vec<Atom> {
        let mut atoms = Vec::new();
        let mut i = start;
        while i < end {
            let (e, r) = &self.events[i];
            let atom = match e {
                Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => {
                    let n = delim_len(e, self.src, r);
                    Atom::Delim(i, r.start, r.start + n)
                }
                Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                    let n = delim_len(e, self.src, r);
                    Atom::Delim(i, r.end - n, r.end)
                }
                Event::Start(_) => {
                    if self.close[i] < end {
                        let child = i;
                        i = self.close[i];
                        Atom::Child(child)
                    } else {
                        Atom::Other(i)
                    }
                }
                Event::Text(t) if self.src.get(r.clone()) == Some(&**t) => {
                    Atom::Lit(i, r.start, r.end)
                }
                Event::SoftBreak | Event::HardBreak => Atom::Break(i),
                _ => Atom::Other(i),
            };
            atoms.push(atom);
            i += 1;
        }
        atoms
    }

    /// Every delimiter run among the atoms, with what it can do by CommonMark's rules and by
    /// the amendment's.
    fn runs(&self, atoms: &[Atom], leaf: bool) -> Vec<(Run, Run)> {
        let b = self.src.as_bytes();
        let mut runs = Vec::new();
        // Where the last run ended: one that goes on into the next atom is found once.
        let mut done = 0;
        for (k, a) in atoms.iter().enumerate() {
            let Some((from, to)) = a.chars() else {
                continue;
            };
            // A run at the start of a line (or the end) is next to white space.
            let line_start =
                (leaf && k == 0) || matches!(atoms.get(k.wrapping_sub(1)), Some(Atom::Break(_)));
            let mut p = from.max(done);
            while p < to {
                let ch = b[p];
                if !matches!(ch, b'*' | b'_' | b'~') || escaped(b, p) {
                    p += 1;
                    continue;
                }
                let start = p;
                // A run continues into the next atom when that one follows without a gap.
                let mut q = p;
                while q < b.len() && b[q] == ch && in_atoms(atoms, k, q) {
                    q += 1;
                }
                let before_edge = line_start && start == from;
                let after_edge = line_end_at(atoms, k, q, leaf);
                let before = if before_edge {
                    None
                } else {
                    self.src[..start].chars().next_back()
                };
                let before2 =
                    before.and_then(|c| self.src[..start - c.len_utf8()].chars().next_back());
                let after = if after_edge {
                    None
                } else {
                    self.src[q..].chars().next()
                };
                let len = q - start;
                let mk = |(can_open, can_close): (bool, bool)| Run {
                    ch,
                    start,
                    len,
                    lo: 0,
                    hi: len,
                    can_open,
                    can_close,
                    active: true,
                };
                runs.push((
                    mk(flanking(ch, Side::of(before), Side::of(after))),
                    mk(flanking_cjk(
                        ch,
                        Side::before(before, before2),
                        Side::of(after),
                    )),
                ));
                p = q;
                done = q;
            }
        }
        runs
    }
}

/// Whether byte `q` lies in atom `k` or in the atoms after it that follow without a gap.
fn in_atoms(atoms: &[Atom], k: usize, q: usize) -> bool {
    let mut end = 0;
    for a in &atoms[k..] {
        match a.chars() {
            Some((s, e)) if end == 0 || s == end => {
                if q < e {
                    return q >= s;
                }
                end = e;
            }
            _ => return false,
        }
    }
    false
}

/// Whether a run ending at `q` (in atom `k` or one joined to it) ends a line.
fn line_end_at(atoms: &[Atom], k: usize, q: usize, leaf: bool) -> bool {
    let mut j = k;
    while let Some((_, e)) = atoms[j].chars() {
        if q < e {
            return false;
        }
        match atoms.get(j + 1).and_then(|a| a.chars()) {
            Some((s, _)) if s == e => j += 1,
            _ => break,
        }
    }
    (leaf && j + 1 == atoms.len()) || matches!(atoms.get(j + 1), Some(Atom::Break(_)))
}

/// The length of an emphasis's delimiters in the source.
fn delim_len(e: &Event<'_>, src: &str, r: &Range<usize>) -> usize {
    match e {
        Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => 1,
        Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => 2,
        _ => src.as_bytes()[r.clone()]
            .iter()
            .take_while(|&&c| c == b'~')
            .count()
            .clamp(1, 2),
    }
}

/// Whether the byte at `p` is escaped by a backslash (an odd number of them before it).
fn escaped(b: &[u8], p: usize) -> bool {
    !b[..p]
        .iter()
        .rev()
        .take_while(|&&c| c == b'\\')
        .count()
        .is_multiple_of(2)
}

/// What is on one side of a delimiter run.
#[derive(Clone, Copy, Debug, Default)]
struct Side {
    space: bool,
    punct: bool,
    /// A CJK character (or, before a run, one followed by a variation selector).
    cjk: bool,
    /// Before a run: an ideographic variation selector.
    ivs: bool,
    /// Before a run: a CJK ambiguous punctuation sequence (`“` and a variation selector).
    cjk_punct: bool,
}

impl Side {
    /// The character `c` by itself; `None` is the start or end of a line.
    fn of(c: Option<char>) -> Side {
        let Some(c) = c else {
            return Side {
                space: true,
                ..Side::default()
            };
        };
        Side {
            space: is_space(c),
            punct: is_punct(c),
            cjk: is_cjk(c),
            ..Side::default()
        }
    }

    /// What precedes a run: `c`, and `c2` before it, for the amendment's sequences (a
    /// character and a variation selector count as the character).
    fn before(c: Option<char>, c2: Option<char>) -> Side {
        match (c, c2) {
            (Some(v), _) if is_ivs(v) => Side {
                ivs: true,
                ..Side::default()
            },
            (Some(v), Some(base)) if is_svs(v) => {
                let ambiguous = v == '\u{FE01}' && matches!(base, '‘' | '’' | '“' | '”');
                Side {
                    cjk_punct: ambiguous,
                    ..Side::of(Some(base))
                }
            }
            _ => Side::of(c),
        }
    }

    fn non_cjk_punct(self) -> bool {
        self.punct && !self.cjk && !self.cjk_punct
    }
}

/// Can open, can close, by CommonMark's rules.
fn flanking(ch: u8, before: Side, after: Side) -> (bool, bool) {
    let left = !after.space && (!after.punct || before.space || before.punct);
    let right = !before.space && (!before.punct || after.space || after.punct);
    open_close(ch, left, right, before.punct, after.punct)
}

/// Can open, can close, by the amendment's rules.
fn flanking_cjk(ch: u8, before: Side, after: Side) -> (bool, bool) {
    let left = !after.space
        && (!after.non_cjk_punct()
            || before.space
            || before.non_cjk_punct()
            || before.cjk
            || before.ivs);
    let right = !before.space
        && (!before.non_cjk_punct() || after.space || after.non_cjk_punct() || after.cjk);
    open_close(ch, left, right, before.punct, after.punct)
}

fn open_close(
    ch: u8,
    left: bool,
    right: bool,
    before_punct: bool,
    after_punct: bool,
) -> (bool, bool) {
    if ch == b'_' {
        (
            left && (!right || before_punct),
            right && (!left || after_punct),
        )
    } else {
        (left, right)
    }
}

/// CommonMark's "process emphasis" over one scope's runs: where emphasis starts and ends.
fn pair(mut runs: Vec<Run>) -> Vec<Mark> {
    let mut marks = Vec::new();
    // Where the search for an opener stops, by character, whether the closer can open, and
    // the closer's length modulo 3 (CommonMark's `openers_bottom`).
    let mut bottom = [[[0usize; 3]; 2]; 3];
    let slot = |c: u8| match c {
        b'*' => 0,
        b'_' => 1,
        _ => 2,
    };
    let mut c = 0;
    while c < runs.len() {
        let closer = runs[c];
        if !closer.active || !closer.can_close || closer.left() == 0 {
            c += 1;
            continue;
        }
        let b = &mut bottom[slot(closer.ch)][usize::from(closer.can_open)][closer.len % 3];
        let found = (*b..c).rev().find(|&o| {
            let op = &runs[o];
            op.active
                && op.ch == closer.ch
                && op.can_open
                && op.left() > 0
                && if closer.ch == b'~' {
                    op.left() == closer.left() && op.left() <= 2
                } else {
                    // The rule of 3.
                    !((op.can_close || closer.can_open)
                        && (op.len + closer.len).is_multiple_of(3)
                        && !(op.len.is_multiple_of(3) && closer.len.is_multiple_of(3)))
                }
        });
        let Some(o) = found else {
            *b = c;
            if !closer.can_open {
                runs[c].active = false;
            }
            c += 1;
            continue;
        };
        let n = if closer.ch == b'~' || (runs[o].left() >= 2 && closer.left() >= 2) {
            closer.left().min(2)
        } else {
            1
        };
        let (op, cl) = (&mut runs[o], closer);
        op.hi -= n;
        let open_at = op.start + op.hi;
        let close_at = cl.start + cl.lo;
        let span = open_at..close_at + n;
        marks.push(Mark {
            at: open_at,
            len: n,
            start: true,
            ch: cl.ch,
            span: span.clone(),
        });
        marks.push(Mark {
            at: close_at,
            len: n,
            start: false,
            ch: cl.ch,
            span,
        });
        runs[c].lo += n;
        for r in &mut runs[o + 1..c] {
            r.active = false;
        }
        if runs[o].left() == 0 {
            runs[o].active = false;
        }
        if runs[c].left() == 0 {
            runs[c].active = false;
            c += 1;
        }
    }
    marks.sort_by_key(|m| m.at);
    marks
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use pulldown_cmark::Parser;

    fn html(text: &str) -> String {
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, crate::markdown::parse(text));
        out
    }

    /// The paragraph's inside.
    fn inline(text: &str) -> String {
        let h = html(text);
        let h = h.trim_end();
        h.strip_prefix("<p>")
            .and_then(|h| h.strip_suffix("</p>"))
            .unwrap_or(h)
            .to_string()
    }

    fn parser(text: &str) -> Vec<Ev<'_>> {
        Parser::new_ext(text, crate::markdown::options())
            .into_offset_iter()
            .collect()
    }

    #[test]
    fn the_published_examples() {
        let file = include_str!("../../tests/fixtures/markdown-cjk-friendly/examples.txt");
        let mut n = 0;
        for example in file.split("\n\n").filter(|e| !e.starts_with("//")) {
            let Some((md, want)) = example.trim_end().split_once('\n') else {
                continue;
            };
            // pulldown-cmark's writer leaves `"` in text as it is.
            assert_eq!(
                inline(md).replace('"', "&quot;"),
                want.replace('"', "&quot;"),
                "{md}"
            );
            n += 1;
        }
        assert_eq!(n, 123);
    }

    #[test]
    fn japanese_chinese_korean() {
        for (md, want) in [
            (
                "課長が**「これで行く」と決め**ること",
                "課長が<strong>「これで行く」と決め</strong>ること",
            ),
            (
                "**このアスタリスクは強調記号として認識されず、そのまま表示されます。**この文のせいで。",
                "<strong>このアスタリスクは強調記号として認識されず、そのまま表示されます。</strong>この文のせいで。",
            ),
            (
                "**该星号不会被识别，而是直接显示。**这是因为它没有被识别为强调符号。",
                "<strong>该星号不会被识别，而是直接显示。</strong>这是因为它没有被识别为强调符号。",
            ),
            (
                "**이 별표는 강조 표시로 인식되지 않고 그대로 표시됩니다(이 괄호 때문에)**이 문장 때문에.",
                "<strong>이 별표는 강조 표시로 인식되지 않고 그대로 표시됩니다(이 괄호 때문에)</strong>이 문장 때문에.",
            ),
            // CommonMark pairs the inner runs first (`<strong>「顧客」<strong>と</strong>…`).
            (
                "**「顧客」**と**「部門」**",
                "<strong>「顧客」</strong>と<strong>「部門」</strong>",
            ),
            ("*「仮」*の案", "<em>「仮」</em>の案"),
            (
                "***「至急」***対応",
                "<em><strong>「至急」</strong></em>対応",
            ),
            ("全角**（税込）**価格", "全角<strong>（税込）</strong>価格"),
            ("__「注意」__：確認", "<strong>「注意」</strong>：確認"),
            (
                "旧**「案」**と\n**「新案」**を比較",
                "旧<strong>「案」</strong>と\n<strong>「新案」</strong>を比較",
            ),
            // Nothing to pair: left as it is.
            (
                "課長が**「これで行く」と決め",
                "課長が**「これで行く」と決め",
            ),
        ] {
            assert_eq!(inline(md), want, "{md}");
        }
    }

    #[test]
    fn english_keeps_commonmark() {
        // pulldown-cmark's writer leaves `"` in text as it is.
        assert_eq!(inline("price**\"net\"**only"), "price**\"net\"**only");
        assert_eq!(inline("a**\"b\"**"), "a**\"b\"**");
        assert_eq!(inline("snake_case_name"), "snake_case_name");
    }

    #[test]
    fn code_html_link_destinations_and_escapes_are_left_alone() {
        assert_eq!(
            inline("`課長が**「決め」**る`"),
            "<code>課長が**「決め」**る</code>"
        );
        assert_eq!(
            inline("[見る](https://e.x/**「a」**と)"),
            "<a href=\"https://e.x/**%E3%80%8Ca%E3%80%8D**%E3%81%A8\">見る</a>"
        );
        assert_eq!(
            inline("<span title=\"**「a」**と\">x</span>"),
            "<span title=\"**「a」**と\">x</span>"
        );
        assert_eq!(
            inline("<https://e.x/**「a」**と>")
                .matches("<strong>")
                .count(),
            0
        );
        assert_eq!(
            inline("課長が\\*\\*「決め」\\*\\*る"),
            "課長が**「決め」**る"
        );
        assert_eq!(
            inline("```\n**「a」**と\n```"),
            "<pre><code>**「a」**と\n</code></pre>"
        );
    }

    #[test]
    fn tables_headings_lists_and_links() {
        let h = html("| 列 |\n|---|\n|**「a」**と|\n\n# **「題」**名\n\n- **「項」**目\n");
        assert!(h.contains("<td><strong>「a」</strong>と</td>"), "{h}");
        assert!(h.contains("<h1><strong>「題」</strong>名</h1>"), "{h}");
        assert!(h.contains("<li><strong>「項」</strong>目</li>"), "{h}");
        assert_eq!(
            inline("[**「製品」**版](x)と"),
            "<a href=\"x\"><strong>「製品」</strong>版</a>と"
        );
    }

    /// Text without CJK characters or variation selectors, written to be near emphasis.
    fn non_cjk_text() -> impl Strategy<Value = String> {
        "[a-c \"().,*_~`\\\\\\[\\]<>!\n#|é“”∇—\u{a0}-]{0,24}"
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Without CJK characters, the pass (run even where it would be skipped) changes
        /// nothing: English keeps CommonMark exactly.
        #[test]
        fn without_cjk_the_pass_changes_nothing(text in non_cjk_text()) {
            let events = parser(&text);
            prop_assert_eq!(amend(&text, events.clone()), events);
        }

        /// With CJK text, the events stay balanced and the text is kept, only delimiters
        /// may turn into emphasis or back.
        #[test]
        fn with_cjk_the_text_is_kept(
            text in "[a「」（）。、課長*_~`\\[\\]() \"\n\u{FE00}\u{E0100}]{0,24}"
        ) {
            let events = amend(&text, parser(&text));
            let mut depth = 0i32;
            for (e, _) in &events {
                match e {
                    Event::Start(_) => depth += 1,
                    Event::End(_) => depth -= 1,
                    _ => {}
                }
                prop_assert!(depth >= 0);
            }
            prop_assert_eq!(depth, 0);
            let words = |ev: &[Ev<'_>]| -> String {
                ev.iter()
                    .filter_map(|(e, _)| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                        _ => None,
                    })
                    .collect::<String>()
                    .replace(['*', '_', '~'], "")
            };
            prop_assert_eq!(words(&events), words(&parser(&text)));
        }
    }
}

//! The search index: every persona, journey stage (cells and tasks), stage, department,
//! playbook, knowledge check and glossary term as a document, with an inverted index of its tokens. One JSON
//! file, loaded by the browser on first use; nothing leaves the machine.

use std::collections::BTreeMap;
use std::io::Write as _;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use pulldown_cmark::{Event, TagEnd};
use serde::Serialize;

use super::tokenize::{for_each_token, normalize_into};
use crate::markdown;
use crate::model::{Language, Site};
use crate::urls::Urls;

/// Where the index is written in the output.
pub use crate::urls::SEARCH_INDEX_PATH as INDEX_PATH;

#[derive(Serialize)]
struct Doc {
    /// URL.
    u: String,
    /// Title.
    t: String,
    /// Kind: persona, journey, stage, department, playbook, term.
    k: &'static str,
    /// Plain text, for confirming matches and for snippets.
    x: String,
}

/// Plain text of Markdown: the words a reader sees. A line break inside a paragraph is a
/// space, or nothing between two CJK characters (a Japanese sentence broken over lines).
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut soft_break = false;
    for e in markdown::parse(text) {
        match e {
            Event::Text(t) | Event::Code(t) => {
                if std::mem::take(&mut soft_break) {
                    let joins = match (out.chars().next_back(), t.chars().next()) {
                        (Some(a), Some(b)) => markdown::joins_without_space(a, b),
                        _ => false,
                    };
                    if !joins && !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
                out.push_str(&t);
            }
            // Inline markup ends without a space (Japanese has none between words).
            Event::End(
                TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript,
            ) => {}
            Event::SoftBreak => soft_break = true,
            Event::HardBreak | Event::End(_) => {
                soft_break = false;
                if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
    out.trim().to_string()
}

fn kinds(lang: Language) -> BTreeMap<&'static str, &'static str> {
    let (ja, en) = (lang == Language::Ja, lang == Language::En);
    let pick = |j: &'static str, e: &'static str| if en || !ja { e } else { j };
    BTreeMap::from([
        ("persona", pick("ペルソナ", "Persona")),
        (
            "persona_stage",
            pick("ペルソナ×ステージ", "Persona at stage"),
        ),
        ("journey", pick("ジャーニー", "Journey")),
        ("stage", pick("ステージ", "Stage")),
        ("department", pick("部門", "Department")),
        ("playbook", pick("プレイブック", "Playbook")),
        ("quiz", pick("知識チェック", "Knowledge check")),
        ("term", pick("用語", "Term")),
    ])
}

/// One document per stage of a journey: its cells, seller's side and tasks.
fn journey_docs(site: &Site, urls: &Urls, j: &crate::model::Journey) -> Vec<Doc> {
    let persona = site
        .personas
        .get(&j.persona.value)
        .map_or(j.persona.value.as_str(), |p| p.name.value.as_str());
    let journey_name = j.name.as_ref().map_or(persona, |n| n.value.as_str());
    let mut docs = Vec::new();
    for s in &site.config.stages {
        let Some(js) = j.stage(s.id.value.as_str()) else {
            continue;
        };
        let mut parts: Vec<String> = Vec::new();
        for r in &site.config.rows {
            if let Some(c) = js.cell(r.id.value.as_str()) {
                parts.push(plain(&c.text.value));
            }
        }
        parts.extend(js.experience.iter().map(|e| plain(&e.value)));
        parts.extend(js.touchpoints.iter().map(|t| t.value.clone()));
        for t in &js.tasks {
            parts.push(plain(&t.task.value));
            parts.extend(t.kpi.iter().map(|k| plain(&k.value)));
        }
        parts.extend(js.notes.iter().map(|n| plain(&n.value)));
        let text = parts
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        if text.is_empty() {
            continue;
        }
        docs.push(Doc {
            u: urls.journey_stage(j.id.as_str(), s.id.value.as_str()),
            t: format!("{journey_name} · {}", s.name.value),
            k: "journey",
            x: text,
        });
    }
    docs
}

/// The index as JSON bytes.
pub fn build_index(site: &Site, urls: &Urls) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = write_index(site, urls, &mut out);
    out
}

/// Where documents come from, in index order: each source gives one document, except a
/// journey, which gives one per stage it fills.
#[derive(Clone, Copy)]
enum Source<'a> {
    Persona(&'a crate::model::Persona),
    /// A persona's page at a stage.
    PersonaStage(&'a crate::model::Persona, &'a crate::model::Stage),
    Journey(&'a crate::model::Journey),
    Stage(&'a crate::model::Stage),
    Department(&'a crate::model::Department),
    Playbook(&'a crate::model::Playbook),
    Quiz(&'a crate::model::Quiz),
    Term(&'a crate::model::Term),
}

fn join(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn docs_of(site: &Site, urls: &Urls, src: Source<'_>) -> Vec<Doc> {
    let doc = match src {
        Source::Journey(j) => return journey_docs(site, urls, j),
        Source::Persona(p) => {
            let goals: Vec<&str> = p
                .goals
                .iter()
                .chain(&p.concerns)
                .map(|s| s.value.as_str())
                .collect();
            Doc {
                u: urls.persona(p.id.as_str()),
                t: p.name.value.clone(),
                k: "persona",
                x: join(&[
                    p.role.as_ref().map_or("", |r| r.value.as_str()),
                    p.summary.as_ref().map_or("", |r| r.value.as_str()),
                    p.company.as_ref().map_or("", |r| r.value.as_str()),
                    &goals.join(" "),
                    &plain(&p.body.value),
                ]),
            }
        }
        Source::PersonaStage(p, s) => Doc {
            u: urls.persona_stage(p.id.as_str(), s.id.value.as_str()),
            t: format!("{} · {}", p.name.value, s.name.value),
            k: "persona_stage",
            x: join(&[
                p.role.as_ref().map_or("", |r| r.value.as_str()),
                s.summary.as_ref().map_or("", |x| x.value.as_str()),
            ]),
        },
        Source::Stage(s) => Doc {
            u: urls.stage(s.id.value.as_str()),
            t: s.name.value.clone(),
            k: "stage",
            x: s.summary
                .as_ref()
                .map_or(String::new(), |x| x.value.clone()),
        },
        Source::Department(d) => {
            let kpis: Vec<&str> = d.kpis.iter().map(|k| k.value.as_str()).collect();
            Doc {
                u: urls.department(d.id.as_str()),
                t: d.name.value.clone(),
                k: "department",
                x: join(&[&kpis.join(" "), &plain(&d.body.value)]),
            }
        }
        Source::Playbook(p) => Doc {
            u: urls.playbook(p.id.as_str()),
            t: p.title.value.clone(),
            k: "playbook",
            x: plain(&p.body.value),
        },
        // The questions only: the answers and explanations are not given away by search.
        Source::Quiz(q) => Doc {
            u: urls.quiz(q.id.as_str()),
            t: q.title.value.clone(),
            k: "quiz",
            x: q.questions
                .iter()
                .map(|x| plain(&x.question.value))
                .collect::<Vec<_>>()
                .join(" "),
        },
        Source::Term(t) => Doc {
            u: urls.term(&t.term.value),
            t: t.term.value.clone(),
            k: "term",
            x: join(&[
                t.reading.as_ref().map_or("", |r| r.value.as_str()),
                &plain(&t.definition.value),
            ]),
        },
    };
    vec![doc]
}

/// A run of sources made into documents: their JSON, how many there are, and the
/// postings of their tokens, numbered from 0 within the run.
struct Run {
    json: Vec<u8>,
    count: u32,
    postings: Postings,
}

/// Token → document numbers. Tokens of up to 8 bytes (a pair of kana or kanji is 6) are
/// kept as a number, their bytes zero-padded, which needs no allocation and compares in
/// one instruction; a token never contains a zero byte, so the packing loses nothing.
#[derive(Default)]
struct Postings {
    short: FxHashMap<u64, DocList>,
    long: FxHashMap<Box<str>, DocList>,
}

/// Ascending document numbers, held as the gaps between them (the first from 0) in LEB128:
/// the same gaps the index writes. Most gaps are under 128, so a posting takes one byte
/// instead of four; a 10,000-persona site has 34 million of them. A token found in more
/// than one document in eight is held as a bitmap instead, one bit per document: on that
/// site 1,142 of 13,073 tokens, which held half the postings (34 → 17 MB).
#[derive(Default)]
struct DocList {
    /// The last number added.
    last: u32,
    /// The numbers as gaps; empty once `bits` holds them.
    gaps: Vec<u8>,
    /// The numbers as a bitmap (bit `n % 64` of word `n / 64`), for a frequent token.
    bits: Vec<u64>,
}

/// From how many documents on a list may become a bitmap: below, a few early postings
/// would make a bitmap of a token that turns out rare.
const DENSE_FROM: u32 = 4096;

impl DocList {
    /// Adds `n`, which is no smaller than the last number; a repeat is skipped.
    fn push(&mut self, n: u32) {
        self.push_unchecked(n);
        self.maybe_dense();
    }

    /// Appends a later run's list, its numbers shifted by `first`.
    fn append(&mut self, other: DocList, first: u32) {
        if !self.bits.is_empty() || !other.bits.is_empty() {
            let mut n = first;
            for gap in other.gaps() {
                n += gap;
                self.push_unchecked(n);
            }
            self.maybe_dense();
            return;
        }
        let Some((gap, len)) = read_gap(&other.gaps) else {
            return;
        };
        let n = gap + first;
        grow(&mut self.gaps, other.gaps.len() + 5);
        if self.gaps.is_empty() {
            push_gap(&mut self.gaps, n);
        } else {
            push_gap(&mut self.gaps, n - self.last);
        }
        self.gaps.extend_from_slice(&other.gaps[len..]);
        self.last = other.last + first;
        self.maybe_dense();
    }

    /// [`DocList::push`] without turning into a bitmap (a caller that adds many checks once).
    fn push_unchecked(&mut self, n: u32) {
        if !self.bits.is_empty() {
            set_bit(&mut self.bits, n);
        } else if self.gaps.is_empty() {
            push_gap(&mut self.gaps, n);
        } else if n != self.last {
            grow(&mut self.gaps, 5);
            push_gap(&mut self.gaps, n - self.last);
        }
        self.last = n;
    }

    /// Becomes a bitmap if that is smaller than the gaps.
    fn maybe_dense(&mut self) {
        if !self.bits.is_empty() || self.last < DENSE_FROM {
            return;
        }
        let words = self.last as usize / 64 + 1;
        if self.gaps.len() <= words * 8 {
            return;
        }
        let mut bits = Vec::with_capacity(words + words / 4);
        let mut n = 0;
        for gap in self.gaps() {
            n += gap;
            set_bit(&mut bits, n);
        }
        self.bits = bits;
        self.gaps = Vec::new();
    }

    /// The gaps, in order.
    fn gaps(&self) -> impl Iterator<Item = u32> + '_ {
        let mut rest = &self.gaps[..];
        let mut word = 0;
        let mut current = self.bits.first().copied().unwrap_or(0);
        let mut previous = 0;
        std::iter::from_fn(move || {
            if self.bits.is_empty() {
                let (gap, len) = read_gap(rest)?;
                rest = &rest[len..];
                return Some(gap);
            }
            while current == 0 {
                word += 1;
                current = *self.bits.get(word)?;
            }
            let n = word as u32 * 64 + current.trailing_zeros();
            current &= current - 1;
            let gap = n - previous;
            previous = n;
            Some(gap)
        })
    }
}

/// Sets bit `n`, growing the bitmap by a quarter at a time (not doubling: a frequent
/// token's bitmap grows with every document).
fn set_bit(bits: &mut Vec<u64>, n: u32) {
    let word = n as usize / 64;
    if word >= bits.len() {
        grow(bits, word + 1 - bits.len());
        bits.resize(word + 1, 0);
    }
    bits[word] |= 1 << (n % 64);
}

/// Makes room for `extra` more items, growing by at least a quarter of the length.
fn grow<T>(v: &mut Vec<T>, extra: usize) {
    if v.capacity() - v.len() < extra {
        v.reserve_exact(extra.max(v.len() / 4).max(16));
    }
}

fn push_gap(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The gap at the start of `bytes` and how many bytes it takes.
fn read_gap(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut n = 0u32;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        n |= u32::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((n, i + 1));
        }
    }
    None
}

fn pack(token: &str) -> Option<u64> {
    let b = token.as_bytes();
    (b.len() <= 8).then(|| {
        let mut bytes = [0u8; 8];
        bytes[..b.len()].copy_from_slice(b);
        u64::from_le_bytes(bytes)
    })
}

fn unpack(key: u64) -> String {
    let bytes = key.to_le_bytes();
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(8);
    String::from_utf8_lossy(&bytes[..len]).into_owned()
}

impl Postings {
    /// Records that document `n` holds `token`; documents come in increasing order.
    fn add(&mut self, token: &str, n: u32) {
        let list = match pack(token) {
            Some(key) => self.short.entry(key).or_default(),
            None => match self.long.get_mut(token) {
                Some(list) => list,
                None => self.long.entry(token.into()).or_default(),
            },
        };
        list.push(n);
    }

    /// Appends another run's postings, its document numbers shifted by `first`.
    fn append(&mut self, other: Postings, first: u32) {
        for (key, list) in other.short {
            self.short.entry(key).or_default().append(list, first);
        }
        for (key, list) in other.long {
            self.long.entry(key).or_default().append(list, first);
        }
    }

    /// Every token with its documents, sorted by token.
    fn into_sorted(self) -> Vec<(Box<str>, DocList)> {
        let mut terms: Vec<(Box<str>, DocList)> = self
            .short
            .into_iter()
            .map(|(k, v)| (unpack(k).into_boxed_str(), v))
            .chain(self.long)
            .collect();
        terms.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        terms
    }
}

fn run_of(site: &Site, urls: &Urls, sources: &[Source<'_>]) -> std::io::Result<Run> {
    let mut json = Vec::new();
    let mut count = 0u32;
    let mut postings = Postings::default();
    for src in sources {
        for doc in docs_of(site, urls, *src) {
            if count > 0 {
                json.push(b',');
            }
            serde_json::to_writer(&mut json, &doc)?;
            let mut norm = String::with_capacity(doc.t.len() + doc.x.len() + 1);
            normalize_into(&doc.t, &mut norm);
            norm.push(' ');
            normalize_into(&doc.x, &mut norm);
            let n = count;
            for_each_token(&norm, |tok| postings.add(tok, n));
            count += 1;
        }
    }
    Ok(Run {
        json,
        count,
        postings,
    })
}

/// Writes the index as JSON into `w`; returns its size.
///
/// Documents are made, written and tokenized run by run, several runs in parallel, so that
/// neither their texts nor the output are ever held whole (on a 10,000-persona site the
/// index is 224 MB). Tokens are hashed with FxHash and allocated once per distinct token
/// and run: the index of a 2,000-persona site has about ten million token occurrences,
/// and a `String` per token and SipHash once made this the largest single cost of a build.
pub fn write_index(site: &Site, urls: &Urls, w: &mut dyn std::io::Write) -> std::io::Result<usize> {
    let mut sources: Vec<Source<'_>> = Vec::new();
    sources.extend(site.personas.values().map(|p| Source::Persona(p)));
    sources.extend(
        site.persona_stages()
            .into_iter()
            .map(|(p, s)| Source::PersonaStage(p, s)),
    );
    sources.extend(site.journeys.values().map(|j| Source::Journey(j)));
    sources.extend(site.config.stages.iter().map(Source::Stage));
    sources.extend(site.departments.values().map(|d| Source::Department(d)));
    sources.extend(site.playbooks.values().map(|p| Source::Playbook(p)));
    sources.extend(site.quizzes.values().map(|q| Source::Quiz(q)));
    if let Some(g) = &site.glossary {
        sources.extend(g.terms.iter().map(Source::Term));
    }

    let mut w = crate::output::Counting::new(w);
    // {"v":1,"kinds":{…},"docs":[…],"terms":{"token":[gaps…],…}}
    w.write_all(b"{\"v\":1,\"kinds\":")?;
    serde_json::to_writer(&mut w, &kinds(site.config.language))?;
    w.write_all(b",\"docs\":[")?;
    const RUN: usize = 64;
    let batch = RUN * rayon::current_num_threads().max(1) * 2;
    let mut postings = Postings::default();
    let mut merge_time = std::time::Duration::ZERO;
    let mut first = 0u32;
    for sources in sources.chunks(batch) {
        let runs: Vec<std::io::Result<Run>> = sources
            .par_chunks(RUN)
            .map(|run| run_of(site, urls, run))
            .collect();
        for run in runs {
            let run = run?;
            if run.count == 0 {
                continue;
            }
            if first > 0 {
                w.write_all(b",")?;
            }
            w.write_all(&run.json)?;
            let t0 = std::time::Instant::now();
            postings.append(run.postings, first);
            merge_time += t0.elapsed();
            first += run.count;
        }
    }
    w.write_all(b"]")?;
    let t0 = std::time::Instant::now();
    let terms = postings.into_sorted();
    let sorted = t0.elapsed();

    w.write_all(b",\"terms\":{")?;
    let mut num = itoa::Buffer::new();
    let mut buf = Vec::with_capacity(64 * 1024);
    for (i, (tok, list)) in terms.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        serde_json::to_writer(&mut buf, tok)?;
        buf.extend_from_slice(b":[");
        // Delta-encoded: each number is the gap from the previous one.
        for (k, gap) in list.gaps().enumerate() {
            if k > 0 {
                buf.push(b',');
            }
            buf.extend_from_slice(num.format(gap).as_bytes());
        }
        buf.push(b']');
        if buf.len() >= 60 * 1024 {
            w.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(b"}}");
    w.write_all(&buf)?;
    if crate::profile::enabled() {
        eprintln!(
            "search index: merging runs {:.1} ms, sorting terms {:.1} ms, writing terms {:.1} ms",
            merge_time.as_secs_f64() * 1e3,
            sorted.as_secs_f64() * 1e3,
            (t0.elapsed() - sorted).as_secs_f64() * 1e3
        );
    }
    Ok(w.written())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_tokens_pack_and_unpack() {
        for t in ["a", "棚卸", "12345678", "課", "ab課"] {
            assert_eq!(unpack(pack(t).expect("short")), t);
        }
        assert!(pack("情シス課長").is_none());
        assert_ne!(pack("ab"), pack("abc"));
    }

    #[test]
    fn doc_lists_keep_gaps_and_append_runs() {
        let mut a = DocList::default();
        for n in [0, 0, 3, 130, 130, 20_000, 4_000_000_000] {
            a.push(n);
        }
        assert_eq!(
            a.gaps().collect::<Vec<_>>(),
            [0, 3, 127, 19_870, 3_999_980_000]
        );
        let mut run = DocList::default();
        for n in [2, 5] {
            run.push(n);
        }
        let mut b = DocList::default();
        b.push(1);
        b.append(run, 10);
        // 1, then 12 and 15.
        assert_eq!(b.gaps().collect::<Vec<_>>(), [1, 11, 3]);
        assert_eq!(b.last, 15);
        let mut empty = DocList::default();
        empty.append(DocList::default(), 7);
        assert_eq!(empty.gaps().count(), 0);
    }

    #[test]
    fn frequent_tokens_become_bitmaps_with_the_same_gaps() {
        // Every third document from 0 to 30,000: a bitmap is smaller than the gaps.
        let ns: Vec<u32> = (0..30_000).step_by(3).collect();
        let mut list = DocList::default();
        for &n in &ns[..5000] {
            list.push(n);
        }
        assert!(
            !list.bits.is_empty() && list.gaps.is_empty(),
            "a bitmap by now"
        );
        let mut run = DocList::default();
        for &n in &ns[5000..] {
            run.push(n - 15_000);
        }
        list.append(run, 15_000);
        let mut at = 0;
        let got: Vec<u32> = list
            .gaps()
            .map(|g| {
                at += g;
                at
            })
            .collect();
        assert_eq!(got, ns);
        // A rare token stays a list of gaps.
        let mut rare = DocList::default();
        for n in (0..30_000).step_by(1000) {
            rare.push(n);
        }
        assert!(rare.bits.is_empty());
    }

    proptest::proptest! {
        /// Whatever the numbers and however they are split into runs, the gaps add up to
        /// the numbers.
        #[test]
        fn doc_lists_round_trip(ns in proptest::collection::vec(0u32..100_000, 0..60), cut in 0usize..60) {
            round_trip(ns, cut)?;
        }

        /// The same for numbers close together, where lists become bitmaps (on either side
        /// of the cut, or after appending).
        #[test]
        fn dense_doc_lists_round_trip(ns in proptest::collection::vec(0u32..20_000, 0..4000), cut in 0usize..4000) {
            round_trip(ns, cut)?;
        }
    }

    fn round_trip(
        mut ns: Vec<u32>,
        cut: usize,
    ) -> Result<(), proptest::test_runner::TestCaseError> {
        {
            // Runs hold different documents: numbers are distinct across the cut.
            ns.sort_unstable();
            ns.dedup();
            let cut = cut.min(ns.len());
            let offset = ns.get(cut).copied().unwrap_or(0);
            let mut head = DocList::default();
            for &n in &ns[..cut] {
                head.push(n);
            }
            let mut tail = DocList::default();
            for &n in &ns[cut..] {
                tail.push(n - offset);
            }
            head.append(tail, offset);
            let mut got = Vec::new();
            let mut at = 0u32;
            for g in head.gaps() {
                at += g;
                got.push(at);
            }
            proptest::prop_assert_eq!(got, ns);
        }
        Ok(())
    }

    #[test]
    fn plain_text_of_markdown() {
        assert_eq!(
            plain("**課題**は[BANT](glossary:BANT)で確認\n\n- [ ] 予算"),
            "課題はBANTで確認 予算"
        );
    }

    #[test]
    fn plain_text_has_no_emphasis_marks_and_joins_cjk_lines() {
        assert_eq!(
            plain("課長が**「これで行く」と決め**ること"),
            "課長が「これで行く」と決めること"
        );
        assert_eq!(
            plain("情報システム部が\n比較表を作る"),
            "情報システム部が比較表を作る"
        );
        assert_eq!(plain("**「予算」**\n確認"), "「予算」確認");
        assert_eq!(plain("budget\ncheck"), "budget check");
        assert_eq!(plain("予算\ncheck"), "予算 check");
        assert_eq!(plain("一\n\n二"), "一 二");
    }
}

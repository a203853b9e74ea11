//! The postings of the search index while it is built: for every token, the documents whose
//! title holds it and those whose text holds it ([`posting`]), compactly, for sites of tens
//! of millions of token occurrences.

use rustc_hash::FxHashMap;

use rayon::prelude::*;

/// Where in a document a token was found: the title counts ten times the text in ranking.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Field {
    Title,
    Text,
}

/// A posting: `2 × document + field` (title 0, text 1), so that one list per token holds
/// both, in order (a document's title is read before its text), and a table entry stays
/// small.
pub fn posting(n: u32, field: Field) -> u32 {
    2 * n + (field == Field::Text) as u32
}

/// Token → the documents holding it. Tokens of up to 8 bytes (a pair of kana or kanji is 6) are
/// kept as a number, their bytes zero-padded, which needs no allocation and compares in
/// one instruction; a token never contains a zero byte, so the packing loses nothing.
#[derive(Default)]
pub struct Postings {
    short: FxHashMap<u64, DocList>,
    long: FxHashMap<Box<str>, DocList>,
}

/// Ascending document numbers, held as the gaps between them (the first from 0) in LEB128:
/// the same gaps the index writes. Most gaps are under 128, so a posting takes one byte
/// instead of four; a 10,000-persona site has 34 million of them. A token found in more
/// than one document in eight is held as a bitmap instead, one bit per document: on that
/// site 1,142 of 13,073 tokens, which held half the postings (34 → 17 MB).
#[derive(Default)]
pub struct DocList {
    /// The last number added.
    pub last: u32,
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
    pub fn push(&mut self, n: u32) {
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

    /// The numbers of the set bits of a bitmap (bit `n % 64` of word `n / 64`).
    pub fn from_bits(bits: &[u64]) -> DocList {
        let mut list = DocList::default();
        for (w, &word) in bits.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                list.push_unchecked(w as u32 * 64 + word.trailing_zeros());
                word &= word - 1;
            }
        }
        list.maybe_dense();
        list
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

    /// The numbers, in order.
    pub fn numbers(&self) -> impl Iterator<Item = u32> + Clone + '_ {
        self.gaps().scan(0, |n, gap| {
            *n += gap;
            Some(*n)
        })
    }

    /// The gaps, in order.
    pub fn gaps(&self) -> impl Iterator<Item = u32> + Clone + '_ {
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
    /// Records that document `n` holds `token` in `field`; documents come in increasing
    /// order.
    pub fn add(&mut self, token: &str, n: u32, field: Field) {
        let n = posting(n, field);
        let list = match pack(token) {
            Some(key) => self.short.entry(key).or_default(),
            None => match self.long.get_mut(token) {
                Some(list) => list,
                None => self.long.entry(token.into()).or_default(),
            },
        };
        list.push(n);
    }

    /// Appends another run's postings, its numbers shifted by `first` (twice the run's
    /// first document).
    pub fn append(&mut self, other: Postings, first: u32) {
        for (key, list) in other.short {
            self.short.entry(key).or_default().append(list, first);
        }
        for (key, list) in other.long {
            self.long.entry(key).or_default().append(list, first);
        }
    }

    /// Every token with its documents, sorted by token (UTF-8 bytes: code point order).
    pub fn into_sorted(self) -> Vec<(Box<str>, DocList)> {
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

#[cfg(test)]
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
}

//! The search index the browser loads, in one of two forms.
//!
//! A reader who types one word must not download a whole large site first (a 2,000-persona
//! site's documents alone are 35 MB), so a large site's index is split as Pagefind splits
//! its own: a small entry file (`search/index.json`), then only the files the query needs,
//! fetched when it needs them and kept: the **key files** (`search/keys/<n>.json`) holding
//! the postings of a range of tokens, and the **document files** (`search/docs/<n>.json`)
//! holding [`DOCS_PER_FILE`] documents each, for confirming and showing the first results.
//! A small site keeps everything in the one entry file ([`SINGLE_MAX`]): it is smaller than
//! what a sharded query would fetch, and every later query costs nothing.
//!
//! The browser (`static/assets/search.js`) ranks by what the index records, in either form
//! with the same code: the documents whose title holds a token and those whose text holds
//! it, for every token the tokenizer gives, every kanji or kana on its own, and for Latin
//! words which words contain another inside them (`ale` in `sale`: the text search of the
//! ranking is "contains", its matching "starts with"). Documents are numbered by title
//! ([`super::docs::documents`]), so ties rank by number. docs/templates.md (section 9)
//! describes the files.

use rayon::prelude::*;

use super::docs::{Doc, browser_order, documents, kinds};
use super::postings::{DocList, Field, Postings};
use super::tokenize::{for_each_token, is_cjk, normalize_into};
use crate::model::Site;
use crate::urls::Urls;

/// Where the entry file is written in the output.
pub use crate::urls::SEARCH_INDEX_PATH as INDEX_PATH;

/// The largest index kept as one file, in bytes: at most what the first results of a query
/// may cost on a large site (300 KB), so that no reader downloads more for their first
/// results than the budget, and every later query is free. The sample site's index is
/// 190 KB; `bench/gen_site.py`'s sites pass it at six personas.
pub const SINGLE_MAX: usize = 300_000;

/// Documents per document file. A query's first 30 results come from at most 30 files; at
/// about 1 KB a document, a file is 8 KB (results of equal score lie together, being
/// numbered by title, so most queries need a few).
pub const DOCS_PER_FILE: usize = 4;

/// Key files hold between these many bytes (one list may be more: at 2,000 personas a token
/// held by every document is a 5.7 KB bitmap per field). Between the two, a file ends before
/// a key chosen by its hash alone (about one in `KEY_FILE_CUT`), so that an edit changes
/// the files of the keys it changes and not the boundaries of every file after them.
pub const KEY_FILE_BYTES: (usize, usize) = (4 * 1024, 16 * 1024);

/// A key begins a new key file (once the current one holds the minimum) when its hash is a
/// multiple of this: about 8 KB a file.
const KEY_FILE_CUT: u64 = 8;

/// How the index is laid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Form {
    /// One file up to [`SINGLE_MAX`] bytes, sharded above.
    Auto,
    /// Everything in `search/index.json`.
    Single,
    /// The entry file, key files and document files.
    Sharded,
}

/// One file of the index, by output path.
pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The files of a site's search index, the entry file first.
pub fn index_files(site: &Site, urls: &Urls, form: Form) -> Vec<IndexFile> {
    let prof = crate::profile::enabled();
    let t0 = std::time::Instant::now();
    let docs = documents(site, urls);
    let t_docs = t0.elapsed();
    let (postings, doc_files) = rayon::join(|| postings_of(&docs), || doc_files(&docs));
    let t_tokens = t0.elapsed();
    let entries = key_entries(postings, docs.len());
    let t_keys = t0.elapsed();
    let size = entries
        .iter()
        .map(|(k, v)| k.len() + v.len() + 4)
        .sum::<usize>()
        + doc_files.iter().map(Vec::len).sum::<usize>();
    let single = match form {
        Form::Auto => size <= SINGLE_MAX,
        Form::Single => true,
        Form::Sharded => false,
    };
    let head = |per_file: usize, shards: &[&str]| {
        let mut out = Vec::with_capacity(64 * 1024);
        out.extend_from_slice(b"{\"v\":2,\"kinds\":");
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut out, &kinds(site.config.language));
        out.extend_from_slice(
            format!(",\"count\":{},\"per_file\":{per_file}", docs.len()).as_bytes(),
        );
        out.extend_from_slice(b",\"shards\":");
        let _ = serde_json::to_writer(&mut out, shards);
        out
    };
    let mut files = Vec::new();
    if single {
        let mut out = head(docs.len().max(1), &[""]);
        out.extend_from_slice(b",\"keys\":");
        key_file(&entries, &mut out);
        out.extend_from_slice(b",\"docs\":[");
        for (i, f) in doc_files.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(f);
        }
        out.extend_from_slice(b"]}");
        files.push(IndexFile {
            path: INDEX_PATH.to_string(),
            bytes: out,
        });
    } else {
        let shards = key_shards(&entries);
        let firsts: Vec<&str> = shards
            .iter()
            .enumerate()
            .map(|(i, s)| if i == 0 { "" } else { &*entries[s.start].0 })
            .collect();
        let mut entry = head(DOCS_PER_FILE, &firsts);
        entry.push(b'}');
        files.push(IndexFile {
            path: INDEX_PATH.to_string(),
            bytes: entry,
        });
        for (i, range) in shards.into_iter().enumerate() {
            let mut out = Vec::new();
            key_file(&entries[range], &mut out);
            files.push(IndexFile {
                path: format!("search/keys/{i}.json"),
                bytes: out,
            });
        }
        for (i, f) in doc_files.into_iter().enumerate() {
            let mut out = Vec::with_capacity(f.len() + 2);
            out.push(b'[');
            out.extend_from_slice(&f);
            out.push(b']');
            files.push(IndexFile {
                path: format!("search/docs/{i}.json"),
                bytes: out,
            });
        }
    }
    if prof {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
        eprintln!(
            "search index: documents {:.1} ms, tokens {:.1} ms, keys {:.1} ms, files {:.1} ms ({} files, {} bytes)",
            ms(t_docs),
            ms(t_tokens - t_docs),
            ms(t_keys - t_tokens),
            ms(t0.elapsed() - t_keys),
            files.len(),
            files.iter().map(|f| f.bytes.len()).sum::<usize>()
        );
    }
    files
}

/// The documents as JSON, [`DOCS_PER_FILE`] to a string, without the brackets.
fn doc_files(docs: &[Doc]) -> Vec<Vec<u8>> {
    docs.par_chunks(DOCS_PER_FILE)
        .map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len() * 1024);
            for (i, d) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                // Writing into a Vec cannot fail.
                let _ = serde_json::to_writer(&mut out, d);
            }
            out
        })
        .collect()
}

/// The postings of every document: runs of documents tokenized in parallel, merged in
/// order. Tokens are hashed with FxHash and allocated once per distinct token and run: a
/// 2,000-persona site has about ten million token occurrences.
fn postings_of(docs: &[Doc]) -> Postings {
    const RUN: usize = 64;
    let batch_len = RUN * rayon::current_num_threads().max(1) * 2;
    let mut postings = Postings::default();
    let mut first = 0u32;
    for batch in docs.chunks(batch_len) {
        let runs: Vec<Postings> = batch
            .par_chunks(RUN)
            .map(|run| {
                let mut p = Postings::default();
                let mut norm = String::new();
                for (n, d) in run.iter().enumerate() {
                    for (text, field) in [(&d.t, Field::Title), (&d.x, Field::Text)] {
                        norm.clear();
                        normalize_into(text, &mut norm);
                        index_text(&norm, n as u32, field, &mut p);
                    }
                }
                p
            })
            .collect();
        for (r, run) in runs.into_iter().enumerate() {
            postings.append(run, 2 * (first + (r * RUN) as u32));
        }
        first += batch.len() as u32;
    }
    postings
}

/// Records the tokens of one normalised text.
fn index_text(norm: &str, n: u32, field: Field, p: &mut Postings) {
    for_each_token(norm, |tok| p.add(tok, n, field));
}

/// Every key of the index with its value as JSON, in the browser's string order (UTF-16
/// code units): first, for each ending of a Latin word after its first character, `" "` +
/// that ending → the words ending so (`" ale"` → `["sale", "scale"]`); then each token →
/// `[title, text]`, its documents as [encoded lists](encode_list). A kanji or kana is a key
/// of its own, for every document holding it (a one-character query finds them all).
fn key_entries(postings: Postings, doc_count: usize) -> Vec<(Box<str>, Vec<u8>)> {
    let terms = with_characters(postings.into_sorted(), doc_count);
    let mut endings: std::collections::BTreeMap<String, Vec<&str>> = Default::default();
    for (key, _) in &terms {
        if key.chars().next().is_some_and(is_cjk) {
            continue;
        }
        for (i, _) in key.char_indices().skip(1) {
            endings
                .entry(format!(" {}", &key[i..]))
                .or_default()
                .push(key);
        }
    }
    let mut entries: Vec<(Box<str>, Vec<u8>)> = endings
        .into_iter()
        .map(|(k, words)| {
            // Writing into a Vec cannot fail.
            let json = serde_json::to_vec(&words).unwrap_or_default();
            (k.into_boxed_str(), json)
        })
        .collect();
    entries.par_extend(terms.into_par_iter().map(|(key, list)| {
        let field = |f: u32| list.numbers().filter(move |m| m % 2 == f).map(|m| m / 2);
        let mut s = String::from("[\"");
        encode_list(field(0), &mut s);
        s.push_str("\",\"");
        encode_list(field(1), &mut s);
        s.push_str("\"]");
        (key, s.into_bytes())
    }));
    entries.par_sort_unstable_by(|a, b| browser_order(&a.0, &b.0));
    entries
}

/// The tokens with each kanji or kana as a key of its own: the postings of every token
/// holding it, merged (a lone character's own token among them). Merging the tokens' lists
/// costs a tenth of looking every character of the text up as it is read.
fn with_characters(terms: Vec<(Box<str>, DocList)>, doc_count: usize) -> Vec<(Box<str>, DocList)> {
    let mut holding: std::collections::BTreeMap<char, Vec<usize>> = Default::default();
    for (i, (key, _)) in terms.iter().enumerate() {
        if key.chars().next().is_some_and(is_cjk) {
            for c in key.chars() {
                holding.entry(c).or_default().push(i);
            }
        }
    }
    // Bits for both fields of every document.
    let words = (2 * doc_count).div_ceil(64);
    let characters: Vec<(Box<str>, DocList)> = holding
        .into_par_iter()
        .map(|(c, tokens)| {
            let mut bits = vec![0u64; words];
            for &i in &tokens {
                for m in terms[i].1.numbers() {
                    bits[m as usize / 64] |= 1 << (m % 64);
                }
            }
            (c.to_string().into_boxed_str(), DocList::from_bits(&bits))
        })
        .collect();
    // A lone character's own token is in its character key.
    let mut terms: Vec<(Box<str>, DocList)> = terms
        .into_iter()
        .filter(|(k, _)| k.chars().nth(1).is_some() || !k.chars().next().is_some_and(is_cjk))
        .collect();
    terms.extend(characters);
    terms
}

/// Entries as one JSON object.
fn key_file(entries: &[(Box<str>, Vec<u8>)], out: &mut Vec<u8>) {
    out.push(b'{');
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *out, k);
        out.push(b':');
        out.extend_from_slice(v);
    }
    out.push(b'}');
}

/// The entries of each key file: consecutive; see [`KEY_FILE_BYTES`].
fn key_shards(entries: &[(Box<str>, Vec<u8>)]) -> Vec<std::ops::Range<usize>> {
    let (least, most) = KEY_FILE_BYTES;
    let mut shards = Vec::new();
    let (mut start, mut size) = (0, 0);
    for (i, (k, v)) in entries.iter().enumerate() {
        if size >= most || (size >= least && cut_before(k)) {
            shards.push(start..i);
            (start, size) = (i, 0);
        }
        size += k.len() + v.len() + 4;
    }
    shards.push(start..entries.len());
    shards
}

/// Whether a key file may begin at `key`: by its FNV-1a hash, the same on every machine.
fn cut_before(key: &str) -> bool {
    let hash = key.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash >> 32) % KEY_FILE_CUT == 0
}

/// The 64 characters of a list: six bits each, all safe in JSON and URLs.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Ascending document numbers as text, whichever is shorter: the gaps between them (the first
/// from 0), five bits to a character, low bits first, a character with its sixth bit set
/// followed by more of the same gap; or `*` and a bitmap, six documents to a character
/// (document `n` is bit `n % 6` of character `n / 6`).
fn encode_list(numbers: impl Iterator<Item = u32> + Clone, out: &mut String) {
    let start = out.len();
    let mut last = None;
    for n in numbers.clone() {
        let mut gap = n - last.map_or(0, |l| l);
        last = Some(n);
        loop {
            let low = (gap & 31) as usize;
            gap >>= 5;
            if gap == 0 {
                out.push(char::from(ALPHABET[low]));
                break;
            }
            out.push(char::from(ALPHABET[low | 32]));
        }
    }
    let Some(last) = last else {
        return;
    };
    let sixes_len = last as usize / 6 + 1;
    if out.len() - start <= sixes_len + 1 {
        return;
    }
    out.truncate(start);
    let mut sixes = vec![0u8; sixes_len];
    for n in numbers {
        sixes[n as usize / 6] |= 1 << (n % 6);
    }
    out.push('*');
    out.extend(sixes.into_iter().map(|s| char::from(ALPHABET[s as usize])));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<usize> {
        let value = |c: u8| {
            ALPHABET
                .iter()
                .position(|&a| a == c)
                .expect("in the alphabet")
        };
        let mut out = Vec::new();
        if let Some(bits) = s.strip_prefix('*') {
            for (i, c) in bits.bytes().enumerate() {
                out.extend((0..6).filter(|b| value(c) >> b & 1 == 1).map(|b| i * 6 + b));
            }
            return out;
        }
        let (mut n, mut gap, mut shift) = (0, 0, 0);
        for c in s.bytes() {
            let v = value(c);
            gap |= (v & 31) << shift;
            if v & 32 != 0 {
                shift += 5;
            } else {
                n += gap;
                out.push(n);
                (gap, shift) = (0, 0);
            }
        }
        out
    }

    fn encoded(ns: &[u32]) -> String {
        let mut s = String::new();
        encode_list(ns.iter().copied(), &mut s);
        s
    }

    #[test]
    fn lists_encode_as_gaps_or_a_bitmap_whichever_is_shorter() {
        assert_eq!(encoded(&[]), "");
        assert_eq!(encoded(&[0]), "A");
        // 3, then a gap of 40: its low five bits (8) with "more" (32), then 40 >> 5 = 1.
        assert_eq!(encoded(&[3, 43]), "DoB");
        // Every document of the first twelve: two characters of six bits.
        assert_eq!(encoded(&(0..12).collect::<Vec<_>>()), "*__");
        for ns in [vec![5, 6, 7, 1000, 40_000], (0..500).step_by(2).collect()] {
            assert_eq!(
                decode(&encoded(&ns)),
                ns.iter().map(|&n| n as usize).collect::<Vec<_>>()
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn lists_round_trip(ns in proptest::collection::btree_set(0u32..5000, 0..400)) {
            let ns: Vec<u32> = ns.into_iter().collect();
            proptest::prop_assert_eq!(
                decode(&encoded(&ns)),
                ns.iter().map(|&n| n as usize).collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn characters_and_word_endings_are_keys() {
        let mut p = Postings::default();
        index_text(
            &crate::search::normalize("課長とSales"),
            0,
            Field::Title,
            &mut p,
        );
        index_text("wholesale 課", 1, Field::Text, &mut p);
        let entries = key_entries(p, 2);
        let keys: Vec<&str> = entries.iter().map(|(k, _)| &**k).collect();
        assert!(keys.contains(&"課") && keys.contains(&"長") && keys.contains(&"課長"));
        let value = |k: &str| {
            let (_, v) = entries.iter().find(|(x, _)| &**x == k).expect(k);
            String::from_utf8(v.clone()).unwrap()
        };
        // 課 is in document 0's title and document 1's text.
        assert_eq!(value("課"), r#"["A","B"]"#);
        assert_eq!(value(" ales"), r#"["sales"]"#);
        assert_eq!(value(" sale"), r#"["wholesale"]"#);
        assert!(keys.first().is_some_and(|k| k.starts_with(' ')));
    }
}

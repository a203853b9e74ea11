//! Every URL of the site, from one place, so `base_url` and percent-encoding are never
//! forgotten.

use std::collections::BTreeMap;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use crate::model::term_key;
use crate::model::{PageRefKind, Site};

/// Characters escaped in a path segment: everything not unreserved in RFC 3986.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b':')
    .add(b';')
    .add(b'<')
    .add(b'=')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'&')
    .add(b'\'')
    .add(b'+')
    .add(b',');

/// Where the search index's entry file is written, relative to the output folder.
pub const SEARCH_INDEX_PATH: &str = "search/index.json";

/// The folder of the search index's files (the entry file and its shards).
pub const SEARCH_DIR: &str = "search/";

/// The URL of every page of one site under one base URL.
#[derive(Debug, Clone)]
pub struct Urls {
    base: String,
    /// term key → anchor on the glossary page.
    term_anchors: BTreeMap<String, String>,
    /// Each glossary term as written → its URL. Links name terms as the glossary writes
    /// them, and a large site has hundreds of thousands of such links: this spares each one
    /// the term's normalisation and two `format!`s.
    term_urls: std::collections::HashMap<String, String>,
}

impl Urls {
    pub fn new(site: &Site, base_url: &str) -> Urls {
        let mut term_anchors = BTreeMap::new();
        let mut used = Slugs::default();
        if let Some(g) = &site.glossary {
            for t in &g.terms {
                let anchor = unique_slug(&format!("term-{}", slug(&t.term.value)), &mut used);
                term_anchors
                    .entry(term_key(&t.term.value))
                    .or_insert(anchor);
            }
        }
        let mut urls = Urls {
            base: base_url.to_string(),
            term_anchors,
            term_urls: std::collections::HashMap::new(),
        };
        if let Some(g) = &site.glossary {
            let term_urls = g
                .terms
                .iter()
                .map(|t| (t.term.value.clone(), urls.term_url(&t.term.value)))
                .collect();
            urls.term_urls = term_urls;
        }
        urls
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn home(&self) -> String {
        self.base.clone()
    }

    /// `{base}{folder}/{id}/`.
    pub fn page(&self, kind: PageRefKind, id: &str) -> String {
        if kind == PageRefKind::Glossary {
            return self.term(id);
        }
        format!("{}{}/{}/", self.base, kind.folder(), encode(id))
    }

    pub fn persona(&self, id: &str) -> String {
        self.page(PageRefKind::Persona, id)
    }
    pub fn journey(&self, id: &str) -> String {
        self.page(PageRefKind::Journey, id)
    }
    /// One persona at one stage (`personas/<persona>/<stage>/`).
    pub fn persona_stage(&self, persona: &str, stage: &str) -> String {
        format!("{}{}/", self.persona(persona), encode(stage))
    }

    /// A stage's column in a journey's table, on the journey's page: the anchor every
    /// journey table gives its stage heads (`tj-journey-<journey>.<stage>`, unique on any
    /// page, as ids hold no `.`).
    pub fn journey_stage(&self, journey: &str, stage: &str) -> String {
        format!(
            "{}#tj-journey-{}.{}",
            self.journey(journey),
            encode(journey),
            encode(stage)
        )
    }
    pub fn stage(&self, id: &str) -> String {
        self.page(PageRefKind::Stage, id)
    }
    pub fn department(&self, id: &str) -> String {
        self.page(PageRefKind::Department, id)
    }
    pub fn playbook(&self, id: &str) -> String {
        self.page(PageRefKind::Playbook, id)
    }

    pub fn quiz(&self, id: &str) -> String {
        self.page(PageRefKind::Quiz, id)
    }

    pub fn glossary(&self) -> String {
        format!("{}glossary/", self.base)
    }

    /// The anchor of a term on the glossary page.
    pub fn term_anchor(&self, term: &str) -> String {
        self.term_anchors
            .get(&term_key(term))
            .cloned()
            .unwrap_or_else(|| format!("term-{}", slug(term)))
    }

    pub fn term(&self, term: &str) -> String {
        match self.term_urls.get(term) {
            Some(url) => url.clone(),
            None => self.term_url(term),
        }
    }

    fn term_url(&self, term: &str) -> String {
        format!("{}#{}", self.glossary(), self.term_anchor(term))
    }

    pub fn onboarding(&self) -> String {
        format!("{}onboarding/", self.base)
    }

    pub fn print(&self) -> String {
        format!("{}print/", self.base)
    }

    /// Every role × every stage.
    pub fn roles(&self) -> String {
        format!("{}roles/", self.base)
    }

    /// Every framework letter × every stage.
    pub fn qualification(&self) -> String {
        format!("{}qualification/", self.base)
    }

    /// The "What changed" page (`build --changes-since`).
    pub fn changes(&self) -> String {
        format!("{}changes/", self.base)
    }

    /// The page for managers: every page with its owner and dates.
    pub fn freshness(&self) -> String {
        format!("{}freshness/", self.base)
    }

    /// The search index, fetched by the search box.
    pub fn search_index(&self) -> String {
        format!("{}{SEARCH_INDEX_PATH}", self.base)
    }

    pub fn asset(&self, name: &str) -> String {
        format!("{}assets/{name}", self.base)
    }
}

pub fn encode(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

/// A stable anchor for a heading or term: letters and digits of any script are kept (so a
/// Japanese heading keeps its words), everything else becomes `-`.
pub fn slug(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    let mut dash = false;
    for c in s.nfc().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// The anchors given so far on one page, and for each base the next number to try: 20,000
/// headings of one name then take one step each, not 20,000 (which was 50 s).
#[derive(Debug, Default)]
pub struct Slugs {
    used: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, u32>,
}

/// `slug`, `slug-2`, `slug-3` … not yet in `used`.
pub fn unique_slug(base: &str, used: &mut Slugs) -> String {
    if used.used.insert(base.to_string()) {
        return base.to_string();
    }
    let n = used.next.entry(base.to_string()).or_insert(2);
    loop {
        let candidate = format!("{base}-{n}");
        *n += 1;
        if used.used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

/// "Edit this page": `edit_url` with `{path}` replaced by a source file's path (relative to
/// the repository root), each segment percent-encoded (`営業/情シス課長.md` →
/// `%E5%96%B6%E6%A5%AD/%E6%83%85…`) and the `/` between them kept.
pub fn edit_url(template: &str, path: &str) -> String {
    let encoded = path
        .split('/')
        .map(|seg| utf8_percent_encode(seg, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/");
    template.replace("{path}", &encoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_slugs_number_repeats_and_skip_taken_names() {
        let mut used = Slugs::default();
        let got: Vec<String> = ["a", "a", "a-2", "a", "b"]
            .iter()
            .map(|b| unique_slug(b, &mut used))
            .collect();
        assert_eq!(got, ["a", "a-2", "a-2-2", "a-3", "b"]);
        // 20,000 repeats: linear (was 50 s).
        let t = std::time::Instant::now();
        let mut used = Slugs::default();
        for _ in 0..20_000 {
            unique_slug("見出し", &mut used);
        }
        assert!(t.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn slugs_keep_japanese() {
        assert_eq!(slug("よくある反論と切り返し"), "よくある反論と切り返し");
        assert_eq!(slug("BANT の確認 (予算)"), "bant-の確認-予算");
        assert_eq!(slug("!!!"), "section");
    }

    #[test]
    fn term_urls_are_the_same_looked_up_or_computed() {
        let files = vec![
            crate::load::InputFile {
                path: "tabiji.toml".into(),
                bytes: std::fs::read("tabiji.toml").expect("the sample site's tabiji.toml"),
            },
            crate::load::InputFile {
                path: "content/glossary.toml".into(),
                bytes: "[[terms]]\nterm = \"MQL\"\ndefinition = \"a\"\n\n[[terms]]\nterm = \"ｍｑｌ\"\ndefinition = \"b\"\n\n[[terms]]\nterm = \"棚卸 し\"\ndefinition = \"c\"\n"
                    .into(),
            },
        ];
        let site = crate::load::load_files(files, ".").site;
        let urls = Urls::new(&site, "/営業/");
        for t in ["MQL", "ｍｑｌ", "mql", "棚卸 し", "棚卸　し", "未登録"] {
            assert_eq!(urls.term(t), urls.term_url(t), "{t}");
        }
        assert_eq!(urls.term("MQL"), "/営業/glossary/#term-mql");
    }

    #[test]
    fn encodes_unicode_ids() {
        assert_eq!(
            encode("情シス課長"),
            "%E6%83%85%E3%82%B7%E3%82%B9%E8%AA%B2%E9%95%B7"
        );
        assert_eq!(encode("a-b_c"), "a-b_c");
        assert_eq!(encode("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn edit_urls_encode_japanese_names_and_keep_slashes() {
        assert_eq!(
            super::edit_url(
                "https://example.com/edit/main/{path}",
                "content/personas/情シス課長.md"
            ),
            "https://example.com/edit/main/content/personas/%E6%83%85%E3%82%B7%E3%82%B9%E8%AA%B2%E9%95%B7.md"
        );
        assert_eq!(
            super::edit_url("https://x/{path}?plain=1", "a b/c#d.md"),
            "https://x/a%20b/c%23d.md?plain=1"
        );
    }
}

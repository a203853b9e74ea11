//! The parsed files of a load put together into one [`Site`], then checked as a whole:
//! references between files resolved and coverage measured, side by side.

use std::collections::BTreeMap;

use super::parse::{Parsed, ParsedFiles};
use super::{Coverage, Loaded, coverage, resolve};
use crate::diagnostic::{Code, Diagnostics};
use crate::model::{Config, Site};
use crate::source::{FileId, Span};

/// One site of the parsed files, and every problem in it, sorted by place.
pub(super) fn assemble(files: ParsedFiles, skip_coverage: bool, lap: &dyn Fn(&str)) -> Loaded {
    let ParsedFiles {
        sources,
        diagnostics: mut d,
        known,
        parsed,
    } = files;
    let mut config = None;
    let mut site = Site {
        config: empty_config(),
        personas: BTreeMap::new(),
        journeys: BTreeMap::new(),
        departments: BTreeMap::new(),
        playbooks: BTreeMap::new(),
        quizzes: BTreeMap::new(),
        glossary: None,
        onboarding: None,
    };
    let mut all_links = Vec::new();
    for (item, diags, links) in parsed {
        d.extend((*diags).clone());
        all_links.push(links);
        match item {
            Parsed::Config(c, ok) => config = Some((*c, ok)),
            Parsed::Persona(p) => _ = site.personas.insert(p.id.clone(), p),
            Parsed::Journey(j) => _ = site.journeys.insert(j.id.clone(), j),
            Parsed::Department(x) => _ = site.departments.insert(x.id.clone(), x),
            Parsed::Playbook(p) => _ = site.playbooks.insert(p.id.clone(), p),
            Parsed::Quiz(q) => _ = site.quizzes.insert(q.id.clone(), q),
            Parsed::Glossary(g) => site.glossary = Some(g),
            Parsed::Onboarding(o) => site.onboarding = Some(o),
        }
    }
    let config_ok = match config {
        Some((c, ok)) => {
            site.config = c;
            ok
        }
        None => false,
    };
    // Files that could not be read at all get no coverage warnings: their gaps are not real.
    let unreadable: std::collections::BTreeSet<FileId> = d
        .iter()
        .filter(|x| {
            matches!(
                x.code,
                Code::InvalidUtf8
                    | Code::TomlSyntax
                    | Code::UnquotedKey
                    | Code::FrontMatterMissing
                    | Code::FrontMatterUnclosed
            )
        })
        .filter_map(|x| x.span.map(|s| s.file))
        .collect();
    lap("assembled");
    // References and coverage only read the site: they run side by side, and their
    // problems are added in the same order as if one ran after the other.
    let (resolved, (coverage, uncovered)) = rayon::join(
        || {
            let mut r = Diagnostics::default();
            resolve::resolve(
                &site,
                &known,
                config_ok,
                &unreadable,
                all_links.iter().flat_map(|l| l.iter()),
                &sources,
                &mut r,
            );
            if config_ok {
                super::method::check(&site, &mut r);
            }
            r
        },
        || {
            let mut c = Diagnostics::default();
            let coverage = if skip_coverage {
                Coverage::default()
            } else {
                coverage::measure(&site, &known, config_ok, &unreadable, &mut c)
            };
            (coverage, c)
        },
    );
    d.extend(resolved);
    d.extend(uncovered);
    lap("coverage");
    d.sort(&sources);
    lap("sorted");
    Loaded {
        site,
        sources,
        diagnostics: d,
        coverage,
    }
}

fn empty_config() -> Config {
    Config {
        title: crate::model::Spanned::new(String::new(), Span::file_start(FileId(0))),
        language: crate::model::Language::Ja,
        base_url: "/".into(),
        description: None,
        edit_url: None,
        review_days: None,
        phases: Vec::new(),
        stages: Vec::new(),
        rows: Vec::new(),
        roles: Vec::new(),
        frameworks: Vec::new(),
        history: None,
    }
}

//! The content files: personas, journeys, departments, playbooks, quizzes, glossary,
//! onboarding.

use unicode_normalization::UnicodeNormalization;

use super::{Id, Spanned, Upkeep};
use crate::source::{FileId, Span};

/// `content/personas/<id>.md`.
#[derive(Clone, Debug, PartialEq)]
pub struct Persona {
    pub id: Id,
    pub file: FileId,
    pub name: Spanned<String>,
    pub role: Option<Spanned<String>>,
    pub summary: Option<Spanned<String>>,
    pub company: Option<Spanned<String>>,
    pub goals: Vec<Spanned<String>>,
    pub concerns: Vec<Spanned<String>>,
    /// `owner` and `reviewed`.
    pub upkeep: Upkeep,
    /// Markdown after the front matter.
    pub body: Spanned<String>,
}

/// `content/journeys/<id>.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Journey {
    pub id: Id,
    pub file: FileId,
    pub persona: Spanned<Id>,
    pub name: Option<Spanned<String>>,
    /// `owner` and `reviewed`.
    pub upkeep: Upkeep,
    /// Stage tables in the order of the file; look up by stage id.
    pub stages: Vec<JourneyStage>,
}

impl Journey {
    pub fn stage(&self, id: &str) -> Option<&JourneyStage> {
        self.stages.iter().find(|s| s.stage.value.as_str() == id)
    }
}

/// One `[stages.<id>]` table of a journey.
#[derive(Clone, Debug, PartialEq)]
pub struct JourneyStage {
    pub stage: Spanned<Id>,
    pub cells: Vec<Cell>,
    pub experience: Option<Spanned<String>>,
    pub touchpoints: Vec<Spanned<String>>,
    pub emotion: Option<Spanned<i8>>,
    pub tasks: Vec<Task>,
    pub notes: Option<Spanned<String>>,
}

impl JourneyStage {
    pub fn cell(&self, row: &str) -> Option<&Cell> {
        self.cells.iter().find(|c| c.row.value.as_str() == row)
    }

    /// Whether the customer's side of this stage says nothing.
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(|c| c.text.value.trim().is_empty())
    }
}

/// One row's text in one stage: inline Markdown.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub row: Spanned<Id>,
    pub text: Spanned<String>,
}

/// Who does what at a stage.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    pub department: Spanned<Id>,
    pub task: Spanned<String>,
    pub kpi: Option<Spanned<String>>,
    /// The `[[stages.<id>.tasks]]` header.
    pub span: Span,
}

/// `content/departments/<id>.md`.
#[derive(Clone, Debug, PartialEq)]
pub struct Department {
    pub id: Id,
    pub file: FileId,
    pub name: Spanned<String>,
    pub clients: Vec<Spanned<Id>>,
    pub suppliers: Vec<Spanned<Id>>,
    pub kpis: Vec<Spanned<String>>,
    /// `owner` and `reviewed`.
    pub upkeep: Upkeep,
    pub body: Spanned<String>,
}

/// `content/playbooks/<id>.md`.
#[derive(Clone, Debug, PartialEq)]
pub struct Playbook {
    pub id: Id,
    pub file: FileId,
    pub title: Spanned<String>,
    /// The stages it is for, in the order written (`stage = "…"` is a list of one); never
    /// empty.
    pub stages: Vec<Spanned<Id>>,
    pub departments: Vec<Spanned<Id>>,
    /// The framework letters its questions cover, as written (`"meddic.e"`).
    pub qualifies: Vec<Spanned<String>>,
    /// Empty means every persona.
    pub personas: Vec<Spanned<Id>>,
    pub order: Option<Spanned<i64>>,
    /// `owner` and `reviewed`.
    pub upkeep: Upkeep,
    pub body: Spanned<String>,
}

impl Playbook {
    /// The first of its stages: where its page sits in the breadcrumbs.
    pub fn first_stage(&self) -> &Spanned<Id> {
        &self.stages[0]
    }

    /// Whether it is for this stage.
    pub fn is_for_stage(&self, stage: &Id) -> bool {
        self.stages.iter().any(|s| &s.value == stage)
    }

    /// Whether it applies to this persona (no `personas` = every persona).
    pub fn applies_to(&self, persona: &Id) -> bool {
        self.personas.is_empty() || self.personas.iter().any(|p| &p.value == persona)
    }
}

/// `content/quizzes/<id>.toml`: a knowledge check the reader takes in the browser.
#[derive(Clone, Debug, PartialEq)]
pub struct Quiz {
    pub id: Id,
    pub file: FileId,
    pub title: Spanned<String>,
    pub stage: Option<Spanned<Id>>,
    /// Empty means every persona.
    pub personas: Vec<Spanned<Id>>,
    pub questions: Vec<Question>,
}

impl Quiz {
    /// Whether it is listed for this persona (no `personas` = every persona).
    pub fn applies_to(&self, persona: &Id) -> bool {
        self.personas.is_empty() || self.personas.iter().any(|p| &p.value == persona)
    }
}

/// One `[[questions]]` entry of a quiz.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    /// Markdown.
    pub question: Spanned<String>,
    /// Inline Markdown each.
    pub choices: Vec<Spanned<String>>,
    /// 1-based, as written; 0 when absent (already reported).
    pub answer: Spanned<i64>,
    /// Markdown, shown after answering.
    pub explanation: Option<Spanned<String>>,
    /// The `[[questions]]` header.
    pub span: Span,
}

/// `content/glossary.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Glossary {
    pub file: FileId,
    /// In file order; sort with [`Term::sort_key`] for display.
    pub terms: Vec<Term>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub term: Spanned<String>,
    pub reading: Option<Spanned<String>>,
    pub definition: Spanned<String>,
    pub span: Span,
}

impl Term {
    /// What the glossary is sorted by: the reading when given, else the term.
    pub fn sort_key(&self) -> &str {
        self.reading
            .as_ref()
            .map_or(self.term.value.as_str(), |r| r.value.as_str())
    }
}

/// How glossary terms are keyed, and how links find them: case-insensitively, after NFC.
pub fn term_key(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.nfc().collect::<String>().to_lowercase()
    }
}

/// Text as words are matched regardless of how they were typed: NFKC (half-width kana and
/// full-width letters become their usual forms) and lower case. The search index and the
/// loader's "did you mean" both compare this form.
pub fn fold_width_and_case(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    // Most text (kanji, kana) is already NFKC: the quick check skips the work.
    if unicode_normalization::is_nfkc_quick(text.chars())
        == unicode_normalization::IsNormalized::Yes
    {
        return text.chars().flat_map(char::to_lowercase).collect();
    }
    text.nfkc().flat_map(char::to_lowercase).collect()
}

/// `content/onboarding.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Onboarding {
    pub file: FileId,
    pub title: Spanned<String>,
    pub steps: Vec<OnboardingStep>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OnboardingStep {
    pub title: Spanned<String>,
    pub pages: Vec<Spanned<PageRef>>,
    pub note: Option<Spanned<String>>,
    pub span: Span,
}

/// A page named in onboarding: `personas/ID`, `stages/ID`, …, or `glossary`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRef {
    pub kind: PageRefKind,
    pub id: Option<Id>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PageRefKind {
    Persona,
    Journey,
    Stage,
    Department,
    Playbook,
    Glossary,
    Quiz,
}

impl PageRefKind {
    /// The folder of the output (and the prefix in onboarding `pages`).
    pub fn folder(self) -> &'static str {
        match self {
            PageRefKind::Persona => "personas",
            PageRefKind::Journey => "journeys",
            PageRefKind::Stage => "stages",
            PageRefKind::Department => "departments",
            PageRefKind::Playbook => "playbooks",
            PageRefKind::Glossary => "glossary",
            PageRefKind::Quiz => "quizzes",
        }
    }

    /// The scheme of a Markdown link to this kind (`persona:ID`).
    pub fn link_scheme(self) -> &'static str {
        match self {
            PageRefKind::Persona => "persona",
            PageRefKind::Journey => "journey",
            PageRefKind::Stage => "stage",
            PageRefKind::Department => "department",
            PageRefKind::Playbook => "playbook",
            PageRefKind::Glossary => "glossary",
            PageRefKind::Quiz => "quiz",
        }
    }

    pub const ALL: [PageRefKind; 7] = [
        PageRefKind::Persona,
        PageRefKind::Journey,
        PageRefKind::Stage,
        PageRefKind::Department,
        PageRefKind::Playbook,
        PageRefKind::Glossary,
        PageRefKind::Quiz,
    ];

    pub fn from_folder(s: &str) -> Option<PageRefKind> {
        Self::ALL.into_iter().find(|k| k.folder() == s)
    }

    pub fn from_link_scheme(s: &str) -> Option<PageRefKind> {
        Self::ALL.into_iter().find(|k| k.link_scheme() == s)
    }

    /// A word for messages.
    pub fn noun(self) -> &'static str {
        match self {
            PageRefKind::Persona => "persona",
            PageRefKind::Journey => "journey",
            PageRefKind::Stage => "stage",
            PageRefKind::Department => "department",
            PageRefKind::Playbook => "playbook",
            PageRefKind::Glossary => "glossary term",
            PageRefKind::Quiz => "quiz",
        }
    }
}

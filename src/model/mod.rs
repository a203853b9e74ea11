//! The content model: everything a site says, validated, with the source span of every value.
//!
//! The model is what `render`, `diff` and `export` work from; none of them reads files. Lists
//! are kept in a deterministic order (configuration order for stages and rows, id order for
//! files) so that output never depends on the file system.

mod content;
mod id;
pub mod shape;
mod site;
mod upkeep;

pub use content::{
    Cell, Department, Glossary, Journey, JourneyStage, Onboarding, OnboardingStep, PageRef,
    PageRefKind, Persona, Playbook, Question, Quiz, Task, Term, fold_width_and_case, term_key,
};
pub use id::{Id, IdError, MAX_ID_BYTES, is_id_char};
pub use site::{Config, Framework, KeptPage, Language, Letter, Phase, Role, Row, Site, Stage};
pub use upkeep::{Date, LastChange, Sources, Upkeep};

use crate::source::Span;

/// A value and where it was written.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Spanned<T> {
        Spanned { value, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    /// Spans are where a value was written, not what it is: equal values are equal wherever
    /// they stand (a reformatted file means the same thing).
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// The names of the five kinds of content file, as used in links (`persona:ID`) and
/// onboarding pages (`personas/ID`).
pub const RESERVED_STAGE_KEYS: [&str; 5] =
    ["experience", "touchpoints", "emotion", "tasks", "notes"];

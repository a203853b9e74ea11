//! The catalogue of diagnostic codes.
//!
//! Codes are stable: scripts and CI configurations match on them, and `docs/format.md` lists
//! every one with an example. Add new ones; never rename. The code is the same whatever the
//! language of the message.

use serde::Serialize;

/// The enum, its string forms and the list of every code, from one table.
macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident => $text:literal,)+) => {
        /// What a diagnostic is about. The string form (`as_str`) is what users see.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        pub enum Code {
            $($(#[$doc])* $name,)+
        }

        impl Code {
            /// Every code, in the order of the catalogue.
            pub const ALL: &'static [Code] = &[$(Code::$name,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$name => $text,)+
                }
            }
        }
    };
}

codes! {
    // Reading files.
    InvalidUtf8 => "invalid-utf8",
    TomlSyntax => "toml-syntax",
    UnquotedKey => "unquoted-key",
    FrontMatterMissing => "front-matter-missing",
    FrontMatterUnclosed => "front-matter-unclosed",
    IgnoredFile => "ignored-file",
    SymlinkSkipped => "symlink-skipped",
    // Shape of a file.
    MissingField => "missing-field",
    WrongType => "wrong-type",
    UnknownKey => "unknown-key",
    InvalidValue => "invalid-value",
    InvalidId => "invalid-id",
    DuplicateId => "duplicate-id",
    CaseClash => "case-clash",
    ReservedRowId => "reserved-row-id",
    EmotionRange => "emotion-range",
    AnswerOutOfRange => "answer-out-of-range",
    TooFewChoices => "too-few-choices",
    DuplicateQuestion => "duplicate-question",
    // References between files.
    UnknownReference => "unknown-reference",
    BrokenLink => "broken-link",
    UnknownLinkKind => "unknown-link-kind",
    OneSidedRelation => "one-sided-relation",
    // Coverage (warnings).
    StageWithoutOwner => "stage-without-owner",
    StageWithoutPlaybook => "stage-without-playbook",
    JourneyGaps => "journey-gaps",
    TaskWithoutKpi => "task-without-kpi",
    DepartmentWithoutTasks => "department-without-tasks",
    PersonaWithoutJourney => "persona-without-journey",
    LetterUncovered => "letter-uncovered",
    ReviewOverdue => "review-overdue",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

//! The catalogue of diagnostic codes.
//!
//! Codes are stable: scripts and CI configurations match on them, and `docs/format.md` lists
//! every one with an example. Add new ones; never rename.

use serde::Serialize;

/// What a diagnostic is about. The string form (`as_str`) is what users see.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    // Reading files.
    InvalidUtf8,
    TomlSyntax,
    UnquotedKey,
    FrontMatterMissing,
    FrontMatterUnclosed,
    IgnoredFile,
    SymlinkSkipped,
    // Shape of a file.
    MissingField,
    WrongType,
    UnknownKey,
    InvalidValue,
    InvalidId,
    DuplicateId,
    CaseClash,
    ReservedRowId,
    EmotionRange,
    AnswerOutOfRange,
    TooFewChoices,
    DuplicateQuestion,
    // References between files.
    UnknownReference,
    BrokenLink,
    UnknownLinkKind,
    OneSidedRelation,
    // Coverage (warnings).
    StageWithoutOwner,
    StageWithoutPlaybook,
    JourneyGaps,
    TaskWithoutKpi,
    DepartmentWithoutTasks,
    PersonaWithoutJourney,
    LetterUncovered,
    ReviewOverdue,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidUtf8 => "invalid-utf8",
            Code::TomlSyntax => "toml-syntax",
            Code::UnquotedKey => "unquoted-key",
            Code::FrontMatterMissing => "front-matter-missing",
            Code::FrontMatterUnclosed => "front-matter-unclosed",
            Code::IgnoredFile => "ignored-file",
            Code::SymlinkSkipped => "symlink-skipped",
            Code::MissingField => "missing-field",
            Code::WrongType => "wrong-type",
            Code::UnknownKey => "unknown-key",
            Code::InvalidValue => "invalid-value",
            Code::InvalidId => "invalid-id",
            Code::DuplicateId => "duplicate-id",
            Code::CaseClash => "case-clash",
            Code::ReservedRowId => "reserved-row-id",
            Code::EmotionRange => "emotion-range",
            Code::AnswerOutOfRange => "answer-out-of-range",
            Code::TooFewChoices => "too-few-choices",
            Code::DuplicateQuestion => "duplicate-question",
            Code::UnknownReference => "unknown-reference",
            Code::BrokenLink => "broken-link",
            Code::UnknownLinkKind => "unknown-link-kind",
            Code::OneSidedRelation => "one-sided-relation",
            Code::StageWithoutOwner => "stage-without-owner",
            Code::StageWithoutPlaybook => "stage-without-playbook",
            Code::JourneyGaps => "journey-gaps",
            Code::TaskWithoutKpi => "task-without-kpi",
            Code::DepartmentWithoutTasks => "department-without-tasks",
            Code::PersonaWithoutJourney => "persona-without-journey",
            Code::LetterUncovered => "letter-uncovered",
            Code::ReviewOverdue => "review-overdue",
        }
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

//! What changed, as data: one [`Change`] per thing a reader should know about. Renderers
//! (text, Markdown, JSON, HTML) only format these.

use serde::Serialize;

/// A named thing: an id and its display name at the time.
#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Named {
    pub id: String,
    pub name: String,
}

/// One piece of a word-level diff.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Piece {
    /// `equal`, `delete` or `insert`.
    pub op: &'static str,
    pub text: String,
}

/// One change. `kind` says what happened (`journey.cell.changed`, `task.moved`, …; listed
/// in docs/review.md); the other fields give its context, where they apply.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Change {
    pub kind: &'static str,
    /// The area it belongs to: site, stages, personas, journeys, departments, playbooks,
    /// quizzes, glossary, onboarding. Renderers group by it.
    pub area: &'static str,
    /// What changed (the persona, journey, stage, department, playbook or term).
    pub subject: Named,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persona: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<Named>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<Named>,
    /// The task concerned, for a task whose department or KPI changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task: Option<String>,
    /// The quiz question concerned: `question-N` (counted from 1 in its quiz) and its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<Named>,
    /// The field that changed (`summary`, `kpi`, `owner`, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new: Option<String>,
    /// Word-level differences between `old` and `new` (for texts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<Piece>,
    /// Departments that must learn of this change (they own the task, the stage, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub departments: Vec<String>,
}

impl Change {
    pub fn new(kind: &'static str, area: &'static str, subject: Named) -> Change {
        Change {
            kind,
            area,
            subject,
            persona: None,
            stage: None,
            row: None,
            department: None,
            task: None,
            question: None,
            field: None,
            old: None,
            new: None,
            words: Vec::new(),
            departments: Vec::new(),
        }
    }

    pub fn field(mut self, f: &'static str) -> Change {
        self.field = Some(f);
        self
    }

    pub fn values(mut self, old: Option<String>, new: Option<String>) -> Change {
        if let (Some(o), Some(n)) = (&old, &new) {
            self.words = super::words::diff(o, n);
        }
        self.old = old;
        self.new = new;
        self
    }

    pub fn notify(mut self, dept: &str) -> Change {
        self.notify_mut(dept);
        self
    }

    pub fn notify_mut(&mut self, dept: &str) {
        if !dept.is_empty() && !self.departments.iter().any(|d| d == dept) {
            self.departments.push(dept.to_string());
        }
    }
}

/// What one department must learn: the changes that concern it, by kind.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct DepartmentSummary {
    pub department: Named,
    pub tasks_gained: usize,
    pub tasks_lost: usize,
    pub tasks_changed: usize,
    pub other_changes: usize,
    /// Indexes into the list of changes.
    pub changes: Vec<usize>,
}

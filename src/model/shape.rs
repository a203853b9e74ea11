//! The shape of every file kind: its fields, their types, which are required, and what they
//! mean. The loader reads files against these tables (a key not listed is an unknown key;
//! a listed key the loader never reads fails its tests), and `tabiji schema` turns the same
//! tables into JSON Schemas, so the editor's view and tabiji's cannot drift apart.

/// The type of a field as written in TOML.
#[derive(Clone, Copy, Debug)]
pub enum FieldType {
    /// A string (plain text, or Markdown where `markdown` is set).
    Text { markdown: bool },
    /// A string naming an id (of this kind or another).
    Id,
    /// An array of ids.
    IdList,
    /// An array of strings.
    TextList,
    /// An array of at least this many strings (a quiz question's choices).
    TextListMin(u64),
    /// An integer, with optional bounds.
    Integer { min: Option<i64>, max: Option<i64> },
    /// A number (integer or float), with bounds: `min` excluded, `max` included.
    Number { min: f64, max: f64 },
    /// A TOML local date (`2026-10-01`, no quotes).
    Date,
    /// One of a fixed set of strings.
    Enum(&'static [&'static str]),
    /// A table of tables keyed by id (`[stages.<id>]`).
    Map(&'static Shape),
    /// An array of tables (`[[stages]]`).
    Tables(&'static Shape),
    /// One table of fixed fields (`[history]`).
    Table(&'static Shape),
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub required: bool,
    pub doc: &'static str,
}

/// The fields of one kind of table.
#[derive(Debug)]
pub struct Shape {
    /// What the table is, for messages and schemas: "persona front matter".
    pub title: &'static str,
    /// The same in Japanese: 「ペルソナのフロントマター」. It ends with a space when it
    /// ends in ASCII (`tabiji.toml `), so that a particle can follow it in a message.
    pub title_ja: &'static str,
    pub fields: &'static [Field],
    /// Other keys allowed, with this type (a journey stage's row ids).
    pub extra: Option<FieldType>,
}

impl Shape {
    /// What the table is, in both languages, for messages.
    pub fn what(&self) -> crate::i18n::Text {
        crate::i18n::Text::new(self.title.into(), self.title_ja.into())
    }

    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.fields.iter().map(|f| f.name)
    }

    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f.name == name)
    }
}

const fn req(name: &'static str, ty: FieldType, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        doc,
    }
}

const fn opt(name: &'static str, ty: FieldType, doc: &'static str) -> Field {
    Field {
        name,
        ty,
        required: false,
        doc,
    }
}

const TEXT: FieldType = FieldType::Text { markdown: false };
const MARKDOWN: FieldType = FieldType::Text { markdown: true };

pub static PHASE: Shape = Shape {
    title: "a `[[phases]]` entry",
    title_ja: "`[[phases]]` の項目",
    fields: &[
        req(
            "id",
            FieldType::Id,
            "The phase's id, referred to by stages' `phase`.",
        ),
        req("name", TEXT, "Display name, e.g. リード."),
    ],
    extra: None,
};

pub static STAGE: Shape = Shape {
    title: "a `[[stages]]` entry",
    title_ja: "`[[stages]]` の項目",
    fields: &[
        req(
            "id",
            FieldType::Id,
            "The stage's id: keys of journeys' `[stages.<id>]`, playbooks' `stage`.",
        ),
        req("name", TEXT, "Display name, e.g. 検討."),
        opt(
            "summary",
            TEXT,
            "One line: the customer's state at this stage.",
        ),
        opt("phase", FieldType::Id, "The id of a declared phase."),
        opt(
            "owner",
            FieldType::Id,
            "The department that moves customers out of this stage.",
        ),
        opt(
            "conversion",
            FieldType::Number { min: 0.0, max: 1.0 },
            "The target share (0 < x ≤ 1) of customers moving on to the next stage.",
        ),
        opt(
            "recycle_to",
            FieldType::Id,
            "An earlier stage where customers who stall or are lost here go back to.",
        ),
    ],
    extra: None,
};

pub static ROLE: Shape = Shape {
    title: "a `[[roles]]` entry",
    title_ja: "`[[roles]]` の項目",
    fields: &[
        req(
            "id",
            FieldType::Id,
            "The role's id, which personas' `role` names.",
        ),
        req("name", TEXT, "Display name, e.g. 決裁者."),
    ],
    extra: None,
};

pub static LETTER: Shape = Shape {
    title: "a letter of a framework",
    title_ja: "フレームワークの `letters` の項目",
    fields: &[
        req("id", FieldType::Id, "The letter's id, e.g. `m`."),
        req("name", TEXT, "What it stands for, e.g. Metrics."),
    ],
    extra: None,
};

pub static FRAMEWORK: Shape = Shape {
    title: "a `[[frameworks]]` entry",
    title_ja: "`[[frameworks]]` の項目",
    fields: &[
        req("id", FieldType::Id, "The framework's id, e.g. `meddic`."),
        req("name", TEXT, "Display name, e.g. MEDDIC."),
        req(
            "letters",
            FieldType::Tables(&LETTER),
            "Its letters in order: `[{ id = \"m\", name = \"Metrics\" }, …]`.",
        ),
    ],
    extra: None,
};

pub static ROW: Shape = Shape {
    title: "a `[[rows]]` entry",
    title_ja: "`[[rows]]` の項目",
    fields: &[
        req(
            "id",
            FieldType::Id,
            "The row's id: the keys inside journeys' stage tables.",
        ),
        req("name", TEXT, "Display name, e.g. 課題."),
        opt("description", TEXT, "What this row records."),
    ],
    extra: None,
};

pub static CONFIG: Shape = Shape {
    title: "tabiji.toml",
    title_ja: "tabiji.toml ",
    fields: &[
        req("title", TEXT, "The site's title."),
        opt(
            "language",
            FieldType::Enum(&["ja", "en"]),
            "Built-in labels and <html lang>: \"ja\" (default) or \"en\".",
        ),
        opt(
            "base_url",
            TEXT,
            "Prefix of every link: \"/\" (default), or \"/sales/\" under a sub-path.",
        ),
        opt(
            "description",
            TEXT,
            "One or two sentences for the home page.",
        ),
        opt(
            "edit_url",
            TEXT,
            "\"Edit this page\" link of every page built from a file; {path} = the file's path in the repository.",
        ),
        opt(
            "review_days",
            FieldType::Integer {
                min: Some(1),
                max: None,
            },
            "A page reviewed longer ago than this many days is marked \"needs review\".",
        ),
        opt(
            "phases",
            FieldType::Tables(&PHASE),
            "Groups of stages, e.g. lead / prospect / customer.",
        ),
        req(
            "stages",
            FieldType::Tables(&STAGE),
            "The customer's stages, in column order.",
        ),
        opt(
            "roles",
            FieldType::Tables(&ROLE),
            "The buying group's roles; once declared, personas' `role` must name one.",
        ),
        opt(
            "frameworks",
            FieldType::Tables(&FRAMEWORK),
            "Qualification frameworks (BANT, MEDDIC, …) and their letters.",
        ),
        req(
            "rows",
            FieldType::Tables(&ROW),
            "The rows of every journey table, in order.",
        ),
        opt(
            "history",
            FieldType::Table(&HISTORY),
            "A \"What changed\" page built from the site's git history.",
        ),
    ],
    extra: None,
};

pub static HISTORY: Shape = Shape {
    title: "`[history]`",
    title_ja: "`[history]` ",
    fields: &[req(
        "commits",
        FieldType::Integer {
            min: Some(1),
            max: Some(1000),
        },
        "How many of the latest commits that changed the site to cover.",
    )],
    extra: None,
};

pub static PERSONA: Shape = Shape {
    title: "persona front matter",
    title_ja: "ペルソナのフロントマター",
    fields: &[
        req(
            "name",
            TEXT,
            "The persona's name, e.g. 情報システム部 課長.",
        ),
        opt(
            "role",
            TEXT,
            "Place in the buying group (DMU): decision-maker, champion, user, …",
        ),
        opt("summary", TEXT, "One line."),
        opt("company", TEXT, "Industry / size / organisation type."),
        opt("goals", FieldType::TextList, "What they want to achieve."),
        opt("concerns", FieldType::TextList, "What worries them."),
        opt(
            "owner",
            FieldType::Id,
            "The department that keeps this page true (a department id).",
        ),
        opt(
            "reviewed",
            FieldType::Date,
            "When the owner last checked this page against reality (a TOML date, 2026-10-01).",
        ),
    ],
    extra: None,
};

pub static TASK: Shape = Shape {
    title: "a task",
    title_ja: "タスク",
    fields: &[
        req(
            "department",
            FieldType::Id,
            "The department that owns the task.",
        ),
        req(
            "task",
            MARKDOWN,
            "What the department does (inline Markdown).",
        ),
        opt("kpi", MARKDOWN, "How the department knows it is done well."),
    ],
    extra: None,
};

pub static JOURNEY_STAGE: Shape = Shape {
    title: "a journey stage",
    title_ja: "ジャーニーのステージ",
    fields: &[
        opt(
            "experience",
            MARKDOWN,
            "The customer experience to deliver (提供すべき顧客体験).",
        ),
        opt(
            "touchpoints",
            FieldType::TextList,
            "Contact points (コンタクトポイント).",
        ),
        opt(
            "emotion",
            FieldType::Integer {
                min: Some(-2),
                max: Some(2),
            },
            "The emotion curve: -2 (very negative) to 2 (very positive).",
        ),
        opt("notes", MARKDOWN, "Notes for the seller (inline Markdown)."),
        opt(
            "tasks",
            FieldType::Tables(&TASK),
            "Who does what at this stage.",
        ),
    ],
    // Every other key is a row id of tabiji.toml, with inline Markdown.
    extra: Some(MARKDOWN),
};

pub static JOURNEY: Shape = Shape {
    title: "a journey",
    title_ja: "ジャーニー",
    fields: &[
        req(
            "persona",
            FieldType::Id,
            "The persona whose journey this is.",
        ),
        opt("name", TEXT, "Defaults to the persona's name."),
        opt(
            "owner",
            FieldType::Id,
            "The department that keeps this page true (a department id).",
        ),
        opt(
            "reviewed",
            FieldType::Date,
            "When the owner last checked this page against reality (a TOML date, 2026-10-01).",
        ),
        opt(
            "stages",
            FieldType::Map(&JOURNEY_STAGE),
            "One table per stage id; a missing stage shows as empty.",
        ),
    ],
    extra: None,
};

pub static DEPARTMENT: Shape = Shape {
    title: "department front matter",
    title_ja: "部門のフロントマター",
    fields: &[
        req("name", TEXT, "The department's name."),
        opt(
            "clients",
            FieldType::IdList,
            "Departments this department serves.",
        ),
        opt("suppliers", FieldType::IdList, "Departments that serve it."),
        opt("kpis", FieldType::TextList, "Its KPIs, e.g. MQL 月120件."),
        opt(
            "owner",
            FieldType::Id,
            "The department that keeps this page true (a department id).",
        ),
        opt(
            "reviewed",
            FieldType::Date,
            "When the owner last checked this page against reality (a TOML date, 2026-10-01).",
        ),
    ],
    extra: None,
};

pub static PLAYBOOK: Shape = Shape {
    title: "playbook front matter",
    title_ja: "プレイブックのフロントマター",
    fields: &[
        req("title", TEXT, "The playbook's title."),
        opt(
            "stage",
            FieldType::Id,
            "The stage it is for (required, unless `stages` is given).",
        ),
        opt(
            "stages",
            FieldType::IdList,
            "The stages it is for, when it is used at several (instead of `stage`).",
        ),
        opt("departments", FieldType::IdList, "Departments it is for."),
        opt(
            "qualifies",
            FieldType::TextList,
            "Framework letters its questions cover: `\"meddic.e\"`, `\"bant.b\"`.",
        ),
        opt(
            "personas",
            FieldType::IdList,
            "Personas it applies to; absent = every persona.",
        ),
        opt(
            "order",
            FieldType::Integer {
                min: None,
                max: None,
            },
            "Sort key within the stage.",
        ),
        opt(
            "owner",
            FieldType::Id,
            "The department that keeps this page true (a department id).",
        ),
        opt(
            "reviewed",
            FieldType::Date,
            "When the owner last checked this page against reality (a TOML date, 2026-10-01).",
        ),
    ],
    extra: None,
};

pub static TERM: Shape = Shape {
    title: "a `[[terms]]` entry",
    title_ja: "`[[terms]]` の項目",
    fields: &[
        req("term", TEXT, "The term, as `glossary:` links name it."),
        opt(
            "reading",
            TEXT,
            "Sort key (for Japanese, the reading in kana).",
        ),
        req("definition", MARKDOWN, "What it means (Markdown)."),
    ],
    extra: None,
};

pub static GLOSSARY: Shape = Shape {
    title: "glossary.toml",
    title_ja: "用語集（glossary.toml）",
    fields: &[opt("terms", FieldType::Tables(&TERM), "The terms.")],
    extra: None,
};

pub static STEP: Shape = Shape {
    title: "a `[[steps]]` entry",
    title_ja: "`[[steps]]` の項目",
    fields: &[
        req("title", TEXT, "The step's title."),
        opt(
            "pages",
            FieldType::TextList,
            "Pages: personas/ID, journeys/ID, stages/ID, departments/ID, playbooks/ID or glossary.",
        ),
        opt("note", MARKDOWN, "What to look for (Markdown)."),
    ],
    extra: None,
};

pub static ONBOARDING: Shape = Shape {
    title: "onboarding.toml",
    title_ja: "オンボーディング（onboarding.toml）",
    fields: &[
        req("title", TEXT, "The path's title."),
        opt("steps", FieldType::Tables(&STEP), "The steps, in order."),
    ],
    extra: None,
};

pub static QUESTION: Shape = Shape {
    title: "a `[[questions]]` entry",
    title_ja: "`[[questions]]` の項目",
    fields: &[
        req("question", MARKDOWN, "The question (Markdown)."),
        req(
            "choices",
            FieldType::TextListMin(2),
            "The choices, at least two (inline Markdown each).",
        ),
        req(
            "answer",
            FieldType::Integer {
                min: Some(1),
                max: None,
            },
            "The right choice: 1 is the first of `choices`.",
        ),
        opt(
            "explanation",
            MARKDOWN,
            "Shown after answering: why that choice is right (Markdown).",
        ),
    ],
    extra: None,
};

pub static QUIZ: Shape = Shape {
    title: "a quiz",
    title_ja: "クイズ",
    fields: &[
        req("title", TEXT, "The quiz's title."),
        opt(
            "stage",
            FieldType::Id,
            "The stage it checks (its page lists it).",
        ),
        opt(
            "personas",
            FieldType::IdList,
            "Personas it is about; absent = every persona.",
        ),
        opt(
            "questions",
            FieldType::Tables(&QUESTION),
            "The questions, in order.",
        ),
    ],
    extra: None,
};

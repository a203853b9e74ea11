//! `tabiji import`: a journey grid that a team already keeps in Excel or CSV becomes a
//! journey file, so that nobody retypes a map to start using tabiji.
//!
//! `read` turns a file into sheets of text, `grid` finds the grid in a sheet and maps its
//! labels to the site's stages and rows, `toml_out` writes the journey file. Nothing is
//! written unless every label was placed, and an existing file is never replaced.

mod grid;
mod read;
mod toml_out;

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

pub use grid::{Grid, StageCells, norm};
pub use read::{Encoding, Sheet};

use crate::model::{Id, Site, is_id_char};

/// What to import, as given on the command line.
#[derive(Debug)]
pub struct ImportOptions {
    pub file: PathBuf,
    pub site_dir: PathBuf,
    pub persona: Option<String>,
    pub id: Option<String>,
    pub sheet: Option<String>,
    pub encoding: Option<Encoding>,
}

/// A journey written by an import.
#[derive(Debug)]
pub struct Imported {
    pub path: PathBuf,
    pub id: String,
    pub persona: String,
    /// Where the grid was: `grid.xlsx!Sheet1` or `grid.csv`.
    pub from: String,
    pub stages: usize,
}

/// A cell of the imported file, shown as `grid.xlsx!Sheet1!E3` (`grid.csv!E3` for CSV).
#[derive(Clone, Debug, PartialEq)]
pub struct CellRef {
    pub file: String,
    pub sheet: Option<String>,
    /// 0-based; `None` for the sheet as a whole.
    pub cell: Option<(usize, usize)>,
}

impl CellRef {
    pub fn sheet_only(&self) -> CellRef {
        CellRef {
            cell: None,
            ..self.clone()
        }
    }
}

/// `A` for column 0, `Z` for 25, `AA` for 26.
pub fn column_name(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

impl fmt::Display for CellRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, "!{s}")?;
        }
        if let Some((r, c)) = self.cell {
            write!(f, "!{}{}", column_name(c), r + 1)?;
        }
        Ok(())
    }
}

/// Names listed in each language's way: `a, b` and `a、b`.
fn list(v: &[String]) -> crate::i18n::Text {
    crate::i18n::Text::list(v.iter().map(crate::i18n::Text::verbatim))
}

/// Personas as `id (name)` and `id（name）`.
fn persona_list(v: &[(String, String)]) -> crate::i18n::Text {
    crate::i18n::Text::list(v.iter().map(|(id, name)| {
        crate::i18n::Text::new(format!("{id} ({name})"), format!("{id}（{name}）"))
    }))
}

/// Why an import wrote nothing. [`ImportError::exit_status`] follows the contract: 1 for
/// what the spreadsheet says, 2 for usage and files.
#[derive(Debug)]
pub enum ImportError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    FileType(PathBuf),
    Password(PathBuf),
    Broken {
        path: PathBuf,
        reason: String,
    },
    Encoding {
        path: PathBuf,
        encoding: Encoding,
    },
    NoSheet {
        file: String,
        sheet: String,
        sheets: Vec<String>,
    },
    NoGrid {
        sheet: CellRef,
        stages: Vec<String>,
    },
    UnknownStage {
        at: CellRef,
        label: String,
        known: Vec<String>,
    },
    DuplicateStage {
        at: CellRef,
        /// Where it appeared first, e.g. `B3`.
        first: String,
        label: String,
    },
    UnknownRow {
        at: CellRef,
        label: String,
        known: Vec<String>,
    },
    NoLabel {
        at: CellRef,
    },
    Emotion {
        at: CellRef,
        value: String,
        words: Vec<String>,
    },
    NoPersona {
        from: String,
        reason: crate::i18n::Text,
        /// Each persona's id and name.
        personas: Vec<(String, String)>,
    },
    UnknownPersona {
        given: String,
        /// Each persona's id and name.
        personas: Vec<(String, String)>,
    },
    BadId(String, crate::model::IdError),
    Exists(PathBuf),
}

impl crate::i18n::Localized for ImportError {
    fn text(&self) -> crate::i18n::Text {
        use crate::t;
        match self {
            ImportError::Io { path, source } => crate::i18n::cannot_read(path, source),
            ImportError::FileType(p) => {
                let p = p.display();
                t!(
                    "{p}: not a spreadsheet tabiji reads; use an .xlsx or a .csv file",
                    "{p}: tabiji が読める表計算ファイルではありません。.xlsx か .csv のファイルを指定してください"
                )
            }
            ImportError::Password(p) => {
                let p = p.display();
                t!(
                    "{p} is password-protected: save a copy without a password (File > Info > Protect Workbook) and import that",
                    "{p} はパスワードで保護されています。パスワードなしのコピーを保存して（ファイル > 情報 > ブックの保護）、そちらを取り込んでください"
                )
            }
            ImportError::Broken { path, reason } => {
                let p = path.display();
                t!(
                    "{p} is not a readable workbook ({reason}); open it in Excel and save it again as .xlsx",
                    "{p} はブックとして読めません（{reason}）。Excel で開き、.xlsx として保存し直してください"
                )
            }
            ImportError::Encoding { path, encoding } => {
                let p = path.display();
                let (name, flag) = (enc_name(*encoding), enc_flag(*encoding));
                t!(
                    "{p} is not valid {name}; save it as UTF-8 CSV, or say --encoding {flag}",
                    "{p} は正しい {name} ではありません。「CSV UTF-8」形式で保存し直すか、--encoding {flag} を指定してください";
                    name = name
                )
            }
            ImportError::NoSheet {
                file,
                sheet,
                sheets,
            } => {
                let sheets = list(sheets);
                t!(
                    "{file} has no sheet `{sheet}`; its sheets: {sheets}",
                    "{file} にシート `{sheet}` はありません。このファイルのシート: {sheets}";
                    sheets = sheets
                )
            }
            ImportError::NoGrid { sheet, stages } => {
                let stages = list(stages);
                t!(
                    "{sheet}: no journey grid: no row names the site's stages ({stages}) with row labels to its left",
                    "{sheet}: ジャーニーの表が見つかりません。サイトのステージ（{stages}）を並べた行と、その左の行ラベルが必要です";
                    stages = stages
                )
            }
            ImportError::UnknownStage { at, label, known } => {
                let known = list(known);
                t!(
                    "{at}: unknown stage `{label}`; the site's stages, in column order: {known}",
                    "{at}: `{label}` というステージはありません。サイトのステージ（列の順）: {known}";
                    known = known
                )
            }
            ImportError::DuplicateStage { at, first, label } => t!(
                "{at}: stage `{label}` appears twice (first at {first}); each stage may have one column",
                "{at}: ステージ `{label}` が 2 回出てきます（最初は {first}）。1 つのステージに使える列は 1 つです"
            ),
            ImportError::UnknownRow { at, label, known } => {
                let known = list(known);
                t!(
                    "{at}: unknown row `{label}`; the labels a grid may have, in order: {known}",
                    "{at}: `{label}` という行はありません。使える行ラベル（順に）: {known}";
                    known = known
                )
            }
            ImportError::NoLabel { at } => t!(
                "{at}: this row has cells but no label in its first column",
                "{at}: この行には値がありますが、先頭の列に行ラベルがありません"
            ),
            ImportError::Emotion { at, value, words } => {
                let words = list(words);
                t!(
                    "{at}: emotion `{value}` is neither a whole number from -2 to 2 nor one of: {words}",
                    "{at}: 感情 `{value}` は -2 から 2 の整数でも、次のどれでもありません: {words}";
                    words = words
                )
            }
            ImportError::NoPersona {
                from,
                reason,
                personas,
            } => {
                let personas = persona_list(personas);
                t!(
                    "{from}: {reason}; say which with --persona ID. The site's personas: {personas}",
                    "{from}: {reason}。--persona ID でどのペルソナかを指定してください。サイトのペルソナ: {personas}";
                    reason = reason,
                    personas = personas
                )
            }
            ImportError::UnknownPersona { given, personas } => {
                let personas = persona_list(personas);
                t!(
                    "--persona `{given}` is not a persona of this site; its personas: {personas}",
                    "--persona `{given}` はこのサイトのペルソナではありません。サイトのペルソナ: {personas}";
                    personas = personas
                )
            }
            ImportError::BadId(id, e) => t!(
                "`{id}` cannot be a journey id ({why}); choose one with --id (letters, digits, - and _)",
                "`{id}` はジャーニーの ID にできません（{why}）。--id で指定してください（文字・数字・- と _）";
                why = crate::i18n::Localized::text(e)
            ),
            ImportError::Exists(p) => {
                let p = p.display();
                t!(
                    "{p} already exists: import never overwrites; choose another id with --id, or delete the file first",
                    "{p} はすでにあります。import は上書きしません。--id で別の ID を指定するか、先にファイルを削除してください"
                )
            }
        }
    }
}
crate::localized_error!(ImportError);

fn enc_name(e: Encoding) -> crate::i18n::Text {
    match e {
        Encoding::Utf8 => crate::t!("UTF-8", "UTF-8"),
        Encoding::ShiftJis => crate::t!(
            "UTF-8 or Shift_JIS (CP932)",
            "UTF-8 または Shift_JIS（CP932）"
        ),
    }
}

fn enc_flag(e: Encoding) -> &'static str {
    match e {
        Encoding::Utf8 => "shift-jis",
        Encoding::ShiftJis => "utf-8",
    }
}

impl ImportError {
    /// 1: the spreadsheet's content cannot become a journey; 2: usage or files.
    pub fn exit_status(&self) -> u8 {
        use ImportError::*;
        match self {
            NoGrid { .. }
            | UnknownStage { .. }
            | DuplicateStage { .. }
            | UnknownRow { .. }
            | NoLabel { .. }
            | Emotion { .. }
            | NoPersona { .. } => 1,
            Io { .. }
            | FileType(_)
            | Password(_)
            | Broken { .. }
            | Encoding { .. }
            | NoSheet { .. }
            | UnknownPersona { .. }
            | BadId(..)
            | Exists(_) => 2,
        }
    }
}

fn personas_list(site: &Site) -> Vec<(String, String)> {
    site.personas
        .values()
        .map(|p| (p.id.to_string(), p.name.value.clone()))
        .collect()
}

/// The persona a title cell names, by name or id (the longest match wins).
fn persona_of_titles(site: &Site, titles: &[String]) -> Result<Id, crate::i18n::Text> {
    let titles: Vec<String> = titles.iter().map(|t| norm(t)).collect();
    let mut best: Vec<(&Id, usize)> = Vec::new();
    for p in site.personas.values() {
        let len = [norm(&p.name.value), norm(p.id.as_str())]
            .into_iter()
            .filter(|n| n.chars().count() >= 2 && titles.iter().any(|t| t.contains(n.as_str())))
            .map(|n| n.chars().count())
            .max();
        if let Some(len) = len {
            best.push((&p.id, len));
        }
    }
    let max = best.iter().map(|b| b.1).max();
    let top: Vec<&Id> = best
        .iter()
        .filter(|b| Some(b.1) == max)
        .map(|b| b.0)
        .collect();
    match top.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(crate::t!(
            "no title cell above the grid names a persona",
            "表の上のタイトルのセルにペルソナの名前がありません"
        )),
        many => {
            let names = many
                .iter()
                .map(|i| i.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            Err(crate::t!(
                "the title cells name several personas ({names})",
                "タイトルのセルに複数のペルソナの名前があります（{names}）"
            ))
        }
    }
}

/// The journey name from a title cell `ジャーニー: …` / `Journey: …` (the xlsx export writes it).
fn name_of_titles(titles: &[String]) -> Option<String> {
    titles.iter().find_map(|t| {
        let n = norm(t);
        if n.starts_with("ジャーニー:") || n.starts_with("journey:") {
            let colon = t.find([':', '：'])?;
            let rest = t[colon..].trim_start_matches([':', '：']).trim();
            (!rest.is_empty()).then(|| rest.to_string())
        } else {
            None
        }
    })
}

/// `<persona>-<file stem>`, the stem reduced to id characters (`-` for the others).
pub fn default_id(persona: &str, file: &Path) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug: String = stem
        .chars()
        .map(|c| if is_id_char(c) { c } else { '-' })
        .collect();
    let slug = slug
        .split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() { "imported" } else { &slug };
    format!("{persona}-{slug}")
}

/// Read `opts.file`, find its grid and write the journey into the site. Nothing is written
/// on any error.
pub fn run(site: &Site, opts: &ImportOptions) -> Result<Imported, ImportError> {
    let file_name = opts.file.file_name().map_or_else(
        || opts.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let sheets = read::read(&opts.file, opts.encoding)?;
    let sheet = match &opts.sheet {
        Some(name) => sheets
            .iter()
            .find(|s| s.name.as_deref() == Some(name.as_str()))
            .ok_or_else(|| ImportError::NoSheet {
                file: file_name.clone(),
                sheet: name.clone(),
                sheets: sheets.iter().filter_map(|s| s.name.clone()).collect(),
            })?,
        None => sheets
            .iter()
            .find(|s| grid::has_grid(site, s))
            .or(sheets.first())
            .ok_or_else(|| ImportError::NoGrid {
                sheet: CellRef {
                    file: file_name.clone(),
                    sheet: None,
                    cell: None,
                },
                stages: grid::known_stages(site),
            })?,
    };
    let at = |r: usize, c: usize| CellRef {
        file: file_name.clone(),
        sheet: sheet.name.clone(),
        cell: Some((r, c)),
    };
    let grid = grid::read_grid(site, sheet, &at)?;
    let from = at(0, 0).sheet_only().to_string();
    let persona = match &opts.persona {
        Some(p) => {
            let id = Id::lookup(p.trim());
            let found = site.personas.get(&id).map(|p| p.id.clone()).or_else(|| {
                site.personas
                    .values()
                    .find(|x| norm(&x.name.value) == norm(p))
                    .map(|x| x.id.clone())
            });
            found.ok_or_else(|| ImportError::UnknownPersona {
                given: p.clone(),
                personas: personas_list(site),
            })?
        }
        None => persona_of_titles(site, &grid.titles).map_err(|reason| ImportError::NoPersona {
            from: from.clone(),
            reason,
            personas: personas_list(site),
        })?,
    };
    let persona_name = site.personas.get(&persona).map(|p| p.name.value.clone());
    let name = name_of_titles(&grid.titles).filter(|n| Some(n) != persona_name.as_ref());
    let id_text = opts
        .id
        .clone()
        .unwrap_or_else(|| default_id(persona.as_str(), &opts.file));
    let id = Id::parse(&id_text).map_err(|e| ImportError::BadId(id_text.clone(), e))?;
    // `content/journeys/…` rather than `./content/journeys/…` for the current folder.
    let site_dir = if opts.site_dir == Path::new(".") {
        Path::new("")
    } else {
        opts.site_dir.as_path()
    };
    let path = site_dir
        .join("content/journeys")
        .join(format!("{}.toml", id.as_str()));
    if site.journeys.contains_key(&id) || path.exists() {
        return Err(ImportError::Exists(path));
    }
    let text = toml_out::journey_toml(&from, persona.as_str(), name.as_deref(), &grid);
    write_new(&path, text.as_bytes())?;
    Ok(Imported {
        path,
        id: id.as_str().to_string(),
        persona: persona.as_str().to_string(),
        from,
        stages: grid.stages.len(),
    })
}

/// Create `path` with `bytes`, failing if it exists (checked by the file system itself).
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let mut f = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(ImportError::Exists(path.to_path_buf()));
        }
        Err(e) => return Err(io(e)),
    };
    if let Err(e) = f.write_all(bytes).and_then(|()| f.sync_all()) {
        drop(f);
        let _ = std::fs::remove_file(path);
        return Err(io(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_addresses_read_like_excel() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        let r = CellRef {
            file: "grid.xlsx".into(),
            sheet: Some("Sheet1".into()),
            cell: Some((2, 4)),
        };
        assert_eq!(r.to_string(), "grid.xlsx!Sheet1!E3");
    }

    #[test]
    fn default_ids_are_ids() {
        assert_eq!(
            default_id("cfo", Path::new("x/CJM 2024 (v2).xlsx")),
            "cfo-CJM-2024-v2"
        );
        assert_eq!(default_id("cfo", Path::new("...xlsx")), "cfo-imported");
    }
}

//! Reading a spreadsheet file into plain cells: `.xlsx` through calamine, `.csv` in UTF-8
//! (with or without a byte-order mark) or Shift_JIS / CP932, the two encodings Japanese
//! Excel writes. The grid is found later (`grid.rs`); this file only knows file formats.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::ImportError;

/// One sheet: its name (`None` for a CSV file) and its cells as text, at their absolute
/// positions (`rows[0][0]` is A1).
#[derive(Debug)]
pub struct Sheet {
    pub name: Option<String>,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    pub fn cell(&self, row: usize, col: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .map_or("", String::as_str)
    }
}

/// The encoding of a CSV file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Shift_JIS as Windows writes it (CP932, the WHATWG `Shift_JIS`).
    ShiftJis,
}

/// The sheets of a file, in workbook order.
pub fn read(path: &Path, encoding: Option<Encoding>) -> Result<Vec<Sheet>, ImportError> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(path),
        "csv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| ImportError::Io {
                path: path.to_path_buf(),
                source: e,
            })?;
            Ok(vec![read_csv(&bytes, encoding, path)?])
        }
        _ => Err(ImportError::FileType(path.to_path_buf())),
    }
}

fn text_of(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n"),
        other => other.to_string(),
    }
}

fn read_xlsx(path: &Path) -> Result<Vec<Sheet>, ImportError> {
    if !path.is_file() {
        return Err(ImportError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"),
        });
    }
    let broken = |e: calamine::XlsxError| match e {
        calamine::XlsxError::Password => ImportError::Password(path.to_path_buf()),
        calamine::XlsxError::Io(source) => ImportError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => ImportError::Broken {
            path: path.to_path_buf(),
            reason: other.to_string(),
        },
    };
    let mut book: Xlsx<_> = calamine::open_workbook(path).map_err(broken)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(broken)?;
        let mut rows: Vec<Vec<String>> = Vec::new();
        if let Some((r0, c0)) = range.start() {
            let (r0, c0) = (r0 as usize, c0 as usize);
            for (i, row) in range.rows().enumerate() {
                let mut cells = vec![String::new(); c0];
                cells.extend(row.iter().map(text_of));
                if rows.len() < r0 + i {
                    rows.resize(r0 + i, Vec::new());
                }
                rows.push(cells);
            }
        }
        sheets.push(Sheet {
            name: Some(name),
            rows,
        });
    }
    Ok(sheets)
}

/// Decode CSV bytes: a byte-order mark or valid UTF-8 means UTF-8; anything else is taken
/// as Shift_JIS (CP932), unless `encoding` says which.
pub fn decode(bytes: &[u8], encoding: Option<Encoding>) -> Result<String, Encoding> {
    let utf8 = |b: &[u8]| std::str::from_utf8(b).map(str::to_string).ok();
    let bom = bytes.strip_prefix(b"\xEF\xBB\xBF");
    match encoding {
        Some(Encoding::Utf8) => utf8(bom.unwrap_or(bytes)).ok_or(Encoding::Utf8),
        Some(Encoding::ShiftJis) => shift_jis(bytes).ok_or(Encoding::ShiftJis),
        None => match bom {
            Some(rest) => utf8(rest).ok_or(Encoding::Utf8),
            None => utf8(bytes)
                .or_else(|| shift_jis(bytes))
                .ok_or(Encoding::ShiftJis),
        },
    }
}

fn shift_jis(bytes: &[u8]) -> Option<String> {
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    (!had_errors).then(|| text.into_owned())
}

fn read_csv(bytes: &[u8], encoding: Option<Encoding>, path: &Path) -> Result<Sheet, ImportError> {
    let text = decode(bytes, encoding).map_err(|enc| ImportError::Encoding {
        path: path.to_path_buf(),
        encoding: enc,
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Broken {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        rows.push(record.iter().map(|c| c.replace("\r\n", "\n")).collect());
    }
    Ok(Sheet { name: None, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_or_without_bom_and_cp932_are_detected() {
        assert_eq!(decode("課題".as_bytes(), None).as_deref(), Ok("課題"));
        assert_eq!(decode(b"\xEF\xBB\xBFa", None).as_deref(), Ok("a"));
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("課題、①");
        assert_eq!(decode(&sjis, None).as_deref(), Ok("課題、①"));
        assert_eq!(decode(&sjis, Some(Encoding::Utf8)), Err(Encoding::Utf8));
    }
}

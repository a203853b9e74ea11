//! Source files and positions.
//!
//! Every file tabiji reads is kept here, with its text, so that any later stage (render, diff,
//! diagnostics) can turn a byte span back into `file:line:column` and show the line. How a
//! file's bytes become that text (`decode_owned`), and which files are never read at all
//! ([`is_editor_litter`], [`is_backup_file`]), live here too: the loader, the output writer,
//! the templates and `serve` all ask, and none of them should need the loader for it.

use std::ops::Range;
use std::path::{Path, PathBuf};

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one source file.
///
/// Kept small and `Copy` because every field of the model carries one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: to_u32(range.start),
            end: to_u32(range.end.max(range.start)),
        }
    }

    /// A zero-width span at the start of a file: for problems with a file as a whole.
    pub fn file_start(file: FileId) -> Span {
        Span {
            file,
            start: 0,
            end: 0,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One file as read from disk: UTF-8, without a byte-order mark, with `\n` line endings.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators: what diagnostics print.
    pub rel_path: String,
    /// Path on disk.
    pub abs_path: PathBuf,
    text: String,
    /// Byte offset of the start of every line.
    line_starts: Vec<u32>,
    /// Set when the text was let go once parsed (a build of a large site): where to read
    /// it again should a diagnostic need it.
    reload: Option<Reload>,
}

/// A let-go text: where it was read, what it was (to tell whether the file changed since),
/// and the text read again, once asked for.
#[derive(Debug)]
struct Reload {
    path: PathBuf,
    len: usize,
    hash: u64,
    text: std::sync::OnceLock<Option<String>>,
}

/// A quick fingerprint of a text, to tell whether a file changed since it was read: every
/// file of a build goes through it, so FxHash rather than SipHash (no adversary here).
fn hash_of(text: &str) -> u64 {
    use std::hash::Hasher as _;
    let mut h = rustc_hash::FxHasher::default();
    h.write(text.as_bytes());
    h.finish()
}

fn line_starts(text: &str) -> Vec<u32> {
    let mut starts = vec![0];
    starts.extend(text.match_indices('\n').map(|(i, _)| to_u32(i + 1)));
    starts
}

impl SourceFile {
    pub fn new(rel_path: String, abs_path: PathBuf, text: String) -> SourceFile {
        SourceFile {
            rel_path,
            abs_path,
            line_starts: line_starts(&text),
            text,
            reload: None,
        }
    }

    /// A file whose text is parsed now and then let go: only its line index is kept, and the
    /// text is read again from `path` (decoded by `decode`) if a diagnostic needs it. On a
    /// 10,000-persona site the texts are 175 MB that would otherwise sit beside the model.
    pub fn released(rel_path: String, abs_path: PathBuf, text: &str, path: PathBuf) -> SourceFile {
        SourceFile {
            rel_path,
            abs_path,
            line_starts: line_starts(text),
            text: String::new(),
            reload: Some(Reload {
                path,
                len: text.len(),
                hash: hash_of(text),
                text: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The text; for a let-go text, read again (and empty if the file changed since it was
    /// parsed, or cannot be read: positions are then given without an excerpt).
    pub fn text(&self) -> &str {
        match &self.reload {
            None => &self.text,
            Some(r) => r
                .text
                .get_or_init(|| {
                    let bytes = std::fs::read(&r.path).ok()?;
                    let (text, _) = decode_owned(bytes);
                    (text.len() == r.len && hash_of(&text) == r.hash).then_some(text)
                })
                .as_deref()
                .unwrap_or(""),
        }
    }

    /// Whether the text is at hand: false only for a let-go text that changed on disk (or
    /// went away) since it was parsed. An empty file has its (empty) text.
    pub fn has_text(&self) -> bool {
        match &self.reload {
            None => true,
            Some(r) => r.len == 0 || !self.text().is_empty(),
        }
    }

    /// 1-based line of a byte offset, from the line index alone (a let-go text is not read
    /// again for it).
    pub fn line(&self, offset: usize) -> usize {
        self.line_index(offset.min(self.len())) + 1
    }

    /// The text's length, known even when it was let go.
    fn len(&self) -> usize {
        self.reload.as_ref().map_or(self.text.len(), |r| r.len)
    }

    fn line_index(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&s| s as usize <= offset)
            .saturating_sub(1)
    }

    /// 1-based line and column (counted in characters, as editors do) of a byte offset,
    /// moved back to a character boundary. Should a let-go text have changed on disk since,
    /// the column is counted in bytes.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = if self.has_text() {
            self.clamp(offset)
        } else {
            offset.min(self.len())
        };
        let line = self.line_index(offset);
        let start = self.line_starts.get(line).map_or(0, |&s| s as usize);
        let text = self.text();
        let col = match text.get(start..offset) {
            Some(before) if text.len() == self.len() => before.chars().count() + 1,
            _ => offset - start + 1,
        };
        (line + 1, col)
    }

    /// Byte range of the given 0-based line, without its line ending.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let len = self.text().len();
        let start = self.line_starts[line.min(self.line_starts.len() - 1)] as usize;
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(len, |&n| n as usize - 1);
        start.min(len)..end.max(start).min(len)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The nearest char boundary at or before `offset`, within the text.
    pub fn clamp(&self, offset: usize) -> usize {
        let text = self.text();
        let mut o = offset.min(text.len());
        while !text.is_char_boundary(o) {
            o -= 1;
        }
        o
    }
}

/// All files read during a run.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    // Shared: `serve` reuses unchanged files between rebuilds without copying them.
    files: Vec<std::sync::Arc<SourceFile>>,
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.add_shared(std::sync::Arc::new(file))
    }

    pub fn add_shared(&mut self, file: std::sync::Arc<SourceFile>) -> FileId {
        self.files.push(file);
        FileId(to_u32(self.files.len() - 1))
    }

    pub fn get_shared(&self, id: FileId) -> &std::sync::Arc<SourceFile> {
        &self.files[id.0 as usize]
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn find(&self, rel_path: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.rel_path == rel_path)
            .map(|i| FileId(to_u32(i)))
    }

    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(to_u32(i)), &**f))
    }

    /// `file:line:column` of a span's start.
    pub fn locate(&self, span: Span) -> (String, usize, usize) {
        let f = self.get(span.file);
        let (l, c) = f.line_col(span.start as usize);
        (f.rel_path.clone(), l, c)
    }
}

/// Render a path relative to `root` with `/` separators, whatever the platform.
pub fn relative_display(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// [`decode`] taking the bytes: valid UTF-8 becomes the text without a copy.
pub(crate) fn decode_owned(mut bytes: Vec<u8>) -> (String, Option<usize>) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) if !text.contains('\r') => (text, None),
        Ok(text) => (text.replace("\r\n", "\n"), None),
        Err(e) => decode(e.as_bytes()),
    }
}

/// UTF-8 text without a byte-order mark and with `\n` line endings, and the offset of the
/// first invalid byte if the file is not UTF-8.
pub(crate) fn decode(bytes: &[u8]) -> (String, Option<usize>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, bad) = match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), None),
        Err(e) => (
            String::from_utf8_lossy(bytes).into_owned(),
            Some(e.valid_up_to()),
        ),
    };
    // Offsets refer to the normalised text: drop one byte per `\r\n` before the bad byte.
    let bad = bad.map(|b| b - bytes[..b].windows(2).filter(|w| w == b"\r\n").count());
    let text = if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    (text, bad)
}

/// What a path is, as far as symbolic links go (docs/format.md, "Symbolic links").
#[derive(Debug, PartialEq, Eq)]
pub enum Link {
    /// Not a symbolic link, nor inside a linked folder.
    No,
    /// A link to a file inside the site folder: read as that file.
    ToFileInside,
    /// A link to a folder inside the site: not followed (no loops, one name per file).
    ToFolderInside(PathBuf),
    /// A link leading outside the site folder, or nowhere: never read, never published.
    Outside(PathBuf),
}

/// Whether `path` is a symbolic link, and where it leads relative to the site folder `root`.
/// Every folder between `root` and `path` counts: a link anywhere on the way that leaves the
/// site makes the path [`Link::Outside`].
pub fn link_kind(root: &Path, path: &Path) -> Link {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let target = || std::fs::read_link(path).unwrap_or_else(|_| path.to_path_buf());
    let (Ok(root), Ok(real)) = (root.canonicalize(), path.canonicalize()) else {
        return if is_link {
            Link::Outside(target())
        } else {
            Link::No
        };
    };
    if !real.starts_with(&root) {
        return Link::Outside(if is_link { target() } else { real });
    }
    if !is_link {
        Link::No
    } else if real.is_dir() {
        Link::ToFolderInside(target())
    } else {
        Link::ToFileInside
    }
}

/// Editor backups and swap files, and macOS folder metadata: never part of a site.
pub fn is_backup_file(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy();
    n.ends_with('~')
        || (n.starts_with('#') && n.ends_with('#'))
        || n.ends_with(".swp")
        || n.ends_with(".swx")
        || n.ends_with(".bak")
        || n == ".DS_Store"
}

/// Hidden files, editor backups and swap files: never content.
pub fn is_editor_litter(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy();
    is_backup_file(name) || n.starts_with('.') || n.starts_with('#') || n.ends_with(".tmp")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_and_crlf_and_finds_bad_bytes() {
        assert_eq!(decode(b"\xEF\xBB\xBFa\r\nb"), ("a\nb".to_string(), None));
        let (_, bad) = decode(b"ab\ncd\xFF");
        assert_eq!(bad, Some(5));
        for bytes in [
            &b"\xEF\xBB\xBFa\r\nb"[..],
            b"ab\ncd\xFF",
            b"\xEF\xBB\xBFx\r\n\xFE",
            "課長\r\n".as_bytes(),
        ] {
            assert_eq!(decode_owned(bytes.to_vec()), decode(bytes));
        }
    }

    #[test]
    fn a_let_go_text_is_read_again_or_its_place_still_given() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j.toml");
        let text = "a = 1\n課題 = \"x\"\n";
        std::fs::write(&path, text.replace('\n', "\r\n")).expect("write");
        let f = SourceFile::released("j.toml".into(), "j.toml".into(), text, path.clone());
        // Read again, decoded the same way (CRLF → LF).
        assert!(f.has_text());
        assert_eq!(f.text(), text);
        assert_eq!(f.line_col(6 + 7), (2, 4));
        // Changed on disk since: the line still comes from the kept index, the column is
        // counted in bytes, and there is no text to quote.
        std::fs::write(&path, "changed").expect("write");
        let g = SourceFile::released("j.toml".into(), "j.toml".into(), text, path);
        assert!(!g.has_text());
        assert_eq!(g.line_col(6 + 7), (2, 8));
    }

    #[test]
    fn line_col_counts_characters() {
        let f = SourceFile::new("a".into(), "a".into(), "ab\n課題 = 1\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // "課題 " is 7 bytes, 3 characters.
        assert_eq!(f.line_col(3 + 7), (2, 4));
        assert_eq!(f.line_range(1), 3..3 + 10);
        assert_eq!(f.line_col(1000), (3, 1));
    }
}

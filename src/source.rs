//! Source files and positions.
//!
//! Every file tabiji reads is kept here, with its text, so that any later stage (render, diff,
//! diagnostics) can turn a byte span back into `file:line:column` and show the line.

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

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One file as read from disk: UTF-8, without a byte-order mark, with `\n` line endings.
#[derive(Debug)]
pub struct SourceFile {
    /// Path relative to the site root, with `/` separators: what diagnostics print.
    pub rel_path: String,
    /// Path on disk.
    pub abs_path: PathBuf,
    pub text: String,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(rel_path: String, abs_path: PathBuf, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            rel_path,
            abs_path,
            text,
            line_starts,
        }
    }

    /// 1-based line and column (counted in characters, as editors do) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let col = self.text[self.line_starts[line]..offset].chars().count() + 1;
        (line + 1, col)
    }

    /// Byte range of the given 0-based line, without its line ending.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let start = self.line_starts[line.min(self.line_starts.len() - 1)];
        let end = self
            .line_starts
            .get(line + 1)
            .map_or(self.text.len(), |&n| n - 1);
        start..end.max(start)
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The nearest char boundary at or before `offset`, within the text.
    pub fn clamp(&self, offset: usize) -> usize {
        let mut o = offset.min(self.text.len());
        while !self.text.is_char_boundary(o) {
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

#[cfg(test)]
mod tests {
    use super::*;

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

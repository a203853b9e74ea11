//! Search: the tokenizer shared (by specification) with the browser, the documents, and the
//! index the browser loads (one file, or an entry file and shards fetched as a query needs
//! them).

mod docs;
mod index;
mod postings;
mod tokenize;

pub use docs::plain;
pub use index::{
    DOCS_PER_FILE, Form, INDEX_PATH, IndexFile, KEY_FILE_BYTES, SINGLE_MAX, index_files,
};
pub use tokenize::{is_cjk, normalize, tokens};

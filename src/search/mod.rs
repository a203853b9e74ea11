//! Search: the tokenizer shared (by specification) with the browser, and the index.

mod index;
mod tokenize;

pub use index::{INDEX_PATH, build_index, plain, write_index};
pub use tokenize::{is_cjk, normalize, tokens};

//! Search: the tokenizer shared (by specification) with the browser, and the index.

mod index;
mod tokenize;

pub use index::{INDEX_PATH, build_index, plain};
pub use tokenize::{is_cjk, normalize, tokens};

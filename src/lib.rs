//! tabiji (旅路): a static site generator for B2B customer journey maps and sales playbooks.
//!
//! The pipeline: [`load`] reads a site's files into the [`model`], reporting every problem as
//! a [`diagnostic`]; `render` turns the model into pages; [`cli`] is the thin command layer.

pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod i18n;
pub mod import;
pub mod init;
pub mod load;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod profile;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod source;
pub mod terminal;
pub mod urls;

//! The one Markdown dialect of tabiji, shared by the loader (which checks links) and the
//! renderer (which turns it into HTML), so both see the same links.

use pulldown_cmark::Options;

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

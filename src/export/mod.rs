//! `tabiji export`: the map for people who live in spreadsheets (CSV) and for scripts (JSON).

mod csv;
mod json;

pub use csv::to_csv;
pub use json::{ExportDocument, to_json};

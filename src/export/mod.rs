//! `tabiji export`: the map for people who live in spreadsheets (CSV, an Excel workbook laid
//! out as the journey grid) and for scripts (JSON).

mod csv;
mod json;
mod xlsx;

pub use csv::to_csv;
pub use json::{ExportDocument, to_json};
pub use xlsx::{HEADER_ROW, readable, sheet_name, to_xlsx};

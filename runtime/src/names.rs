//! The header names and words of the DMAPI text format, shared by the reader
//! ([`envelope`](crate::envelope), [`output`](crate::output)) and the writer
//! ([`reply`](crate::reply)), so that neither imports the other.
//! They are spelled as the live server spells them.

/// The status code: `0` or `1000`..=`1999` on success, EPP error codes otherwise.
pub const STATUS_CODE: &str = "Status-Code";
/// A short status text.
pub const STATUS_TEXT: &str = "Status-Text";
/// The server's tracking id.
pub const TRACKING_ID: &str = "Tracking-Id";
/// The tracking id under its older name.
pub const SVTRID: &str = "SvTrId";
/// The id of queued work.
pub const PROC_ID: &str = "Proc-ID";
/// One problem (repeated).
pub const ERROR: &str = "Error";
/// One warning (repeated).
pub const WARNING: &str = "Warning";
/// Column names of a tabular payload, comma-separated.
pub const COLUMNS: &str = "Columns";
/// How the columns are separated: [`TAB`] or [`SPACE`].
pub const SEPARATOR: &str = "Separator";
/// The number of rows of a listing.
pub const ROW_COUNT: &str = "Row-Count";
/// The server's protocol version.
pub const VERSION: &str = "Version";
/// `Separator` value for tab-separated columns.
pub const TAB: &str = "TAB";
/// `Separator` value for space-separated columns.
pub const SPACE: &str = "SPACE";
/// The key of the single payload line of a count-only result list.
pub const RECORDS: &str = "Records";

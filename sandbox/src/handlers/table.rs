//! What the list requests of every section share.

/// `from` and `to` (1-based, inclusive) as rows to skip and rows to take.
pub(super) fn window_bounds(from: Option<i64>, to: Option<i64>) -> (usize, usize) {
    let skip = usize::try_from(from.unwrap_or(1).max(1) - 1).unwrap_or(0);
    let to = to.map_or(usize::MAX, |t| {
        usize::try_from(t.max(0)).unwrap_or(usize::MAX)
    });
    (skip, to.saturating_sub(skip))
}

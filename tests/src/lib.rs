//! Conformance tests for the dmapi workspace; see `tests/`.
//!
//! The README is included below so that its usage example is compiled and run as a doctest
//! and cannot drift from the generated API.
#![doc = include_str!("../../README.md")]

/// Generated DMAPI answers for benchmarks and comparisons (the same bytes everywhere).
pub mod payloads {
    /// A `query-domain-list showstatus=1 showprivacy=1` answer with `rows` rows, as the live
    /// server sends it (space-separated, a `Columns` header).
    pub fn domain_list(rows: usize) -> String {
        let mut s = String::with_capacity(rows * 64 + 256);
        s.push_str(
            "Status-Code: 0\nStatus-Text: Command completed successfully\nTracking-Id: t-1\n\
             Columns: domain,expiration_date,domain_status,privacy-status,privacy-origin,privacy-expiration\n\
             Separator: SPACE\nRow-Count: ",
        );
        s.push_str(&rows.to_string());
        s.push_str("\n\n");
        for i in 0..rows {
            let status = match i % 3 {
                0 => "production",
                1 => "production,autorenew",
                _ => "lock,production,autorenew",
            };
            let privacy = if i % 4 == 0 {
                "pro pro 2031-05-01"
            } else {
                "- - -"
            };
            s.push_str(&format!(
                "domain-{i:07}.com 20{:02}-{:02}-{:02} {status} {privacy}\n",
                27 + i % 5,
                i % 12 + 1,
                i % 28 + 1
            ));
        }
        s
    }

    /// The bar a typed parser is held to: every payload line of `answer` split at single spaces
    /// into `&str` cells, as a hand-written parser does (no checks, no types). Gives the number
    /// of cells.
    pub fn naive_split(answer: &str) -> usize {
        let body = answer.split_once("\n\n").map_or("", |(_, b)| b);
        let mut cells = 0;
        let mut row: Vec<&str> = Vec::with_capacity(6);
        for line in body.split('\n') {
            if line.is_empty() {
                continue;
            }
            row.clear();
            row.extend(line.splitn(6, ' '));
            cells += row.len();
            std::hint::black_box(&row);
        }
        cells
    }
}

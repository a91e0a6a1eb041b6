//! Times the typed parser on a payload file, for comparisons with other implementations on
//! the same bytes (`bench/compare/run.sh`), and writes payload files.
//!
//! - `parse-file write ROWS FILE`: writes a `query-domain-list` answer of ROWS rows.
//! - `parse-file time FILE [ITERATIONS]`: parses it (envelope + typed rows), prints MB/s;
//!   `time-borrowed` the same with borrowed typed rows (`borrow_rows`).
//! - `parse-file once FILE` / `once-borrowed FILE`: parses it once and prints the row count
//!   (for peak-memory runs).

use std::hint::black_box;
use std::time::Instant;

use dmapi::{Envelope, QueryDomainList, Request};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| {
        args.get(i)
            .cloned()
            .ok_or("usage: parse-file write|time|once ...")
    };
    let request = QueryDomainList::new().showstatus(true).showprivacy(true);
    match arg(0)?.as_str() {
        "write" => {
            let rows: usize = arg(1)?.parse()?;
            std::fs::write(arg(2)?, dmapi_tests::payloads::domain_list(rows))?;
        }
        mode @ ("once" | "once-borrowed") => {
            let text = std::fs::read_to_string(arg(1)?)?;
            let env = Envelope::parse_owned(text, &dmapi::metadata::PROTOCOL)?;
            let count = if mode == "once" {
                request.parse_output(&env)?.len()
            } else {
                request.borrow_rows(&env)?.len()
            };
            println!("{count} rows");
        }
        mode @ ("time" | "time-borrowed") => {
            let text = std::fs::read_to_string(arg(1)?)?;
            let iterations: u32 = args.get(2).map_or(Ok(5), |s| s.parse())?;
            let mut best = f64::MAX;
            for _ in 0..iterations {
                let started = Instant::now();
                let env = Envelope::parse(black_box(&text), &dmapi::metadata::PROTOCOL)?;
                let count = if mode == "time" {
                    request.parse_output(&env)?.len()
                } else {
                    request.borrow_rows(&env)?.len()
                };
                black_box(count);
                best = best.min(started.elapsed().as_secs_f64());
            }
            println!("{:.1}", text.len() as f64 / best / 1e6);
        }
        other => return Err(format!("unknown mode `{other}`").into()),
    }
    Ok(())
}

//! Times the typed parser on a payload file, for comparisons with other implementations on
//! the same bytes (`bench/compare/run.sh`), and writes payload files.
//!
//! - `parse-file write ROWS FILE`: writes a `query-domain-list` answer of ROWS rows.
//! - `parse-file time FILE [ITERATIONS]`: parses it (envelope + owned typed rows), prints MB/s;
//!   `time-borrowed` the same with borrowed typed rows (`borrow_rows`), `time-stream` with the
//!   row iterator (`rows`, nothing collected), `time-naive` an unchecked split into `&str`
//!   cells (the bar a typed parser is held to). The body is read into memory once and handed
//!   to the envelope without a copy, as the client does.
//! - `parse-file once|once-borrowed|once-stream FILE`: parses it once and prints the row count
//!   (for peak-memory runs).

use std::hint::black_box;
use std::time::Instant;

use dmapi::{Envelope, QueryDomainList, Request};

/// Parses `text` in `mode` and gives the row count.
fn parse(
    mode: &str,
    text: String,
    request: &QueryDomainList,
) -> Result<usize, Box<dyn std::error::Error>> {
    if mode == "naive" {
        return Ok(dmapi_tests::payloads::naive_split(&text));
    }
    let env = Envelope::parse_owned(text, &dmapi::metadata::PROTOCOL)?;
    Ok(match mode {
        "owned" => request.parse_output(&env)?.len(),
        "borrowed" => request.borrow_rows(&env)?.len(),
        "stream" => {
            let mut count = 0;
            for row in request.rows(&env) {
                black_box(row?);
                count += 1;
            }
            count
        }
        other => return Err(format!("unknown mode `{other}`").into()),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| {
        args.get(i).cloned().ok_or(
            "usage: parse-file write|time[-borrowed|-stream|-naive]|once[-borrowed|-stream] ...",
        )
    };
    let request = QueryDomainList::new().showstatus(true).showprivacy(true);
    let mode = arg(0)?;
    if mode == "write" {
        let rows: usize = arg(1)?.parse()?;
        std::fs::write(arg(2)?, dmapi_tests::payloads::domain_list(rows))?;
        return Ok(());
    }
    let (what, kind) = mode.split_once('-').unwrap_or((&mode, "owned"));
    let text = std::fs::read_to_string(arg(1)?)?;
    match what {
        "once" => println!("{} rows", parse(kind, text, &request)?),
        "time" => {
            let iterations: u32 = args.get(2).map_or(Ok(5), |s| s.parse())?;
            let mut best = f64::MAX;
            for _ in 0..iterations {
                let body = text.clone();
                let started = Instant::now();
                black_box(parse(kind, black_box(body), &request)?);
                best = best.min(started.elapsed().as_secs_f64());
            }
            println!("{:.1}", text.len() as f64 / best / 1e6);
        }
        other => return Err(format!("unknown mode `{other}`").into()),
    }
    Ok(())
}

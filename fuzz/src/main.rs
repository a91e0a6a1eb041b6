//! `dmapi-fuzz`: a mutation fuzzer that runs on stable Rust, for the code that reads what the
//! server sends: the response envelope, every request's output parser, and the zone reader
//! and writer.
//!
//! `cargo run --release -p dmapi-fuzz -- [--seconds N] [--seed S] [--save-corpus DIR
//! [--save-max N]] [envelope|outputs|zone|all]`
//!
//! The corpus is seeded from real answers: a sandbox in the same process answers every
//! request of the spec (with the metadata's example parameters and with none), plus
//! hand-written edge cases; the libFuzzer seeds (`libfuzzer-seeds`) come from the same. The
//! targets' bodies are `dmapi_fuzz::targets`, which the libFuzzer targets run too. Inputs are
//! mutated (bit flips, byte edits, splices, protocol tokens, truncation) and each is run under
//! `catch_unwind`; a panic, or one input taking over a second, stops the run
//! with the input written to `fuzz/artifacts/`. Without coverage feedback this finds less than
//! libFuzzer would, so long campaigns matter: see RELIABILITY.md.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use dmapi_fuzz::seeds::{EDGE_ANSWERS, sandbox_answers};
use dmapi_fuzz::targets;

/// A small, fast, seedable generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Pieces of the protocol worth inserting.
const TOKENS: &[&str] = &[
    "\n",
    "\r\n",
    "\n\n",
    ":",
    ": ",
    "\t",
    " ",
    "Status-Code: 0\n",
    "Status-Code: 2400\n",
    "Columns: a,b,c\n",
    "Columns: \n",
    "Separator: TAB\n",
    "Separator: SPACE\n",
    "Proc-ID: 1\n",
    "Error: x\n",
    "Records: 5\n",
    "Completion-Status: ack\n",
    "$dnssec=no\n",
    "$dyndns=yes:u:p\n",
    "\"",
    "\\",
    "xn--",
    "-",
    "0",
    "4294967296",
    "-1",
    "99999999999999999999",
    "é",
    "😀",
    "\u{0}",
    "\u{85}",
    "\u{2028}",
    "@ TXT 0 \"v \" 300\n",
    "_sip._tcp SRV 10/20 host:5060 300\n",
    "www NAPTR 10/20 . 300 0 0 \"u\" \"E2U+sip\" \"!^.*$!x!\"\n",
    "ack",
    "nack",
    "?",
    "2030-02-30",
    "9999-12-31",
];

fn mutate(rng: &mut Rng, corpus: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..=rng.below(4) {
        let len = input.len();
        match rng.below(8) {
            0 if len > 0 => {
                let i = rng.below(len);
                input[i] ^= 1 << rng.below(8);
            }
            1 if len > 0 => {
                let i = rng.below(len);
                input[i] = rng.next() as u8;
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(len - i).min(16) + 1;
                input.drain(i..(i + n).min(len));
            }
            3 => {
                let t = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let i = rng.below(len + 1);
                input.splice(i..i, t.iter().copied());
            }
            4 if !corpus.is_empty() => {
                let other = &corpus[rng.below(corpus.len())];
                if !other.is_empty() {
                    let a = rng.below(other.len());
                    let b = a + rng.below(other.len() - a).min(64);
                    let i = rng.below(len + 1);
                    input.splice(i..i, other[a..b].iter().copied());
                }
            }
            5 if len > 0 => input.truncate(rng.below(len)),
            6 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below(len - i).min(32);
                let chunk: Vec<u8> = input[i..i + n].to_vec();
                input.splice(i..i, chunk);
            }
            _ => input.push(rng.next() as u8),
        }
    }
    input.truncate(1 << 16);
}

/// One fuzz target: runs an input, panicking on a broken invariant.
type Target = fn(&[u8]);

fn targets() -> Vec<(&'static str, Target)> {
    vec![
        ("envelope", targets::envelope),
        ("outputs", targets::outputs),
        ("zone", targets::zone),
    ]
}

/// Real answers to every request, from a sandbox in this process, plus edge cases.
fn corpus() -> Result<Vec<Vec<u8>>, String> {
    let answers = sandbox_answers()?;
    Ok(EDGE_ANSWERS
        .iter()
        .map(|s| s.as_bytes().to_vec())
        .chain(answers.into_iter().map(String::into_bytes))
        .collect())
}

fn save(target: &str, input: &[u8]) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("artifacts");
    let _ = std::fs::create_dir_all(&dir);
    let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{target}-{hash:016x}.bin"));
    let _ = std::fs::write(&path, input);
    path
}

/// `--save-corpus DIR`: a uniform sample (reservoir) of the inputs a run executed, written
/// with the seed corpus to `DIR/<target>/`, for measuring the coverage a run reached with
/// libFuzzer's counters (RELIABILITY.md). The fuzzer itself keeps no corpus.
struct Sample {
    rng: Rng,
    max: usize,
    seen: u64,
    kept: Vec<Vec<u8>>,
}

impl Sample {
    fn offer(&mut self, input: &[u8]) {
        self.seen += 1;
        if self.kept.len() < self.max {
            self.kept.push(input.to_vec());
        } else {
            let j = (self.rng.next() % self.seen) as usize;
            if j < self.max {
                self.kept[j] = input.to_vec();
            }
        }
    }

    fn write(&self, dir: &std::path::Path, corpus: &[Vec<u8>]) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (i, input) in corpus.iter().enumerate() {
            std::fs::write(dir.join(format!("seed-{i:03}")), input)?;
        }
        for (i, input) in self.kept.iter().enumerate() {
            std::fs::write(dir.join(format!("sample-{i:06}")), input)?;
        }
        Ok(())
    }
}

/// Runs one target for `budget`; the number of executions, or the failure.
fn run(
    name: &str,
    target: Target,
    corpus: &[Vec<u8>],
    budget: Duration,
    seed: u64,
    mut sample: Option<&mut Sample>,
) -> Result<u64, String> {
    let mut rng = Rng(seed | 1);
    let started = Instant::now();
    let mut execs = 0u64;
    let mut input = Vec::new();
    while started.elapsed() < budget {
        input.clear();
        input.extend_from_slice(&corpus[rng.below(corpus.len())]);
        mutate(&mut rng, corpus, &mut input);
        let t = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| target(&input)));
        let took = t.elapsed();
        execs += 1;
        if let Some(sample) = sample.as_deref_mut() {
            sample.offer(&input);
        }
        if outcome.is_err() {
            return Err(format!(
                "{name}: panic; input saved to {}",
                save(name, &input).display()
            ));
        }
        if took > Duration::from_secs(1) {
            return Err(format!(
                "{name}: one input took {took:?}; saved to {}",
                save(name, &input).display()
            ));
        }
    }
    Ok(execs)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    let seconds = value("--seconds").unwrap_or(60);
    let seed = value("--seed").unwrap_or(0x5eed_d4a9_1c0f_fee5);
    let save_dir = args
        .iter()
        .position(|a| a == "--save-corpus")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let save_max = value("--save-max").unwrap_or(20_000) as usize;
    let which = args
        .iter()
        .rev()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with("--")
                && a.parse::<u64>().is_err()
                && (*i == 0 || args[i - 1] != "--save-corpus")
        })
        .map(|(_, a)| a)
        .cloned()
        .unwrap_or_else(|| "all".to_owned());
    let corpus = match corpus() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("dmapi-fuzz: cannot build the corpus: {e}");
            return ExitCode::FAILURE;
        }
    };
    // Panics are expected to be caught; keep their messages short.
    std::panic::set_hook(Box::new(|info| eprintln!("panic: {info}")));
    println!(
        "corpus: {} inputs; {} requests' parsers",
        corpus.len(),
        targets::REQUESTS.len()
    );
    let mut failed = false;
    for (name, target) in targets() {
        if which != "all" && which != name {
            continue;
        }
        let mut sample = save_dir.as_ref().map(|_| Sample {
            rng: Rng(seed.rotate_left(17) | 1),
            max: save_max,
            seen: 0,
            kept: Vec::new(),
        });
        let outcome = run(
            name,
            target,
            &corpus,
            Duration::from_secs(seconds),
            seed,
            sample.as_mut(),
        );
        if let (Some(dir), Some(sample)) = (&save_dir, &sample) {
            let dir = dir.join(name);
            match sample.write(&dir, &corpus) {
                Ok(()) => println!(
                    "{name}: {} seeds and {} sampled inputs saved to {}",
                    corpus.len(),
                    sample.kept.len(),
                    dir.display()
                ),
                Err(e) => {
                    eprintln!("{name}: cannot save the corpus: {e}");
                    failed = true;
                }
            }
        }
        match outcome {
            Ok(execs) => println!(
                "{name}: {execs} executions in {seconds} s ({} per second), no panic, no hang",
                execs / seconds.max(1)
            ),
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

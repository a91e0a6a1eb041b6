//! Progress of a run on stderr: a bar (count, rate, ETA) on a terminal, a plain line every
//! 10 % or every 5 seconds otherwise; and the counts the closing summary reports.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::results::Outcome;

/// How often a plain progress line is printed at the least.
const PLAIN_EVERY: Duration = Duration::from_secs(5);

/// The outcomes counted so far.
#[derive(Debug, Default)]
pub(crate) struct Counts {
    ok: AtomicUsize,
    refused: AtomicUsize,
    failed: AtomicUsize,
    unknown: AtomicUsize,
}

/// A snapshot of [`Counts`], plus the lines skipped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) ok: usize,
    pub(crate) refused: usize,
    pub(crate) failed: usize,
    pub(crate) unknown: usize,
    pub(crate) skipped: usize,
}

impl Tally {
    fn brief(&self) -> String {
        format!(
            "ok {}, refused {}, failed {}, unknown {}",
            self.ok, self.refused, self.failed, self.unknown
        )
    }
}

enum View {
    Bar(ProgressBar),
    Plain(Mutex<(Instant, usize)>),
}

/// The run's progress.
pub(crate) struct Progress {
    total: usize,
    skipped: usize,
    counts: Counts,
    start: Instant,
    view: View,
}

impl Progress {
    /// Progress of `total` lines to run (`skipped` more were done before); a bar when
    /// `terminal`.
    pub(crate) fn new(total: usize, skipped: usize, terminal: bool) -> Progress {
        let view =
            if terminal {
                let bar =
                    ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
                let style = ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} {rate} ETA {eta:<4} {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key("rate", |state: &ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:>7.1}/s", state.per_sec());
            });
                bar.set_style(style);
                bar.enable_steady_tick(Duration::from_millis(120));
                View::Bar(bar)
            } else {
                View::Plain(Mutex::new((Instant::now(), 0)))
            };
        Progress {
            total,
            skipped,
            counts: Counts::default(),
            start: Instant::now(),
            view,
        }
    }

    /// One more line done.
    pub(crate) fn done(&self, outcome: Outcome) {
        let counter = match outcome {
            Outcome::Ok => &self.counts.ok,
            Outcome::Refused => &self.counts.refused,
            Outcome::Failed => &self.counts.failed,
            Outcome::Unknown => &self.counts.unknown,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        let tally = self.tally();
        let done = tally.ok + tally.refused + tally.failed + tally.unknown;
        match &self.view {
            View::Bar(bar) => {
                bar.inc(1);
                bar.set_message(tally.brief());
            }
            View::Plain(last) => {
                let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                let tenth = |n: usize| (n * 10).checked_div(self.total).unwrap_or(10);
                let due = tenth(done) > tenth(last.1) || last.0.elapsed() >= PLAIN_EVERY;
                if due || done == self.total {
                    *last = (Instant::now(), done);
                    eprintln!("{}", self.plain_line(done, &tally));
                }
            }
        }
    }

    fn plain_line(&self, done: usize, tally: &Tally) -> String {
        let secs = self.start.elapsed().as_secs_f64();
        let rate = if secs > 0.0 { done as f64 / secs } else { 0.0 };
        let left = self.total.saturating_sub(done);
        let eta = if rate > 0.0 {
            format!("{:.0}s", left as f64 / rate)
        } else {
            "?".to_owned()
        };
        let pct = (done * 100).checked_div(self.total).unwrap_or(100);
        format!(
            "batch: {done}/{} ({pct}%), {rate:.1}/s, ETA {eta}; {}",
            self.total,
            tally.brief()
        )
    }

    /// A message about one line, printed above the bar (or as a line of its own).
    pub(crate) fn note(&self, message: &str) {
        match &self.view {
            View::Bar(bar) => bar.suspend(|| eprintln!("{message}")),
            View::Plain(_) => eprintln!("{message}"),
        }
    }

    /// Draws the bar a last time, full, and leaves it.
    pub(crate) fn finish(&self) {
        if let View::Bar(bar) = &self.view {
            bar.finish();
        }
    }

    /// The counts so far.
    pub(crate) fn tally(&self) -> Tally {
        let c = &self.counts;
        Tally {
            ok: c.ok.load(Ordering::Relaxed),
            refused: c.refused.load(Ordering::Relaxed),
            failed: c.failed.load(Ordering::Relaxed),
            unknown: c.unknown.load(Ordering::Relaxed),
            skipped: self.skipped,
        }
    }

    /// Time since the run started.
    pub(crate) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }
}

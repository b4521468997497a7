//! The staged rollout: the canary group first, then the rest, at most `parallel` targets
//! at a time, no new target started once `max_failures` have failed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::targets::Target;
use super::work::{Done, State, Work};

/// How to roll out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rollout {
    /// Targets worked on at once (at least 1).
    pub parallel: usize,
    /// The first this many targets go first; any failure among them stops the rollout.
    pub canary: usize,
    /// No new target is started once this many have failed (`None`: no limit).
    pub max_failures: Option<usize>,
}

/// One target's result in a report.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub target: Target,
    pub done: Done,
    pub seconds: f64,
}

/// A bar on stderr when `show` and stderr is a terminal, else a hidden one.
pub fn progress_bar(show: bool, targets: usize) -> ProgressBar {
    use std::io::IsTerminal;
    if !show || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(targets as u64);
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg:<40} [{bar:30}] {pos}/{len} {elapsed}")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Works on every target and returns their outcomes in target order.
pub async fn run(
    work: Arc<Work>,
    targets: Vec<Target>,
    rollout: Rollout,
    bar: &ProgressBar,
) -> Vec<Outcome> {
    let canary = rollout.canary.min(targets.len());
    let failures = Arc::new(AtomicUsize::new(0));
    let counts = Arc::new(Counts::default());
    let mut outcomes = Vec::with_capacity(targets.len());
    let mut rest = targets;
    let group: Vec<Target> = rest.drain(..canary).collect();
    if !group.is_empty() {
        bar.set_message(format!("canary group ({canary})"));
        outcomes.extend(group_run(&work, group, rollout, &failures, &counts, bar).await);
        if failures.load(Ordering::SeqCst) > 0 {
            let reason = "not attempted: the canary group failed";
            outcomes.extend(rest.into_iter().map(|t| skipped(t, reason)));
            return outcomes;
        }
    }
    outcomes.extend(group_run(&work, rest, rollout, &failures, &counts, bar).await);
    outcomes
}

/// Live counts for the bar's message.
#[derive(Default)]
struct Counts {
    changed: AtomicUsize,
    unchanged: AtomicUsize,
    failed: AtomicUsize,
}

impl Counts {
    fn record(&self, state: State) -> String {
        let counter = match state {
            State::Changed | State::Drifted => &self.changed,
            State::Unchanged => &self.unchanged,
            State::Failed | State::Refused | State::Skipped => &self.failed,
        };
        counter.fetch_add(1, Ordering::SeqCst);
        format!(
            "{} changed, {} unchanged, {} failed",
            self.changed.load(Ordering::SeqCst),
            self.unchanged.load(Ordering::SeqCst),
            self.failed.load(Ordering::SeqCst)
        )
    }
}

async fn group_run(
    work: &Arc<Work>,
    group: Vec<Target>,
    rollout: Rollout,
    failures: &Arc<AtomicUsize>,
    counts: &Arc<Counts>,
    bar: &ProgressBar,
) -> Vec<Outcome> {
    let semaphore = Arc::new(Semaphore::new(rollout.parallel.max(1)));
    let mut tasks = JoinSet::new();
    let mut results: Vec<Option<Outcome>> = vec![None; group.len()];
    // Kept to name a target whose task stopped without a result.
    let names: Vec<Target> = group.clone();
    let limit_reached = |failures: &AtomicUsize| {
        rollout
            .max_failures
            .is_some_and(|k| failures.load(Ordering::SeqCst) >= k)
    };
    for (index, target) in group.into_iter().enumerate() {
        // Waiting for a free place first means the limit is checked against every
        // target finished so far.
        let Ok(permit) = Arc::clone(&semaphore).acquire_owned().await else {
            results[index] = Some(skipped(target, "not attempted: the rollout stopped"));
            continue;
        };
        if limit_reached(failures) {
            let k = rollout.max_failures.unwrap_or_default();
            results[index] = Some(skipped(
                target,
                &format!("not attempted: {k} target(s) failed"),
            ));
            continue;
        }
        let work = Arc::clone(work);
        let failures = Arc::clone(failures);
        let counts = Arc::clone(counts);
        let bar = bar.clone();
        tasks.spawn(async move {
            let started = Instant::now();
            let done = work.run(&target).await;
            if matches!(done.state, State::Failed | State::Refused) {
                failures.fetch_add(1, Ordering::SeqCst);
                let word = if done.state == State::Refused {
                    "refused"
                } else {
                    "failed"
                };
                bar.println(format!("{word}: {}: {}", target.label, done.detail));
            }
            bar.set_message(counts.record(done.state));
            bar.inc(1);
            drop(permit);
            let seconds = started.elapsed().as_secs_f64();
            (
                index,
                Outcome {
                    target,
                    done,
                    seconds,
                },
            )
        });
    }
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok((index, outcome)) => results[index] = Some(outcome),
            // A task that panicked leaves its slot empty; reported below as failed.
            Err(err) => tracing::error!("a target's task stopped: {err}"),
        }
    }
    results
        .into_iter()
        .zip(names)
        .map(|(slot, target)| {
            slot.unwrap_or_else(|| Outcome {
                target,
                done: Done {
                    state: State::Failed,
                    steps: 0,
                    detail: "its task stopped unexpectedly".into(),
                },
                seconds: 0.0,
            })
        })
        .collect()
}

fn skipped(target: Target, reason: &str) -> Outcome {
    Outcome {
        target,
        done: Done {
            state: State::Skipped,
            steps: 0,
            detail: reason.to_string(),
        },
        seconds: 0.0,
    }
}

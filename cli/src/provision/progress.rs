//! The progress bar of a provisioning run, on stderr: a tick per step of each phase
//! (cluster statements, schema steps or migrations, seeded tables, refreshed views).
//! Shown only on a terminal and when statements are not logged (`-v`), since log lines
//! and a redrawn bar would garble each other; hidden otherwise, so scripts and CI logs
//! get the summary alone.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

#[derive(Debug, Clone)]
pub struct Progress(ProgressBar);

impl Default for Progress {
    /// Hidden: library callers and tests draw nothing.
    fn default() -> Progress {
        Progress(ProgressBar::hidden())
    }
}

impl Progress {
    /// A bar on stderr when `show` and stderr is a terminal, else a hidden one.
    pub fn on_terminal(show: bool) -> Progress {
        use std::io::IsTerminal;
        if !show || !std::io::stderr().is_terminal() {
            return Progress::default();
        }
        let bar = ProgressBar::new(0);
        if let Ok(style) =
            ProgressStyle::with_template("{spinner} {msg:<32} [{bar:30}] {pos}/{len} {elapsed}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(bar)
    }

    /// A new phase of `steps` steps.
    pub fn phase(&self, message: &str, steps: usize) {
        self.0.set_message(message.to_string());
        self.0.inc_length(steps as u64);
    }

    /// `steps` steps of the current phase are done.
    pub fn done(&self, steps: usize) {
        self.0.inc(steps as u64);
    }

    /// Removes the bar before the summary is printed.
    pub fn finish(&self) {
        self.0.finish_and_clear();
    }

    pub fn is_hidden(&self) -> bool {
        self.0.is_hidden()
    }
}

//! What an import did, printed in the shape of seed 000's summary.

use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub applications: u64,
    pub by_type: BTreeMap<String, u64>,
    pub reviews: u64,
    pub developers: usize,
    pub publishers: usize,
    pub genres: usize,
    pub categories: usize,
    /// Lookup rows that did not exist before, per table.
    pub new_lookups: Vec<(String, u64)>,
    pub junction_rows: u64,
    pub elapsed: Duration,
}

impl ImportReport {
    /// The summary in the shape of seed 000's report.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        let line = "=".repeat(64);
        out.push_str(&format!(
            "{line}\n{:^64}\n{line}\n",
            "IMPORT SUMMARY REPORT"
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Total Applications:",
            thousands(self.applications)
        ));
        let mut types: Vec<(&String, &u64)> = self.by_type.iter().collect();
        types.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (ty, n) in types {
            out.push_str(&format!(
                "{:<34}{:>12}\n",
                format!("  - {}:", label(ty)),
                thousands(*n)
            ));
        }
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Total Reviews:",
            thousands(self.reviews)
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Unique Developers Imported:",
            thousands(self.developers as u64)
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Unique Publishers Imported:",
            thousands(self.publishers as u64)
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Genres / Categories:",
            format!("{} / {}", self.genres, self.categories)
        ));
        out.push_str(&format!(
            "{:<34}{:>12}\n",
            "Junction Rows:",
            thousands(self.junction_rows)
        ));
        let rows = self.applications + self.reviews + self.junction_rows;
        let secs = self.elapsed.as_secs_f64();
        out.push_str(&format!(
            "{:<34}{:>12}\n{line}\n",
            "Elapsed:",
            format!(
                "{secs:.2}s ({} rows/s)",
                thousands((rows as f64 / secs.max(1e-9)) as u64)
            )
        ));
        out
    }
}

fn label(ty: &str) -> String {
    match ty {
        "game" => "Games",
        "dlc" => "DLC",
        "demo" => "Demos",
        "mod" => "Mods",
        "music" => "Music",
        "video" => "Videos",
        "episode" => "Episodes",
        "application" => "Applications",
        "tool" => "Tools",
        "series" => "Series",
        "hardware" => "Hardware",
        "advertising" => "Advertising",
        other => other,
    }
    .to_string()
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#![allow(clippy::unwrap_used, clippy::panic, clippy::expect_used)]
//! The exporter without a database: COPY lines in, a Parquet file and rejected rows out.

use std::path::PathBuf;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int32Type, TimestampMicrosecondType};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use schemactl_export::pipeline::rejected_path;
use schemactl_export::{ColumnKind, ExportColumn, ExportSchema, Exporter, Flow, Mode, Options};

fn schema() -> ExportSchema {
    let column = |name: &str, kind: ColumnKind, nullable: bool| ExportColumn {
        name: name.into(),
        kind,
        nullable,
        model_type: "t".into(),
    };
    ExportSchema {
        table: "americano.BehavioralEvent".into(),
        columns: vec![
            column("id", ColumnKind::Text { max_chars: None }, false),
            column(
                "eventType",
                ColumnKind::Enum(vec!["A".into(), "B".into()]),
                false,
            ),
            column("eventData", ColumnKind::Json, false),
            column("timestamp", ColumnKind::Timestamp, false),
            column("timeOfDay", ColumnKind::Int32, true),
        ],
        checks: vec!["timeOfDay_check".into()],
        key: vec!["id".into()],
    }
}

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("schemactl-export-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const GOOD: &[&str] = &[
    "e1\tA\t{\"a\": 1}\t2026-01-01 10:00:00\t5\tt\n",
    "e2\tB\t{}\t2026-01-02 10:00:00.25\t\\N\tt\n",
    "e3\tA\t[1]\t2026-01-03 10:00:00\t23\tt\n",
];
const BAD: &[&str] = &[
    "b1\tC\t{}\t2026-01-01 10:00:00\t5\tt\n",
    "b2\tA\t{oops\t2026-01-01 10:00:00\t5\tt\n",
    "b3\tA\t{}\t\\N\t5\tt\n",
    "b4\tA\t{}\t2026-01-01 10:00:00\tnoon\tt\n",
    "b5\tA\t{}\t2026-01-01 10:00:00\t24\tf\n",
    "b6\tA\t{}\t2026-01-01 10:00:00\t99\tf\n",
];

fn read_back(path: &PathBuf) -> (usize, Vec<String>, Vec<Option<i32>>, Vec<i64>) {
    let file = std::fs::File::open(path).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let (mut rows, mut ids, mut hours, mut times) = (0, Vec::new(), Vec::new(), Vec::new());
    for batch in reader {
        let batch = batch.unwrap();
        rows += batch.num_rows();
        ids.extend(
            batch
                .column(0)
                .as_string::<i32>()
                .iter()
                .map(|s| s.unwrap().to_string()),
        );
        hours.extend(batch.column(4).as_primitive::<Int32Type>().iter());
        times.extend(
            batch
                .column(3)
                .as_primitive::<TimestampMicrosecondType>()
                .iter()
                .map(Option::unwrap),
        );
    }
    (rows, ids, hours, times)
}

#[test]
fn non_strict_writes_good_rows_in_row_groups_and_rejects_the_bad_ones() {
    let dir = dir("nonstrict");
    let out = dir.join("events.parquet");
    let options = Options {
        out: out.clone(),
        mode: Mode::Rejecting(rejected_path(&out)),
        batch_rows: 2,
        time_column: Some("timestamp".into()),
    };
    let mut exporter = Exporter::start(schema(), &options).unwrap();
    for line in GOOD.iter().chain(BAD) {
        assert_eq!(exporter.line(line.as_bytes()).unwrap(), Flow::Continue);
    }
    let outcome = exporter.finish().unwrap();
    assert_eq!((outcome.read, outcome.written, outcome.rejected), (9, 3, 6));
    assert_eq!(outcome.parquet.row_groups, 2);
    assert_eq!(outcome.watermark, Some(1_767_434_400_000_000));
    let (rows, ids, hours, times) = read_back(&out);
    assert_eq!(rows, 3);
    assert_eq!(ids, ["e1", "e2", "e3"]);
    assert_eq!(hours, [Some(5), None, Some(23)]);
    assert_eq!(times[1] % 1_000_000, 250_000);
    let rejected = std::fs::read_to_string(dir.join("events.rejected.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = rejected
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert!(
        lines[0]["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("one of A, B")
    );
    assert!(
        lines[1]["reasons"][0]["message"]
            .as_str()
            .unwrap()
            .contains("expected JSON")
    );
    assert_eq!(
        lines[2]["reasons"][0]["message"],
        "NULL in a NOT NULL column"
    );
    assert_eq!(lines[3]["reasons"][0]["column"], "timeOfDay");
    assert_eq!(lines[4]["reasons"][0]["check"], "timeOfDay_check");
    assert_eq!(lines[4]["values"]["timeOfDay"], "24");
    assert_eq!(lines[0]["row"], 4);
    assert!(!dir.join("events.parquet.partial").exists());
}

#[test]
fn strict_stops_at_five_bad_rows_and_leaves_no_file() {
    let dir = dir("strict");
    let out = dir.join("events.parquet");
    let options = Options {
        out: out.clone(),
        mode: Mode::Strict,
        batch_rows: 1,
        time_column: None,
    };
    let mut exporter = Exporter::start(schema(), &options).unwrap();
    let mut flows = Vec::new();
    for line in GOOD.iter().chain(BAD) {
        flows.push(exporter.line(line.as_bytes()).unwrap());
    }
    assert_eq!(flows.iter().filter(|f| **f == Flow::Stop).count(), 2);
    let outcome = exporter.finish().unwrap();
    assert!(!outcome.wrote);
    assert_eq!(outcome.first_bad.len(), 5);
    assert_eq!(outcome.first_bad[0].key, "id=b1");
    assert!(
        outcome.first_bad[0]
            .to_string()
            .starts_with("row 4 (id=b1): eventType:")
    );
    assert!(!out.exists());
    assert!(!dir.join("events.parquet.partial").exists());
    assert!(!dir.join("events.rejected.jsonl").exists());
}

#[test]
fn an_empty_result_still_has_the_schema() {
    let dir = dir("empty");
    let out = dir.join("empty.parquet");
    let options = Options {
        out: out.clone(),
        mode: Mode::Strict,
        batch_rows: 10,
        time_column: None,
    };
    let outcome = Exporter::start(schema(), &options)
        .unwrap()
        .finish()
        .unwrap();
    assert!(outcome.wrote);
    let file = std::fs::File::open(&out).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    let fields: Vec<String> = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect();
    assert_eq!(
        fields,
        ["id", "eventType", "eventData", "timestamp", "timeOfDay"]
    );
    assert_eq!(builder.metadata().file_metadata().num_rows(), 0);
}

//! Where rows go: the Parquet file (snappy, one row group per batch, written by a thread
//! of its own so that encoding overlaps reading) and the rejected rows' JSON lines. Both
//! are written beside their final path and renamed at the end, so a failed export leaves
//! no file behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use anyhow::{Context, anyhow};
use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::batch::Reason;

/// Batches waiting for the writer thread: memory holds at most this many plus the one
/// being built and the one being encoded.
const QUEUE: usize = 2;

/// `FILE.partial` beside `FILE`.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// A file written under a temporary name and renamed into place by `commit`; dropped
/// uncommitted, it is removed.
struct Staged {
    final_path: PathBuf,
    partial: PathBuf,
    done: bool,
}

impl Staged {
    fn create(path: &Path) -> anyhow::Result<(Staged, File)> {
        let partial = partial_path(path);
        let file = File::create(&partial)
            .with_context(|| format!("cannot create {}", partial.display()))?;
        Ok((
            Staged {
                final_path: path.to_path_buf(),
                partial,
                done: false,
            },
            file,
        ))
    }

    fn commit(mut self) -> anyhow::Result<()> {
        std::fs::rename(&self.partial, &self.final_path).with_context(|| {
            format!(
                "cannot rename {} to {}",
                self.partial.display(),
                self.final_path.display()
            )
        })?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

/// The Parquet file being written by its thread.
pub struct ParquetSink {
    sender: Option<SyncSender<RecordBatch>>,
    thread: Option<JoinHandle<anyhow::Result<ParquetDone>>>,
}

/// What the writer thread wrote.
#[derive(Debug, Clone, Copy, Default)]
pub struct ParquetDone {
    pub rows: u64,
    pub row_groups: usize,
    pub bytes: u64,
}

impl ParquetSink {
    /// Starts writing `path` (as `path.partial` until [`ParquetSink::finish`]).
    pub fn create(path: &Path, schema: SchemaRef) -> anyhow::Result<ParquetSink> {
        let (staged, file) = Staged::create(path)?;
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("schemactl {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = ArrowWriter::try_new(
            BufWriter::with_capacity(1 << 20, file),
            schema,
            Some(properties),
        )
        .with_context(|| format!("cannot start the Parquet file {}", path.display()))?;
        let (sender, receiver) = sync_channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("parquet-writer".into())
            .spawn(move || write_all(staged, writer, receiver))
            .context("cannot start the Parquet writer thread")?;
        Ok(ParquetSink {
            sender: Some(sender),
            thread: Some(thread),
        })
    }

    /// Queues a batch (waits while the writer is [`QUEUE`] batches behind).
    pub fn write(&mut self, batch: RecordBatch) -> anyhow::Result<()> {
        let sender = self
            .sender
            .as_ref()
            .ok_or_else(|| anyhow!("the Parquet file is closed"))?;
        if sender.send(batch).is_err() {
            // The thread stopped: its error says why.
            return Err(self
                .join(false)
                .err()
                .unwrap_or_else(|| anyhow!("the Parquet writer stopped")));
        }
        Ok(())
    }

    /// Closes the file and moves it into place.
    pub fn finish(mut self) -> anyhow::Result<ParquetDone> {
        self.join(true)
    }

    /// Stops writing and removes the partial file.
    pub fn abort(mut self) {
        let _ = self.join(false);
    }

    fn join(&mut self, keep: bool) -> anyhow::Result<ParquetDone> {
        if let Some(sender) = self.sender.take() {
            if !keep {
                // An empty batch of no schema tells the thread to give up.
                drop(sender.send(RecordBatch::new_empty(std::sync::Arc::new(
                    arrow_schema::Schema::empty(),
                ))));
            }
            drop(sender);
        }
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .map_err(|_| anyhow!("the Parquet writer thread panicked"))?,
            None => Err(anyhow!("the Parquet file is closed")),
        }
    }
}

impl Drop for ParquetSink {
    fn drop(&mut self) {
        if self.thread.is_some() {
            let _ = self.join(false);
        }
    }
}

fn write_all(
    staged: Staged,
    mut writer: ArrowWriter<BufWriter<File>>,
    receiver: Receiver<RecordBatch>,
) -> anyhow::Result<ParquetDone> {
    let mut done = ParquetDone::default();
    for batch in receiver {
        if batch.schema().fields().is_empty() {
            return Err(anyhow!("the export was abandoned"));
        }
        writer.write(&batch).context("cannot write a row group")?;
        writer.flush().context("cannot write a row group")?;
        done.rows += batch.num_rows() as u64;
        done.row_groups += 1;
    }
    let mut file = writer
        .into_inner()
        .context("cannot close the Parquet file")?;
    file.flush().context("cannot write the Parquet file")?;
    let file = file
        .into_inner()
        .map_err(|e| anyhow!("cannot write the Parquet file: {}", e.error()))?;
    file.sync_all().context("cannot write the Parquet file")?;
    done.bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    staged.commit()?;
    Ok(done)
}

/// One refused row, as a line of the rejected file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rejected<'a> {
    /// The row's position in the query's result, from 1.
    pub row: u64,
    pub reasons: &'a [Reason],
    /// Every column's text as the server sent it (`null` for NULL).
    pub values: serde_json::Map<String, serde_json::Value>,
}

/// The rejected rows' file: JSON lines.
pub struct RejectSink {
    staged: Staged,
    out: BufWriter<File>,
    pub rows: u64,
}

impl RejectSink {
    pub fn create(path: &Path) -> anyhow::Result<RejectSink> {
        let (staged, file) = Staged::create(path)?;
        Ok(RejectSink {
            staged,
            out: BufWriter::new(file),
            rows: 0,
        })
    }

    pub fn write(&mut self, row: &Rejected<'_>) -> anyhow::Result<()> {
        serde_json::to_writer(&mut self.out, row).context("cannot write a rejected row")?;
        self.out
            .write_all(b"\n")
            .context("cannot write a rejected row")?;
        self.rows += 1;
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<()> {
        self.out.flush().context("cannot write the rejected rows")?;
        self.staged.commit()
    }
}

//! The public scan log, written off the request path: scans go into a bounded channel and a
//! background thread inserts them in batches, so a burst of scans never waits on the database.

use std::{
    sync::mpsc::{self, Receiver, SyncSender, TrySendError},
    time::Duration,
};

use db::{self, Pool, scans::Scan};

/// Scans waiting for the writer before new ones are dropped (and counted as dropped).
const QUEUE: usize = 10_000;
/// Most scans one insert transaction carries.
const BATCH: usize = 500;
/// How long the writer waits to gather a batch.
const FLUSH: Duration = Duration::from_millis(100);

/// A handle that queues scans for the writer thread.
#[derive(Clone, Debug)]
pub struct ScanLog {
    tx: SyncSender<Scan>,
}

impl ScanLog {
    /// Starts the writer thread on `pool`.
    pub fn start(pool: Pool) -> Self {
        let (tx, rx) = mpsc::sync_channel(QUEUE);
        let spawned = std::thread::Builder::new()
            .name("scan-log".into())
            .spawn(move || writer(&pool, &rx));
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start the scan log writer; scans are not logged");
        }
        Self { tx }
    }

    /// Queues one scan of `(gtin, serial)` from `place` ('' if none); never blocks.
    pub fn record(&self, gtin: &str, serial: &str, place: &str) {
        let scan = Scan {
            id: db::new_id(),
            at: db::now(),
            gtin: gtin.to_owned(),
            serial: serial.to_owned(),
            place: place.to_owned(),
        };
        match self.tx.try_send(scan) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => tracing::warn!("scan log queue full; scan dropped"),
            Err(TrySendError::Disconnected(_)) => {}
        }
    }
}

fn writer(pool: &Pool, rx: &Receiver<Scan>) {
    // Ends when every sender is dropped (the service stopped).
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        let deadline = std::time::Instant::now() + FLUSH;
        while batch.len() < BATCH {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(s) => batch.push(s),
                Err(_) => break,
            }
        }
        let written = pool.get().map_err(db::DbError::Pool).and_then(|mut conn| {
            db::scans::insert_all(&mut conn, &batch).map_err(db::DbError::Query)
        });
        if let Err(e) = written {
            let e = crate::error::chain(&e);
            tracing::warn!(error = %e, scans = batch.len(), "scan log batch not written");
        }
    }
}

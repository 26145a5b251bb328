//! Runs one decode on a worker thread, so that a panic or a hang in a decoder reaches the
//! caller as an error within the time it allowed.

use std::{
    panic::{self, AssertUnwindSafe},
    sync::mpsc,
    thread,
    time::Duration,
};

use super::DecodeError;

/// Runs `work` on its own thread under `catch_unwind` and waits at most `timeout` for it.
///
/// A thread cannot be killed: when the time is up the worker is abandoned, still running,
/// and the caller gets `TimedOut`. The process carries on; the worker ends, and its answer
/// is dropped, whenever the decoder returns. Everything it needs is moved into it, so it
/// holds nothing of the caller's.
pub(crate) fn bounded<T, F>(timeout: Duration, work: F) -> Result<T, DecodeError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, DecodeError> + Send + 'static,
{
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = thread::Builder::new()
        .name("barcode-decode".into())
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(work));
            // The caller may have given up already; then nobody wants the answer.
            let _ = tx.send(outcome);
        });
    if let Err(e) = spawned {
        return Err(DecodeError::Panicked(format!(
            "cannot start a decode thread: {e}"
        )));
    }
    match rx.recv_timeout(timeout) {
        Ok(Ok(answer)) => answer,
        Ok(Err(payload)) => Err(DecodeError::Panicked(panic_message(payload.as_ref()))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(DecodeError::TimedOut(timeout)),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(DecodeError::Panicked(
            "the decode thread ended without an answer".to_owned(),
        )),
    }
}

/// The text a panic was raised with, when it was raised with text.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a decoder panicked".to_owned()
    }
}

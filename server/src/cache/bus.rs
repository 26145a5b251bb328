//! Generations shared through Redis: a thread that applies bumps off the request path (`INCR` and
//! `PUBLISH` in one script), and a subscriber thread that raises this process's generations when
//! any process bumps, reconnecting with back-off.
//!
//! The subscriber pings whenever it has been idle for [`POLL`], and every message or answer is a
//! sign of life (`Generations::touch`): the cache serves entries for their full lifetime only
//! while the bus is live. Bumps that could not be applied (Redis down) are made good when it
//! answers again by moving the global epoch, since other processes may have cached, in Redis
//! too, what those writes changed.

use std::{
    sync::{Arc, Weak, mpsc},
    thread,
    time::Duration,
};

use super::generations::Generations;
use crate::redis_kv::{RedisError, RedisKv, warn_degraded};

/// A bump waiting to be applied in Redis.
#[derive(Debug)]
pub(super) enum Bump {
    /// One scope.
    Scope(String),
    /// The global epoch.
    All,
}

/// The channel (under the key prefix) that carries `"{scope} {generation}"` and `"* {epoch}"`.
const CHANNEL: &str = "inval";
/// The global epoch's key.
pub(super) const EPOCH_KEY: &str = "epoch";
/// Bumps applied in one round trip at most.
const MAX_BATCH: usize = 256;
/// How long the subscriber waits for a message before it pings (and sees whether its cache
/// still exists); also the read timeout of that ping.
pub(super) const POLL: Duration = Duration::from_millis(400);
const MIN_BACKOFF: Duration = Duration::from_millis(100);
/// A returning Redis is found within this, and every process's cache dropped.
const MAX_BACKOFF: Duration = Duration::from_secs(1);
/// How often bumps that failed are retried (as one epoch move).
const RETRY_LOST: Duration = Duration::from_millis(200);

/// Increments a counter and announces its new value in one step, so that no process can see the
/// new value without the announcement having been made.
const INCR_AND_PUBLISH: &str = "local v = redis.call('INCR', KEYS[1]) \
     redis.call('PUBLISH', ARGV[1], ARGV[2] .. ' ' .. v) return v";

/// The key of a scope's generation (before the prefix).
pub(super) fn gen_key(scope: &str) -> String {
    format!("gen:{scope}")
}

/// Starts both threads; returns where to send bumps. The threads end when the cache is gone.
pub(super) fn start(kv: RedisKv, gens: &Arc<Generations>) -> Option<mpsc::Sender<Bump>> {
    let (tx, rx) = mpsc::channel();
    // Bumps are off the request path: they may wait out the longer timeout.
    let (k, g) = (kv.background(), Arc::clone(gens));
    let bumper = thread::Builder::new()
        .name("cache-bumps".into())
        .spawn(move || apply_bumps(&k, &g, &rx));
    let weak = Arc::downgrade(gens);
    let subscriber = thread::Builder::new()
        .name("cache-invalidations".into())
        .spawn(move || subscribe(&kv, &weak));
    match (bumper, subscriber) {
        (Ok(_), Ok(_)) => Some(tx),
        (b, s) => {
            let e = b.err().or(s.err());
            tracing::error!(error = ?e, "cannot start the cache's redis threads; cache stays local");
            None
        }
    }
}

/// Applies bumps in batches until every sender is gone.
fn apply_bumps(kv: &RedisKv, gens: &Generations, rx: &mpsc::Receiver<Bump>) {
    let channel = kv.key(CHANNEL);
    let epoch_key = kv.key(EPOCH_KEY);
    // Some bumps failed: until an epoch move succeeds, other processes may serve what they
    // changed (from their own level, or from Redis's under the old generation).
    let mut lost = false;
    loop {
        let first = if lost {
            match rx.recv_timeout(RETRY_LOST) {
                Ok(b) => Some(b),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(b) => Some(b),
                Err(_) => return,
            }
        };
        let mut batch: Vec<Bump> = first.into_iter().collect();
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(b) => batch.push(b),
                Err(_) => break,
            }
        }
        if lost {
            batch.push(Bump::All);
        }
        let result = kv.with_conn(|c| {
            let mut p = redis::pipe();
            for b in &batch {
                let (key, name) = match b {
                    Bump::Scope(s) => (kv.key(&gen_key(s)), s.as_str()),
                    Bump::All => (epoch_key.clone(), "*"),
                };
                p.cmd("EVAL")
                    .arg(INCR_AND_PUBLISH)
                    .arg(1)
                    .arg(key)
                    .arg(&channel)
                    .arg(name);
            }
            p.query::<Vec<u64>>(c)
        });
        match result {
            Ok(values) => {
                if lost {
                    tracing::info!("cache invalidations lost while redis was away made good");
                }
                lost = false;
                for (b, v) in batch.iter().zip(values) {
                    match b {
                        Bump::Scope(s) => gens.raise(s, v),
                        Bump::All => gens.confirm_redis_epoch(v),
                    }
                }
            }
            Err(e) => {
                if !lost {
                    warn_degraded(&e, "publishing cache invalidations");
                }
                lost = true;
            }
        }
    }
}

/// Applies one announcement.
fn apply(gens: &Generations, payload: &[u8]) {
    let Some((name, n)) = std::str::from_utf8(payload)
        .ok()
        .and_then(|p| p.rsplit_once(' '))
        .and_then(|(name, n)| Some((name, n.parse::<u64>().ok()?)))
    else {
        tracing::warn!("ignoring a malformed cache invalidation message");
        return;
    };
    if name == "*" {
        gens.observe_redis_epoch(n);
    } else {
        gens.raise(name, n);
    }
}

/// Listens until the cache is gone, reconnecting with back-off.
fn subscribe(kv: &RedisKv, gens: &Weak<Generations>) {
    let channel = kv.key(CHANNEL);
    let mut backoff = MIN_BACKOFF;
    loop {
        match listen(kv, &channel, gens, &mut backoff) {
            Ok(()) => return,
            Err(e) => {
                let Some(g) = gens.upgrade() else { return };
                // Warn when listening stops, not at every failed retry.
                if g.listening() != super::generations::Listening::No {
                    tracing::warn!(error = %crate::error::chain(&e), "cache invalidation channel lost; retrying");
                }
                g.set_listening(false);
            }
        }
        thread::sleep(backoff);
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Subscribes and applies messages; `Ok` once the cache is gone.
fn listen(
    kv: &RedisKv,
    channel: &str,
    gens: &Weak<Generations>,
    backoff: &mut Duration,
) -> Result<(), RedisError> {
    let mut conn = kv.dedicated()?;
    let mut ps = conn.as_pubsub();
    ps.subscribe(channel)?;
    ps.set_read_timeout(Some(POLL))?;
    {
        let Some(g) = gens.upgrade() else {
            return Ok(());
        };
        // Whatever was announced while nobody listened is lost: drop every entry.
        g.bump_epoch();
        g.set_listening(true);
        tracing::info!("listening for cache invalidations");
    }
    *backoff = MIN_BACKOFF;
    loop {
        match ps.get_message() {
            Ok(msg) => {
                let Some(g) = gens.upgrade() else {
                    return Ok(());
                };
                g.touch();
                apply(&g, msg.get_payload_bytes());
            }
            Err(e) if e.is_timeout() => {
                let Some(g) = gens.upgrade() else {
                    return Ok(());
                };
                // Silence proves nothing (a hung or half-open connection is silent too); an
                // answer to a ping does.
                ps.ping::<redis::Value>()?;
                g.touch();
            }
            Err(e) => return Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_raise_generations_and_epochs() {
        let g = Generations::new(Duration::from_secs(60), 100, true);
        let e = g.epoch();
        apply(&g, b"09506000134352 7");
        assert_eq!(g.scope("09506000134352"), 7);
        apply(&g, b"* 3");
        assert_eq!(g.epoch(), e + 1);
        apply(&g, b"garbage");
        apply(&g, b"x notanumber");
        assert_eq!(g.scope("x"), 0);
    }
}

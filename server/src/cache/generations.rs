//! What this process knows of each scope's generation and of the global epoch.
//!
//! An entry is fresh while the generation and epoch it was built under are at least the ones
//! known now. A scope's record lives `ttl + RETENTION_SLACK` after its last change, longer than
//! any entry built before that change (entries live `ttl`), so dropping it loses nothing; should
//! the table overflow instead, the epoch moves and every entry goes stale.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU8, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

use moka::{notification::RemovalCause, ops::compute::Op};

/// Margin between an entry's lifetime and its scope record's: covers an entry inserted just
/// after the record was raised.
const RETENTION_SLACK: Duration = Duration::from_secs(2);

/// Where the invalidation subscriber stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Listening {
    /// No attempt has finished yet.
    Starting,
    /// Subscribed.
    Yes,
    /// The last attempt failed; retrying.
    No,
}

/// The generation table of one cache.
pub(super) struct Generations {
    scopes: moka::sync::Cache<String, u64>,
    /// This process's epoch: bumped by `bump_all`, by a newer Redis epoch, by a resubscription
    /// and when the scope table overflows.
    epoch: Arc<AtomicU64>,
    /// Without Redis: the source of scope generations, one sequence for all scopes so that a
    /// record that expired and comes back is still above every older entry.
    seq: AtomicU64,
    /// With Redis: the highest Redis epoch this process knows (or expects after its own bump).
    redis_epoch: AtomicU64,
    /// With Redis, scope generations are Redis counters; without, `seq` values.
    shared: bool,
    listening: AtomicU8,
    /// Moves before and after every raise, bump and epoch move (see [`moving`]).
    changes: Arc<AtomicU64>,
    /// The origin of `contact`.
    started: Instant,
    /// When the subscriber last heard from Redis (a message or a ping's answer), in
    /// milliseconds since `started`, plus one (0: never).
    contact: AtomicU64,
}

/// The bus counts as reachable while its last sign of life is younger than this: the subscriber
/// pings every [`super::bus::POLL`] when idle, so a healthy bus stays well inside it.
pub(super) const CONTACT_WINDOW: Duration = Duration::from_millis(1500);

impl Generations {
    /// A table for entries that live `ttl`, holding up to `capacity` scope records.
    pub(super) fn new(ttl: Duration, capacity: u64, shared: bool) -> Self {
        let epoch = Arc::new(AtomicU64::new(1));
        let changes = Arc::new(AtomicU64::new(0));
        let (on_evict, evict_changes) = (Arc::clone(&epoch), Arc::clone(&changes));
        let scopes = moka::sync::Cache::builder()
            .max_capacity(capacity.max(1024))
            .time_to_live(ttl + RETENTION_SLACK)
            .eviction_listener(move |_scope, _gen, cause| {
                // A record dropped for room may still be needed: forget everything instead.
                if cause == RemovalCause::Size {
                    moving(&evict_changes, || on_evict.fetch_add(1, Ordering::AcqRel));
                }
            })
            .build();
        Self {
            scopes,
            epoch,
            seq: AtomicU64::new(0),
            redis_epoch: AtomicU64::new(0),
            shared,
            listening: AtomicU8::new(0),
            changes,
            started: Instant::now(),
            contact: AtomicU64::new(0),
        }
    }

    /// Records a sign of life from the bus.
    pub(super) fn touch(&self) {
        let ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.contact
            .fetch_max(ms.saturating_add(1), Ordering::AcqRel);
    }

    /// Whether invalidations are flowing at `now`: subscribed, and heard from within
    /// [`CONTACT_WINDOW`]. Until then no other process's bump can be known here.
    pub(super) fn bus_is_live(&self, now: Instant) -> bool {
        let contact = self.contact.load(Ordering::Acquire);
        if contact == 0 || self.listening() != Listening::Yes {
            return false;
        }
        let heard = self.started + Duration::from_millis(contact - 1);
        now.saturating_duration_since(heard) < CONTACT_WINDOW
    }

    /// The known generation of `scope` (0 if none is recorded).
    pub(super) fn scope(&self, scope: &str) -> u64 {
        self.scopes.get(scope).unwrap_or(0)
    }

    /// The local epoch.
    pub(super) fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::Acquire)
    }

    /// Whether an entry built under (`generation`, `epoch`) is still fresh for `scope`.
    pub(super) fn is_fresh(&self, scope: &str, generation: u64, epoch: u64) -> bool {
        epoch >= self.epoch() && generation >= self.scope(scope)
    }

    /// Raises the record of `scope` to `generation` if it is lower.
    pub(super) fn raise(&self, scope: &str, generation: u64) {
        if generation == 0 {
            return;
        }
        let r = self
            .scopes
            .entry_by_ref(scope)
            .and_compute_with(|cur| match cur {
                Some(e) if *e.value() >= generation => Op::Nop,
                _ => {
                    // The half of `moving` that must come first, only when it moves.
                    self.changes.fetch_add(1, Ordering::AcqRel);
                    Op::Put(generation)
                }
            });
        if matches!(
            r,
            moka::ops::compute::CompResult::Inserted(_)
                | moka::ops::compute::CompResult::ReplacedWith(_)
        ) {
            self.changes.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// A count that moves whenever a generation or the epoch does (here or learnt). Equal
    /// counts read before and after reading some generations mean none of them moved between.
    pub(super) fn changes(&self) -> u64 {
        self.changes.load(Ordering::Acquire)
    }

    /// Moves `scope` past every entry built so far; returns its new local generation.
    pub(super) fn bump(&self, scope: &str) -> u64 {
        if self.shared {
            // Redis will answer with the real value; one more than known keeps this process's
            // own entries from being served meanwhile.
            let r = moving(&self.changes, || {
                self.scopes.entry_by_ref(scope).and_compute_with(|cur| {
                    Op::Put(cur.map_or(0, |e| e.into_value()).saturating_add(1))
                })
            });
            match r {
                moka::ops::compute::CompResult::Inserted(e)
                | moka::ops::compute::CompResult::ReplacedWith(e) => e.into_value(),
                _ => self.scope(scope),
            }
        } else {
            let g = self.seq.fetch_add(1, Ordering::AcqRel) + 1;
            self.raise(scope, g);
            g
        }
    }

    /// Moves the local epoch past every entry built so far.
    pub(super) fn bump_epoch(&self) {
        moving(&self.changes, || self.epoch.fetch_add(1, Ordering::AcqRel));
    }

    /// The highest Redis epoch known.
    pub(super) fn redis_epoch(&self) -> u64 {
        self.redis_epoch.load(Ordering::Acquire)
    }

    /// Learns a Redis epoch: a newer one than known means a `bump_all` elsewhere, so the local
    /// epoch moves too.
    pub(super) fn observe_redis_epoch(&self, e: u64) {
        if self.redis_epoch.fetch_max(e, Ordering::AcqRel) < e {
            self.bump_epoch();
        }
    }

    /// Records a local `bump_all` ahead of Redis's answer (so that its echo moves nothing).
    pub(super) fn expect_redis_epoch(&self) {
        self.redis_epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// Takes Redis's answer to this process's own `bump_all` without moving the local epoch.
    pub(super) fn confirm_redis_epoch(&self, e: u64) {
        self.redis_epoch.fetch_max(e, Ordering::AcqRel);
    }

    /// Where the subscriber stands.
    pub(super) fn listening(&self) -> Listening {
        match self.listening.load(Ordering::Acquire) {
            0 => Listening::Starting,
            1 => Listening::Yes,
            _ => Listening::No,
        }
    }

    /// Records where the subscriber stands; subscribing is a sign of life.
    pub(super) fn set_listening(&self, yes: bool) {
        if yes {
            self.touch();
        }
        self.listening
            .store(if yes { 1 } else { 2 }, Ordering::Release);
    }
}

/// Runs `change` (a move of a generation or the epoch) between two steps of `changes`.
///
/// Before: whoever sees the new value then sees a new count (a kept database snapshot taken
/// under the old count is not used for an answer stamped with the new generation). After:
/// whoever read the count before the change and reads it again afterwards sees it move (a
/// cache slot checked by its count alone is not taken as fresh).
fn moving<T>(changes: &AtomicU64, change: impl FnOnce() -> T) -> T {
    changes.fetch_add(1, Ordering::AcqRel);
    let out = change();
    changes.fetch_add(1, Ordering::AcqRel);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_generations_come_from_one_sequence() {
        let g = Generations::new(Duration::from_millis(10), 10, false);
        let first = g.bump("a");
        assert_eq!(g.scope("a"), first);
        assert!(!g.is_fresh("a", first - 1, g.epoch()));
        g.raise("a", 1);
        assert_eq!(g.scope("a"), first, "raise never lowers");
        let other = g.bump("b");
        assert!(other > first, "one sequence for every scope");
    }

    #[test]
    fn epochs_move_on_newer_redis_epochs_only() {
        let g = Generations::new(Duration::from_secs(1), 10, true);
        let e = g.epoch();
        g.observe_redis_epoch(3);
        assert_eq!(g.epoch(), e + 1);
        g.observe_redis_epoch(3);
        g.observe_redis_epoch(2);
        assert_eq!(g.epoch(), e + 1, "old news moves nothing");
        g.expect_redis_epoch();
        g.observe_redis_epoch(4);
        assert_eq!(g.epoch(), e + 1, "the echo of our own bump moves nothing");
        assert_eq!(g.bump("s"), 1);
        g.raise("s", 5);
        assert_eq!(g.bump("s"), 6);
    }

    #[test]
    fn the_bus_is_live_only_while_subscribed_and_heard_from() {
        let g = Generations::new(Duration::from_secs(60), 10, true);
        let now = Instant::now();
        assert!(!g.bus_is_live(now), "not before the first subscription");
        g.set_listening(true);
        assert!(g.bus_is_live(Instant::now()));
        assert!(
            !g.bus_is_live(Instant::now() + CONTACT_WINDOW),
            "silence past the window"
        );
        g.touch();
        assert!(g.bus_is_live(Instant::now()));
        g.set_listening(false);
        assert!(!g.bus_is_live(Instant::now()), "not while resubscribing");
    }

    #[test]
    fn the_change_count_moves_with_every_move_and_only_then() {
        for shared in [false, true] {
            let g = Generations::new(Duration::from_secs(1), 10, shared);
            let mut last = g.changes();
            let mut moved = |what: &str, expect: bool| {
                let now = g.changes();
                assert_eq!(now != last, expect, "{what} (shared: {shared})");
                last = now;
            };
            let n = g.bump("a");
            moved("bump", true);
            g.raise("a", n);
            moved("raise to the known generation", false);
            g.raise("a", n + 5);
            moved("raise", true);
            g.bump_epoch();
            moved("epoch", true);
            let _ = g.scope("a");
            let _ = g.is_fresh("a", n, g.epoch());
            moved("reads", false);
        }
    }
}

//! Failed-login throttling (OWASP ASVS 2.2.1): in Redis when configured (shared by all nodes),
//! else in memory.
//!
//! Failures are counted per (account, client address): after `max_failures` in the window that
//! pair is refused, so a stranger guessing from their address cannot lock the owner out of
//! theirs. Failures are also counted per account from every address, and past `max_failures`
//! each further attempt on the account waits longer (up to [`MAX_DELAY`]): a guesser spread over
//! many addresses is slowed, never let through faster, and the owner is slowed, not locked out.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::Mutex,
    time::{Duration, Instant},
};

use sha2::{Digest, Sha256};

use crate::redis_kv::{RedisError, RedisKv};

/// The longest an attempt on a much-guessed account waits.
pub const MAX_DELAY: Duration = Duration::from_secs(2);

/// The wait added per account-wide failure past the limit.
const DELAY_STEP: Duration = Duration::from_millis(100);

/// Counts failed logins per (account, address) and per account over a window.
#[derive(Debug)]
pub struct Throttle {
    store: Store,
    max_failures: u32,
    window: Duration,
}

#[derive(Debug)]
enum Store {
    Memory(Mutex<HashMap<String, (Instant, u32)>>),
    Redis(RedisKv),
}

/// What an attempt may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Refused: this address used up its failures on this account.
    Blocked,
    /// Allowed, after waiting this long.
    After(Duration),
}

impl Throttle {
    /// A throttle in Redis if given, else in this process.
    pub fn new(redis: Option<RedisKv>, max_failures: u32, window: Duration) -> Self {
        let store = match redis {
            Some(kv) => Store::Redis(kv),
            None => Store::Memory(Mutex::new(HashMap::new())),
        };
        Self {
            store,
            max_failures,
            window,
        }
    }

    /// E-mails never appear in keys, only their hash.
    fn account_key(email: &str) -> String {
        format!(
            "login_fail:{}",
            hex::encode(&Sha256::digest(email.as_bytes())[..16])
        )
    }

    fn pair_key(email: &str, ip: IpAddr) -> String {
        format!("{}:{ip}", Self::account_key(email))
    }

    /// Whether `ip` may try `email` now, and after what wait.
    pub fn admit(&self, email: &str, ip: IpAddr) -> Result<Admission, RedisError> {
        let max = u64::from(self.max_failures);
        if self.count(&Self::pair_key(email, ip))? >= max {
            return Ok(Admission::Blocked);
        }
        let over = self.count(&Self::account_key(email))?.saturating_sub(max);
        let wait = DELAY_STEP.saturating_mul(u32::try_from(over).unwrap_or(u32::MAX));
        Ok(Admission::After(wait.min(MAX_DELAY)))
    }

    /// The window's failures under `key`.
    fn count(&self, key: &str) -> Result<u64, RedisError> {
        let n = match &self.store {
            Store::Redis(kv) => kv.get_u64(key)?,
            Store::Memory(map) => {
                let map = map
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                map.get(key)
                    .filter(|(start, _)| start.elapsed() < self.window)
                    .map_or(0, |(_, n)| u64::from(*n))
            }
        };
        Ok(n)
    }

    /// Counts one failure of `ip` on `email`.
    pub fn record_failure(&self, email: &str, ip: IpAddr) -> Result<(), RedisError> {
        self.bump(Self::pair_key(email, ip))?;
        self.bump(Self::account_key(email))
    }

    fn bump(&self, key: String) -> Result<(), RedisError> {
        match &self.store {
            Store::Redis(kv) => kv.incr_with_ttl(&key, self.window).map(|_| ()),
            Store::Memory(map) => {
                let mut map = map
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                let entry = map.entry(key).or_insert((Instant::now(), 0));
                if entry.0.elapsed() >= self.window {
                    *entry = (Instant::now(), 0);
                }
                entry.1 += 1;
                Ok(())
            }
        }
    }

    /// Forgets this address's failures after it logged in. The account-wide count stays until
    /// its window ends: the owner logging in does not speed up a guesser elsewhere.
    pub fn reset(&self, email: &str, ip: IpAddr) -> Result<(), RedisError> {
        let key = Self::pair_key(email, ip);
        match &self.store {
            Store::Redis(kv) => kv.del(&key),
            Store::Memory(map) => {
                map.lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .remove(&key);
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, 2));

    #[test]
    fn a_pair_is_blocked_and_the_account_is_slowed_past_the_limit() {
        let t = Throttle::new(None, 3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(
                t.admit("o@x.vn", A).unwrap(),
                Admission::After(Duration::ZERO)
            );
            t.record_failure("o@x.vn", A).unwrap();
        }
        assert_eq!(t.admit("o@x.vn", A).unwrap(), Admission::Blocked);
        // Another address is let in, at no cost until the account's failures pass the limit.
        assert_eq!(
            t.admit("o@x.vn", B).unwrap(),
            Admission::After(Duration::ZERO)
        );
        t.record_failure("o@x.vn", B).unwrap();
        assert_eq!(t.admit("o@x.vn", B).unwrap(), Admission::After(DELAY_STEP));
        for _ in 0..100 {
            t.bump(Throttle::account_key("o@x.vn")).unwrap();
        }
        assert_eq!(t.admit("o@x.vn", B).unwrap(), Admission::After(MAX_DELAY));
        // Another account is untouched; a login clears only its own address.
        assert_eq!(
            t.admit("p@x.vn", A).unwrap(),
            Admission::After(Duration::ZERO)
        );
        t.reset("o@x.vn", A).unwrap();
        assert_eq!(t.admit("o@x.vn", A).unwrap(), Admission::After(MAX_DELAY));
    }
}

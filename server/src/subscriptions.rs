//! The webhook worker: delivers named queries' results to their subscribers.
//!
//! Every `poll` it reads the subscriptions due (a stream subscription is due when it last
//! looked `poll` ago, a scheduled one at its next scheduled time, a failed one when its retry
//! wait is over), claims each (`db::queries::claim`, so two processes never deliver one at
//! once), and POSTs the events recorded after its cursor as an `EPCISQueryDocument` (at most
//! 1,000 a delivery) signed with `GS1-Signature: sha256=<hex HMAC-SHA256 of the body keyed
//! with the signatureToken>`. The cursor moves only on a 2xx answer; a failure waits
//! `retry`, doubled each attempt up to `retry_max` (and the retry holds half as many events:
//! `subscriptions::batch_size`), and after `attempts` failures the
//! subscription records the error and waits `retry_max` (or its next scheduled time) before
//! starting over. All of this state is in the database, so a restart resumes it.

use std::time::Duration;

use chrono::NaiveDateTime;
use db::queries::SubscriptionRow;
use domain::{DomainError, subscriptions};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::api::epcis::query_document;

/// How the worker polls, retries and gives up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryConfig {
    /// How often due subscriptions are looked for.
    pub poll: Duration,
    /// The wait after the first failed attempt; doubled after each further one.
    pub retry: Duration,
    /// The longest wait between attempts.
    pub retry_max: Duration,
    /// Failed attempts at one delivery before the failure is recorded and it waits longest.
    pub attempts: u32,
    /// Events recorded less than this long ago wait for the next look (a capture commits
    /// after it takes its record time).
    pub settle: Duration,
    /// The longest one delivery (connect, send, answer) may take.
    pub timeout: Duration,
    /// Whether receivers on loopback, private, link-local or otherwise non-public addresses
    /// are delivered to (off by default: a subscriber must not make the server post to its own
    /// network; tests and closed deployments turn it on).
    pub allow_private: bool,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            poll: Duration::from_secs(2),
            retry: Duration::from_secs(1),
            retry_max: Duration::from_secs(300),
            attempts: 8,
            settle: Duration::from_secs(2),
            timeout: Duration::from_secs(10),
            allow_private: false,
        }
    }
}

/// Subscriptions delivered per look at most; the rest wait for the next.
const PER_LOOK: i64 = 32;

/// Starts the worker on the current Tokio runtime; it runs until the runtime stops.
pub fn start(pool: db::Pool, config: DeliveryConfig) -> tokio::task::JoinHandle<()> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(config.timeout))
        // The status is the worker's to judge; a redirect is a failure, not followed (the
        // body would be re-sent where the subscriber did not say).
        .http_status_as_error(false)
        .max_redirects(0)
        // The subscriber named the receiver; no proxy from the environment sits between.
        .proxy(None)
        .build()
        .into();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(config.poll);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let (pool, agent, config) = (pool.clone(), agent.clone(), config.clone());
            match tokio::task::spawn_blocking(move || look(&pool, &agent, &config)).await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "subscription worker"),
                Err(e) => tracing::error!(error = %e, "subscription worker panicked"),
            }
        }
    })
}

/// One look: every due subscription, delivered or retried.
fn look(pool: &db::Pool, agent: &ureq::Agent, config: &DeliveryConfig) -> Result<(), DomainError> {
    let due = {
        let mut conn = pool.get().map_err(DomainError::internal)?;
        db::queries::due(&mut conn, db::now(), PER_LOOK)?
    };
    for sub in due {
        if let Err(e) = deliver(pool, agent, config, &sub) {
            tracing::warn!(subscription = %sub.id, error = %e, "subscription delivery");
        }
    }
    Ok(())
}

/// `std::time::Duration` as a chrono one (saturating).
fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// The wait after `attempts` failed attempts.
fn backoff(config: &DeliveryConfig, attempts: u32) -> Duration {
    let factor = 1u32
        .checked_shl(attempts.saturating_sub(1))
        .unwrap_or(u32::MAX);
    config
        .retry
        .checked_mul(factor)
        .unwrap_or(config.retry_max)
        .min(config.retry_max)
}

/// Delivers (or tries to) one due subscription.
fn deliver(
    pool: &db::Pool,
    agent: &ureq::Agent,
    config: &DeliveryConfig,
    sub: &SubscriptionRow,
) -> Result<(), DomainError> {
    let mut conn = pool.get().map_err(DomainError::internal)?;
    let now = db::now();
    // Long enough for the delivery; if this process dies meanwhile, another takes over then.
    let lease = now + chrono(config.timeout) + chrono::Duration::seconds(30);
    if !db::queries::claim(&mut conn, &sub.id, sub.due_at, lease)? {
        return Ok(());
    }
    let schedule = subscriptions::schedule_of(sub)?;
    // When it is due next if nothing more is waiting: the next look, or the next run.
    let regular = |now: NaiveDateTime| match &schedule {
        Some(s) => s
            .next_after(now)
            .unwrap_or(now + chrono::Duration::days(366)),
        None => now + chrono(config.poll),
    };
    let batch = match subscriptions::batch(&mut conn, sub, now - chrono(config.settle)) {
        Ok(b) => b,
        Err(e @ (DomainError::Invalid(_) | DomainError::TooLarge(_) | DomainError::NotFound)) => {
            // The definition no longer runs (or the query went): say so where GET shows it.
            let why = format!("the query cannot run: {e}");
            db::queries::failed(&mut conn, &sub.id, 0, &why, now, regular(now))?;
            return Ok(());
        }
        Err(e) => {
            db::queries::reschedule(&mut conn, &sub.id, None, now + chrono(config.retry))?;
            return Err(e);
        }
    };
    let cursor = batch
        .resume
        .clone()
        .unwrap_or_else(|| (sub.cursor_time, sub.cursor_id.clone()));
    let report = !batch.events.is_empty() || (schedule.is_some() && sub.report_if_empty);
    if !report {
        // Nothing to send; rows examined without a match need not be examined again.
        let next = if batch.more { now } else { regular(now) };
        db::queries::reschedule(&mut conn, &sub.id, batch.resume.clone(), next)?;
        return Ok(());
    }
    // No connection is held while the receiver takes its time.
    drop(conn);
    let format = subscriptions::epc_format(sub);
    let doc = query_document(batch.events, format, &batch.query_name, Some(&sub.id));
    let body = serde_json::to_vec(&doc).map_err(DomainError::internal)?;
    let outcome = post(agent, config, &sub.dest, &sub.signature_token, body);
    let mut conn = pool.get().map_err(DomainError::internal)?;
    let now = db::now();
    match outcome {
        Ok(()) => {
            let next = if batch.more { now } else { regular(now) };
            db::queries::delivered(&mut conn, &sub.id, (cursor.0, &cursor.1), now, next)?;
        }
        Err(why) => {
            let attempts = u32::try_from(sub.attempts).unwrap_or(0).saturating_add(1);
            if attempts >= config.attempts {
                let why = format!("gave up after {attempts} attempts: {why}");
                let next = regular(now).max(now + chrono(config.retry_max));
                db::queries::failed(&mut conn, &sub.id, 0, &why, now, next)?;
            } else {
                let next = now + chrono(backoff(config, attempts));
                let n = i32::try_from(attempts).unwrap_or(i32::MAX);
                db::queries::failed(&mut conn, &sub.id, n, &why.0, now, next)?;
            }
        }
    }
    Ok(())
}

/// `sha256=` and the hex HMAC-SHA256 of `body` keyed with the subscription's token.
pub fn signature(token: &str, body: &[u8]) -> String {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    match Hmac::<Sha256>::new_from_slice(token.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
        }
        Err(_) => String::new(),
    }
}

/// POSTs a document; `Err` says why the receiver did not take it (never naming the token).
fn post(
    agent: &ureq::Agent,
    config: &DeliveryConfig,
    dest: &str,
    token: &str,
    body: Vec<u8>,
) -> Result<(), Undelivered> {
    if !config.allow_private {
        public_receiver(dest)?;
    }
    let sig = signature(token, &body);
    let res = agent
        .post(dest)
        .header("Content-Type", "application/ld+json")
        .header("GS1-Signature", &sig)
        .header("GS1-EPCIS-Version", "2.0.0")
        .header("GS1-CBV-Version", "2.0.0")
        .send(&body[..]);
    match res {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(Undelivered(format!("the receiver answered {}", r.status()))),
        Err(e) => Err(Undelivered(format!("cannot deliver: {e}"))),
    }
}

/// Why a receiver did not take a delivery (never naming the token): what `lastError` records.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Undelivered(String);

impl From<&str> for Undelivered {
    fn from(why: &str) -> Self {
        Undelivered(why.to_owned())
    }
}

/// Refuses a receiver whose host resolves to a non-public address (SSRF). The client resolves
/// the name again when it connects, so a name that changes its answer in between (DNS
/// rebinding) is not caught; a resolver hook in the client would close that gap.
fn public_receiver(dest: &str) -> Result<(), Undelivered> {
    use std::net::{IpAddr, ToSocketAddrs};
    let url: actix_web::http::Uri = dest
        .parse()
        .map_err(|_| Undelivered::from("the receiver's address is no URL"))?;
    let host = url.host().ok_or("the receiver's address names no host")?;
    let port = url
        .port_u16()
        .unwrap_or(if url.scheme_str() == Some("https") {
            443
        } else {
            80
        });
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let addrs = (host, port)
        .to_socket_addrs()
        .map_err(|e| Undelivered(format!("cannot resolve the receiver: {e}")))?;
    for a in addrs {
        let public = match a.ip() {
            IpAddr::V4(v4) => {
                !(v4.is_loopback()
                    || v4.is_private()
                    || v4.is_link_local()
                    || v4.is_unspecified()
                    || v4.is_broadcast()
                    || v4.is_documentation()
                    || v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
            }
            IpAddr::V6(v6) => {
                let first = v6.segments()[0];
                !(v6.is_loopback()
                    || v6.is_unspecified()
                    || (first & 0xfe00) == 0xfc00
                    || (first & 0xffc0) == 0xfe80
                    || v6.to_ipv4_mapped().is_some())
            }
        };
        if !public {
            return Err(Undelivered(format!(
                "the receiver's host resolves to {}, which is not a public address",
                a.ip()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receivers_on_non_public_addresses_are_refused() {
        for dest in [
            "http://127.0.0.1:9/hook",
            "http://localhost/hook",
            "https://10.1.2.3/hook",
            "http://192.168.0.7:8080/",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]:8080/",
            "http://100.64.0.1/",
        ] {
            let why = public_receiver(dest).expect_err(dest).to_string();
            assert!(why.contains("not a public address"), "{dest}: {why}");
        }
        assert!(public_receiver("http://93.184.215.14/hook").is_ok());
    }

    #[test]
    fn waits_double_up_to_the_cap() {
        let c = DeliveryConfig {
            retry: Duration::from_secs(1),
            retry_max: Duration::from_secs(5),
            ..DeliveryConfig::default()
        };
        let waits: Vec<u64> = (1..=5).map(|n| backoff(&c, n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 5, 5]);
        assert_eq!(backoff(&c, 200), Duration::from_secs(5));
    }
}

//! The cache's behaviour: levels, expiry, invalidation, coalescing, and Redis sharing when
//! `TEST_REDIS_URL` is set.

use std::sync::atomic::AtomicUsize;

use super::*;
use crate::config::Secret;

fn config(ttl: Duration) -> CacheConfig {
    CacheConfig {
        ttl,
        max_entries: 1000,
    }
}

/// A loader that counts its runs and answers `body`.
fn loader(
    runs: &Arc<AtomicUsize>,
    body: &'static str,
) -> impl FnOnce() -> std::future::Ready<Result<Entry, ApiError>> + use<> {
    let runs = Arc::clone(runs);
    move || {
        runs.fetch_add(1, Ordering::SeqCst);
        std::future::ready(Ok(Entry::new(200, Vec::new(), body)))
    }
}

async fn body(cache: &Cache, scope: &str, variant: &str, runs: &Arc<AtomicUsize>) -> String {
    let e = cache
        .get_or_load(scope, &[variant], loader(runs, "v"))
        .await
        .map_err(|e| e.to_string());
    match e {
        Ok(e) => String::from_utf8_lossy(&e.body).into_owned(),
        Err(e) => panic!("load failed: {e}"),
    }
}

fn runs(n: &Arc<AtomicUsize>) -> usize {
    n.load(Ordering::SeqCst)
}

#[tokio::test]
async fn second_lookup_is_an_l1_hit_and_variants_are_separate() {
    let cache = Cache::local(config(Duration::from_secs(60)));
    let n = Arc::new(AtomicUsize::new(0));
    body(&cache, "09506000134352", "redirect|lang=vi", &n).await;
    body(&cache, "09506000134352", "redirect|lang=vi", &n).await;
    assert_eq!(runs(&n), 1);
    body(&cache, "09506000134352", "redirect|lang=en", &n).await;
    body(&cache, "09506000134369", "redirect|lang=vi", &n).await;
    assert_eq!(runs(&n), 3);
    let s = cache.stats();
    assert_eq!((s.l1_hits, s.loads, s.l2_hits), (1, 3, 0));
    assert!(
        s.render()
            .contains("cache_lookups_total{outcome=\"l1_hit\"} 1\n")
    );
}

#[tokio::test]
async fn entries_expire_after_the_ttl() {
    let cache = Cache::local(config(Duration::from_millis(100)));
    let n = Arc::new(AtomicUsize::new(0));
    body(&cache, "s", "v", &n).await;
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 1);
    tokio::time::sleep(Duration::from_millis(250)).await;
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 2, "expired entry reloaded");
}

#[tokio::test]
async fn bump_invalidates_only_its_scope() {
    let cache = Cache::local(config(Duration::from_secs(60)));
    let (a, b) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    body(&cache, "a", "v", &a).await;
    body(&cache, "b", "v", &b).await;
    let before = cache.generation("a");
    cache.bump("a");
    assert!(cache.generation("a") > before);
    body(&cache, "a", "v", &a).await;
    body(&cache, "b", "v", &b).await;
    assert_eq!((runs(&a), runs(&b)), (2, 1));
    body(&cache, "a", "v", &a).await;
    assert_eq!(runs(&a), 2, "the reloaded entry is kept");
}

#[tokio::test]
async fn bump_all_invalidates_every_scope() {
    let cache = Cache::local(config(Duration::from_secs(60)));
    let (a, b) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    body(&cache, "a", "v", &a).await;
    body(&cache, "b", "w", &b).await;
    cache.bump_all();
    body(&cache, "a", "v", &a).await;
    body(&cache, "b", "w", &b).await;
    assert_eq!((runs(&a), runs(&b)), (2, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_misses_run_one_load() {
    let cache = Cache::local(config(Duration::from_secs(60)));
    let n = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..50 {
        let (cache, n) = (cache.clone(), Arc::clone(&n));
        tasks.spawn(async move {
            cache
                .get_or_load("cold", &["v"], || async move {
                    n.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Ok(Entry::new(200, Vec::new(), "loaded"))
                })
                .await
                .map(|e| e.body.clone())
                .map_err(|e| e.to_string())
        });
    }
    let mut answers = 0;
    while let Some(r) = tasks.join_next().await {
        assert_eq!(r.map_err(|e| e.to_string()), Ok(Ok("loaded".into())));
        answers += 1;
    }
    assert_eq!(answers, 50);
    assert_eq!(runs(&n), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_not_cached_and_reach_every_waiting_caller() {
    let cache = Cache::local(config(Duration::from_secs(60)));
    let n = Arc::new(AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (cache, n) = (cache.clone(), Arc::clone(&n));
        tasks.spawn(async move {
            cache
                .get_or_load("s", &["v"], || async move {
                    n.fetch_add(1, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    Err::<Entry, _>(ApiError::internal(std::io::Error::other("db down")))
                })
                .await
                .map(|_| ())
        });
    }
    while let Some(r) = tasks.join_next().await {
        match r {
            Ok(Err(ApiError::Internal(e))) => {
                assert!(crate::error::chain(&*e).contains("db down"), "{e}");
            }
            other => panic!("expected an internal error, got {other:?}"),
        }
    }
    assert_eq!(runs(&n), 1);
    let r = cache
        .get_or_load("s", &["v"], || async {
            Err::<Entry, _>(ApiError::NotFound)
        })
        .await;
    assert!(matches!(r, Err(ApiError::NotFound)), "{r:?}");
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 2, "each failure left nothing behind");
}

#[tokio::test]
async fn an_entry_loaded_across_a_bump_is_answered_but_not_kept() {
    let cache = Cache::local(config(Duration::from_secs(60)));
    let n = Arc::new(AtomicUsize::new(0));
    let c = cache.clone();
    let e = cache
        .get_or_load("s", &["v"], || async move {
            // A write commits (and bumps) while this load reads.
            c.bump("s");
            Ok(Entry::new(200, Vec::new(), "old"))
        })
        .await
        .map_err(|e| e.to_string());
    assert_eq!(e.map(|e| e.body.clone()), Ok("old".into()));
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 1, "the entry built across the bump was not kept");
}

#[tokio::test]
async fn the_shared_level_answers_after_the_process_level_is_cleared() {
    let store = Arc::new(MemoryStore::new(100));
    let cache = Cache::with_store(config(Duration::from_secs(60)), store);
    let n = Arc::new(AtomicUsize::new(0));
    body(&cache, "s", "v", &n).await;
    cache.clear_local();
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 1);
    assert_eq!(cache.stats().l2_hits, 1);
    cache.bump("s");
    cache.clear_local();
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 2, "a bump makes the shared entry unreachable");
}

/// A Redis key prefix of its own, deleted with every key under it when dropped.
struct RedisPrefix {
    url: String,
    prefix: String,
}

impl RedisPrefix {
    fn new() -> Option<Self> {
        let url = std::env::var("TEST_REDIS_URL")
            .ok()
            .filter(|u| !u.is_empty());
        let Some(url) = url else {
            eprintln!("TEST_REDIS_URL not set: skipping a Redis-backed cache test");
            return None;
        };
        let prefix = format!("test:cache:{}:", uuid::Uuid::now_v7().simple());
        Some(Self { url, prefix })
    }

    fn cache(&self, ttl: Duration) -> Cache {
        let kv = RedisKv::open(
            &Secret::new(self.url.clone()),
            &self.prefix,
            crate::redis_kv::DEFAULT_TIMEOUT,
        );
        match kv {
            Ok(kv) => Cache::with_redis(config(ttl), kv),
            Err(e) => panic!("TEST_REDIS_URL: {e}"),
        }
    }
}

impl Drop for RedisPrefix {
    fn drop(&mut self) {
        let Ok(mut c) = redis::Client::open(self.url.as_str()).and_then(|c| c.get_connection())
        else {
            return;
        };
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{}*", self.prefix))
            .query(&mut c)
            .unwrap_or_default();
        if !keys.is_empty() {
            let _: redis::RedisResult<i64> = redis::cmd("DEL").arg(keys).query(&mut c);
        }
    }
}

/// Polls `f` every 20 ms for up to 2 s.
async fn eventually(mut f: impl AsyncFnMut() -> bool) -> bool {
    for _ in 0..100 {
        if f().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_is_a_shared_level_for_other_processes() {
    let Some(redis) = RedisPrefix::new() else {
        return;
    };
    let (a, b) = (
        redis.cache(Duration::from_secs(60)),
        redis.cache(Duration::from_secs(60)),
    );
    let n = Arc::new(AtomicUsize::new(0));
    body(&a, "09506000134352", "v", &n).await;
    body(&b, "09506000134352", "v", &n).await;
    assert_eq!(runs(&n), 1, "the second process read the first one's entry");
    assert_eq!(b.stats().l2_hits, 1);
    body(&b, "09506000134352", "v", &n).await;
    assert_eq!(b.stats().l1_hits, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bump_on_one_process_invalidates_the_others() {
    let Some(redis) = RedisPrefix::new() else {
        return;
    };
    let (a, b) = (
        redis.cache(Duration::from_secs(60)),
        redis.cache(Duration::from_secs(60)),
    );
    assert!(a.wait_listening(Duration::from_secs(2)).await);
    assert!(b.wait_listening(Duration::from_secs(2)).await);
    let n = Arc::new(AtomicUsize::new(0));
    let scope = "09506000134352";
    for c in [&a, &b] {
        c.get_or_load(scope, &["v"], loader(&n, "old"))
            .await
            .map_err(|e| e.to_string())
            .ok();
    }
    let before = b.generation(scope);
    a.bump(scope);
    let seen = eventually(async || {
        let e = b.get_or_load(scope, &["v"], loader(&n, "new")).await;
        matches!(e, Ok(e) if e.body == "new")
    })
    .await;
    assert!(seen, "b still serves the old entry after 2 s");
    assert!(b.generation(scope) > before);

    // bump_all reaches other processes too.
    let other = Arc::new(AtomicUsize::new(0));
    body(&b, "another", "v", &other).await;
    a.bump_all();
    let reloaded = eventually(async || {
        body(&b, "another", "v", &other).await;
        runs(&other) == 2
    })
    .await;
    assert!(reloaded, "b kept its entry after a bump_all elsewhere");
}

#[tokio::test]
async fn an_unreachable_redis_degrades_to_the_process_level() {
    let kv = RedisKv::open(
        &Secret::new("redis://127.0.0.1:1".to_owned()),
        "x:",
        crate::redis_kv::DEFAULT_TIMEOUT,
    );
    let Ok(kv) = kv else {
        panic!("url");
    };
    let cache = Cache::with_redis(config(Duration::from_secs(60)), kv);
    assert!(!cache.wait_listening(Duration::from_secs(2)).await);
    let n = Arc::new(AtomicUsize::new(0));
    body(&cache, "s", "v", &n).await;
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 1);
    cache.bump("s");
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 2, "local bumps still work");
    // Another process's bumps cannot arrive: an entry is served a second at most.
    tokio::time::sleep(super::UNHEARD_TTL).await;
    body(&cache, "s", "v", &n).await;
    assert_eq!(runs(&n), 3, "an entry outlived the unheard lifetime");
}

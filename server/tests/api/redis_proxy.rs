//! A TCP proxy in front of the test Redis that a test can take down (connections reset, new
//! ones closed at once, as when Redis is killed) or hang (connections accepted, nothing
//! forwarded, as when Redis is stopped with SIGSTOP), then bring back.

use std::{
    io::{ErrorKind, Read, Write},
    net::{Shutdown, TcpListener, TcpStream},
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU8, Ordering},
    },
    thread,
    time::Duration,
};

const UP: u8 = 0;
const DOWN: u8 = 1;
const HUNG: u8 = 2;

/// The proxy; it runs until the test process ends.
pub struct RedisProxy {
    port: u16,
    mode: Arc<AtomicU8>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl RedisProxy {
    /// A proxy to the Redis of `upstream` (`redis://host:port[/db]`), forwarding.
    pub fn start(upstream: &str) -> Self {
        let rest = upstream
            .strip_prefix("redis://")
            .expect("TEST_REDIS_URL is redis://host:port");
        let target = rest.split('/').next().unwrap_or(rest).to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let mode = Arc::new(AtomicU8::new(UP));
        let open = Arc::new(Mutex::new(Vec::new()));
        let (m, o) = (Arc::clone(&mode), Arc::clone(&open));
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if m.load(Ordering::Acquire) == DOWN {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                let Ok(server) = TcpStream::connect(&target) else {
                    continue;
                };
                let mut open = o.lock().unwrap_or_else(PoisonError::into_inner);
                for s in [&client, &server] {
                    if let Ok(c) = s.try_clone() {
                        open.push(c);
                    }
                }
                drop(open);
                pump(&client, &server, &m);
                pump(&server, &client, &m);
            }
        });
        Self { port, mode, open }
    }

    /// The URL the nodes use.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Forwards again (after `hang`, what was held is delivered, as after SIGCONT).
    pub fn up(&self) {
        self.mode.store(UP, Ordering::Release);
    }

    /// Resets every connection and closes new ones at once.
    pub fn down(&self) {
        self.mode.store(DOWN, Ordering::Release);
        let open = std::mem::take(&mut *self.open.lock().unwrap_or_else(PoisonError::into_inner));
        for s in open {
            let _ = s.shutdown(Shutdown::Both);
        }
    }

    /// Accepts and holds connections but forwards nothing.
    pub fn hang(&self) {
        self.mode.store(HUNG, Ordering::Release);
    }
}

/// Copies `from` to `to` on a thread of its own, holding the bytes while the proxy hangs.
fn pump(from: &TcpStream, to: &TcpStream, mode: &Arc<AtomicU8>) {
    let (Ok(mut from), Ok(mut to)) = (from.try_clone(), to.try_clone()) else {
        return;
    };
    let mode = Arc::clone(mode);
    thread::spawn(move || {
        let _ = from.set_read_timeout(Some(Duration::from_millis(20)));
        let mut buf = [0u8; 16 * 1024];
        loop {
            if mode.load(Ordering::Acquire) == HUNG {
                thread::sleep(Duration::from_millis(5));
                continue;
            }
            let n = match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    continue;
                }
                Err(_) => break,
            };
            while mode.load(Ordering::Acquire) == HUNG {
                thread::sleep(Duration::from_millis(5));
            }
            if mode.load(Ordering::Acquire) == DOWN || to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
    });
}

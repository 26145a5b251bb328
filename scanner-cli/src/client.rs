//! The platform's HTTP API as gs1scan uses it: one blocking client, errors that say whether the
//! network or the server refused.

use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

/// The most a response body may hold: a status pack of 100,000 products fits.
const BODY_LIMIT: u64 = 512 * 1024 * 1024;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached (no network, refused, timed out): worth queueing.
    #[error("cannot reach {server}: {reason}")]
    Network {
        /// Base URL.
        server: String,
        /// What the transport said.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{server} refused ({status}): {detail}")]
    Refused {
        /// Base URL.
        server: String,
        /// HTTP status.
        status: u16,
        /// The problem's detail or title.
        detail: String,
    },
    /// The answer was not what the API documents.
    #[error("{server} answered something unexpected: {reason}")]
    Unexpected {
        /// Base URL.
        server: String,
        /// Why it could not be read.
        reason: String,
    },
}

/// A response: status, ETag and body.
#[derive(Debug)]
pub struct Answer {
    /// HTTP status (2xx or 304).
    pub status: u16,
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The body.
    pub body: String,
}

impl Answer {
    /// The body as JSON.
    pub fn json(&self, server: &str) -> Result<Value, ClientError> {
        serde_json::from_str(&self.body).map_err(|e| ClientError::Unexpected {
            server: server.to_owned(),
            reason: e.to_string(),
        })
    }
}

/// A client of one server, with an optional credential.
pub struct Client {
    server: String,
    credential: Option<String>,
    agent: ureq::Agent,
}

impl Client {
    /// A client for `server` (base URL).
    pub fn new(server: &str, credential: Option<String>) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5)))
            .timeout_global(Some(Duration::from_secs(60)))
            .user_agent(concat!("gs1scan/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Self {
            server: server.trim_end_matches('/').to_owned(),
            credential,
            agent,
        }
    }

    /// The base URL.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// `GET path` (path includes the query), with extra headers.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Result<Answer, ClientError> {
        let mut req = self.agent.get(format!("{}{path}", self.server));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(c) = &self.credential {
            req = req.header("Authorization", format!("Bearer {c}"));
        }
        self.finish(req.call())
    }

    /// `POST path` with a JSON body, with extra headers.
    pub fn post<T: Serialize>(
        &self,
        path: &str,
        body: &T,
        headers: &[(&str, &str)],
    ) -> Result<Answer, ClientError> {
        let mut req = self
            .agent
            .post(format!("{}{path}", self.server))
            .header("Accept", "application/json");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(c) = &self.credential {
            req = req.header("Authorization", format!("Bearer {c}"));
        }
        self.finish(req.send_json(body))
    }

    fn finish(
        &self,
        res: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<Answer, ClientError> {
        let mut res = res.map_err(|e| ClientError::Network {
            server: self.server.clone(),
            reason: e.to_string(),
        })?;
        let status = res.status().as_u16();
        let etag = res
            .headers()
            .get("etag")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = res
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_string()
            .map_err(|e| ClientError::Network {
                server: self.server.clone(),
                reason: e.to_string(),
            })?;
        if (200..300).contains(&status) || status == 304 {
            return Ok(Answer { status, etag, body });
        }
        Err(ClientError::Refused {
            server: self.server.clone(),
            status,
            detail: problem_detail(&body),
        })
    }
}

/// The most useful line of an RFC 9457 problem: its detail, the first field error, or its title.
fn problem_detail(body: &str) -> String {
    let Ok(v) = serde_json::from_str::<Value>(body) else {
        return body.chars().take(200).collect();
    };
    let field = v["errors"].get(0).map(|e| {
        format!(
            "{}: {}",
            e["field"].as_str().unwrap_or("?"),
            e["reason"]
                .as_str()
                .or(e["message"].as_str())
                .unwrap_or("?")
        )
    });
    let detail = v["detail"]
        .as_str()
        .or(v["title"].as_str())
        .map(str::to_owned);
    match (detail, field) {
        (Some(d), Some(f)) => format!("{d} ({f})"),
        (Some(d), None) => d,
        (None, Some(f)) => f,
        (None, None) => body.chars().take(200).collect(),
    }
}

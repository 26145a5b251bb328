//! Loading vector rows and tallying outcomes per kind.

use std::collections::BTreeMap;

use serde_json::Value;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/reference/gs1-syntax-vectors.jsonl"
);

/// One vector row.
pub struct Row {
    pub v: Value,
    pub line: usize,
}

impl Row {
    pub fn kind(&self) -> &str {
        self.v["kind"].as_str().unwrap_or_default()
    }
    pub fn src(&self) -> &str {
        self.v["src"].as_str().unwrap_or_default()
    }
    pub fn input(&self) -> &str {
        self.v["input"].as_str().unwrap_or_default()
    }
    pub fn input_text(&self) -> String {
        match &self.v["input"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
    pub fn ok(&self) -> bool {
        self.v["ok"].as_bool().unwrap_or(false)
    }
    pub fn expect(&self) -> &Value {
        &self.v["expect"]
    }
    pub fn scope(&self) -> &str {
        self.v["scope"].as_str().unwrap_or_default()
    }
    pub fn option(&self, path: &[&str]) -> &Value {
        path.iter().fold(&self.v["options"], |v, k| &v[*k])
    }
    pub fn flag(&self, path: &[&str]) -> Option<bool> {
        self.option(path).as_bool()
    }
}

/// The result of running one row.
pub enum Outcome {
    Pass,
    Fail(String),
}

impl Outcome {
    /// Compares `got` with `want`, describing the difference.
    pub fn eq<T: PartialEq + std::fmt::Debug>(got: T, want: T) -> Self {
        if got == want {
            Self::Pass
        } else {
            Self::Fail(format!("got {got:?}, want {want:?}"))
        }
    }
    /// Checks a result that should succeed or fail per `ok`, then compares on success.
    pub fn check<T, E: std::fmt::Debug>(
        ok: bool,
        got: Result<T, E>,
        on_ok: impl FnOnce(T) -> Outcome,
    ) -> Self {
        match (ok, got) {
            (true, Ok(v)) => on_ok(v),
            (true, Err(e)) => Self::Fail(format!("unexpected error {e:?}")),
            (false, Ok(_)) => Self::Fail("accepted, expected a refusal".into()),
            (false, Err(_)) => Self::Pass,
        }
    }
}

pub fn load() -> Vec<Row> {
    let text = std::fs::read_to_string(VECTORS).unwrap_or_else(|e| panic!("read {VECTORS}: {e}"));
    text.lines()
        .enumerate()
        .map(|(i, l)| Row {
            v: serde_json::from_str(l).unwrap(),
            line: i + 1,
        })
        .collect()
}

#[derive(Default)]
pub struct Report {
    counts: BTreeMap<String, (usize, usize, usize)>,
    failures: Vec<String>,
}

impl Report {
    pub fn record(&mut self, row: &Row, outcome: Outcome) {
        let c = self.counts.entry(row.kind().to_string()).or_default();
        match outcome {
            Outcome::Pass => c.0 += 1,
            Outcome::Fail(why) => {
                c.1 += 1;
                self.failures.push(format!(
                    "line {} [{}] {:?}: {why}",
                    row.line,
                    row.kind(),
                    row.input_text()
                ));
            }
        }
    }
    pub fn exclude(&mut self, row: &Row, why: &str) {
        self.counts.entry(row.kind().to_string()).or_default().2 += 1;
        println!(
            "excluded line {} [{}] {:?}: {why}",
            row.line,
            row.kind(),
            row.input_text()
        );
    }
    pub fn finish(self) {
        let (mut p, mut f, mut x) = (0, 0, 0);
        println!(
            "{:<14} {:>6} {:>6} {:>8}",
            "kind", "passed", "failed", "excluded"
        );
        for (kind, (pass, fail, excl)) in &self.counts {
            println!("{kind:<14} {pass:>6} {fail:>6} {excl:>8}");
            (p, f, x) = (p + pass, f + fail, x + excl);
        }
        println!("{:<14} {p:>6} {f:>6} {x:>8}", "total");
        for fail in self.failures.iter().take(400) {
            println!("FAIL {fail}");
        }
        assert!(
            self.failures.is_empty(),
            "{} syntax vectors failed (run with --nocapture for the list)",
            self.failures.len()
        );
    }
}

//! `login` and `logout`, and which server and credential a command uses.

use std::io::{BufRead, Write};

use anyhow::Context;
use chrono::{Duration, Utc};
use serde_json::json;

use crate::{
    client::Client,
    home::{self, Home, Session},
};

/// How `login` gets the secret.
pub struct Login {
    /// The server.
    pub server: String,
    /// The e-mail; none with an API key.
    pub email: Option<String>,
    /// Read the password (or API key) from standard input instead of the terminal.
    pub secret_stdin: bool,
    /// The secret is an API key, not a password.
    pub api_key: bool,
}

/// The server a command talks to: `--server`/`GS1DPP_SERVER`, else the signed-in one.
pub fn server(home: &Home, given: Option<&str>) -> anyhow::Result<String> {
    if let Some(s) = given.filter(|s| !s.is_empty()) {
        return Ok(s.trim_end_matches('/').to_owned());
    }
    Ok(home
        .session()?
        .context("no server: pass --server URL (or set GS1DPP_SERVER), or run `gs1scan login`")?
        .server)
}

/// A client of `server`, with the saved credential when it was saved for that server.
pub fn client(home: &Home, server: &str) -> anyhow::Result<Client> {
    let credential = home
        .session()?
        .filter(|s| s.server == server)
        .map(|s| s.credential);
    Ok(Client::new(server, credential))
}

/// The saved session for `server`, refusing an expired token with what to do.
pub fn signed_in(home: &Home, server: &str) -> anyhow::Result<Session> {
    let s = home
        .session()?
        .filter(|s| s.server == server)
        .with_context(|| format!("not signed in to {server}: run `gs1scan login`"))?;
    if s.expires_at.is_some_and(|t| t <= Utc::now()) {
        anyhow::bail!(
            "the sign-in to {server} as {} has expired: run `gs1scan login` again",
            s.who
        );
    }
    Ok(s)
}

/// `login`: checks the credential with the server and saves it (mode 0600).
pub fn login(home: &Home, l: &Login, out: &mut impl Write) -> anyhow::Result<()> {
    let prompt = if l.api_key { "API key: " } else { "Password: " };
    let secret = if l.secret_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\r', '\n']).to_owned()
    } else {
        rpassword::prompt_password(prompt)
            .context("cannot read the secret from the terminal; use --password-stdin")?
    };
    anyhow::ensure!(
        !secret.is_empty(),
        "the {} is empty",
        prompt.trim_end_matches([':', ' ']).to_lowercase()
    );
    let session = if l.api_key {
        // The key is checked by a call it may make: listing inspections needs only a caller.
        let client = Client::new(&l.server, Some(secret.clone()));
        client.get("/api/v1/inspections?limit=1", &[])?;
        Session {
            server: client.server().to_owned(),
            credential: secret,
            who: "api key".to_owned(),
            expires_at: None,
        }
    } else {
        let email = l
            .email
            .as_deref()
            .context("--email is required to log in with a password")?;
        let client = Client::new(&l.server, None);
        let answer = client.post(
            "/api/v1/auth/login",
            &json!({"email": email, "password": secret}),
            &[],
        )?;
        let v = answer.json(client.server())?;
        let token = v["access_token"]
            .as_str()
            .context("the server sent no access token")?;
        let expires_in = v["expires_in"].as_i64().unwrap_or(0);
        Session {
            server: client.server().to_owned(),
            credential: token.to_owned(),
            who: email.to_owned(),
            expires_at: Some(Utc::now() + Duration::seconds(expires_in)),
        }
    };
    home::write_json(&home.session_file(), &session)?;
    match session.expires_at {
        Some(t) => writeln!(
            out,
            "signed in to {} as {} until {}",
            session.server,
            session.who,
            t.format("%Y-%m-%d %H:%M UTC")
        )?,
        None => writeln!(out, "signed in to {} with an API key", session.server)?,
    }
    Ok(())
}

/// `logout`: forgets the credential (queued inspections and the pack stay).
pub fn logout(home: &Home, out: &mut impl Write) -> anyhow::Result<()> {
    match std::fs::remove_file(home.session_file()) {
        Ok(()) => writeln!(out, "signed out")?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => writeln!(out, "not signed in")?,
        Err(e) => return Err(e).context("cannot remove the session file"),
    }
    Ok(())
}

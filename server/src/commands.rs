//! The non-serving commands: migrate, admin create-user, admin rotate-signing-key, audit verify.

use std::io::BufRead;

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

use db::{
    self, DbError,
    audit::{ChainBreak, Verifier},
};
use domain::{
    Actor, Country, DomainError, Email, InvalidValue, OrgKind, OrgName, Password, Role,
    keys::{self, KeyFileError},
    orgs::{self, NewOrg},
    users::{self, NewUser},
};

use crate::{cli::CreateUserArgs, config::Settings};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// The database could not be opened or queried.
    #[error("database")]
    Db(#[from] DbError),
    /// A flag's value is invalid.
    #[error("--{flag}: {reason}")]
    Invalid {
        /// The flag.
        flag: &'static str,
        /// Why.
        reason: String,
    },
    /// A platform rule refused creating the user or organisation.
    #[error("{0}")]
    Write(#[from] DomainError),
    /// A key file could not be read, written or made.
    #[error("key files")]
    Keys(#[from] KeyFileError),
    /// Reading the password failed.
    #[error("reading the password from standard input")]
    Stdin(#[source] std::io::Error),
}

impl From<diesel::result::Error> for CommandError {
    fn from(e: diesel::result::Error) -> Self {
        Self::Db(DbError::Query(e))
    }
}

fn open(settings: &Settings) -> Result<db::PooledConn, DbError> {
    let mut s = settings.clone();
    s.db_pool_size = 1;
    let pool = crate::startup::open_database(&s)?;
    pool.get().map_err(DbError::Pool)
}

/// Applies pending migrations; returns how many ran.
pub fn migrate(settings: &Settings) -> Result<usize, CommandError> {
    let pool = db::pool(settings.database_url.expose(), 1)?;
    let mut conn = pool.get().map_err(DbError::Pool)?;
    Ok(db::migrations::run(&mut conn)?)
}

/// What `admin create-user` did.
#[derive(Debug)]
pub struct CreatedUser {
    /// The user's id.
    pub user_id: String,
    /// The organisation's id.
    pub org_id: String,
    /// Whether the organisation was created now.
    pub org_created: bool,
    /// The generated password, if none was given (printed once, never logged).
    pub generated_password: Option<String>,
}

fn invalid(flag: &'static str) -> impl FnOnce(InvalidValue) -> CommandError {
    move |reason| CommandError::Invalid {
        flag,
        reason: reason.into(),
    }
}

/// Creates a user, and its organisation if no organisation has that name.
pub fn create_user(
    settings: &Settings,
    args: &CreateUserArgs,
    stdin: &mut dyn BufRead,
) -> Result<CreatedUser, CommandError> {
    let email = Email::parse(&args.email).map_err(invalid("email"))?;
    let role: Role = args.role.parse().map_err(invalid("role"))?;
    let org_name = OrgName::parse(&args.org).map_err(invalid("org"))?;
    let default_kind = if role == Role::Admin {
        OrgKind::Authority
    } else {
        OrgKind::Exporter
    };
    let kind = match &args.org_kind {
        Some(k) => k.parse().map_err(invalid("org-kind"))?,
        None => default_kind,
    };
    let country = Country::parse(&args.country).map_err(invalid("country"))?;
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        stdin.read_line(&mut line).map_err(CommandError::Stdin)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_owned();
        (
            Password::parse(pw).map_err(invalid("password-stdin"))?,
            None,
        )
    } else {
        let bytes = keys::random_bytes(18)?;
        let pw = URL_SAFE_NO_PAD.encode(bytes);
        (
            Password::parse(pw.clone()).map_err(invalid("password-stdin"))?,
            Some(pw),
        )
    };

    let mut conn = open(settings)?;
    let actor = Actor::cli();
    // Checked before the organisation is created so a taken e-mail leaves nothing behind.
    if db::users::find_by_email(&mut conn, email.as_str())?.is_some() {
        return Err(CommandError::Invalid {
            flag: "email",
            reason: format!("a user with e-mail {} exists", email.as_str()),
        });
    }
    let existing = db::orgs::by_name(&mut conn, org_name.as_str())?;
    let (org_id, org_created) = match existing.as_slice() {
        [org] => (org.id.clone(), false),
        [] => {
            let org = orgs::create(
                &mut conn,
                &actor,
                NewOrg {
                    kind,
                    name: org_name,
                    country,
                    gln: None,
                },
            )?;
            (org.id, true)
        }
        _ => {
            return Err(CommandError::Invalid {
                flag: "org",
                reason: format!("{} organisations are named {:?}", existing.len(), args.org),
            });
        }
    };
    let user = users::create(
        &mut conn,
        &actor,
        NewUser {
            org_id: org_id.clone(),
            email,
            password,
            role,
        },
    )?;
    Ok(CreatedUser {
        user_id: user.id,
        org_id,
        org_created,
        generated_password: generated,
    })
}

/// The result of `audit verify`.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    /// The whole chain holds; this many entries.
    Intact(i64),
    /// The first broken entry.
    Broken(ChainBreak),
}

/// Recomputes the audit chain in pages of 1,000 entries.
pub fn audit_verify(settings: &Settings) -> Result<Verification, CommandError> {
    let mut conn = open(settings)?;
    let mut verifier = Verifier::default();
    let mut after = 0;
    loop {
        let page = db::audit::list(&mut conn, after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            if let Err(broken) = verifier.push(entry) {
                return Ok(Verification::Broken(broken));
            }
        }
    }
    Ok(Verification::Intact(verifier.count()))
}

/// What `admin rotate-signing-key` did: the retired and the new key ids.
#[derive(Debug)]
pub struct Rotated {
    /// The retired key's id.
    pub old_kid: String,
    /// The new current key's id.
    pub new_kid: String,
}

/// Writes a new passport signing key to the data dir and records both public keys; the old one
/// is kept, retired, so versions it signed stay verifiable. Running servers pick it up on restart.
pub fn rotate_signing_key(settings: &Settings) -> Result<Rotated, CommandError> {
    let mut conn = open(settings)?;
    let (old, new) = domain::signing::rotate_key_file(&settings.data_dir)?;
    let old_row = domain::passports::key_row(&old)?;
    let new_row = domain::passports::key_row(&new)?;
    let rotated = Rotated {
        old_kid: old_row.kid.clone(),
        new_kid: new_row.kid.clone(),
    };
    db::write_transaction(&mut conn, |conn| -> Result<(), DomainError> {
        db::passports::ensure_signing_key(conn, &old_row)?;
        db::passports::ensure_signing_key(conn, &new_row)?;
        db::passports::retire_others(conn, &new_row.kid, db::now())?;
        domain::record(
            conn,
            &Actor::cli(),
            None,
            "signing_key.rotate",
            ("signing_key", &new_row.kid),
            &(&old_row.kid, &new_row.kid),
        )?;
        Ok(())
    })?;
    Ok(rotated)
}

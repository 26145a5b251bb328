//! `gs1dpp-server`: parses the command line and runs the chosen command.

use std::{io::Write, process::ExitCode};

use anyhow::Context;
use clap::Parser;
use server::{
    Application,
    cli::{AdminCommand, AuditCommand, Cli, Command, LogFormat},
    commands::{self, Verification},
};

/// mimalloc rather than glibc's allocator: a resolver cache miss allocates a few dozen small
/// strings, and glibc's malloc and free were a tenth of the miss's CPU (measured with perf at
/// a million products).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init(
        cli.global.log_format == LogFormat::Json,
        "info,actix_server=warn",
    );
    match run(cli) {
        Ok(code) => code,
        // A closed pipe (`gs1dpp-server audit verify | head -0`) is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gs1dpp-server: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = cli.global.settings();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(settings).await.context("cannot start")?;
                app.run_until_stopped()
                    .await
                    .context("server stopped with an error")
            })?;
            tracing::info!("gs1dpp-server stopped");
        }
        Command::Migrate => {
            let n = commands::migrate(&settings).context("migrate")?;
            writeln!(std::io::stdout(), "applied {n} migration(s)")?;
        }
        Command::Admin(AdminCommand::CreateUser(args)) => {
            let created = commands::create_user(&settings, &args, &mut std::io::stdin().lock())
                .context("admin create-user")?;
            let mut out = std::io::stdout().lock();
            if created.org_created {
                writeln!(
                    out,
                    "created organisation {:?} ({})",
                    args.org, created.org_id
                )?;
            }
            writeln!(
                out,
                "created user {} ({}) with role {}",
                args.email, created.user_id, args.role
            )?;
            if let Some(pw) = created.generated_password {
                writeln!(out, "password (shown once): {pw}")?;
            }
        }
        Command::Admin(AdminCommand::RotateSigningKey) => {
            let r = commands::rotate_signing_key(&settings).context("admin rotate-signing-key")?;
            writeln!(
                std::io::stdout(),
                "retired signing key {}; new signing key {} (restart servers to use it)",
                r.old_kid,
                r.new_kid
            )?;
        }
        Command::Seed(args) => {
            let out = match args.products {
                Some(n) => server::seed::products(&settings, n).context("seed --products")?,
                None => server::seed::demo(&settings).context("seed --demo")?,
            };
            writeln!(std::io::stdout(), "{out}")?;
        }
        Command::Audit(AuditCommand::Verify) => {
            match commands::audit_verify(&settings).context("audit verify")? {
                Verification::Intact(n) => {
                    writeln!(std::io::stdout(), "audit log OK: {n} entries")?
                }
                Verification::Broken(b) => {
                    writeln!(
                        std::io::stdout(),
                        "audit log BROKEN at entry {}: {b}",
                        b.seq()
                    )?;
                    return Ok(ExitCode::FAILURE);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

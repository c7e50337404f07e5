//! `dossier-hub`: create the team's database, hand out tokens, serve.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use dossier_hub::{auth, db, listen, server};
use dossier_model::sync::Role;
use dossier_model::{Error, Result};

#[derive(Parser)]
#[command(
    name = "dossier-hub",
    version,
    about = "The Dossier team hub (PostgreSQL)"
)]
struct Cli {
    /// Errors as JSON `{code, message}` on stderr; results as JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or upgrade the team's schema.
    Migrate {
        #[arg(long, env = "DOSSIER_HUB_DATABASE")]
        database: String,
    },
    /// Tokens of the team's members.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Serve the team until stopped (SIGINT or SIGTERM).
    Serve {
        #[arg(long, env = "DOSSIER_HUB_DATABASE")]
        database: String,
        /// Address to listen on; without TLS only a loopback address.
        #[arg(long, default_value = "127.0.0.1:7878")]
        listen: SocketAddr,
        /// The hub's certificate chain (PEM, its own certificate first): serve HTTPS.
        #[arg(long, requires = "tls_key", value_name = "FILE")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM).
        #[arg(long, requires = "tls_cert", value_name = "FILE")]
        tls_key: Option<PathBuf>,
        /// Database connections.
        #[arg(long, default_value_t = 16)]
        connections: usize,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Add a member and print their new token (only its hash is kept).
    Add {
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long, env = "DOSSIER_HUB_DATABASE")]
        database: String,
    },
    /// Revoke a member's token at once.
    Revoke {
        name: String,
        #[arg(long, env = "DOSSIER_HUB_DATABASE")]
        database: String,
    },
}

fn parse_role(s: &str) -> std::result::Result<Role, String> {
    Role::ALL
        .into_iter()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| "owner, analyst or reader".to_string())
}

async fn shutdown() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Migrate { database } => {
            let pool = db::pool(&database, 2)?;
            let version = db::migrate(&pool).await?;
            if cli.json {
                println!("{}", serde_json::json!({ "schema": version }));
            } else {
                println!("the team's database is at schema version {version}");
            }
        }
        Command::Token { command } => match command {
            TokenCommand::Add {
                name,
                role,
                database,
            } => {
                let pool = db::pool(&database, 2)?;
                db::check_schema(&pool).await?;
                let token = auth::add(&pool, &name, role).await?;
                if cli.json {
                    println!(
                        "{}",
                        serde_json::json!({ "name": name, "role": role, "token": token })
                    );
                } else {
                    println!("{token}");
                }
            }
            TokenCommand::Revoke { name, database } => {
                let pool = db::pool(&database, 2)?;
                if !db::revoke(&pool, &name).await? {
                    return Err(Error::not_found("member", &name));
                }
                if cli.json {
                    println!("{}", serde_json::json!({ "name": name, "revoked": true }));
                } else {
                    println!("{name}'s token is revoked");
                }
            }
        },
        Command::Serve {
            database,
            listen,
            tls_cert,
            tls_key,
            connections,
        } => {
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(listen::Tls::from_pem_files(&cert, &key)?),
                _ => None,
            };
            let scheme = if tls.is_some() { "https" } else { "http" };
            let pool = db::pool(&database, connections.max(1))?;
            server::serve(
                pool,
                listen,
                tls,
                |addr| {
                    // The one line that says the hub is ready (tests and scripts wait for it).
                    println!("dossier-hub: serving {scheme}://{addr}");
                },
                shutdown(),
            )
            .await?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("dossier-hub: no async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                eprintln!("{}", serde_json::to_string(&e).unwrap_or_default());
            } else {
                eprintln!("dossier-hub: {}", e.message);
            }
            ExitCode::FAILURE
        }
    }
}

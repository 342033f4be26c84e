//! `devteam-cli secrets`: GitHub tokens and API keys in the OS keychain, set
//! from stdin or a hidden prompt (never from argv, which `ps` shows), listed
//! by name only.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use devteam_engine::github::{TokenInfo, TokenKind};
use devteam_engine::secrets::{self, SecretName};
use devteam_engine::{EngineError, EngineResult, ErrorCode};

use crate::output::{print_json, report_error};

#[derive(Args)]
pub struct SecretsArgs {
    #[command(subcommand)]
    command: SecretsCommand,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Subcommand)]
enum SecretsCommand {
    /// Store a secret; the value is read from stdin, or asked for without echo.
    /// A GitHub token is checked with GitHub first: one it refuses is not
    /// stored.
    Set {
        /// github:HOST:ACCOUNT for a GitHub token, or an environment variable
        /// name such as ANTHROPIC_API_KEY for an agent's API key.
        name: String,
        /// The REST API address to check a GitHub token with (default:
        /// https://api.github.com for github.com, https://HOST/api/v3 for
        /// GitHub Enterprise).
        #[arg(long = "api-base")]
        api_base: Option<String>,
        /// Store a GitHub token without asking GitHub about it (offline).
        #[arg(long = "no-check")]
        no_check: bool,
    },
    /// List the stored secrets' names (never their values).
    List,
    /// Remove a secret from the keychain.
    Remove { name: String },
    /// Ask GitHub whose a stored token is and what it may do.
    Check {
        /// github:HOST:ACCOUNT
        name: String,
        /// The REST API address (default: https://api.github.com for
        /// github.com, https://HOST/api/v3 for GitHub Enterprise).
        #[arg(long = "api-base")]
        api_base: Option<String>,
    },
}

pub async fn run(args: SecretsArgs) -> anyhow::Result<ExitCode> {
    let json = args.json;
    let outcome = match args.command {
        SecretsCommand::Set { name, api_base, no_check } => set(&name, api_base.as_deref(), no_check, json).await,
        SecretsCommand::List => list(json).await,
        SecretsCommand::Remove { name } => remove(&name, json).await,
        SecretsCommand::Check { name, api_base } => check(&name, api_base.as_deref(), json).await,
    };
    Ok(match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => report_error(&e, json),
    })
}

async fn set(name: &str, api_base: Option<&str>, no_check: bool, json: bool) -> EngineResult<()> {
    let name = SecretName::parse(name)?;
    let value = read_value(&name)?;
    let saved = secrets::save_secret(&name, &value, api_base, !no_check).await?;
    if json {
        print_json(&saved).ok();
        return Ok(());
    }
    println!("stored {name} in the keychain");
    if let Some(info) = &saved.token {
        print_token(&name, info);
    }
    if let Some(why) = &saved.not_checked {
        println!("  not checked: {why} (`devteam-cli secrets check {name}` tries again)");
    }
    Ok(())
}

async fn list(json: bool) -> EngineResult<()> {
    let infos = secrets::list_secrets().await?;
    if json {
        print_json(&infos).ok();
    } else if infos.is_empty() {
        println!("no secrets stored yet: add one with `devteam-cli secrets set NAME` (the value is read from stdin)");
    } else {
        for info in &infos {
            match (&info.host, &info.account) {
                (Some(host), Some(account)) => println!("{}  (GitHub token of {account} on {host})", info.name),
                _ => println!("{}  (API key)", info.name),
            }
        }
    }
    Ok(())
}

async fn remove(name: &str, json: bool) -> EngineResult<()> {
    let name = SecretName::parse(name)?;
    secrets::remove_secret(&name).await?;
    if json {
        print_json(&serde_json::json!({ "removed": name.to_string() })).ok();
    } else {
        println!("removed {name} from the keychain");
    }
    Ok(())
}

async fn check(name: &str, api_base: Option<&str>, json: bool) -> EngineResult<()> {
    let name = SecretName::parse(name)?;
    let info = secrets::check_stored_token(&name, api_base).await?;
    if json {
        print_json(&info).ok();
    } else {
        print_token(&name, &info);
    }
    Ok(())
}

fn print_token(name: &SecretName, info: &TokenInfo) {
    println!("{name}: valid, acts as {} on {}", info.login, info.host);
    match info.kind {
        TokenKind::Classic => {
            println!("  scopes: {}", if info.scopes.is_empty() { "(none)".to_string() } else { info.scopes.join(", ") })
        }
        TokenKind::FineGrained => println!("  fine-grained token: it needs Contents and Pull requests write access"),
    }
    println!("  expires: {}", info.expires_at.as_deref().unwrap_or("never (or GitHub does not say)"));
    for w in &info.warnings {
        println!("  warning: {w}");
    }
}

/// The value from stdin when it is piped, else from a prompt with echo off.
fn read_value(name: &SecretName) -> EngineResult<String> {
    let stdin = std::io::stdin();
    let value = if stdin.is_terminal() {
        if !echo(false) {
            return Err(EngineError::new(
                ErrorCode::Io,
                "cannot hide the typed value on this terminal; pipe it instead: devteam-cli secrets set NAME < file",
            ));
        }
        eprint!("value of {name} (not shown): ");
        let mut line = String::new();
        let read = stdin.read_line(&mut line);
        echo(true);
        eprintln!();
        read.map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot read the value: {e}")))?;
        line
    } else {
        let mut all = String::new();
        stdin
            .lock()
            .read_to_string(&mut all)
            .map_err(|e| EngineError::new(ErrorCode::Io, format!("cannot read the value from stdin: {e}")))?;
        all
    };
    let value = value.trim().to_string();
    if value.is_empty() {
        return Err(EngineError::new(ErrorCode::Validation, format!("no value given for {name}: pipe it on stdin")));
    }
    Ok(value)
}

/// Turns the terminal's echo on or off; `false` when that cannot be done.
fn echo(on: bool) -> bool {
    let Ok(tty) = std::fs::File::open("/dev/tty") else { return false };
    std::process::Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .stdin(tty)
        .status()
        .is_ok_and(|s| s.success())
}

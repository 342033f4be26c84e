//! Logs through tracing: to stderr and to a daily rolling file in the data
//! folder, so a person can attach them to a bug report.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, layer::SubscriberExt, util::SubscriberInitExt, EnvFilter};

/// Keeps the file writer flushing; drop it last.
pub struct LogGuard {
    _file: WorkerGuard,
}

/// Installs the global subscriber; `file_prefix` names the log files
/// (`devteam.log.2026-11-23`). `RUST_LOG` overrides the default `info`.
pub fn init_logging(log_dir: &Path, file_prefix: &str) -> std::io::Result<LogGuard> {
    std::fs::create_dir_all(log_dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix(file_prefix)
        .filename_suffix("log")
        .max_log_files(14)
        .build(log_dir)
        .map_err(std::io::Error::other)?;
    let (file_writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(std::io::stderr).with_target(false))
        .with(fmt::layer().with_writer(file_writer).with_ansi(false))
        .try_init();
    Ok(LogGuard { _file: guard })
}

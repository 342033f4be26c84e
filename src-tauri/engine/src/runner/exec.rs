//! Runs one command in a container, streams its output line by line (stdout
//! and stderr apart) and enforces its wall-clock and inactivity limits.

use std::time::Duration;

use bollard::container::LogOutput;
use bollard::exec::{CreateExecOptions, StartExecResults};
use futures_util::StreamExt;
use tokio::time::Instant;

use super::container::WORKTREE_MOUNT;
use super::{docker_error, CancelSignal, DockerRunner, ExecEnd, ExecSpec, LineSplitter, OutputLine, OutputStream};
use crate::error::EngineResult;

impl DockerRunner {
    /// Runs `spec` in `container`, giving each output line to `on_line`.
    /// A run that hits a limit is stopped by restarting the container.
    pub async fn exec(
        &self,
        container: &str,
        spec: &ExecSpec,
        on_line: &mut (dyn FnMut(OutputLine) + Send),
    ) -> EngineResult<ExecEnd> {
        let docker = self.client();
        let env: Vec<String> = spec.env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let created = docker
            .create_exec(
                container,
                CreateExecOptions {
                    cmd: Some(spec.argv.clone()),
                    env: Some(env),
                    working_dir: Some(spec.workdir.clone().unwrap_or_else(|| WORKTREE_MOUNT.into())),
                    attach_stdout: Some(true),
                    attach_stderr: Some(true),
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| docker_error(&format!("preparing `{}`", spec.argv.join(" ")), e))?;
        let started = docker
            .start_exec(&created.id, None)
            .await
            .map_err(|e| docker_error(&format!("starting `{}`", spec.argv.join(" ")), e))?;
        let StartExecResults::Attached { mut output, .. } = started else {
            return Err(docker_error("starting a command", "Docker detached the command"));
        };

        let limits = spec.limits;
        let deadline = Instant::now() + limits.wall_clock;
        let (mut out, mut err) = (LineSplitter::guarding(spec.secrets.clone()), LineSplitter::guarding(spec.secrets.clone()));
        let mut emit = |stream: OutputStream, lines: Vec<String>| {
            for text in lines {
                on_line(OutputLine { stream, text });
            }
        };
        let mut cancel = spec.cancel.clone();
        let stopped = loop {
            let now = Instant::now();
            if now >= deadline {
                break Some(ExecEnd::WallClockLimit { seconds: secs(limits.wall_clock) });
            }
            if cancel.as_ref().is_some_and(CancelSignal::fired) {
                break Some(ExecEnd::Cancelled);
            }
            let wait = (deadline - now).min(limits.inactivity);
            let next = async {
                match cancel.as_mut() {
                    Some(signal) => tokio::select! {
                        item = tokio::time::timeout(wait, output.next()) => Some(item),
                        () = signal.wait() => None,
                    },
                    None => Some(tokio::time::timeout(wait, output.next()).await),
                }
            };
            let Some(item) = next.await else {
                break Some(ExecEnd::Cancelled);
            };
            match item {
                Err(_) if Instant::now() >= deadline => {
                    break Some(ExecEnd::WallClockLimit { seconds: secs(limits.wall_clock) })
                }
                Err(_) => break Some(ExecEnd::InactivityLimit { seconds: secs(limits.inactivity) }),
                Ok(None) => break None,
                Ok(Some(Err(e))) => return Err(docker_error("reading a command's output", e)),
                Ok(Some(Ok(LogOutput::StdErr { message }))) => emit(OutputStream::Stderr, err.push(&message)),
                Ok(Some(Ok(LogOutput::StdOut { message } | LogOutput::Console { message }))) => {
                    emit(OutputStream::Stdout, out.push(&message))
                }
                Ok(Some(Ok(LogOutput::StdIn { .. }))) => {}
            }
        };
        emit(OutputStream::Stdout, out.finish().into_iter().collect());
        emit(OutputStream::Stderr, err.finish().into_iter().collect());
        if let Some(end) = stopped {
            drop(output);
            self.restart_container(container).await?;
            return Ok(end);
        }
        let inspected = docker.inspect_exec(&created.id).await.map_err(|e| docker_error("reading an exit status", e))?;
        let code = inspected.exit_code.unwrap_or(-1);
        // A command whose container died under it (removed, daemon restart)
        // did not fail: the machinery did, and that is retried. A killed
        // command never exits 0, so a success needs no second look.
        if code != 0 {
            let alive = docker.inspect_container(container, None).await.ok().and_then(|c| c.state).and_then(|s| s.running);
            if alive != Some(true) {
                return Err(docker_error(&format!("running `{}`", spec.argv.join(" ")), "the container stopped under the command"));
            }
        }
        Ok(ExecEnd::Exited { code: i32::try_from(code).unwrap_or(-1) })
    }
}

fn secs(d: Duration) -> u32 {
    u32::try_from(d.as_secs()).unwrap_or(u32::MAX)
}

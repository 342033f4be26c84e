//! What `devteam-cli run` shows while it works: the output of the running
//! step as it comes and, on a terminal, a status line kept at the bottom with
//! a progress bar, the current task and step, elapsed time and resources.

use std::io::{IsTerminal, Write};
use std::time::Instant;

use devteam_engine::run::Step;
use devteam_engine::EngineEvent;
use tokio::sync::broadcast::Receiver;

#[derive(Default)]
struct Status {
    done: u32,
    total: u32,
    task: String,
    step: String,
    cpu: Option<f64>,
    memory: Option<f64>,
}

impl Status {
    fn line(&self, started: Instant) -> String {
        const WIDTH: usize = 24;
        let filled = if self.total == 0 { 0 } else { (self.done as usize * WIDTH) / self.total as usize };
        let bar = format!("{}{}", "█".repeat(filled), "░".repeat(WIDTH - filled));
        let secs = started.elapsed().as_secs();
        let resources = match (self.cpu, self.memory) {
            (Some(c), Some(m)) => format!("  cpu {c:.0}% mem {:.0} MiB", m / 1_048_576.0),
            _ => String::new(),
        };
        format!("[{bar}] {}/{}  {} {}  {}:{:02}{resources}", self.done, self.total, self.task, self.step, secs / 60, secs % 60)
    }
}

fn step_name(step: Step) -> String {
    step.as_str().to_uppercase()
}

/// Prints the run's events until the stream ends.
pub async fn show(mut events: Receiver<EngineEvent>) {
    let tty = std::io::stdout().is_terminal();
    let started = Instant::now();
    let mut status = Status::default();
    let mut out = std::io::stdout();
    // On a terminal the status line is redrawn under each printed line.
    let mut print = |text: Option<String>, status: &Status| {
        if tty {
            let _ = write!(out, "\r\x1b[2K");
            if let Some(text) = text {
                let _ = writeln!(out, "{text}");
            }
            let _ = write!(out, "{}", status.line(started));
        } else if let Some(text) = text {
            let _ = writeln!(out, "{text}");
        }
        let _ = out.flush();
    };
    loop {
        let event = match events.recv().await {
            Ok(e) => e,
            Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                print(Some(format!("    … {n} lines skipped (see devteam-cli logs)")), &status);
                continue;
            }
            Err(_) => break,
        };
        match event {
            EngineEvent::StepStarted { task_id, title, step, attempt, .. } => {
                let attempt = if attempt > 1 { format!(" (attempt {attempt})") } else { String::new() };
                status.task = format!("{task_id} {title}");
                status.step = format!("{}{attempt}", step_name(step));
                print(Some(format!("▶ {task_id} {title} — {}{attempt}", step_name(step))), &status);
            }
            EngineEvent::Log { line, .. } => print(Some(format!("    │ {line}")), &status),
            EngineEvent::ImageProgress { line, .. } => print(Some(format!("  image │ {line}")), &status),
            EngineEvent::Progress { done, total, .. } => {
                status.done = done;
                status.total = total;
                let text = (!tty).then(|| format!("progress {done}/{total}"));
                print(text, &status);
            }
            EngineEvent::Stats { sample, .. } => {
                status.cpu = Some(sample.cpu_percent);
                status.memory = Some(sample.memory_bytes);
                print(None, &status);
            }
            EngineEvent::TaskDone { task_id, branch, attempts, .. } => {
                status.done += 1;
                status.total = status.total.max(status.done);
                print(Some(format!("✔ {task_id} done on {branch} after {attempts} attempt(s)")), &status);
            }
            EngineEvent::CriterionChecked { criterion, passed, evidence, .. } => {
                let mark = if passed { "✓" } else { "✗" };
                let evidence = if evidence.is_empty() { String::new() } else { format!(" — {evidence}") };
                print(Some(format!("  {mark} {criterion}{evidence}")), &status);
            }
            EngineEvent::AttemptFinished { task_id, attempt, failure: Some(failure), .. } => {
                let first = failure.lines().next().unwrap_or_default();
                print(Some(format!("  attempt {attempt} of {task_id} failed: {first}")), &status);
            }
            EngineEvent::Blocked { task_id, reason, .. } => print(Some(format!("✖ {task_id} needs a person: {reason}")), &status),
            EngineEvent::RunFinished { .. } => {
                if tty {
                    let _ = writeln!(std::io::stdout(), "\r\x1b[2K{}", status.line(started));
                }
                break;
            }
            _ => {}
        }
    }
}

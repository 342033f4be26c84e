//! How the portfolio is doing, from what the database keeps (so history
//! survives restarts): tasks done, how many needed no person, how many
//! errors error-solve fixed, durations, an ETA, queue waits, and the last
//! resource samples of each container.

use serde::Serialize;
use sqlx::Row;

use crate::engine::Engine;
use crate::error::EngineResult;
use crate::run::TaskStatus;
use crate::store::{db_error, TaskRun};

/// Figures of one project, or of all of them together.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct Metrics {
    /// `None` for the overall figures.
    pub project_id: Option<String>,
    pub tasks_done: u32,
    /// Leaf tasks in the list(s), when the clone is there to count them.
    pub tasks_total: Option<u32>,
    /// Done without a person deciding anything on the task.
    pub autonomous_rate: Option<f64>,
    /// Tasks that failed at least once and were then fixed by error-solve
    /// alone, over all tasks that failed at least once.
    pub error_resolution_rate: Option<f64>,
    pub mean_task_seconds: Option<f64>,
    pub p90_task_seconds: Option<f64>,
    /// Remaining tasks × the mean of the last five durations.
    pub eta_seconds: Option<f64>,
    /// From queued to started, for the last start of each project.
    pub mean_queue_wait_seconds: Option<f64>,
    /// Last CPU (% of a core) and memory (bytes) sample of the container(s).
    pub cpu_percent: Option<f64>,
    pub memory_bytes: Option<f64>,
}

/// One stored CPU/memory sample of a project's container.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ResourcePoint {
    pub at: String,
    pub cpu_percent: f64,
    pub memory_bytes: f64,
}

impl Engine {
    /// The project's last `limit` resource samples, oldest first.
    pub async fn resource_history(&self, project_id: &str, limit: u32) -> EngineResult<Vec<ResourcePoint>> {
        self.project(project_id).await?;
        let samples = self.store().samples(project_id, limit).await?;
        Ok(samples.into_iter().map(|(at, cpu_percent, bytes)| ResourcePoint { at, cpu_percent, memory_bytes: bytes as f64 }).collect())
    }

    /// Metrics of one project (`Some(id)`) or of all projects (`None`).
    pub async fn metrics(&self, project_id: Option<&str>) -> EngineResult<Metrics> {
        let projects = match project_id {
            Some(id) => vec![self.project(id).await?],
            None => self.projects().await?,
        };
        let mut rows: Vec<TaskRun> = Vec::new();
        let mut total = Some(0u32);
        let mut waits = Vec::new();
        let (mut cpu, mut memory) = (None, None);
        for p in &projects {
            let project_rows = self.store().task_runs(&p.id).await?;
            total = match (total, self.leaf_count(&p.id, &p.settings.tasklist_path, &project_rows)) {
                (Some(t), Some(n)) => Some(t + n),
                _ => None,
            };
            rows.extend(project_rows);
            if let Some(e) = self.store().execution(&p.id).await? {
                if let Some(started) = &e.started_at {
                    if let Some(w) = seconds_between(&e.queued_at, started).filter(|w| *w >= 0.0) {
                        waits.push(w);
                    }
                }
            }
            if let Some((_, c, m)) = self.store().samples(&p.id, 1).await?.pop() {
                cpu = Some(cpu.unwrap_or(0.0) + c);
                memory = Some(memory.unwrap_or(0.0) + m as f64);
            }
        }
        let touched = self.tasks_a_person_decided(project_id).await?;
        let done: Vec<&TaskRun> = rows.iter().filter(|r| r.status == TaskStatus::Done).collect();
        let by_person = |r: &TaskRun| touched.iter().any(|(p, t)| *p == r.project_id && *t == r.task_id);
        let autonomous = done.iter().filter(|r| !by_person(r)).count();
        let failed: Vec<&TaskRun> = rows.iter().filter(|r| r.attempts > 1 || r.status == TaskStatus::HumanReview || by_person(r)).collect();
        let fixed = failed.iter().filter(|r| r.status == TaskStatus::Done && !by_person(r)).count();
        let mut durations: Vec<f64> = done.iter().filter_map(|r| seconds_between(&r.started_at, r.finished_at.as_deref()?)).collect();
        let mean = mean_of(&durations);
        let recent: Vec<f64> = durations.iter().rev().take(5).copied().collect();
        durations.sort_by(f64::total_cmp);
        let p90 = (!durations.is_empty()).then(|| durations[((durations.len() as f64 * 0.9).ceil() as usize).clamp(1, durations.len()) - 1]);
        let tasks_done = done.len() as u32;
        let eta = match (total, mean_of(&recent)) {
            (Some(t), Some(m)) => Some(f64::from(t.saturating_sub(tasks_done)) * m),
            _ => None,
        };
        Ok(Metrics {
            project_id: project_id.map(str::to_string),
            tasks_done,
            tasks_total: total,
            autonomous_rate: ratio(autonomous, done.len()),
            error_resolution_rate: ratio(fixed, failed.len()),
            mean_task_seconds: mean,
            p90_task_seconds: p90,
            eta_seconds: eta,
            mean_queue_wait_seconds: mean_of(&waits),
            cpu_percent: cpu,
            memory_bytes: memory,
        })
    }

    /// Leaf tasks of the project's list in its clone, if it was cloned.
    fn leaf_count(&self, project_id: &str, tasklist_path: &str, rows: &[TaskRun]) -> Option<u32> {
        let file = self.paths().project(project_id).join("clone").join(tasklist_path);
        let bytes = std::fs::read(file).ok()?;
        let list = crate::tasklist::parse(&bytes, tasklist_path);
        Some(crate::plan::progress(&list, &crate::run::overrides_from(rows)).overall.total)
    }

    /// `(project, task)` pairs on which a person decided (review actions).
    async fn tasks_a_person_decided(&self, project_id: Option<&str>) -> EngineResult<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT DISTINCT project_id, task_id FROM audit WHERE action LIKE 'review:%' AND (? IS NULL OR project_id = ?)")
            .bind(project_id)
            .bind(project_id)
            .fetch_all(self.store().pool())
            .await
            .map_err(|e| db_error("cannot read the audit log", e))?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

fn mean_of(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn seconds_between(from: &str, to: &str) -> Option<f64> {
    let parse = |s: &str| time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok();
    Some((parse(to)? - parse(from)?).as_seconds_f64())
}

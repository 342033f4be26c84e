//! After PUSH in `pr` mode on a GitHub repository: find the task's open pull
//! request or open it — once, even across a crash and resume — with the
//! evidence in its body, and keep its number and address on the task's row.

use super::artifacts;
use super::task::TaskWalk;
use crate::error::EngineResult;
use crate::github::{pull_request_body, pull_request_title, CriterionEvidence, NewPullRequest, PrBodyInput};
use crate::plan::WorkUnit;
use crate::store::TaskRun;
use crate::verify::VerifyReport;

/// What became of the pull request step.
pub(super) enum PullRequestStep {
    /// Not a GitHub project in `pr` mode: nothing to do.
    NotApplicable,
    Opened,
    /// GitHub refused (a rejected token) or stayed unreachable: a person looks.
    NeedsPerson(String),
}

impl TaskWalk<'_> {
    /// Finds or opens the pull request of `row`'s branch against `base`.
    pub(super) async fn pull_request(&self, unit: &WorkUnit, row: &mut TaskRun, base: &str, report: Option<&VerifyReport>) -> EngineResult<PullRequestStep> {
        let Some(github) = &self.settings.github else { return Ok(PullRequestStep::NotApplicable) };
        if row.pr_number.is_some() {
            return Ok(PullRequestStep::Opened);
        }
        let dir = artifacts::dir(self.repo.path(), &self.settings.project.settings.tasklist_path, &unit.id);
        let timings = super::timings::step_timings(&self.ctx.store, row).await?;
        let body = pull_request_body(&PrBodyInput {
            task_id: unit.id.clone(),
            task_title: unit.title.clone(),
            part_of: unit.ancestors.iter().map(|a| format!("{} {}", a.id, a.title)).collect(),
            task_body: self.body(unit),
            agent: row.agent.clone(),
            attempts: row.attempts,
            criteria: report.map(evidence).unwrap_or_default(),
            artifacts_dir: dir.strip_prefix(self.repo.path()).unwrap_or(&dir).to_string_lossy().into_owned(),
            artifacts: artifact_names(&dir),
            files_url: Some(github.repo.blob_url(&row.branch)),
            durations: super::timings::per_step(&timings),
        });
        let request = NewPullRequest {
            owner: github.repo.owner.clone(),
            repo: github.repo.repo.clone(),
            head_branch: row.branch.clone(),
            base: base.to_string(),
            title: pull_request_title(&unit.id, &unit.title),
            body,
            draft: github.draft,
            labels: github.labels.clone(),
        };
        match github.client.ensure_pull_request(&request).await {
            Ok(pr) => {
                row.pr_number = Some(pr.number);
                row.pr_url = Some(pr.html_url.clone());
                self.ctx.store.save_task_run(row).await?;
                let verb = if pr.created { "opened" } else { "found" };
                self.note(row, super::Step::Push, &format!("pull request #{} {verb}: {}", pr.number, pr.html_url)).await?;
                Ok(PullRequestStep::Opened)
            }
            Err(e) => Ok(PullRequestStep::NeedsPerson(format!("the pull request for {} could not be opened: {}", row.branch, e.message))),
        }
    }
}

fn evidence(report: &VerifyReport) -> Vec<CriterionEvidence> {
    report
        .results
        .iter()
        .map(|r| CriterionEvidence { criterion: r.name.clone(), passed: r.is_ok(), evidence: r.evidence.join("; ") })
        .collect()
}

fn artifact_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

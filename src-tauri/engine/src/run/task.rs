//! One task walked through PREP → IMPLEMENT → VERIFY (→ ERROR_SOLVE) → MERGE
//! → PUSH → DONE. Each step is saved before it acts; on resume, what is
//! already true in git (a commit, a push) is found and not done again.

use git2::Oid;

use super::agent_step::AgentRun;
use super::artifacts::{self, AttemptRecord};
use super::branch::{commit_message, is_commit_of};
use super::ownership::{hand_worktree_to, refresh_index};
use super::pull_request::PullRequestStep;
use super::{MergeMode, RunContext, RunControl, RunSettings, Step, TaskStatus};
use crate::engine::now_iso8601;
use crate::error::{EngineError, EngineResult, ErrorCode};
use crate::events::EngineEvent;
use crate::plan::{TaskRef, UnitKind, WorkUnit};
use crate::repo::{task_branch_name, GitRepo};
use crate::runner::{ExecSpec, OutputLine};
use crate::store::{AuditEntry, TaskRun};
use crate::tasklist::{TaskId, TaskList};
use crate::verify::{verify, Allowlist, VerifyPlan, VerifyReport};

enum Verdict {
    Pass,
    Fail(String),
    NeedsPerson(String),
}

/// Most output lines one log write takes at once.
const LOG_BATCH: usize = 512;

pub(super) enum Outcome {
    Done,
    HumanReview { reason: String },
    /// A person paused or stopped the run at a step boundary.
    Halted(super::ControlRequest),
}

pub(super) struct TaskWalk<'a> {
    pub ctx: &'a RunContext,
    pub settings: &'a RunSettings,
    pub repo: &'a GitRepo,
    pub list: &'a TaskList,
    pub container: &'a str,
    /// `uid:gid` the container runs as.
    pub user: String,
    pub control: &'a RunControl,
    /// Held from MERGE to DONE: finished tasks of a project commit, tick
    /// the list and push one at a time.
    pub merge_turn: &'a tokio::sync::Mutex<()>,
    /// Other tasks of the project run beside this one (in other lanes): a
    /// finished task is carried onto what they finished meanwhile.
    pub side_by_side: bool,
}

/// A unit for a task that the plan no longer offers (resuming it).
pub(super) fn unit_by_id(list: &TaskList, id: &str) -> Option<WorkUnit> {
    let task_id = TaskId::parse(id).ok()?;
    let i = list.find(&task_id)?;
    let t = &list.tasks()[i];
    Some(WorkUnit {
        id: id.to_string(),
        title: t.title.clone(),
        line: list.line_number(t.line),
        kind: UnitKind::Leaf,
        ancestors: list.ancestors(i).map(|a| TaskRef { id: list.tasks()[a].id.as_str().into(), title: list.tasks()[a].title.clone() }).collect(),
        deps: Vec::new(),
        checklist: Vec::new(),
        criteria: t.criteria.clone(),
        agent: t.agent.clone(),
        risky: t.risky,
    })
}

impl TaskWalk<'_> {
    pub async fn run(&self, unit: &WorkUnit, resume: Option<TaskRun>, rows: &[TaskRun], base_tip: Oid) -> EngineResult<Outcome> {
        let project = &self.settings.project;
        let branch = task_branch_name(&unit.id, &unit.title);
        let subject = format!("Task {}: {}", unit.id, unit.title);
        let mut chosen = None;
        let mut start_note = None;
        let mut cut_short = false;
        let mut row = match resume {
            Some(mut r) => {
                cut_short = matches!(r.step, Step::Implement | Step::ErrorSolve | Step::Verify | Step::Merge);
                if r.start_commit.is_none() {
                    r.start_commit = Some(self.start_commit(rows, base_tip).await.commit.to_string());
                }
                r
            }
            None => {
                let start = self.start_commit(rows, base_tip).await;
                start_note = start.note;
                let start = start.commit;
                let decision = super::agent_step::choose(self, unit, &self.body(unit));
                let agent = decision.agent.clone();
                chosen = Some(decision);
                TaskRun {
                    project_id: project.id.clone(),
                    task_id: unit.id.clone(),
                    title: unit.title.clone(),
                    branch: branch.clone(),
                    step: Step::Prep,
                    status: TaskStatus::Running,
                    attempts: 0,
                    agent: agent.clone(),
                    reason: None,
                    start_commit: Some(start.to_string()),
                    commit_id: None,
                    // To the millisecond: it is the key of this try at the
                    // task (see `commit_message`).
                    started_at: crate::engine::now_iso8601_ms(),
                    updated_at: now_iso8601(),
                    finished_at: None,
                    pr_number: None,
                    pr_url: None,
                    approved_by: None,
                }
            }
        };
        let start = row.start_commit.as_deref().and_then(|s| Oid::from_str(s).ok()).unwrap_or(base_tip);
        // A branch that does not exist yet would be made at `start`, which
        // is never the task's commit: what it holds is known before checkout.
        let head = self.repo.local_branch(&branch);
        let message = commit_message(&subject, &row);
        let ours = |c: &Oid| *c != start && self.repo.message(*c).is_some_and(|m| is_commit_of(&m, &subject, &row));
        // On the branch; or, after a crash while it was being replayed onto
        // a moved base, only in the row.
        let recorded = row.commit_id.as_deref().and_then(|c| Oid::from_str(c).ok());
        let committed = head.filter(&ours).or_else(|| recorded.filter(&ours));
        // An attempt cut short by a crash or a kill did not fail: it is run
        // again without spending one (unless it got as far as its commit).
        if cut_short && committed.is_none() {
            row.attempts = row.attempts.saturating_sub(1);
        }
        if let Some(request) = self.control.requested() {
            return Ok(Outcome::Halted(request));
        }
        self.enter(&mut row, Step::Prep).await?;
        if let Some(note) = start_note {
            self.note(&row, Step::Prep, &note).await?;
        }
        if let Some(decision) = chosen {
            self.record_choice(&row, &decision).await?;
        }

        let mut last_report = None;
        // Taken once the task passed; kept until it is DONE.
        let turn;
        if committed.is_none() {
            if let Some(reason) = self.needs_approval(unit, &row) {
                self.repo.checkout_branch(&branch, start)?;
                return self.wait_for_approval(&mut row, reason).await;
            }
            // Without the task's commit, the branch holds nothing worth
            // keeping: every (resumed) attempt starts from the start commit.
            self.start_branch_at(&branch, start)?;
            // Approved injections join the file with this task's commit.
            let tasklist_path = &self.settings.project.settings.tasklist_path;
            crate::inject::apply_to_worktree(&self.ctx.store, &row.project_id, &self.repo.path().join(tasklist_path), tasklist_path).await?;
            if hand_worktree_to(self.repo.path(), &self.user)? {
                refresh_index(self.repo);
            }
            // A resumed task remembers why its earlier attempts failed.
            let log = self.ctx.store.task_log(&row.project_id, &row.task_id).await?;
            let mut history: Vec<AttemptRecord> = artifacts::failures_from_log(&log);
            let deps = artifacts::dependency_outcomes(unit, rows);
            loop {
                if let Some(request) = self.control.requested() {
                    return Ok(Outcome::Halted(request));
                }
                if row.attempts >= self.settings.max_attempts {
                    let last = history.last().map(|a| a.failure.clone()).unwrap_or_default();
                    let reason = format!("still failing after {} attempts: {last}", row.attempts);
                    return self.human_review(&mut row, reason).await;
                }
                row.attempts += 1;
                let step = if row.attempts == 1 { Step::Implement } else { Step::ErrorSolve };
                self.enter(&mut row, step).await?;
                // The diff so far is only shown after a failed attempt.
                let diff = if history.is_empty() { String::new() } else { self.task_diff(unit)? };
                let prompt = artifacts::prompt(self.list, unit, &deps, &history, &diff);
                let prompt_name = format!("prompt-{}.md", row.attempts);
                artifacts::write(&self.artifact_dir(unit), &prompt_name, &prompt)?;
                let prompt_file = self.artifact_dir(unit).join(&prompt_name);
                let prompt_file = prompt_file.strip_prefix(self.repo.path()).unwrap_or(&prompt_file).to_string_lossy().into_owned();
                let verdict = match self.run_agent(unit, &row, step, &prompt_file, &prompt).await? {
                    AgentRun::Failed(failure) => Verdict::Fail(failure),
                    AgentRun::NeedsPerson(reason) => Verdict::NeedsPerson(reason),
                    AgentRun::Finished => {
                        self.enter(&mut row, Step::Verify).await?;
                        let (verdict, report) = self.verify(unit, &row).await?;
                        last_report = Some(report);
                        verdict
                    }
                };
                // An emergency stop cut the attempt short: it did not fail,
                // and the resumed run does it again without counting it.
                if self.control.requested() == Some(super::ControlRequest::Emergency) {
                    return Ok(Outcome::Halted(super::ControlRequest::Emergency));
                }
                let failure = match &verdict {
                    Verdict::Pass => None,
                    Verdict::Fail(why) | Verdict::NeedsPerson(why) => Some(self.ctx.redactor.redact(why)),
                };
                self.ctx.events.emit(EngineEvent::AttemptFinished {
                    project_id: row.project_id.clone(),
                    task_id: row.task_id.clone(),
                    attempt: row.attempts,
                    passed: failure.is_none(),
                    failure,
                });
                match verdict {
                    Verdict::Pass => break,
                    Verdict::Fail(failure) => {
                        self.note(&row, step, &format!("attempt {} failed: {failure}", row.attempts)).await?;
                        history.push(AttemptRecord { attempt: row.attempts, failure });
                    }
                    Verdict::NeedsPerson(reason) => return self.human_review(&mut row, reason).await,
                }
            }
            turn = Some(self.merge_turn.lock().await);
            if self.side_by_side {
                if let Some(reason) = self.catch_up(&mut row, &branch).await? {
                    return self.human_review(&mut row, reason).await;
                }
            }
            self.enter(&mut row, Step::Merge).await?;
            let log = self.ctx.store.task_log(&row.project_id, &row.task_id).await?;
            let dir = self.artifact_dir(unit);
            artifacts::write(&dir, "agent.log", &artifacts::render_log(&log))?;
            artifacts::write(&dir, "diff.patch", &self.ctx.redactor.redact(&self.task_diff(unit)?))?;
            let timings = super::timings::step_timings(&self.ctx.store, &row).await?;
            let timings = serde_json::to_string_pretty(&timings).map_err(|e| EngineError::internal(e.to_string()))?;
            artifacts::write(&dir, "timings.json", &timings)?;
            let files = artifacts::TaskFiles { worktree: self.repo.path(), tasklist_path: &self.settings.project.settings.tasklist_path };
            files.tick_and_record(unit, &row, last_report.as_ref(), rows, self.settings.merge_mode == MergeMode::Pr)?;
            // What DevTeam wrote for the task is handed over before the
            // commit records it: handed over at the next PREP, it would look
            // changed to git, and the index would need refreshing then.
            let list_path = self.repo.path().join(&self.settings.project.settings.tasklist_path);
            for path in [self.artifact_dir(unit), list_path.with_file_name("task_outcomes.md"), list_path] {
                hand_worktree_to(&path, &self.user)?;
            }
            let commit = self.repo.commit_all(&message, &self.settings.author)?;
            row.commit_id = Some(commit.to_string());
        } else {
            turn = Some(self.merge_turn.lock().await);
            match committed {
                Some(c) if head != Some(c) => self.start_branch_at(&branch, c)?,
                _ => self.repo.checkout_branch(&branch, start)?,
            }
            row.commit_id = committed.map(|c| c.to_string());
        }
        if let Some(request) = self.control.requested() {
            return Ok(Outcome::Halted(request));
        }
        self.enter(&mut row, Step::Push).await?;
        if let Err(e) = self.push(&branch).await {
            let moved = e.code == ErrorCode::Conflict && self.settings.merge_mode == MergeMode::Direct;
            if !moved {
                // A fault of the machinery is retried by the run from this
                // saved step; a refusal (credentials, rules) needs a person.
                if super::transient::is_transient(&e) {
                    return Err(e);
                }
                return self.human_review(&mut row, e.message).await;
            }
            if let Err(reason) = self.replay_on_moved_base(unit, &mut row, &branch, rows, last_report.as_ref()).await? {
                return self.human_review(&mut row, reason).await;
            }
            if let Err(e) = self.push(&branch).await {
                return self.human_review(&mut row, e.message).await;
            }
        }
        if self.settings.merge_mode == MergeMode::Pr {
            // Beside other lanes, the stack is as it is now, not as planned.
            let now;
            let rows = if self.side_by_side {
                now = self.ctx.store.task_runs(&row.project_id).await?;
                &now[..]
            } else {
                rows
            };
            let base = self.pr_base(rows, &row);
            if let PullRequestStep::NeedsPerson(reason) = self.pull_request(unit, &mut row, &base, last_report.as_ref()).await? {
                return self.human_review(&mut row, reason).await;
            }
        }
        row.status = TaskStatus::Done;
        // To the millisecond: the last finished task is what the next one stacks on.
        row.finished_at = Some(crate::engine::now_iso8601_ms());
        self.enter(&mut row, Step::Done).await?;
        drop(turn);
        self.ctx.events.emit(EngineEvent::TaskDone {
            project_id: row.project_id.clone(),
            task_id: row.task_id.clone(),
            title: row.title.clone(),
            branch,
            attempts: row.attempts,
            pr_url: row.pr_url.clone(),
        });
        Ok(Outcome::Done)
    }

    async fn verify(&self, unit: &WorkUnit, row: &TaskRun) -> EngineResult<(Verdict, VerifyReport)> {
        let allowlist = Allowlist::new(self.settings.allowlist.iter().cloned());
        let mut plan = VerifyPlan::new(row.attempts, allowlist, self.settings.limits);
        plan.default_checks = self.settings.default_checks.clone();
        plan.criteria = unit.criteria.clone();
        let report = verify(&self.ctx.runner, self.container, self.repo.path(), &plan, &self.ctx.redactor).await?;
        artifacts::write_report(&self.artifact_dir(unit), &report)?;
        for result in &report.results {
            self.ctx.events.emit(EngineEvent::CriterionChecked {
                project_id: row.project_id.clone(),
                task_id: row.task_id.clone(),
                attempt: row.attempts,
                criterion: result.name.clone(),
                passed: result.is_ok(),
                evidence: self.ctx.redactor.redact(&result.evidence.join("; ")),
            });
        }
        let verdict = if let Some(reason) = report.needs_person() {
            Verdict::NeedsPerson(reason)
        } else if report.passed() {
            Verdict::Pass
        } else {
            Verdict::Fail(report.failures_for_prompt())
        };
        Ok((verdict, report))
    }

    /// Runs a command, writing each (redacted) line to the log and the event
    /// stream as it comes; an emergency stop ends it at once.
    pub(super) async fn exec_logged(&self, spec: &ExecSpec, row: &TaskRun, step: Step) -> EngineResult<crate::runner::ExecEnd> {
        let mut spec = spec.clone();
        spec.cancel = Some(self.control.kill_signal());
        spec.secrets = Some(self.ctx.redactor.clone());
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<OutputLine>();
        let (runner, container) = (&self.ctx.runner, self.container);
        let exec = async move {
            let mut on_line = move |line: OutputLine| {
                let _ = tx.send(line);
            };
            runner.exec(container, &spec, &mut on_line).await
        };
        let write = async {
            while let Some(line) = rx.recv().await {
                // Lines that came meanwhile go with it: one transaction for
                // many keeps up with a build printing thousands a second.
                let mut lines = vec![line];
                while lines.len() < LOG_BATCH {
                    match rx.try_recv() {
                        Ok(line) => lines.push(line),
                        Err(_) => break,
                    }
                }
                self.log_lines(row, step, lines).await?;
            }
            Ok::<(), EngineError>(())
        };
        let (end, written) = tokio::join!(exec, write);
        written?;
        end
    }

    /// Redacts the lines, stores them, then sends each as an event: a line
    /// is in the log before anyone sees it.
    async fn log_lines(&self, row: &TaskRun, step: Step, lines: Vec<OutputLine>) -> EngineResult<()> {
        let lines: Vec<(crate::runner::OutputStream, String)> =
            lines.into_iter().map(|line| (line.stream, self.ctx.redactor.redact(&line.text))).collect();
        let stored: Vec<(&str, &str)> = lines
            .iter()
            .map(|(stream, text)| {
                let stream = match stream {
                    crate::runner::OutputStream::Stdout => "stdout",
                    crate::runner::OutputStream::Stderr => "stderr",
                };
                (stream, text.as_str())
            })
            .collect();
        self.ctx.store.append_logs(&row.project_id, &row.task_id, step, &stored).await?;
        for (stream, line) in lines {
            self.ctx.events.emit(EngineEvent::Log { project_id: row.project_id.clone(), task_id: row.task_id.clone(), step, stream, line });
        }
        Ok(())
    }

    fn artifact_dir(&self, unit: &WorkUnit) -> std::path::PathBuf {
        artifacts::dir(self.repo.path(), &self.settings.project.settings.tasklist_path, &unit.id)
    }

    /// A line of DevTeam's own in the task's log (e.g. why an attempt failed).
    pub(super) async fn note(&self, row: &TaskRun, step: Step, text: &str) -> EngineResult<()> {
        let text = self.ctx.redactor.redact(text);
        for line in text.lines() {
            self.ctx.store.append_log(&row.project_id, &row.task_id, step, "devteam", line).await?;
            self.ctx.events.emit(EngineEvent::Log {
                project_id: row.project_id.clone(),
                task_id: row.task_id.clone(),
                step,
                stream: crate::runner::OutputStream::Stderr,
                line: line.to_string(),
            });
        }
        Ok(())
    }

    /// What the task changed so far (uncommitted, untracked files too),
    /// leaving out every task's artifacts.
    fn task_diff(&self, unit: &WorkUnit) -> EngineResult<String> {
        let own = self.artifact_dir(unit);
        let artifacts_root = own.strip_prefix(self.repo.path()).ok().and_then(|p| p.parent());
        self.repo.diff_against_head(artifacts_root)
    }

    pub(super) fn body(&self, unit: &WorkUnit) -> String {
        TaskId::parse(&unit.id).ok().and_then(|id| self.list.find(&id)).map(|i| self.list.body_text(i)).unwrap_or_default()
    }

    /// Saves the row at `step` before the step acts, and says so.
    async fn enter(&self, row: &mut TaskRun, step: Step) -> EngineResult<()> {
        row.step = step;
        self.ctx.store.save_task_run(row).await?;
        self.ctx
            .store
            .append_audit(&AuditEntry {
                project_id: row.project_id.clone(),
                task_id: row.task_id.clone(),
                actor: "devteam".into(),
                action: format!("step:{}", step.as_str()),
                detail: format!("attempt {}{}", row.attempts, row.reason.as_deref().map(|r| format!("; {r}")).unwrap_or_default()),
            })
            .await?;
        tracing::info!(project = %row.project_id, task = %row.task_id, step = step.as_str(), attempt = row.attempts, "step");
        self.ctx.events.emit(EngineEvent::StepStarted {
            project_id: row.project_id.clone(),
            task_id: row.task_id.clone(),
            title: row.title.clone(),
            step,
            attempt: row.attempts,
        });
        Ok(())
    }

    /// Says which agent takes the task and why: in the log, the audit log
    /// and the event stream.
    async fn record_choice(&self, row: &TaskRun, decision: &crate::agents::RouteDecision) -> EngineResult<()> {
        self.note(row, Step::Prep, &format!("agent: {} ({})", decision.agent, decision.reason)).await?;
        self.ctx
            .store
            .append_audit(&AuditEntry {
                project_id: row.project_id.clone(),
                task_id: row.task_id.clone(),
                actor: "devteam".into(),
                action: "route".into(),
                detail: format!("{}: {}", decision.agent, decision.reason),
            })
            .await?;
        self.ctx.events.emit(EngineEvent::AgentChosen {
            project_id: row.project_id.clone(),
            task_id: row.task_id.clone(),
            agent: decision.agent.clone(),
            reason: decision.reason.clone(),
        });
        Ok(())
    }

    /// Why the task must wait for a person's approval before IMPLEMENT: a
    /// `risky: true` line or one of the project's risky keywords.
    fn needs_approval(&self, unit: &WorkUnit, row: &TaskRun) -> Option<String> {
        if row.approved_by.is_some() {
            return None;
        }
        if unit.risky {
            return Some("the task is marked risky".into());
        }
        let body = self.body(unit);
        self.settings
            .risky_keywords
            .iter()
            .find(|k| {
                let rule = crate::agents::RoutingRule::new(k, "");
                rule.matches(&unit.title) || rule.matches(&body)
            })
            .map(|k| format!("the task mentions the risky keyword \"{k}\""))
    }

    async fn wait_for_approval(&self, row: &mut TaskRun, why: String) -> EngineResult<Outcome> {
        let reason = format!("{} {why}; approve or reject it", super::review::APPROVAL_PREFIX);
        self.ctx.events.emit(EngineEvent::ApprovalNeeded {
            project_id: row.project_id.clone(),
            task_id: row.task_id.clone(),
            title: row.title.clone(),
            reason: reason.clone(),
        });
        self.human_review(row, reason).await
    }

    async fn human_review(&self, row: &mut TaskRun, reason: String) -> EngineResult<Outcome> {
        row.status = TaskStatus::HumanReview;
        row.reason = Some(reason.clone());
        self.enter(row, Step::HumanReview).await?;
        self.ctx.events.emit(EngineEvent::Blocked { project_id: row.project_id.clone(), task_id: row.task_id.clone(), reason: reason.clone() });
        Ok(Outcome::HumanReview { reason })
    }
}

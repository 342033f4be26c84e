-- The run engine's memory: one row per task of a project, written before
-- each step's side effects, so a restart continues where it stopped.
CREATE TABLE task_runs (
    project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    task_id      TEXT NOT NULL,
    title        TEXT NOT NULL,
    branch       TEXT NOT NULL,
    step         TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('running', 'done', 'human_review', 'skipped')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    agent        TEXT NOT NULL,
    reason       TEXT,
    start_commit TEXT,
    commit_id    TEXT,
    started_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    finished_at  TEXT,
    PRIMARY KEY (project_id, task_id)
);

-- Output of every step, redacted before it is written.
CREATE TABLE run_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    task_id    TEXT NOT NULL,
    step       TEXT NOT NULL,
    stream     TEXT NOT NULL,
    line       TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX run_log_by_task ON run_log (project_id, task_id, id);

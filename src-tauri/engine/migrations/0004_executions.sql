-- The orchestrator's memory: one row per project that was ever started, so a
-- restart puts each project back where it was (running ones queued again,
-- paused ones paused, blocked ones blocked), and any process (the window, the
-- CLI) can ask the one running it to pause or stop through `control`.
CREATE TABLE executions (
    project_id TEXT PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    state      TEXT NOT NULL,
    priority   TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('high', 'normal', 'low')),
    options    TEXT NOT NULL DEFAULT '{}',
    control    TEXT NOT NULL DEFAULT 'none' CHECK (control IN ('none', 'pause', 'stop', 'emergency')),
    reason     TEXT,
    queued_at  TEXT NOT NULL,
    started_at TEXT,
    updated_at TEXT NOT NULL
);

-- CPU and memory of each project's container, sampled every 2 s while it runs.
CREATE TABLE resource_samples (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    at           TEXT NOT NULL,
    cpu_percent  REAL NOT NULL,
    memory_bytes INTEGER NOT NULL
);
CREATE INDEX resource_samples_by_project ON resource_samples (project_id, id);

-- Tasks added while a project runs; positional and replace ones wait for a
-- person's approval, priority ones apply at once.
CREATE TABLE injections (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id   TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('priority', 'positional', 'replace')),
    target       TEXT,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'applied')),
    task_id      TEXT,
    requested_by TEXT NOT NULL,
    decided_by   TEXT,
    created_at   TEXT NOT NULL,
    decided_at   TEXT
);

-- A task's pull request, and who approved a risky task before IMPLEMENT.
ALTER TABLE task_runs ADD COLUMN pr_number INTEGER;
ALTER TABLE task_runs ADD COLUMN pr_url TEXT;
ALTER TABLE task_runs ADD COLUMN approved_by TEXT;

-- How a project's tasks run (attempts, limits, gates, checks, merge mode,
-- routing), as JSON: a key that is missing reads as its default, so projects
-- saved before a setting existed keep working.
ALTER TABLE projects ADD COLUMN run_policy TEXT NOT NULL DEFAULT '{}';

-- Each run of a project, from start to end: the history the dashboard shows
-- as a timeline (its steps come from the audit log, its lines from run_log).
-- A run the app did not see end (killed) is closed as `interrupted` when the
-- project next starts.
CREATE TABLE runs (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    ended_at   TEXT,
    state      TEXT,
    reason     TEXT,
    tasks_done INTEGER
);
CREATE INDEX runs_by_project ON runs (project_id, id);

-- Customer projects: one row per registered repository and its settings.
CREATE TABLE projects (
    id              TEXT PRIMARY KEY NOT NULL,
    customer        TEXT NOT NULL,
    name            TEXT NOT NULL,
    repo_url        TEXT NOT NULL,
    base_branch     TEXT NOT NULL,
    tasklist_path   TEXT NOT NULL,
    execution_order TEXT NOT NULL CHECK (execution_order IN ('sequential', 'dependency')),
    unit            TEXT NOT NULL CHECK (unit IN ('leaf', 'group')),
    default_agent   TEXT NOT NULL,
    priority        TEXT NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (customer, name)
);

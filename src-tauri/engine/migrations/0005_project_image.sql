-- The image a project's container runs: `runner` (DevTeam's Debian runner
-- image, built on first use), `minimal` (busybox, seconds to build), a local
-- image tag, or `dockerfile:PATH` (a Dockerfile in the repository).
ALTER TABLE projects ADD COLUMN image TEXT NOT NULL DEFAULT 'runner';
-- The demo's tasks need only a shell.
UPDATE projects SET image = 'minimal' WHERE customer = 'DevTeam Demo';

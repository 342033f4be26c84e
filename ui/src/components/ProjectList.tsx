// The left pane: customers, each with its projects and each project's run
// badge, repository status and runner status. Selecting a project shows its
// details on the right; arrow keys move through the list.

import type { KeyboardEvent } from "react";

import type { EngineError, Execution, Project } from "../bindings";
import { useClock } from "../state/clock";
import { shortRepo } from "../state/format";
import type { StatusEntry } from "../state/reducer";
import { groupByCustomer } from "../state/selectors";
import { ExecBadge } from "./ExecBadge";
import { PlusIcon } from "./icons";
import { ProjectStatusRows } from "./ProjectStatus";
import "./ProjectList.css";

interface ProjectListProps {
  projects: Project[] | null;
  error: EngineError | null;
  selectedId: string | null;
  /** Each started project's execution, for its badge. */
  executions: Record<string, Execution>;
  /** Each project's repository and runner status, as last read. */
  statuses: Record<string, StatusEntry>;
  onSelect: (id: string) => void;
  onAdd: () => void;
}

/** Moves keyboard focus to a project's entry, e.g. after adding it (the button that opened the form may be gone). */
export function focusProjectEntry(id: string, triesLeft = 30) {
  const entries = document.querySelectorAll<HTMLButtonElement>("[data-project-id]");
  const entry = Array.from(entries).find((e) => e.dataset.projectId === id);
  if (entry) {
    entry.focus();
  } else if (triesLeft > 0) {
    // The entry appears when the engine's answer or event has been rendered.
    setTimeout(() => focusProjectEntry(id, triesLeft - 1), 16);
  }
}

/** Up/Down/Home/End move focus and selection between project entries. */
function onListKeyDown(event: KeyboardEvent<HTMLElement>, onSelect: (id: string) => void) {
  const keys = ["ArrowDown", "ArrowUp", "Home", "End"];
  if (!keys.includes(event.key)) return;
  const items = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>("[data-project-id]"));
  if (items.length === 0) return;
  event.preventDefault();
  const current = items.findIndex((item) => item === document.activeElement);
  const last = items.length - 1;
  const next =
    event.key === "Home" ? 0 : event.key === "End" ? last
    : event.key === "ArrowDown" ? Math.min(current + 1, last)
    : Math.max(current - 1, 0);
  const item = items[next];
  if (!item) return;
  item.focus();
  const id = item.dataset.projectId;
  if (id) onSelect(id);
}

function ProjectEntry({
  project,
  selected,
  execution,
  status,
  now,
  onSelect,
}: {
  project: Project;
  selected: boolean;
  execution: Execution | undefined;
  status: StatusEntry | undefined;
  now: number;
  onSelect: (id: string) => void;
}) {
  const s = project.settings;
  const descriptionId = `project-status-desc-${project.id}`;
  return (
    <li>
      <button
        type="button"
        className="project-entry"
        data-testid={`project-item-${project.id}`}
        data-project-id={project.id}
        aria-current={selected ? "true" : undefined}
        onClick={() => onSelect(project.id)}
        title={`${s.customer} / ${s.name}\n${s.repo_url}`}
        aria-describedby={descriptionId}
      >
        <span className="project-entry__top">
          <span className="project-entry__name">{s.name}</span>
          {s.priority !== "normal" && <span className={`badge badge--${s.priority}`}>{s.priority}</span>}
          {execution && (
            <span className="project-entry__status">
              <ExecBadge state={execution.state} compact testId={`project-badge-${project.id}`} reason={execution.reason} />
            </span>
          )}
        </span>
        <span className="project-entry__meta">
          <span className="project-entry__customer">{s.customer}</span>
          <span aria-hidden="true"> · </span>
          <span className="project-entry__repo">{shortRepo(s.repo_url)}</span>
        </span>
        <ProjectStatusRows projectId={project.id} entry={status} now={now} descriptionId={descriptionId} />
      </button>
    </li>
  );
}

export function ProjectList({ projects, error, selectedId, executions, statuses, onSelect, onAdd }: ProjectListProps) {
  // "fetched 2 min ago" moves on with the time.
  const now = useClock();
  const groups = groupByCustomer(projects ?? []);
  const hasProjects = groups.length > 0;
  return (
    <nav className="pane pane--left project-list-pane" aria-labelledby="project-list-title">
      <header className="pane__header">
        <h2 id="project-list-title" className="pane__title">
          Customers
        </h2>
        {hasProjects && <span className="badge">{projects?.length}</span>}
        {hasProjects && (
          <button type="button" className="btn btn--small pane__action" onClick={onAdd} data-testid="add-project">
            <PlusIcon size={12} />
            Add project
          </button>
        )}
      </header>

      {error && (
        <p className="pane__notice pane__notice--error" role="alert">
          Projects could not be listed: {error.message}
        </p>
      )}
      {!projects && !error && <p className="pane__notice">Loading projects…</p>}
      {projects && !hasProjects && <p className="pane__notice">No projects yet. Add one to see it here.</p>}

      <ul className="project-list" data-testid="project-list" onKeyDown={(e) => onListKeyDown(e, onSelect)}>
        {groups.map((group) => (
          <li key={group.customer} className="customer-group">
            <div className="customer-group__header">
              <span className="customer-group__name">{group.customer}</span>
              <span className="customer-group__count">{group.projects.length}</span>
            </div>
            <ul aria-label={`${group.customer} projects`}>
              {group.projects.map((project) => (
                <ProjectEntry
                  key={project.id}
                  project={project}
                  selected={project.id === selectedId}
                  execution={executions[project.id]}
                  status={statuses[project.id]}
                  now={now}
                  onSelect={onSelect}
                />
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
}

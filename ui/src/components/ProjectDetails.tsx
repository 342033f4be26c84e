// The right pane: everything about the selected project, with Edit and Remove.

import type { Project } from "../bindings";
import { AGENT_LABELS, ORDER_LABELS, PRIORITY_LABELS, UNIT_LABELS } from "../state/draft";
import { formatTimestamp } from "../state/format";
import { EditIcon, TrashIcon } from "./icons";
import "./ProjectDetails.css";

interface ProjectDetailsProps {
  project: Project | null;
  onEdit: (project: Project) => void;
  onRemove: (project: Project) => void;
}

export function ProjectDetails({ project, onEdit, onRemove }: ProjectDetailsProps) {
  if (!project) {
    return (
      <aside className="pane pane--right" aria-label="Project details">
        <p className="pane__notice">Select a project to see its settings.</p>
      </aside>
    );
  }
  const s = project.settings;
  const rows: [string, string, boolean?][] = [
    ["Repository", s.repo_url, true],
    ["Base branch", s.base_branch, true],
    ["Task list", s.tasklist_path, true],
    ["Execution order", ORDER_LABELS[s.order]],
    ["Unit of work", UNIT_LABELS[s.unit]],
    ["Default agent", AGENT_LABELS[s.default_agent] ?? s.default_agent],
    ["Priority", PRIORITY_LABELS[s.priority]],
    ["Added", formatTimestamp(project.created_at)],
    ["Updated", formatTimestamp(project.updated_at)],
    ["ID", project.id, true],
  ];
  return (
    <aside className="pane pane--right" aria-labelledby="project-details-title" data-testid="project-details">
      <header className="details__header">
        <p className="details__customer">{s.customer}</p>
        <h2 id="project-details-title" className="details__title">
          {s.name}
        </h2>
        <div className="details__actions">
          <button type="button" className="btn btn--small" onClick={() => onEdit(project)} data-testid="edit-project">
            <EditIcon size={12} />
            Edit
          </button>
          <button type="button" className="btn btn--small details__remove" onClick={() => onRemove(project)} data-testid="remove-project">
            <TrashIcon size={12} />
            Remove
          </button>
        </div>
      </header>
      <dl className="details__list">
        {rows.map(([label, value, mono]) => (
          <div key={label} className="details__row">
            <dt>{label}</dt>
            <dd className={mono ? "mono" : undefined} title={value}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </aside>
  );
}

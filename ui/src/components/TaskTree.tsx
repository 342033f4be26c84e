// The project's task list as a tree: 1.2.3.4 numbering, indented by depth,
// each task with its state (icon and word), dependencies and criteria. A
// click shows the task's details: attempts, step, branch, pull request,
// artifacts and every criterion.

import { memo } from "react";
import type { KeyboardEvent } from "react";

import type { Criterion, ProjectTask } from "../bindings";
import { STEP_LABELS, TASK_STATE_LABELS } from "../state/labels";
import { FolderIcon, LinkIcon } from "./icons";
import { TaskStateMark } from "./ExecBadge";
import "./TaskTree.css";

/** One line of words for a criterion: what it checks, as a person reads it. */
export function describeCriterion(criterion: Criterion): string {
  const spec = criterion.spec;
  if (spec.form === "prose") return spec.label ? `${spec.label}: ${spec.text}` : spec.text;
  const key = spec.key ? `${spec.key} — ` : "";
  const check = spec.check;
  switch (check.check) {
    case "cmd":
      return `${key}runs \`${check.run}\``;
    case "regex":
      return `${key}${check.path} matches /${check.pattern}/`;
    case "file":
      return `${key}${check.path} exists`;
    case "http":
      return `${key}${check.url} answers ${check.status ?? 200}${check.p95_ms ? ` within ${check.p95_ms} ms (p95)` : ""}`;
  }
}

interface TaskTreeProps {
  tasks: ProjectTask[];
  selectedTaskId: string | null;
  currentTaskId: string | null;
  onSelect: (taskId: string) => void;
}

const TaskRow = memo(function TaskRow({
  task,
  selected,
  current,
  onSelect,
}: {
  task: ProjectTask;
  selected: boolean;
  current: boolean;
  onSelect: (taskId: string) => void;
}) {
  const { node } = task;
  const criteria = node.criteria.length;
  return (
    <li>
      <button
        type="button"
        className={`task-row${node.leaf ? "" : " task-row--phase"}${current ? " task-row--current" : ""}`}
        style={{ paddingLeft: 8 + node.depth * 16 }}
        aria-current={selected ? "true" : undefined}
        data-task-id={node.id}
        data-testid={`task-${node.id}`}
        data-state={task.state}
        onClick={() => onSelect(node.id)}
        title={`${node.id} ${node.title}\n${TASK_STATE_LABELS[task.state]}${task.reason ? ` — ${task.reason}` : ""}`}
      >
        <TaskStateMark state={task.state} iconOnly />
        <span className="task-row__id">{node.id}</span>
        <span className="task-row__title">{node.title}</span>
        {node.deps.length > 0 && <span className="task-row__deps">after {node.deps.join(", ")}</span>}
        {criteria > 0 && (
          <span className="task-row__criteria" title={node.criteria.map(describeCriterion).join("\n")}>
            {criteria} {criteria === 1 ? "criterion" : "criteria"}
          </span>
        )}
        {task.state !== "pending" && <span className={`task-row__state task-row__state--${task.state}`}>{TASK_STATE_LABELS[task.state]}</span>}
      </button>
    </li>
  );
});

/** Up/Down/Home/End move through the tasks. */
function onTreeKeyDown(event: KeyboardEvent<HTMLElement>, onSelect: (id: string) => void) {
  if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(event.key)) return;
  const items = Array.from(event.currentTarget.querySelectorAll<HTMLButtonElement>("[data-task-id]"));
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
  if (item.dataset.taskId) onSelect(item.dataset.taskId);
}

export function TaskTree({ tasks, selectedTaskId, currentTaskId, onSelect }: TaskTreeProps) {
  return (
    <ul className="task-tree" data-testid="task-tree" aria-label="Tasks" onKeyDown={(e) => onTreeKeyDown(e, onSelect)}>
      {tasks.map((task) => (
        <TaskRow
          key={task.node.id}
          task={task}
          selected={task.node.id === selectedTaskId}
          current={task.node.id === currentTaskId}
          onSelect={onSelect}
        />
      ))}
    </ul>
  );
}

interface TaskDetailsProps {
  task: ProjectTask;
  onOpenUrl: (url: string) => void;
  onOpenArtifacts: (taskId: string) => void;
}

export function TaskDetails({ task, onOpenUrl, onOpenArtifacts }: TaskDetailsProps) {
  const { node } = task;
  const rows: [string, string][] = [
    ["State", TASK_STATE_LABELS[task.state]],
    ["Attempts", String(task.attempts)],
    ["Step", task.step ? STEP_LABELS[task.step] : "—"],
    ["Agent", task.agent_used ?? node.agent ?? "project default"],
    ["Depends on", node.deps.length ? node.deps.join(", ") : "nothing"],
  ];
  return (
    <section className="task-details" aria-labelledby="task-details-title" data-testid="task-details">
      <h3 id="task-details-title" className="task-details__title">
        <span className="task-details__id">{node.id}</span> {node.title}
        {node.risky && <span className="badge badge--high">risky</span>}
      </h3>
      {task.reason && (
        <p className="task-details__reason" data-testid="task-reason">
          {task.reason}
        </p>
      )}
      <dl className="task-details__grid">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
        <div className="task-details__wide">
          <dt>Branch</dt>
          <dd className="mono" data-testid="task-branch">
            {task.branch ?? "—"}
          </dd>
        </div>
      </dl>
      <div className="task-details__actions">
        {task.pr_url ? (
          <button type="button" className="btn btn--small" onClick={() => onOpenUrl(task.pr_url ?? "")} data-testid="open-pr" title={task.pr_url}>
            <LinkIcon size={12} />
            Pull request
          </button>
        ) : (
          <span className="task-details__muted">{task.state === "done" ? "No pull request" : "No pull request yet"}</span>
        )}
        <button
          type="button"
          className="btn btn--small"
          onClick={() => onOpenArtifacts(node.id)}
          disabled={task.attempts === 0 && task.state === "pending"}
          data-testid="open-artifacts"
          title="Open the task's artifacts folder (prompt, log, diff, reports)"
        >
          <FolderIcon size={12} />
          Artifacts
        </button>
      </div>
      {node.criteria.length > 0 && (
        <>
          <h4 className="task-details__subtitle">Acceptance criteria</h4>
          <ul className="task-details__criteria">
            {node.criteria.map((c) => (
              <li key={c.line}>{describeCriterion(c)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

// The project's task list as a tree: 1.2.3.4 numbering, indented by depth,
// each task with its state (icon and word), dependencies and criteria. A
// click shows the task's details: attempts, step, branch, pull request,
// artifacts and every criterion — with, live, what verification said of each
// in the latest attempt and how each attempt ended — and, for a task not done
// yet, a way for a person to take it over ("Do it myself").

import { memo, useState } from "react";
import type { KeyboardEvent } from "react";

import type { Outcome } from "../api";
import type { Criterion, Execution, ProjectTask } from "../bindings";
import { STEP_LABELS, TASK_STATE_LABELS } from "../state/labels";
import type { TaskVerification } from "../state/reducer";
import { FolderIcon, HandIcon, LinkIcon, MissingIcon } from "./icons";
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

/** Taking a task over by hand: why it cannot be done now (null: it can), and the command. */
export interface TakeTask {
  unavailable: string | null;
  onTake: (taskId: string) => Promise<Outcome<Execution>>;
}

interface TaskDetailsProps {
  task: ProjectTask;
  /** What verification said of the task while the window listened (none: nothing shown). */
  verification?: TaskVerification;
  onOpenUrl: (url: string) => void;
  onOpenArtifacts: (taskId: string) => void;
  /** Offered for a task that is neither done nor skipped. */
  take?: TakeTask;
}

export function TaskDetails({ task, verification, onOpenUrl, onOpenArtifacts, take }: TaskDetailsProps) {
  const { node } = task;
  const [taking, setTaking] = useState(false);
  const [takeError, setTakeError] = useState<string | null>(null);
  const canTake = take !== undefined && task.state !== "done" && task.state !== "skipped";

  async function takeOver() {
    if (!take) return;
    setTaking(true);
    setTakeError(null);
    try {
      const outcome = await take.onTake(node.id);
      if (!outcome.ok) setTakeError(outcome.error.message);
    } finally {
      setTaking(false);
    }
  }
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
        {canTake && (
          <button
            type="button"
            className="btn btn--small"
            onClick={() => void takeOver()}
            disabled={take.unavailable !== null || taking}
            data-testid="take-task"
            title={take.unavailable ?? "Take this task over: the run waits until you mark it done (or hand it back to the agent)"}
          >
            <HandIcon size={12} />
            {taking ? "Taking…" : "Do it myself"}
          </button>
        )}
      </div>
      {takeError && (
        <p className="task-details__error" role="alert" data-testid="take-error">
          <MissingIcon size={13} />
          <span>Cannot take task {node.id}: {takeError}</span>
        </p>
      )}
      {verification && <Verification verification={verification} />}
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

/** The first non-blank line of a text, trimmed. */
function firstLine(text: string): string {
  return text.split("\n").find((line) => line.trim() !== "")?.trim() ?? "";
}

function PassMark({ passed }: { passed: boolean }) {
  return (
    <span className="task-check__mark" role="img" aria-label={passed ? "passed" : "failed"}>
      {passed ? "✓" : "✗"}
    </span>
  );
}

/** The latest attempt's criteria (✓/✗, name, one line of evidence) and how each attempt ended. */
function Verification({ verification }: { verification: TaskVerification }) {
  const { attempt, criteria, attempts } = verification;
  return (
    <>
      {criteria.length > 0 && (
        <>
          <h4 className="task-details__subtitle">Verification (attempt {attempt})</h4>
          <ul className="task-checks" data-testid="task-verification">
            {criteria.map((c) => (
              <li
                key={c.criterion}
                className={`task-check task-check--${c.passed ? "passed" : "failed"}`}
                data-testid={`verification-${c.criterion}`}
              >
                <PassMark passed={c.passed} />
                <span className="task-check__name" title={c.criterion}>
                  {c.criterion}
                </span>
                {c.evidence.trim() !== "" && (
                  <span className="task-check__evidence" title={c.evidence} data-testid="verification-evidence">
                    {c.evidence.replace(/\s+/g, " ").trim()}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
      {attempts.length > 0 && (
        <>
          <h4 className="task-details__subtitle">Attempt outcomes</h4>
          <ul className="task-checks" data-testid="task-attempts">
            {attempts.map((a) => (
              <li key={a.attempt} className={`task-check task-check--${a.passed ? "passed" : "failed"}`} data-testid={`attempt-${a.attempt}`}>
                <span className="task-check__attempt">{a.attempt}</span>
                <PassMark passed={a.passed} />
                {!a.passed && a.failure && (
                  <span className="task-check__evidence" title={a.failure}>
                    {firstLine(a.failure)}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

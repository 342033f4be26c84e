// The right pane: everything about the selected project. Its name, badge and
// repository; the run controls (and the HUMAN_REVIEW panel when a task waits
// for a person); then tabs — the task tree with the selected task's details,
// the live log, the metrics charts, the run history, and the project's settings
// (with its repository and runner status in full).

import { lazy, Suspense, useState } from "react";

import type { Api, Outcome } from "../api";
import type { Execution, Injection, InjectionRequest, Project, ProjectTask, ReviewAction, StartOptions } from "../bindings";
import { AGENT_LABELS, DEFAULT_IMAGE, defaultRunPolicy, MERGE_MODE_LABELS, ORDER_LABELS, PRIORITY_LABELS, UNIT_LABELS } from "../state/draft";
import { useClock } from "../state/clock";
import { formatTimestamp } from "../state/format";
import { isActive, isTaken } from "../state/labels";
import type { LogBuffer } from "../state/logBuffer";
import type { LoadState, StatusEntry, TaskVerification, TreeState } from "../state/reducer";
import type { ProgressPoint, ResourcePoint } from "../state/series";
import { ErrorBoundary } from "./ErrorBoundary";
import { ExecBadge } from "./ExecBadge";
import { EditIcon, PlusIcon, RefreshIcon, TrashIcon } from "./icons";
import { InjectionList, InjectTaskDialog } from "./InjectTask";
import { LogView } from "./LogView";
import { ProjectStatusDetails } from "./ProjectStatus";
import { ReviewPanel, RunControls } from "./RunControls";
import { RunHistory } from "./RunHistory";
import { TaskDetails, TaskTree } from "./TaskTree";
import "./ProjectDetails.css";

// Charts load with the tab that shows them, keeping the first paint light.
const MetricsView = lazy(() => import("./MetricsView"));

export type DetailsTab = "tasks" | "log" | "metrics" | "history" | "settings";

/** How the engine starts the reason of a task that waits for approval. */
const APPROVAL_PREFIX = "approval needed:";

const TABS: [DetailsTab, string][] = [
  ["tasks", "Tasks"],
  ["log", "Log"],
  ["metrics", "Metrics"],
  ["history", "History"],
  ["settings", "Settings"],
];

export interface RunHandlers {
  onStart: (projectId: string, options: StartOptions) => Promise<boolean>;
  onPause: (projectId: string) => Promise<boolean>;
  onResume: (projectId: string) => Promise<boolean>;
  onStop: (projectId: string, emergency: boolean) => Promise<boolean>;
  onReview: (projectId: string, action: ReviewAction) => Promise<boolean>;
  onTake: (projectId: string, taskId: string) => Promise<Outcome<Execution>>;
  onOpenUrl: (url: string) => void;
  onOpenArtifacts: (projectId: string, taskId: string) => void;
  onReloadTree: (projectId: string) => void;
  onInject: (projectId: string, request: InjectionRequest) => Promise<Outcome<Injection>>;
  onDecideInjection: (projectId: string, id: number, approve: boolean) => Promise<boolean>;
}

interface ProjectDetailsProps extends RunHandlers {
  api: Api;
  project: Project | null;
  execution: Execution | undefined;
  approval: { task_id: string; reason: string } | undefined;
  tree: TreeState | undefined;
  log: LogBuffer | undefined;
  logHistory: LoadState | undefined;
  progress: ProgressPoint[] | undefined;
  resources: ResourcePoint[] | undefined;
  injections: Injection[] | undefined;
  /** Runs of the project that ended while the window listened: the history reads its list again. */
  runsEnded: number | undefined;
  /** The project's repository and runner status, as last read. */
  status: StatusEntry | undefined;
  /** What verification said of the project's tasks while the window listened, by task id. */
  verification: Record<string, TaskVerification> | undefined;
  onRefreshStatus: (projectId: string) => void;
  tab: DetailsTab;
  onTab: (tab: DetailsTab) => void;
  onEdit: (project: Project) => void;
  onRemove: (project: Project) => void;
}

export function ProjectDetails(props: ProjectDetailsProps) {
  const { project } = props;
  if (!project) {
    return (
      <aside className="pane pane--right" aria-label="Project details">
        <p className="pane__notice">Select a project to see its tasks, log and controls.</p>
      </aside>
    );
  }
  // A new project starts with its own task selection and filters.
  return <ProjectPanel key={project.id} {...props} project={project} />;
}

function ProjectPanel(props: ProjectDetailsProps & { project: Project }) {
  const { project, execution, tree, tab, onTab } = props;
  const s = project.settings;
  const id = project.id;
  const [chosenTask, setChosenTask] = useState<string | null>(null);
  const [injecting, setInjecting] = useState(false);
  const tasks = tree?.tree?.tasks ?? null;
  // Until the user picks a task, the details follow the one the run works on.
  const taskId = chosenTask ?? execution?.task_id ?? null;
  const task = tasks?.find((t) => t.node.id === taskId);
  const blocked = execution?.state === "blocked";
  // A risky task waiting to be allowed to run: told by the event, or by the stored reason after a restart.
  const approval =
    props.approval ??
    (execution?.reason?.startsWith(APPROVAL_PREFIX) && execution.task_id ? { task_id: execution.task_id, reason: execution.reason } : undefined);
  // A task a person took over waits in HUMAN_REVIEW; the execution may still name the task the run was on.
  const reviewTask =
    (blocked && isTaken(execution?.reason) ? tasks?.find((t) => t.state === "human_review") : undefined) ??
    tasks?.find((t) => t.node.id === (approval?.task_id ?? execution?.task_id));

  return (
    <aside className="pane pane--right details" aria-labelledby="project-details-title" data-testid="project-details">
      <header className="details__header">
        <div className="details__heading">
          <div className="details__names">
            <p className="details__customer">{s.customer}</p>
            <h2 id="project-details-title" className="details__title">
              {s.name}
            </h2>
          </div>
          {execution && <ExecBadge state={execution.state} testId="details-badge" reason={execution.reason} />}
        </div>
        <p className="details__repo mono" title={s.repo_url}>
          {s.repo_url}
        </p>
        {execution?.reason && execution.state !== "blocked" && (
          <p className="details__reason" data-testid="details-reason">
            {execution.reason}
          </p>
        )}
      </header>

      <RunControls
        execution={execution}
        tasks={tasks}
        onStart={(options) => props.onStart(id, options)}
        onPause={() => props.onPause(id)}
        onResume={() => props.onResume(id)}
        onStop={(emergency) => props.onStop(id, emergency)}
      />
      {blocked && execution && (
        <ReviewPanel
          execution={execution}
          task={reviewTask}
          approval={approval}
          onDecide={(action: ReviewAction) => props.onReview(id, action)}
        />
      )}

      <div className="tabs" role="tablist" aria-label="Project views">
        {TABS.map(([key, label]) => (
          <button
            key={key}
            type="button"
            role="tab"
            id={`tab-${key}`}
            aria-selected={tab === key}
            aria-controls={`tabpanel-${key}`}
            tabIndex={tab === key ? 0 : -1}
            className="tabs__tab"
            onClick={() => onTab(key)}
            onKeyDown={(e) => {
              if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
              const i = TABS.findIndex(([k]) => k === key);
              const next = TABS[(i + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
              if (next) {
                onTab(next[0]);
                document.getElementById(`tab-${next[0]}`)?.focus();
              }
            }}
            data-testid={`tab-${key}`}
          >
            {label}
          </button>
        ))}
      </div>

      <div className="details__tabpanel" role="tabpanel" id={`tabpanel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === "tasks" && (
          <div className="details__tasks">
            <div className="tasks-header">
              <button type="button" className="btn btn--small" onClick={() => setInjecting(true)} data-testid="inject-task">
                <PlusIcon size={12} />
                Inject task
              </button>
            </div>
            <InjectionList injections={props.injections} onDecide={(n, approve) => props.onDecideInjection(id, n, approve)} />
            <div className="details__tree">
              {tree?.status === "failed" && (
                <div className="pane__notice pane__notice--error" role="alert" data-testid="tree-error">
                  The task list cannot be read: {tree.error.message}{" "}
                  <button type="button" className="btn btn--small" onClick={() => props.onReloadTree(id)}>
                    <RefreshIcon size={12} />
                    Try again
                  </button>
                </div>
              )}
              {!tasks && tree?.status !== "failed" && <p className="pane__notice">Reading the task list…</p>}
              {tree?.tree && tree.tree.problems.length > 0 && (
                <ul className="details__problems" role="alert">
                  {tree.tree.problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              )}
              {tasks && (
                <TaskTree tasks={tasks} selectedTaskId={taskId} currentTaskId={execution?.task_id ?? null} onSelect={setChosenTask} />
              )}
            </div>
            {task && (
              <div className="details__task">
                <TaskDetails
                  key={task.node.id}
                  task={task}
                  verification={props.verification?.[task.node.id]}
                  onOpenUrl={props.onOpenUrl}
                  onOpenArtifacts={(t) => props.onOpenArtifacts(id, t)}
                  take={{ unavailable: takeUnavailable(execution, tasks, task), onTake: (t) => props.onTake(id, t) }}
                />
              </div>
            )}
          </div>
        )}
        {tab === "log" && (
          <ErrorBoundary what="The log">
            <LogView buffer={props.log} history={props.logHistory} />
          </ErrorBoundary>
        )}
        {tab === "metrics" && (
          <ErrorBoundary what="The charts">
            <Suspense fallback={<p className="pane__notice">Loading charts…</p>}>
              <MetricsView api={props.api} progress={props.progress} resources={props.resources} />
            </Suspense>
          </ErrorBoundary>
        )}
        {tab === "history" && (
          <ErrorBoundary what="The run history">
            <RunHistory
              api={props.api}
              projectId={id}
              tasks={tasks}
              execution={execution}
              runsEnded={props.runsEnded ?? 0}
              onOpenArtifacts={(taskId) => props.onOpenArtifacts(id, taskId)}
            />
          </ErrorBoundary>
        )}
        {tab === "settings" && (
          <ProjectSettings
            project={project}
            status={props.status}
            onRefreshStatus={() => props.onRefreshStatus(id)}
            onEdit={props.onEdit}
            onRemove={props.onRemove}
          />
        )}
      </div>
      {injecting && (
        <InjectTaskDialog tasks={tasks ?? []} onSubmit={(request) => props.onInject(id, request)} onClose={() => setInjecting(false)} />
      )}
    </aside>
  );
}

/**
 * Why a person cannot take this task over now (the engine would refuse), or
 * null. A task is taken only while no run walks the project, and only one
 * task waits for a person at a time.
 */
function takeUnavailable(execution: Execution | undefined, tasks: ProjectTask[] | null, task: ProjectTask): string | null {
  if (isActive(execution?.state)) return "The project is running: pause it first, then take this task";
  if (task.state === "human_review") return "This task already waits for a person: decide on it above";
  const waiting = tasks?.find((t) => t.state === "human_review");
  if (execution?.state === "blocked" && waiting) return `Task ${waiting.node.id} waits for a person: decide on it first`;
  return null;
}

function ProjectSettings({
  project,
  status,
  onRefreshStatus,
  onEdit,
  onRemove,
}: {
  project: Project;
  status: StatusEntry | undefined;
  onRefreshStatus: () => void;
  onEdit: (p: Project) => void;
  onRemove: (p: Project) => void;
}) {
  const now = useClock();
  const s = project.settings;
  const run = { ...defaultRunPolicy(), ...s.run };
  const rows: [string, string, boolean?][] = [
    ["Repository", s.repo_url, true],
    ["Base branch", s.base_branch, true],
    ["Task list", s.tasklist_path, true],
    ["Execution order", ORDER_LABELS[s.order]],
    ["Unit of work", UNIT_LABELS[s.unit]],
    ["Default agent", AGENT_LABELS[s.default_agent] ?? s.default_agent],
    ["Priority", PRIORITY_LABELS[s.priority]],
    ["Image", s.image ?? DEFAULT_IMAGE, true],
    ["Container", `${run.memory_mb} MiB · ${run.cpus ?? "—"} CPU · ${run.pids} processes`],
    ["Limits", `${run.max_attempts} attempts · ${run.parallel_tasks} at once · ${run.wall_clock_minutes} min per run · ${run.inactivity_minutes} min of silence`],
    ["Merge", `${MERGE_MODE_LABELS[run.merge_mode]}${run.merge_mode === "pr" && run.pr_draft ? " (drafts)" : ""}${run.pr_labels.length ? ` · labels ${run.pr_labels.join(", ")}` : ""}`],
    ["Checks", run.checks.length ? run.checks.map((c) => `${c.name}: ${c.run}`).join(" · ") : "none"],
    ["Routing", `${run.routing_rules.length ? run.routing_rules.map((r) => `${r.keyword} → ${r.agent}`).join(", ") : "no rules"}${run.model ? ` · model ${run.model}` : ""}`],
    ["Added", formatTimestamp(project.created_at)],
    ["Updated", formatTimestamp(project.updated_at)],
    ["ID", project.id, true],
  ];
  return (
    <div className="details__settings">
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
      <div className="details__settings-body">
        <ProjectStatusDetails entry={status} now={now} onRefresh={onRefreshStatus} />
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
      </div>
    </div>
  );
}

// Task injection: the dialog that adds a task to a project's list (run next,
// after a task, or instead of one), and the list of the project's injections
// with Approve / Reject for those that wait for a person. The engine's
// refusal is shown in the dialog, with everything typed kept.

import { useRef, useState } from "react";
import type { FormEvent } from "react";

import type { Outcome } from "../api";
import type { InjectAt, Injection, InjectionRequest, InjectionStatus, ProjectTask } from "../bindings";
import { Dialog } from "./Dialog";
import { FormField } from "./FormField";
import { MissingIcon } from "./icons";
import "./InjectTask.css";

type Where = InjectAt["kind"];

const WHERE_LABELS: Record<Where, string> = {
  priority: "Run next",
  positional: "After task…",
  replace: "Instead of task…",
};

const STATUS_LABELS: Record<InjectionStatus, string> = {
  pending: "Pending",
  approved: "Approved",
  rejected: "Rejected",
  applied: "Applied",
};

/** Where an injection goes, in words. */
export function describeAt(at: InjectAt): string {
  switch (at.kind) {
    case "priority":
      return "run next";
    case "positional":
      return `after ${at.after}`;
    case "replace":
      return `instead of ${at.task}`;
  }
}

interface InjectTaskDialogProps {
  tasks: ProjectTask[];
  onSubmit: (request: InjectionRequest) => Promise<Outcome<Injection>>;
  onClose: () => void;
}

export function InjectTaskDialog({ tasks, onSubmit, onClose }: InjectTaskDialogProps) {
  const titleInput = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [where, setWhere] = useState<Where>("priority");
  const [after, setAfter] = useState("");
  const [instead, setInstead] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Only tasks that have not started nor finished can be replaced.
  const replaceable = tasks.filter((t) => t.state !== "done" && t.state !== "running" && !t.node.complete);
  const target = where === "positional" ? after : where === "replace" ? instead : "x";
  const canSubmit = !busy && title.trim() !== "" && !title.includes("\n") && target !== "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSubmit) return;
    const at: InjectAt =
      where === "positional" ? { kind: "positional", after } : where === "replace" ? { kind: "replace", task: instead } : { kind: "priority" };
    setBusy(true);
    setError(null);
    const outcome = await onSubmit({ at, title: title.trim(), body });
    setBusy(false);
    if (outcome.ok) onClose();
    else setError(outcome.error.message);
  }

  return (
    <Dialog labelledBy="inject-title" onCancel={onClose} initialFocus={titleInput} testId="inject-dialog">
      <form className="inject-form" onSubmit={(e) => void submit(e)} noValidate>
        <header className="dialog__header">
          <h2 id="inject-title" className="dialog__title">
            Inject a task
          </h2>
          <span className="dialog__subtitle">Run next applies at once; the others wait for approval.</span>
        </header>
        <div className="dialog__body inject-form__body">
          {error && (
            <p className="inject-form__error" role="alert" data-testid="inject-error">
              <MissingIcon size={13} />
              <span>{error}</span>
            </p>
          )}
          <FormField idPrefix="inject" field="title" label="Title" hint="One line, as it will appear in the task list.">
            {(control) => (
              <input
                {...control}
                ref={titleInput}
                className="input"
                value={title}
                onChange={(e) => setTitle(e.target.value.replace(/[\r\n]+/g, " "))}
                autoComplete="off"
              />
            )}
          </FormField>
          <FormField
            idPrefix="inject"
            field="body"
            label="Body"
            hint={
              <>
                Markdown: notes, <code>&lt;criterion&gt;</code> tags, <code>sh</code> blocks.
              </>
            }
          >
            {(control) => (
              <textarea {...control} className="input inject-form__textarea mono" rows={8} value={body} onChange={(e) => setBody(e.target.value)} />
            )}
          </FormField>
          <fieldset className="inject-form__where">
            <legend className="form-field__label">Where</legend>
            {(Object.keys(WHERE_LABELS) as Where[]).map((kind) => (
              <label key={kind} className="inject-form__choice">
                <input
                  type="radio"
                  name="inject-where"
                  value={kind}
                  checked={where === kind}
                  onChange={() => setWhere(kind)}
                  data-testid={`inject-where-${kind}`}
                />
                {WHERE_LABELS[kind]}
              </label>
            ))}
          </fieldset>
          {where === "positional" && (
            <FormField idPrefix="inject" field="after" label="After task" hint="The new task comes after this one and its subtasks.">
              {(control) => (
                <select {...control} className="select" value={after} onChange={(e) => setAfter(e.target.value)}>
                  <TaskOptions tasks={tasks} />
                </select>
              )}
            </FormField>
          )}
          {where === "replace" && (
            <FormField idPrefix="inject" field="task" label="Instead of task" hint="Only tasks that are neither done nor running.">
              {(control) => (
                <select {...control} className="select" value={instead} onChange={(e) => setInstead(e.target.value)}>
                  <TaskOptions tasks={replaceable} />
                </select>
              )}
            </FormField>
          )}
        </div>
        <footer className="dialog__footer">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={!canSubmit} data-testid="inject-submit">
            {busy ? "Injecting…" : "Inject"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}

interface InjectionListProps {
  injections: Injection[] | undefined;
  onDecide: (id: number, approve: boolean) => Promise<boolean>;
}

export function InjectionList({ injections, onDecide }: InjectionListProps) {
  const [busy, setBusy] = useState<number | null>(null);
  if (!injections || injections.length === 0) return null;

  async function decide(id: number, approve: boolean) {
    setBusy(id);
    try {
      await onDecide(id, approve);
    } finally {
      setBusy(null);
    }
  }

  const pending = injections.filter((i) => i.status === "pending").length;
  return (
    <section className="injections" aria-labelledby="injections-title" data-testid="injections">
      <h3 id="injections-title" className="injections__title">
        Injections{pending > 0 ? ` — ${pending} pending` : ""}
      </h3>
      <ul className="injections__list">
        {injections.map((i) => (
          <li key={i.id} className="injections__item" data-testid={`injection-${i.id}`}>
            <span className={`injections__status injections__status--${i.status}`} data-testid={`injection-status-${i.id}`}>
              {STATUS_LABELS[i.status]}
            </span>
            <span className="injections__text" title={i.title}>
              {i.title}
              <span className="injections__where"> · {describeAt(i.at)}</span>
              {i.task_id && <span className="injections__task mono"> → {i.task_id}</span>}
            </span>
            {i.status === "pending" && (
              <span className="injections__buttons">
                <button
                  type="button"
                  className="btn btn--small btn--primary"
                  disabled={busy === i.id}
                  onClick={() => void decide(i.id, true)}
                  data-testid={`injection-approve-${i.id}`}
                >
                  Approve
                </button>
                <button
                  type="button"
                  className="btn btn--small btn--danger-outline"
                  disabled={busy === i.id}
                  onClick={() => void decide(i.id, false)}
                  data-testid={`injection-reject-${i.id}`}
                >
                  Reject
                </button>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The choices of a task picker: the tree's tasks, indented by depth. */
function TaskOptions({ tasks }: { tasks: ProjectTask[] }) {
  return (
    <>
      <option value="">— choose a task —</option>
      {tasks.map((t) => (
        <option key={t.node.id} value={t.node.id}>
          {"\u00a0\u00a0".repeat(t.node.depth)}
          {t.node.id} {t.node.title}
        </option>
      ))}
    </>
  );
}

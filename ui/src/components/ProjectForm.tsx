// The add / edit form for a customer project. The engine validates; the
// form shows each of the engine's field messages beside its field and never
// resets what the user typed when the engine says no.

import { useEffect, useId, useRef, useState } from "react";
import type { ChangeEvent, FormEvent, KeyboardEvent } from "react";

import type { Outcome } from "../api";
import type { EngineError, ExecutionOrder, Priority, Project, ProjectDraft, TaskUnit } from "../bindings";
import {
  AGENT_LABELS,
  BUILTIN_AGENTS,
  DRAFT_FIELDS,
  ORDER_LABELS,
  PRIORITY_LABELS,
  UNIT_LABELS,
  isDraftField,
} from "../state/draft";
import type { DraftField } from "../state/draft";
import { Dialog } from "./Dialog";
import { FormField } from "./FormField";
import "./ProjectForm.css";

type FieldErrors = Partial<Record<DraftField, string>>;

interface ProjectFormProps {
  mode: "add" | "edit";
  initial: ProjectDraft;
  /** Customers already known, offered as suggestions. */
  customers: readonly string[];
  onSubmit: (draft: ProjectDraft) => Promise<Outcome<Project>>;
  onSaved: (project: Project) => void;
  onCancel: () => void;
}

/** Splits the engine's answer into messages per field and what belongs to no field. */
function splitErrors(error: EngineError): { fields: FieldErrors; formError: EngineError | null } {
  const fields: FieldErrors = {};
  const stray: string[] = [];
  for (const { field, message } of error.fields) {
    if (isDraftField(field)) fields[field] = fields[field] ? `${fields[field]} ${message}` : message;
    else stray.push(field ? `${field}: ${message}` : message);
  }
  const placed = Object.keys(fields).length > 0;
  if (placed && stray.length === 0) return { fields, formError: null };
  const message = stray.length > 0 ? stray.join(" ") : error.message;
  return { fields, formError: { ...error, message } };
}

export function ProjectForm({ mode, initial, customers, onSubmit, onSaved, onCancel }: ProjectFormProps) {
  const idPrefix = `project-form${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const titleId = `${idPrefix}-title`;
  const [draft, setDraft] = useState<ProjectDraft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<EngineError | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  function set<K extends keyof ProjectDraft>(key: K, value: ProjectDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  function text(key: DraftField) {
    return (e: ChangeEvent<HTMLInputElement>) => set(key, e.target.value);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setFormError(null);
    const outcome = await onSubmit(draft);
    if (!mounted.current) return;
    setBusy(false);
    if (outcome.ok) {
      onSaved(outcome.value);
      return;
    }
    const split = splitErrors(outcome.error);
    setErrors(split.fields);
    setFormError(split.formError);
    const firstInvalid = DRAFT_FIELDS.find((f) => split.fields[f]);
    if (firstInvalid) form.current?.querySelector<HTMLElement>(`[name="${firstInvalid}"]`)?.focus();
  }

  /** Enter submits from any control, selects included (browsers only do it for text inputs). */
  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    const target = event.target as HTMLElement;
    if (event.key === "Enter" && target.tagName === "SELECT") {
      event.preventDefault();
      form.current?.requestSubmit();
    }
  }

  const agents: string[] = [...BUILTIN_AGENTS];
  if (draft.default_agent && !agents.includes(draft.default_agent)) agents.push(draft.default_agent);
  const common = { idPrefix };
  const title = mode === "add" ? "Add customer project" : "Edit project";

  return (
    <Dialog labelledBy={titleId} onCancel={onCancel} initialFocus={firstField} testId="project-form">
      <form ref={form} className="project-form" onSubmit={submit} onKeyDown={onKeyDown} noValidate>
        <header className="dialog__header">
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <span className="dialog__subtitle">
            {mode === "add" ? "A repository whose task list DevTeam will work through" : `${initial.customer} / ${initial.name}`}
          </span>
        </header>

        <div className="dialog__body">
          {formError && (
            <div className="alert-error" role="alert" data-testid="form-error">
              <strong>{formError.code === "validation" ? "Not saved:" : "Could not save:"}</strong>{" "}
              {formError.message}
            </div>
          )}

          <fieldset className="project-form__grid">
            <legend className="visually-hidden">Project</legend>
            <FormField {...common} field="customer" label="Customer" error={errors.customer}>
              {(control) => (
                <>
                  <input
                    {...control}
                    ref={firstField}
                    className="input"
                    list={`${idPrefix}-customers`}
                    autoComplete="off"
                    placeholder="Acme Corp"
                    value={draft.customer}
                    onChange={text("customer")}
                  />
                  <datalist id={`${idPrefix}-customers`}>
                    {customers.map((c) => (
                      <option key={c} value={c} />
                    ))}
                  </datalist>
                </>
              )}
            </FormField>

            <FormField {...common} field="name" label="Project name" error={errors.name}>
              {(control) => (
                <input {...control} className="input" autoComplete="off" placeholder="Customer portal" value={draft.name} onChange={text("name")} />
              )}
            </FormField>

            <FormField
              {...common}
              wide
              field="repo_url"
              label="Repository URL"
              error={errors.repo_url}
              hint={
                <>
                  <code>https://github.com/owner/repo</code>, <code>git@github.com:owner/repo.git</code>, any git URL,{" "}
                  <code>file://</code> or an absolute local path
                </>
              }
            >
              {(control) => (
                <input
                  {...control}
                  className="input mono"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="https://github.com/acme/portal"
                  value={draft.repo_url}
                  onChange={text("repo_url")}
                />
              )}
            </FormField>

            <FormField {...common} field="base_branch" label="Base branch" error={errors.base_branch} hint="Task branches start here">
              {(control) => (
                <input {...control} className="input mono" autoComplete="off" spellCheck={false} value={draft.base_branch} onChange={text("base_branch")} />
              )}
            </FormField>

            <FormField
              {...common}
              field="tasklist_path"
              label="Task list path"
              error={errors.tasklist_path}
              hint={
                <>
                  Markdown in the repository, tasks like <code>- [ ] 1.1 Title</code>
                </>
              }
            >
              {(control) => (
                <input {...control} className="input mono" autoComplete="off" spellCheck={false} value={draft.tasklist_path} onChange={text("tasklist_path")} />
              )}
            </FormField>

            <FormField {...common} field="order" label="Execution order" error={errors.order}>
              {(control) => (
                <select {...control} className="select" value={draft.order} onChange={(e) => set("order", e.target.value as ExecutionOrder)}>
                  {Object.entries(ORDER_LABELS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </FormField>

            <FormField {...common} field="unit" label="Unit of work" error={errors.unit}>
              {(control) => (
                <select {...control} className="select" value={draft.unit} onChange={(e) => set("unit", e.target.value as TaskUnit)}>
                  {Object.entries(UNIT_LABELS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </FormField>

            <FormField {...common} field="default_agent" label="Default agent" error={errors.default_agent}>
              {(control) => (
                <select {...control} className="select" value={draft.default_agent} onChange={(e) => set("default_agent", e.target.value)}>
                  {agents.map((agent) => (
                    <option key={agent} value={agent}>
                      {AGENT_LABELS[agent] ?? agent}
                    </option>
                  ))}
                </select>
              )}
            </FormField>

            <FormField {...common} field="priority" label="Priority" error={errors.priority}>
              {(control) => (
                <select {...control} className="select" value={draft.priority} onChange={(e) => set("priority", e.target.value as Priority)}>
                  {Object.entries(PRIORITY_LABELS).map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          </fieldset>
        </div>

        <footer className="dialog__footer">
          <span className="dialog__footer-hint">
            <kbd>Enter</kbd> saves · <kbd>Esc</kbd> cancels
          </span>
          <button type="button" className="btn" onClick={onCancel} data-testid="cancel-project">
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy} aria-busy={busy} data-testid="submit-project">
            {busy ? "Saving…" : mode === "add" ? "Add project" : "Save changes"}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}

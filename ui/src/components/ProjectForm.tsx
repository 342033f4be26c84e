// The add / edit form for a customer project. The engine validates; the
// form shows each of the engine's field messages beside its field and never
// resets what the user typed when the engine says no.
//
// The basic fields stay in view; the run settings (container, tasks and
// checks, delivery, commits, agents) sit in groups that open on demand, and a group
// holding a refused field opens by itself. Run settings left untouched are
// sent back exactly as stored.

import { useEffect, useId, useRef, useState } from "react";
import type { ChangeEvent, FormEvent, KeyboardEvent } from "react";

import type { Outcome } from "../api";
import type { EngineError, ExecutionOrder, MergeMode, Priority, Project, ProjectDraft, TaskUnit } from "../bindings";
import {
  AGENT_LABELS,
  BUILTIN_AGENTS,
  DEFAULT_IMAGE,
  defaultRunPolicy,
  IMAGE_LABELS,
  MERGE_MODE_LABELS,
  ORDER_LABELS,
  PRIORITY_LABELS,
  UNIT_LABELS,
} from "../state/draft";
import type { DraftField } from "../state/draft";
import { buildRunPolicy, foldPending, groupOf, LIST_FIELDS, placeErrors, rowsAsShown, runFormFrom } from "../state/runForm";
import type { FormGroup, ListField, NumberField, RunForm, SentRows } from "../state/runForm";
import { CommitAuthorFields } from "./CommitFields";
import { Dialog } from "./Dialog";
import { FieldError, fieldId, FormField } from "./FormField";
import { ChecksEditor, EntryList, FormSection, ImageField, RulesEditor } from "./RunSettingsFields";
import "./ProjectForm.css";

/** Messages by control: a field's name (`name`, `run.pids`) or a row's key (see `placeErrors`). */
type FieldErrors = Record<string, string>;

type Section = Exclude<FormGroup, "project">;

const CLOSED: Record<Section, boolean> = { container: false, tasks: false, delivery: false, commits: false, agents: false };

interface ProjectFormProps {
  mode: "add" | "edit";
  initial: ProjectDraft;
  /** Customers already known, offered as suggestions. */
  customers: readonly string[];
  onSubmit: (draft: ProjectDraft) => Promise<Outcome<Project>>;
  onSaved: (project: Project) => void;
  onCancel: () => void;
}

/** Whether a message's control is still there (a removed row takes its message with it). */
function standing(key: string, run: RunForm): boolean {
  const row = /^run\.([a-z_]+)#(\d+)/.exec(key);
  if (!row) return true;
  const [, list = "", k] = row;
  const id = Number(k);
  if (list === "checks") return run.checks.some((c) => c.key === id);
  if (list === "routing_rules") return run.routing_rules.some((r) => r.key === id);
  return (LIST_FIELDS as readonly string[]).includes(list) && run.lists[list as ListField].some((i) => i.key === id);
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function ProjectForm({ mode, initial, customers, onSubmit, onSaved, onCancel }: ProjectFormProps) {
  const idPrefix = `project-form${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const titleId = `${idPrefix}-title`;
  const [draft, setDraft] = useState<ProjectDraft>(initial);
  const [run, setRun] = useState<RunForm>(() => runFormFrom(initial.run));
  /** Untouched run settings go back as they came, fields this window does not know included. */
  const [runTouched, setRunTouched] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<EngineError | null>(null);
  const [open, setOpen] = useState<Record<Section, boolean>>(CLOSED);
  const [focusInvalid, setFocusInvalid] = useState(0);
  const [resetNote, setResetNote] = useState("");
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

  // After a refusal, once the groups holding refused fields are open: the first of them takes focus.
  useEffect(() => {
    if (focusInvalid > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [focusInvalid]);

  function set<K extends keyof ProjectDraft>(key: K, value: ProjectDraft[K]) {
    setDraft((d) => ({ ...d, [key]: value }));
  }

  function text(key: DraftField) {
    return (e: ChangeEvent<HTMLInputElement>) => set(key, e.target.value);
  }

  function changeRun(change: (run: RunForm) => RunForm) {
    setRun(change);
    setRunTouched(true);
    setResetNote("");
  }

  function resetRun() {
    changeRun(() => runFormFrom(defaultRunPolicy()));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([key]) => !key.startsWith("run."))));
    setResetNote("Run settings reset to the defaults (saved with the project).");
  }

  /** Shows messages beside their fields, opening the groups they are in. */
  function show(placed: FieldErrors, error: EngineError | null) {
    setErrors(placed);
    setFormError(error);
    const sections = Object.keys(placed)
      .map(groupOf)
      .filter((g): g is Section => g !== "project");
    if (sections.length > 0) setOpen((o) => ({ ...o, ...Object.fromEntries(sections.map((g) => [g, true])) }));
    setFocusInvalid((n) => n + 1);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const sending: ProjectDraft = { ...draft };
    let sent: SentRows = rowsAsShown(run);
    if (runTouched) {
      const folded = foldPending(run);
      if (folded !== run) setRun(folded);
      const built = buildRunPolicy(folded, initial.run);
      if (!built.ok) {
        // Text where a number goes cannot be sent at all: said here, nothing sent, nothing lost.
        show(built.errors, null);
        return;
      }
      sending.run = built.policy;
      sent = built.sent;
    }
    setBusy(true);
    setFormError(null);
    const outcome = await onSubmit(sending);
    if (!mounted.current) return;
    setBusy(false);
    if (outcome.ok) {
      onSaved(outcome.value);
      return;
    }
    const { placed, stray } = placeErrors(outcome.error.fields, sent);
    const placedAny = Object.keys(placed).length > 0;
    const rest = placedAny && stray.length === 0 ? null : { ...outcome.error, message: stray.length > 0 ? stray.join(" ") : outcome.error.message };
    show(placed, rest);
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

  const errorCount = (section: Section) => Object.keys(errors).filter((key) => groupOf(key) === section && standing(key, run)).length;
  const section = (id: Section) => ({
    id,
    open: open[id],
    errorCount: errorCount(id),
    onToggle: (now: boolean) => setOpen((o) => ({ ...o, [id]: now })),
  });
  const image = draft.image ?? DEFAULT_IMAGE;
  const n = run.numbers;
  const setNumber = (f: NumberField) => (e: ChangeEvent<HTMLInputElement>) => {
    const value = e.target.value;
    changeRun((r) => ({ ...r, numbers: { ...r.numbers, [f]: value } }));
  };
  const numberField = (f: NumberField, label: string, hint: string) => (
    <FormField {...common} field={`run.${f}`} label={label} hint={hint} error={errors[`run.${f}`]}>
      {(control) => (
        <input {...control} className="input" inputMode={f === "cpus" ? "decimal" : "numeric"} autoComplete="off" value={n[f]} onChange={setNumber(f)} />
      )}
    </FormField>
  );
  const entryList = (field: ListField, label: string, itemLabel: string, placeholder: string, hint: string) => (
    <EntryList
      idPrefix={idPrefix}
      field={field}
      label={label}
      itemLabel={itemLabel}
      placeholder={placeholder}
      hint={hint}
      items={run.lists[field]}
      pending={run.pending[field]}
      errors={errors}
      onItems={(items) => changeRun((r) => ({ ...r, lists: { ...r.lists, [field]: items } }))}
      onPending={(value) => changeRun((r) => ({ ...r, pending: { ...r.pending, [field]: value } }))}
    />
  );
  const labels = run.lists.pr_labels.map((l) => l.value.trim()).filter(Boolean);
  const draftError = errors["run.pr_draft"];
  const draftErrorId = `${fieldId(idPrefix, "run.pr_draft")}-error`;

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

          <div className="project-form__run">
            <div className="project-form__run-head">
              <h3 className="project-form__run-title">Run settings</h3>
              <span className="project-form__run-note" role="status" data-testid="run-reset-note">
                {resetNote}
              </span>
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={resetRun}
                title="Container limits, attempts, checks, merge mode, commit author, GitHub account and routing back to DevTeam's defaults (the image stays)"
                data-testid="reset-run"
              >
                Reset to defaults
              </button>
            </div>

            <FormSection
              {...section("container")}
              title="Container"
              summary={`${IMAGE_LABELS[image.trim()] ? image.trim() : image.trim() || "no image"} · ${n.memory_mb} MiB · ${n.cpus} CPU · ${n.wall_clock_minutes} min`}
            >
              <div className="project-form__grid project-form__grid--3">
                <ImageField idPrefix={idPrefix} value={image} error={errors.image} onChange={(value) => set("image", value)} />
                {numberField("memory_mb", "Memory (MiB)", "256 to 65,536")}
                {numberField("cpus", "CPUs", "0.25 to 64")}
                {numberField("pids", "Processes", "64 to 32,768")}
                {numberField("wall_clock_minutes", "Time limit (minutes)", "Per agent run or check: 1 to 1,440")}
                {numberField("inactivity_minutes", "Silence limit (minutes)", "Stopped after this long with no output: 1 to 240")}
              </div>
            </FormSection>

            <FormSection
              {...section("tasks")}
              title="Tasks and checks"
              summary={`${plural(Number(n.max_attempts) || 0, "attempt", "attempts")}${Number(n.parallel_tasks) > 1 ? ` · ${n.parallel_tasks} at once` : ""} · ${plural(run.checks.length, "check", "checks")} · ${plural(run.lists.allowlist.length, "program", "programs")} allowed`}
            >
              <div className="project-form__grid project-form__grid--3">
                {numberField("max_attempts", "Attempts per task", "1 to 10, then a person decides")}
                {numberField(
                  "parallel_tasks",
                  "Tasks at once",
                  draft.order === "dependency" ? "1 to 8 ready tasks side by side" : "1 to 8; more than 1 needs the Dependency order",
                )}
                <ChecksEditor idPrefix={idPrefix} rows={run.checks} errors={errors} onChange={(checks) => changeRun((r) => ({ ...r, checks }))} />
                {entryList("allowlist", "Allowed programs", "Allowed program", "Add a program…", "What a task's criteria may run: program names, no paths or arguments.")}
                {entryList("risky_keywords", "Risky keywords", "Risky keyword", "Add a keyword…", "A task that mentions one waits for a person's approval before it is implemented.")}
              </div>
            </FormSection>

            <FormSection
              {...section("delivery")}
              title="Delivery"
              summary={run.merge_mode === "pr" ? `Pull request${run.pr_draft ? " (draft)" : ""}${labels.length ? ` · ${labels.join(", ")}` : ""}` : "Direct push"}
            >
              <div className="project-form__grid">
                <FormField
                  {...common}
                  field="run.merge_mode"
                  label="Merge mode"
                  error={errors["run.merge_mode"]}
                  hint={run.merge_mode === "pr" ? "Each task's branch is pushed and a pull request opened" : "The base branch is fast-forwarded and pushed"}
                >
                  {(control) => (
                    <select
                      {...control}
                      className="select"
                      value={run.merge_mode}
                      onChange={(e) => {
                        const mode = e.target.value as MergeMode;
                        changeRun((r) => ({ ...r, merge_mode: mode }));
                      }}
                    >
                      {Object.entries(MERGE_MODE_LABELS).map(([value, label]) => (
                        <option key={value} value={value}>
                          {label}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
                <div className="form-field project-form__check">
                  <label className="project-form__toggle">
                    <input
                      type="checkbox"
                      name="run.pr_draft"
                      checked={run.pr_draft}
                      aria-invalid={Boolean(draftError)}
                      aria-describedby={draftError ? draftErrorId : undefined}
                      onChange={(e) => {
                        const checked = e.target.checked;
                        changeRun((r) => ({ ...r, pr_draft: checked }));
                      }}
                      data-testid="field-run.pr_draft"
                    />
                    <span>Open pull requests as drafts</span>
                  </label>
                  {draftError && <FieldError id={draftErrorId} field="run.pr_draft" error={draftError} />}
                </div>
                {entryList("pr_labels", "Pull request labels", "Label", "Add a label…", "Put on every pull request DevTeam opens (pull request mode).")}
              </div>
            </FormSection>

            <FormSection
              {...section("commits")}
              title="Commits"
              summary={`by ${run.author_name.trim() || "no name"} <${run.author_email.trim() || "no email"}>${run.github_account.trim() ? ` · as ${run.github_account.trim()}` : ""}`}
            >
              <div className="project-form__grid">
                <CommitAuthorFields
                  idPrefix={idPrefix}
                  name={run.author_name}
                  email={run.author_email}
                  account={run.github_account}
                  errors={errors}
                  onChange={(field, value) => changeRun((r) => ({ ...r, [field]: value }))}
                />
              </div>
            </FormSection>

            <FormSection
              {...section("agents")}
              title="Agents and routing"
              summary={`${plural(run.routing_rules.length, "rule", "rules")} · model: ${run.model.trim() || "each agent's default"}`}
            >
              <div className="project-form__grid">
                <FormField
                  {...common}
                  field="run.model"
                  label="Model (optional)"
                  error={errors["run.model"]}
                  hint={
                    <>
                      Given to the agents as <code>{"{model}"}</code>; empty leaves each agent&apos;s own default
                    </>
                  }
                >
                  {(control) => (
                    <input
                      {...control}
                      className="input mono"
                      autoComplete="off"
                      spellCheck={false}
                      placeholder="e.g. claude-sonnet-4"
                      value={run.model}
                      onChange={(e) => {
                        const model = e.target.value;
                        changeRun((r) => ({ ...r, model }));
                      }}
                    />
                  )}
                </FormField>
                <RulesEditor
                  idPrefix={idPrefix}
                  rows={run.routing_rules}
                  errors={errors}
                  agents={BUILTIN_AGENTS}
                  newAgent={(BUILTIN_AGENTS as readonly string[]).includes(draft.default_agent) ? draft.default_agent : "claude-code"}
                  onChange={(routing_rules) => changeRun((r) => ({ ...r, routing_rules }))}
                />
              </div>
            </FormSection>
          </div>
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

// The pieces of the project form's run settings: a collapsible group, the
// image choice, editable lists of words (allowed programs, risky keywords,
// pull request labels), the project's checks and the agent routing rules
// (the commits' author and GitHub account are in CommitFields).
// Each entry and row is its own labelled control carrying the engine's name
// for it (`run.allowlist[2]`, `run.checks[1].run`), so the engine's message
// for it shows beside it, and it is reached with the keyboard like any field.

import { useState } from "react";
import type { KeyboardEvent, ReactNode } from "react";

import { AGENT_LABELS, IMAGE_LABELS } from "../state/draft";
import type { CheckRow, ListField, ListItem, RuleRow } from "../state/runForm";
import { addEntries, newKey, splitEntries } from "../state/runForm";
import { FieldError, fieldId, FormField } from "./FormField";
import { ArrowDownIcon, MissingIcon, PlusIcon, TrashIcon } from "./icons";

/** Focuses an element once the render that makes it has happened. */
function focusSoon(id: string) {
  setTimeout(() => document.getElementById(id)?.focus());
}

interface FormSectionProps {
  id: string;
  title: string;
  /** The group's values in one line, read while it is closed. */
  summary: ReactNode;
  errorCount: number;
  open: boolean;
  onToggle: (open: boolean) => void;
  children: ReactNode;
}

/** A group of fields that opens and closes (a native disclosure: Enter or Space on its title). */
export function FormSection({ id, title, summary, errorCount, open, onToggle, children }: FormSectionProps) {
  return (
    <details
      className={errorCount > 0 ? "form-section form-section--invalid" : "form-section"}
      open={open}
      onToggle={(e) => {
        const now = e.currentTarget.open;
        if (now !== open) onToggle(now);
      }}
      data-testid={`section-${id}`}
    >
      <summary className="form-section__summary" data-testid={`section-${id}-toggle`}>
        <span className="form-section__title">{title}</span>
        <span className="form-section__values">{summary}</span>
        {errorCount > 0 && (
          <span className="form-section__errors" data-testid={`section-${id}-errors`}>
            <MissingIcon size={12} />
            {errorCount === 1 ? "1 to fix" : `${errorCount} to fix`}
          </span>
        )}
      </summary>
      <div className="form-section__body">{children}</div>
    </details>
  );
}

const CUSTOM = "custom";

interface ImageFieldProps {
  idPrefix: string;
  /** As stored or typed (the engine's default, runner, when the project has none). */
  value: string;
  error?: string;
  onChange: (image: string) => void;
}

/** runner, minimal, or a custom value (a local image tag or `dockerfile:PATH`). */
export function ImageField({ idPrefix, value, error, onChange }: ImageFieldProps) {
  const known = value.trim() in IMAGE_LABELS;
  const [custom, setCustom] = useState(known ? "" : value);
  const [choosingCustom, setChoosingCustom] = useState(!known);
  const isCustom = choosingCustom || !known;
  const customId = fieldId(idPrefix, "image-custom");
  return (
    <FormField
      idPrefix={idPrefix}
      wide
      field="image"
      label="Image"
      error={error}
      hint={
        isCustom ? (
          <>
            A local image tag (<code>my-team/rust:1.80</code>) or a Dockerfile in the repository (<code>dockerfile:ci/Dockerfile</code>)
          </>
        ) : (
          "The container every task of this project runs in"
        )
      }
    >
      {(control) => (
        <div className="image-field">
          <select
            {...control}
            aria-invalid={control["aria-invalid"] && !isCustom}
            className="select"
            value={isCustom ? CUSTOM : value.trim()}
            onChange={(e) => {
              const choice = e.target.value;
              if (choice === CUSTOM) {
                setChoosingCustom(true);
                onChange(custom);
                focusSoon(customId);
              } else {
                setChoosingCustom(false);
                onChange(choice);
              }
            }}
          >
            {Object.entries(IMAGE_LABELS).map(([image, label]) => (
              <option key={image} value={image}>
                {label}
              </option>
            ))}
            <option value={CUSTOM}>Custom — a local image or dockerfile:PATH</option>
          </select>
          {isCustom && (
            <input
              id={customId}
              name="image-custom"
              className="input mono"
              aria-label="Custom image"
              aria-invalid={control["aria-invalid"]}
              aria-describedby={control["aria-describedby"]}
              autoComplete="off"
              spellCheck={false}
              placeholder="dockerfile:Dockerfile"
              value={custom}
              onChange={(e) => {
                setCustom(e.target.value);
                onChange(e.target.value);
              }}
              data-testid="field-image-custom"
            />
          )}
        </div>
      )}
    </FormField>
  );
}

interface EntryListProps {
  idPrefix: string;
  field: ListField;
  label: string;
  /** One entry, for its accessible name: "Allowed program". */
  itemLabel: string;
  hint?: ReactNode;
  placeholder: string;
  items: ListItem[];
  pending: string;
  errors: Record<string, string>;
  onItems: (items: ListItem[]) => void;
  onPending: (text: string) => void;
}

/**
 * Words as chips, each editable in place and removable; new ones are typed
 * in the box at the end (Enter or a comma adds, a pasted list is split).
 */
export function EntryList(props: EntryListProps) {
  const { idPrefix, field, label, itemLabel, hint, placeholder, items, pending, errors, onItems, onPending } = props;
  const name = `run.${field}`;
  const addId = fieldId(idPrefix, `${name}-new`);
  const hintId = hint ? `${addId}-hint` : undefined;
  const listError = errors[name];
  const listErrorId = `${addId}-error`;
  const itemId = (i: number) => fieldId(idPrefix, `${name}[${i}]`);
  const itemErrorId = (i: number) => `${itemId(i)}-error`;

  const add = (text: string) => {
    const values = splitEntries(text);
    if (values.length > 0) onItems(addEntries(items, values));
  };
  const remove = (index: number) => {
    onItems(items.filter((_, i) => i !== index));
    focusSoon(index < items.length - 1 ? itemId(index) : addId);
  };

  function onAddKey(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" && pending.trim()) {
      // Enter adds what is typed; with nothing typed it sends the form as anywhere else.
      event.preventDefault();
      add(pending);
      onPending("");
    } else if (event.key === "Backspace" && !pending && items.length > 0) {
      event.preventDefault();
      document.getElementById(itemId(items.length - 1))?.focus();
    }
  }

  return (
    <div className="form-field form-field--wide" role="group" aria-labelledby={`${addId}-label`}>
      <label id={`${addId}-label`} className="form-field__label" htmlFor={addId}>
        {label}
      </label>
      <ul className="entries" data-testid={`entries-${field}`}>
        {items.map((item, i) => {
          const error = errors[`${name}#${item.key}`];
          return (
            <li key={item.key} className={error ? "entry entry--invalid" : "entry"}>
              <input
                id={itemId(i)}
                name={`${name}[${i}]`}
                className="entry__input mono"
                size={Math.max(item.value.length, 2)}
                value={item.value}
                aria-label={`${itemLabel} ${i + 1}`}
                aria-invalid={Boolean(error)}
                aria-describedby={error ? itemErrorId(i) : undefined}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => onItems(items.map((it) => (it.key === item.key ? { ...it, value: e.target.value } : it)))}
                onBlur={() => {
                  // An entry emptied in place is gone, as if removed.
                  if (!item.value.trim()) onItems(items.filter((it) => it.key !== item.key));
                }}
                data-testid={`field-${name}[${i}]`}
              />
              <button
                type="button"
                className="entry__remove"
                aria-label={`Remove ${item.value.trim() || `${itemLabel.toLowerCase()} ${i + 1}`}`}
                title="Remove"
                onClick={() => remove(i)}
                data-testid={`remove-${name}[${i}]`}
              >
                ×
              </button>
            </li>
          );
        })}
        <li className="entries__new">
          <input
            id={addId}
            className="entry__add mono"
            value={pending}
            placeholder={placeholder}
            aria-invalid={Boolean(listError)}
            aria-describedby={[listError ? listErrorId : null, hintId].filter(Boolean).join(" ") || undefined}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => {
              const text = e.target.value;
              // A comma or a line break ends an entry (a pasted list is split at once).
              const cut = Math.max(text.lastIndexOf(","), text.lastIndexOf("\n"));
              if (cut >= 0) {
                add(text.slice(0, cut));
                onPending(text.slice(cut + 1).trimStart());
              } else onPending(text);
            }}
            onKeyDown={onAddKey}
            onBlur={() => {
              if (pending.trim()) {
                add(pending);
                onPending("");
              }
            }}
            data-testid={`field-${name}-new`}
          />
        </li>
      </ul>
      {listError && <FieldError id={listErrorId} field={name} error={listError} />}
      {items.map((item, i) => {
        const error = errors[`${name}#${item.key}`];
        if (!error) return null;
        const value = item.value.trim();
        const text = value && !error.includes(value) ? `“${value}”: ${error}` : error;
        return <FieldError key={item.key} id={itemErrorId(i)} field={`${name}[${i}]`} error={text} />;
      })}
      {hint && (
        <p id={hintId} className="form-field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

interface ChecksEditorProps {
  idPrefix: string;
  rows: CheckRow[];
  errors: Record<string, string>;
  onChange: (rows: CheckRow[]) => void;
}

/** The project's own checks (its build or test command), run for every task. */
export function ChecksEditor({ idPrefix, rows, errors, onChange }: ChecksEditorProps) {
  const labelId = fieldId(idPrefix, "run.checks-label");
  const listError = errors["run.checks"];
  const nameId = (i: number) => fieldId(idPrefix, `run.checks[${i}].name`);
  const update = (key: number, change: Partial<CheckRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  return (
    <div className="form-field form-field--wide" role="group" aria-labelledby={labelId}>
      <span id={labelId} className="form-field__label">
        Project checks
      </span>
      {rows.length === 0 ? (
        <p className="rows__empty">None: each task is verified by its own criteria only.</p>
      ) : (
        <ol className="rows rows--checks" data-testid="checks">
          <li className="rows__head" aria-hidden="true">
            <span>Name</span>
            <span>Command</span>
          </li>
          {rows.map((row, i) => (
            <li key={row.key} className="rows__row" data-testid={`check-row-${i}`}>
              <FormField idPrefix={idPrefix} field={`run.checks[${i}].name`} label={`Check ${i + 1} name`} hideLabel error={errors[`run.checks#${row.key}.name`]}>
                {(control) => (
                  <input {...control} className="input" autoComplete="off" placeholder="test" value={row.name} onChange={(e) => update(row.key, { name: e.target.value })} />
                )}
              </FormField>
              <FormField idPrefix={idPrefix} field={`run.checks[${i}].run`} label={`Check ${i + 1} command`} hideLabel error={errors[`run.checks#${row.key}.run`]}>
                {(control) => (
                  <input
                    {...control}
                    className="input mono"
                    autoComplete="off"
                    spellCheck={false}
                    placeholder="make test"
                    value={row.run}
                    onChange={(e) => update(row.key, { run: e.target.value })}
                  />
                )}
              </FormField>
              <button
                type="button"
                className="btn btn--ghost btn--small rows__icon"
                aria-label={`Remove check ${i + 1}${row.name.trim() ? ` (${row.name.trim()})` : ""}`}
                title="Remove this check"
                onClick={() => {
                  onChange(rows.filter((r) => r.key !== row.key));
                  focusSoon(i < rows.length - 1 ? nameId(i) : fieldId(idPrefix, "add-check"));
                }}
                data-testid={`remove-run.checks[${i}]`}
              >
                <TrashIcon size={12} />
              </button>
            </li>
          ))}
        </ol>
      )}
      {listError && <FieldError id={`${labelId}-error`} field="run.checks" error={listError} />}
      <div className="rows__actions">
        <button
          type="button"
          id={fieldId(idPrefix, "add-check")}
          className="btn btn--small"
          onClick={() => {
            onChange([...rows, { key: newKey(), name: "", run: "" }]);
            focusSoon(nameId(rows.length));
          }}
          data-testid="add-check"
        >
          <PlusIcon size={12} />
          Add check
        </button>
        <span className="form-field__hint">
          Run with <code>sh -c</code> in the task&apos;s worktree after its criteria; the allowlist does not apply to them.
        </span>
      </div>
    </div>
  );
}

interface RulesEditorProps {
  idPrefix: string;
  rows: RuleRow[];
  errors: Record<string, string>;
  /** The agents offered: the built-in ones (and any unknown one a rule already names). */
  agents: readonly string[];
  /** The agent a new rule starts with. */
  newAgent: string;
  onChange: (rows: RuleRow[]) => void;
}

/** "When a task mentions keyword, give it to agent", in order: the first match wins. */
export function RulesEditor({ idPrefix, rows, errors, agents, newAgent, onChange }: RulesEditorProps) {
  const labelId = fieldId(idPrefix, "run.routing_rules-label");
  const listError = errors["run.routing_rules"];
  const ruleId = (i: number, part: string) => fieldId(idPrefix, `run.routing_rules[${i}].${part}`);
  const update = (key: number, change: Partial<RuleRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const move = (from: number, to: number) => {
    const next = rows.slice();
    const [row] = next.splice(from, 1);
    if (!row) return;
    next.splice(to, 0, row);
    onChange(next);
    // Focus follows the row; at an end, to the button that still applies.
    const part = to < from ? (to > 0 ? "up" : "down") : to < rows.length - 1 ? "down" : "up";
    focusSoon(ruleId(to, part));
  };
  return (
    <div className="form-field form-field--wide" role="group" aria-labelledby={labelId}>
      <span id={labelId} className="form-field__label">
        Routing rules
      </span>
      {rows.length === 0 ? (
        <p className="rows__empty">None: every task goes to its own agent line or the default agent.</p>
      ) : (
        <ol className="rows rows--rules" data-testid="rules">
          <li className="rows__head" aria-hidden="true">
            <span>#</span>
            <span>When a task mentions</span>
            <span />
            <span>give it to</span>
          </li>
          {rows.map((row, i) => {
            const label = row.keyword.trim() ? `rule ${i + 1} (${row.keyword.trim()})` : `rule ${i + 1}`;
            const options = agents.includes(row.agent) ? agents : [...agents, row.agent];
            return (
              <li key={row.key} className="rows__row" data-testid={`rule-row-${i}`}>
                <span className="rows__number">{i + 1}</span>
                <FormField
                  idPrefix={idPrefix}
                  field={`run.routing_rules[${i}].keyword`}
                  label={`Rule ${i + 1} keyword`}
                  hideLabel
                  error={errors[`run.routing_rules#${row.key}.keyword`]}
                >
                  {(control) => (
                    <input
                      {...control}
                      className="input"
                      autoComplete="off"
                      placeholder="refactor"
                      value={row.keyword}
                      onChange={(e) => update(row.key, { keyword: e.target.value })}
                    />
                  )}
                </FormField>
                <span className="rows__arrow" aria-hidden="true">
                  →
                </span>
                <FormField
                  idPrefix={idPrefix}
                  field={`run.routing_rules[${i}].agent`}
                  label={`Rule ${i + 1} agent`}
                  hideLabel
                  error={errors[`run.routing_rules#${row.key}.agent`]}
                >
                  {(control) => (
                    <select {...control} className="select" value={row.agent} onChange={(e) => update(row.key, { agent: e.target.value })}>
                      {options.map((agent) => (
                        <option key={agent} value={agent}>
                          {AGENT_LABELS[agent] ?? agent}
                        </option>
                      ))}
                    </select>
                  )}
                </FormField>
                <span className="rows__moves">
                  <button
                    type="button"
                    id={ruleId(i, "up")}
                    className="btn btn--ghost btn--small rows__icon rows__up"
                    aria-label={`Move ${label} up`}
                    title="Move up (checked earlier)"
                    disabled={i === 0}
                    onClick={() => move(i, i - 1)}
                    data-testid={`rule-up-${i}`}
                  >
                    <ArrowDownIcon size={12} className="rows__up-icon" />
                  </button>
                  <button
                    type="button"
                    id={ruleId(i, "down")}
                    className="btn btn--ghost btn--small rows__icon"
                    aria-label={`Move ${label} down`}
                    title="Move down (checked later)"
                    disabled={i === rows.length - 1}
                    onClick={() => move(i, i + 1)}
                    data-testid={`rule-down-${i}`}
                  >
                    <ArrowDownIcon size={12} />
                  </button>
                  <button
                    type="button"
                    className="btn btn--ghost btn--small rows__icon"
                    aria-label={`Remove ${label}`}
                    title="Remove this rule"
                    onClick={() => {
                      onChange(rows.filter((r) => r.key !== row.key));
                      focusSoon(i < rows.length - 1 ? ruleId(i, "keyword") : fieldId(idPrefix, "add-rule"));
                    }}
                    data-testid={`remove-run.routing_rules[${i}]`}
                  >
                    <TrashIcon size={12} />
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {listError && <FieldError id={`${labelId}-error`} field="run.routing_rules" error={listError} />}
      <div className="rows__actions">
        <button
          type="button"
          id={fieldId(idPrefix, "add-rule")}
          className="btn btn--small"
          onClick={() => {
            onChange([...rows, { key: newKey(), keyword: "", agent: newAgent }]);
            focusSoon(ruleId(rows.length, "keyword"));
          }}
          data-testid="add-rule"
        >
          <PlusIcon size={12} />
          Add rule
        </button>
        <span className="form-field__hint">
          First match wins. A task&apos;s own <code>agent:</code> line comes before the rules, the default agent after them. Keywords match
          whole words, any case.
        </span>
      </div>
    </div>
  );
}

// One labelled form control with its hint and its error, wired for
// assistive technology: the control is described by both, and marked
// invalid while the engine's message for it stands.
//
// `field` is the name the engine uses in its errors, nested ones included
// (`run.pids`, `run.checks[1].run`): it names the control and its test ids,
// and a safe form of it makes the element ids.

import type { ReactNode } from "react";

import { MissingIcon } from "./icons";

export interface ControlProps {
  id: string;
  name: string;
  "aria-invalid": boolean;
  "aria-describedby"?: string;
  "data-testid": string;
}

interface FormFieldProps {
  idPrefix: string;
  field: string;
  label: string;
  hint?: ReactNode;
  error?: string;
  wide?: boolean;
  /** The label is read by assistive technology only (rows under visible column headings). */
  hideLabel?: boolean;
  className?: string;
  children: (control: ControlProps) => ReactNode;
}

/** An element id for a field name: `run.checks[1].run` → `<prefix>-run-checks-1-run`. */
export function fieldId(idPrefix: string, field: string): string {
  return `${idPrefix}-${field.replace(/[^a-zA-Z0-9_-]+/g, "-").replace(/-+$/, "")}`;
}

/** The message of one field, as FormField and the list controls show it. */
export function FieldError({ id, field, error }: { id: string; field: string; error: string }) {
  return (
    <p id={id} className="form-field__error" data-testid={`error-${field}`}>
      <MissingIcon size={13} />
      <span>{error}</span>
    </p>
  );
}

export function FormField({ idPrefix, field, label, hint, error, wide, hideLabel, className, children }: FormFieldProps) {
  const id = fieldId(idPrefix, field);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  const classes = ["form-field", wide && "form-field--wide", className].filter(Boolean).join(" ");
  return (
    <div className={classes}>
      <label className={hideLabel ? "visually-hidden" : "form-field__label"} htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        name: field,
        "aria-invalid": Boolean(error),
        "aria-describedby": describedBy,
        "data-testid": `field-${field}`,
      })}
      {error && errorId && <FieldError id={errorId} field={field} error={error} />}
      {hint && (
        <p id={hintId} className="form-field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

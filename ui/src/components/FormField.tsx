// One labelled form control with its hint and its error, wired for
// assistive technology: the control is described by both, and marked
// invalid while the engine's message for it stands.

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
  children: (control: ControlProps) => ReactNode;
}

export function FormField({ idPrefix, field, label, hint, error, wide, children }: FormFieldProps) {
  const id = `${idPrefix}-${field}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={wide ? "form-field form-field--wide" : "form-field"}>
      <label className="form-field__label" htmlFor={id}>
        {label}
      </label>
      {children({
        id,
        name: field,
        "aria-invalid": Boolean(error),
        "aria-describedby": describedBy,
        "data-testid": `field-${field}`,
      })}
      {error && (
        <p id={errorId} className="form-field__error" data-testid={`error-${field}`}>
          <MissingIcon size={13} />
          <span>{error}</span>
        </p>
      )}
      {hint && (
        <p id={hintId} className="form-field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}

// Asks before a project is removed, and says what removal does not touch.

import { useRef, useState } from "react";

import type { Outcome } from "../api";
import type { EngineError, Project } from "../bindings";
import { Dialog } from "./Dialog";

interface ConfirmRemoveProps {
  project: Project;
  onConfirm: (project: Project) => Promise<Outcome<null>>;
  onDone: () => void;
  onCancel: () => void;
}

export function ConfirmRemove({ project, onConfirm, onDone, onCancel }: ConfirmRemoveProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<EngineError | null>(null);
  const s = project.settings;

  async function confirm() {
    setBusy(true);
    setError(null);
    const outcome = await onConfirm(project);
    setBusy(false);
    if (outcome.ok) onDone();
    else setError(outcome.error);
  }

  return (
    <Dialog
      role="alertdialog"
      labelledBy="confirm-remove-title"
      describedBy="confirm-remove-text"
      onCancel={onCancel}
      initialFocus={cancel}
      className="dialog--narrow"
      testId="confirm-remove-dialog"
    >
      <header className="dialog__header">
        <h2 id="confirm-remove-title" className="dialog__title">
          Remove {s.name}?
        </h2>
      </header>
      <div className="dialog__body">
        <p id="confirm-remove-text">
          <strong>
            {s.customer} / {s.name}
          </strong>{" "}
          leaves DevTeam. Its repository, branches and task list are not touched; you can add it again later.
        </p>
        {error && (
          <p className="alert-error" role="alert">
            <strong>Not removed:</strong> {error.message}
          </p>
        )}
      </div>
      <footer className="dialog__footer">
        <button ref={cancel} type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="btn btn--danger" onClick={confirm} disabled={busy} data-testid="confirm-remove">
          {busy ? "Removing…" : "Remove project"}
        </button>
      </footer>
    </Dialog>
  );
}

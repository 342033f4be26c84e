// Asks before an action that cannot be taken back (emergency stop, abort):
// what it does, in a sentence, and the one button that does it.

import { useRef, useState } from "react";
import type { ReactNode } from "react";

import { Dialog } from "./Dialog";

interface ConfirmActionProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  testId: string;
}

export function ConfirmAction({ title, children, confirmLabel, busyLabel, onConfirm, onClose, testId }: ConfirmActionProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  const [busy, setBusy] = useState(false);

  async function confirm() {
    setBusy(true);
    await onConfirm();
    setBusy(false);
    onClose();
  }

  return (
    <Dialog
      role="alertdialog"
      labelledBy={`${testId}-title`}
      describedBy={`${testId}-text`}
      onCancel={onClose}
      initialFocus={cancel}
      className="dialog--narrow"
      testId={`${testId}-dialog`}
    >
      <header className="dialog__header">
        <h2 id={`${testId}-title`} className="dialog__title">
          {title}
        </h2>
      </header>
      <div className="dialog__body">
        <p id={`${testId}-text`}>{children}</p>
      </div>
      <footer className="dialog__footer">
        <button ref={cancel} type="button" className="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="btn btn--danger" onClick={() => void confirm()} disabled={busy} data-testid={`${testId}-confirm`}>
          {busy ? busyLabel : confirmLabel}
        </button>
      </footer>
    </Dialog>
  );
}

// A modal frame and nothing else: backdrop, focus moved in and kept in, Esc
// cancels, focus handed back to whatever opened it. Content is the caller's.

import { useEffect, useRef } from "react";
import type { KeyboardEvent, ReactNode, RefObject } from "react";

import "./Dialog.css";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

interface DialogProps {
  labelledBy: string;
  describedBy?: string;
  role?: "dialog" | "alertdialog";
  onCancel: () => void;
  /** Receives focus when the dialog opens; else the first focusable element. */
  initialFocus?: RefObject<HTMLElement | null>;
  testId?: string;
  className?: string;
  children: ReactNode;
}

export function Dialog({
  labelledBy,
  describedBy,
  role = "dialog",
  onCancel,
  initialFocus,
  testId,
  className,
  children,
}: DialogProps) {
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const frame = panel.current;
    const target = initialFocus?.current ?? frame?.querySelector<HTMLElement>(FOCUSABLE);
    target?.focus();
    return () => {
      // Hand focus back unless the caller already moved it somewhere on purpose.
      const active = document.activeElement;
      const lost = !active || active === document.body || Boolean(frame?.contains(active));
      if (lost && opener?.isConnected) opener.focus();
    };
    // Runs once per opening: focus is moved in on mount and handed back on unmount.
  }, []);

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === "Escape") {
      event.stopPropagation();
      event.preventDefault();
      onCancel();
      return;
    }
    if (event.key !== "Tab" || !panel.current) return;
    const focusable = Array.from(panel.current.querySelectorAll<HTMLElement>(FOCUSABLE));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return (
    <div className="dialog-backdrop">
      <div
        ref={panel}
        role={role}
        aria-modal="true"
        aria-labelledby={labelledBy}
        aria-describedby={describedBy}
        data-testid={testId}
        className={["dialog", className].filter(Boolean).join(" ")}
        onKeyDown={onKeyDown}
      >
        {children}
      </div>
    </div>
  );
}

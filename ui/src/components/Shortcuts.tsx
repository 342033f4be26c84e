// Keyboard shortcuts for the main controls, and the help that lists them.
// A shortcut presses the button that carries it (`data-shortcut`), so it
// does exactly what the button does and nothing when the button is disabled.

import { useEffect, useRef } from "react";

import { Dialog } from "./Dialog";

export const SHORTCUTS: [string, string][] = [
  ["S", "Start the selected project (with the stop point chosen)"],
  ["P", "Pause the selected project"],
  ["R", "Resume the selected project"],
  ["Shift + Esc", "Emergency stop all (asks first)"],
  ["/", "Filter the log"],
  ["T · L · M · H", "Tasks, Log, Metrics or History tab"],
  ["↑ ↓", "Move through projects or tasks"],
  ["?", "This list"],
];

interface ShortcutHandlers {
  onLogFilter: () => void;
  onTab: (tab: "tasks" | "log" | "metrics" | "history") => void;
  onHelp: () => void;
}

function typingIn(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** Presses the enabled button that carries `key`; false when there is none. */
export function pressShortcut(key: string): boolean {
  const button = document.querySelector<HTMLButtonElement>(`[data-shortcut="${key}"]:not(:disabled)`);
  if (!button) return false;
  button.click();
  return true;
}

export function useShortcuts(handlers: ShortcutHandlers) {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      // A dialog owns the keyboard while it is open.
      if (document.querySelector(".dialog-backdrop")) return;
      if (event.key === "Escape" && event.shiftKey) {
        if (pressShortcut("shift+escape")) event.preventDefault();
        return;
      }
      if (typingIn(event.target)) return;
      const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      switch (key) {
        case "s":
        case "p":
        case "r":
          if (pressShortcut(key)) event.preventDefault();
          return;
        case "/":
          event.preventDefault();
          ref.current.onLogFilter();
          return;
        case "t":
          ref.current.onTab("tasks");
          return;
        case "l":
          ref.current.onTab("log");
          return;
        case "m":
          ref.current.onTab("metrics");
          return;
        case "h":
          ref.current.onTab("history");
          return;
        case "?":
          event.preventDefault();
          ref.current.onHelp();
          return;
      }
    }
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog labelledBy="shortcuts-title" onCancel={onClose} className="dialog--narrow" testId="shortcuts-help">
      <header className="dialog__header">
        <h2 id="shortcuts-title" className="dialog__title">
          Keyboard shortcuts
        </h2>
      </header>
      <div className="dialog__body">
        <dl className="shortcuts">
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys} className="shortcuts__row">
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
      </div>
      <footer className="dialog__footer">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </footer>
    </Dialog>
  );
}

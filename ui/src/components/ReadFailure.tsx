// A read from the engine that failed, said with the engine's message and a
// way to try again (the History tab's list, timeline and step log).

import type { EngineError } from "../bindings";
import { MissingIcon, RefreshIcon } from "./icons";

export function Failure({ what, error, onRetry, testId }: { what: string; error: EngineError; onRetry: () => void; testId: string }) {
  return (
    <div className="pane__notice pane__notice--error history__failure" role="alert" data-testid={testId}>
      <MissingIcon size={13} />
      <span>
        {what}: {error.message}
      </span>
      <button type="button" className="btn btn--small" onClick={onRetry}>
        <RefreshIcon size={12} />
        Try again
      </button>
    </div>
  );
}

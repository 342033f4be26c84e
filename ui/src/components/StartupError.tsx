// Shown instead of the dashboard when the engine could not start (a corrupt
// or unwritable database, an unreadable data folder): the engine's own
// message, which names the file, and what a person can do about it.

import type { EngineError, ErrorCode } from "../bindings";
import logoUrl from "../assets/devteam.svg";
import "./StartupError.css";

const ADVICE: Partial<Record<ErrorCode, string>> = {
  database:
    "DevTeam keeps its projects in the database file named above. If the file is damaged, move it aside and start DevTeam again to begin with an empty one (or restore it from a backup); if it cannot be written, fix its permissions.",
  io: "DevTeam could not read or write its data folder. Check that the folder named above exists and that you can write to it.",
  internal:
    "This is not something you did. The log folder (in DevTeam's data folder) has the details; please include them when you report it.",
};

interface StartupErrorProps {
  error: EngineError;
  onRetry: () => void;
}

export function StartupError({ error, onRetry }: StartupErrorProps) {
  return (
    <main className="startup-error" data-testid="startup-error" role="alert" aria-labelledby="startup-error-title">
      <div className="startup-error__card">
        <img src={logoUrl} alt="" width={40} height={40} />
        <h1 id="startup-error-title" className="startup-error__title">
          DevTeam could not start
        </h1>
        <p className="startup-error__message" data-testid="startup-error-message">
          {error.message}
        </p>
        <p className="startup-error__code">
          Error code: <code>{error.code}</code>
        </p>
        {ADVICE[error.code] && <p className="startup-error__advice">{ADVICE[error.code]}</p>}
        <p className="startup-error__advice">
          To use another data folder, start DevTeam with <code>DEVTEAM_DATA_DIR</code> set to it.
        </p>
        <button type="button" className="btn btn--primary" onClick={onRetry}>
          Try again
        </button>
      </div>
    </main>
  );
}

// What a new user sees before any project exists: what DevTeam does, in one
// line, and what to do next — try the demo project (a local repository the
// engine works through in a minute) or add a customer project.

import { useState } from "react";

import { PlusIcon, SparkIcon } from "./icons";
import logoUrl from "../assets/devteam.svg";
import { DEFAULT_TASKLIST_PATH } from "../state/draft";
import "./EmptyState.css";

interface EmptyStateProps {
  onAdd: () => void;
  /** Creates the demo project; resolves once it exists (or failed). */
  onDemo: () => Promise<unknown>;
}

export function EmptyState({ onAdd, onDemo }: EmptyStateProps) {
  const [creating, setCreating] = useState(false);
  return (
    <section className="empty-state" data-testid="empty-state" aria-labelledby="empty-state-title">
      <img src={logoUrl} alt="" className="empty-state__logo" width={56} height={56} />
      <h2 id="empty-state-title" className="empty-state__title">
        No customer projects yet
      </h2>
      <p className="empty-state__lead">
        DevTeam works through a customer repository&apos;s task list with AI coding agents: each task is implemented in a
        container, verified, committed on its own branch and opened as a pull request.
      </p>

      <div className="empty-state__actions">
        <button
          type="button"
          className="btn btn--primary btn--large"
          onClick={async () => {
            setCreating(true);
            await onDemo();
            setCreating(false);
          }}
          disabled={creating}
          data-testid="create-demo"
          title="A local demo repository with a 9-task list that the engine works through in containers"
        >
          <SparkIcon size={14} />
          {creating ? "Creating the demo…" : "Try the demo project"}
        </button>
        <button type="button" className="btn btn--large" onClick={onAdd} data-testid="add-project">
          <PlusIcon size={14} />
          Add your first customer project
        </button>
      </div>
      <p className="empty-state__hint">
        The demo is a small calculator repository on this machine: nine tasks, one of which fails its first attempt so you
        can watch the error-solving loop. Nothing leaves your computer.
      </p>

      <ol className="empty-state__steps">
        <li>
          <span className="empty-state__step-no">1</span>
          <div>
            <strong>Add the project</strong> — the customer, the repository (GitHub URL, any git URL or a local path)
            and its base branch.
          </div>
        </li>
        <li>
          <span className="empty-state__step-no">2</span>
          <div>
            <strong>Keep a task list in the repository</strong> — Markdown at <code>{DEFAULT_TASKLIST_PATH}</code> (or a
            path you choose), one task per line with a numbered ID:
            <pre className="empty-state__sample">{`- [ ] 1 Set up the project
  - [ ] 1.1 Create the skeleton
  - [x] 1.2 Add CI`}</pre>
          </div>
        </li>
        <li>
          <span className="empty-state__step-no">3</span>
          <div>
            <strong>Check the engine strip above</strong> — Docker, the keychain and git should read OK before runs start.
          </div>
        </li>
      </ol>
    </section>
  );
}

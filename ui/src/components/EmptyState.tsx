// What a new user sees before any project exists: what DevTeam does, in one
// line, and the one thing to do next.

import { PlusIcon } from "./icons";
import logoUrl from "../assets/devteam.svg";
import { DEFAULT_TASKLIST_PATH } from "../state/draft";
import "./EmptyState.css";

interface EmptyStateProps {
  onAdd: () => void;
}

export function EmptyState({ onAdd }: EmptyStateProps) {
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

      <button type="button" className="btn btn--primary btn--large" onClick={onAdd} data-testid="add-project">
        <PlusIcon size={14} />
        Add your first customer project
      </button>

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

// The title bar inside the window: the mark, the product name, and the
// keyboard shortcuts' help.

import logoUrl from "../assets/devteam.svg";
import { GearIcon, KeyboardIcon } from "./icons";
import "./AppHeader.css";

export function AppHeader({ onHelp, onSettings }: { onHelp: () => void; onSettings?: () => void }) {
  return (
    <header className="app-header">
      <img src={logoUrl} alt="" width={22} height={22} className="app-header__logo" />
      <h1 className="app-header__title">DevTeam</h1>
      <span className="app-header__tagline">Customer task lists, worked through by AI agents</span>
      <button type="button" className="btn btn--ghost btn--small app-header__help" onClick={onHelp} title="Keyboard shortcuts (?)" data-testid="shortcuts">
        <KeyboardIcon size={14} />
        Shortcuts <kbd>?</kbd>
      </button>
      {onSettings && (
        <button type="button" className="btn btn--ghost btn--small" onClick={onSettings} title="Settings: secrets and app" data-testid="open-settings">
          <GearIcon size={14} />
          Settings
        </button>
      )}
    </header>
  );
}

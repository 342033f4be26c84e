// The title bar inside the window: the mark and the product name.

import logoUrl from "../assets/devteam.svg";
import "./AppHeader.css";

export function AppHeader() {
  return (
    <header className="app-header">
      <img src={logoUrl} alt="" width={22} height={22} className="app-header__logo" />
      <h1 className="app-header__title">DevTeam</h1>
      <span className="app-header__tagline">Customer task lists, worked through by AI agents</span>
    </header>
  );
}

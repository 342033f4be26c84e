// Entry point: the real engine through Tauri, styles, and the React root.

// First: a usable language tag for Intl (WebKit reports "C" under LANG=C).
import "./components/intlLocale";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

// Tokens and base styles first, so each component's own CSS comes after them.
import "./styles/tokens.css";
import "./styles/base.css";
import { App } from "./App";
import { tauriApi } from "./api";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

createRoot(root).render(
  <StrictMode>
    <App api={tauriApi} />
  </StrictMode>,
);

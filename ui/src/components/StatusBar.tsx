// The footer: which DevTeam this is and where it writes its logs and data,
// so a person reporting a problem knows what to attach.

import type { AppInfo } from "../bindings";
import { FolderIcon } from "./icons";
import "./StatusBar.css";

interface StatusBarProps {
  info: AppInfo;
}

export function StatusBar({ info }: StatusBarProps) {
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className="status-bar__item" data-testid="app-version">
        DevTeam {info.version}
      </span>
      <span className="status-bar__item" title={info.log_dir}>
        <FolderIcon size={12} />
        Logs <code data-testid="log-dir">{info.log_dir}</code>
      </span>
      <span className="status-bar__item" title={info.database}>
        <FolderIcon size={12} />
        Data <code>{info.data_dir}</code>
      </span>
    </footer>
  );
}

// The engine-health strip: one chip per part DevTeam needs (Docker, keychain,
// git, disk, data folder). Each chip says its state in words next to an icon
// of its own shape, so it reads without colour; a part that is not ok carries
// the engine's advice on how to fix it.

import type { KeyboardEvent } from "react";

import type { EngineError, HealthCheck, HealthReport, HealthStatus } from "../bindings";
import { RefreshIcon, StatusIcon } from "./icons";
import "./HealthStrip.css";

/** The parts the engine reports, shown as "checking" until the first report. */
const EXPECTED = ["Docker", "Keychain", "Git", "Disk", "Data folder"];

const STATUS_WORD: Record<HealthStatus, string> = {
  ok: "OK",
  warning: "Warning",
  missing: "Missing",
};

export function healthTestId(name: string): string {
  return `health-${name.trim().toLowerCase().replace(/\s+/g, "-")}`;
}

/** Esc folds an open fix back into its chip, focus staying on its summary. */
function closeOnEscape(event: KeyboardEvent<HTMLDetailsElement>) {
  if (event.key !== "Escape" || !event.currentTarget.open) return;
  event.currentTarget.open = false;
  event.currentTarget.querySelector("summary")?.focus();
}

function Chip({ check }: { check: HealthCheck }) {
  const word = STATUS_WORD[check.status];
  const tip = `${check.name}: ${word} — ${check.summary}${check.fix ? `\nFix: ${check.fix}` : ""}`;
  return (
    <li className={`health-chip health-chip--${check.status}`} data-testid={healthTestId(check.name)} data-status={check.status}>
      <span className="health-chip__main" title={tip}>
        <StatusIcon status={check.status} size={14} className="health-chip__icon" />
        <span className="health-chip__name">{check.name}</span>
        <span className="health-chip__status">{word}</span>
        <span className="health-chip__summary">{check.summary}</span>
      </span>
      {check.fix && check.status !== "ok" && (
        <details className="health-chip__fix" onKeyDown={closeOnEscape}>
          <summary>How to fix</summary>
          <div className="health-chip__popover" role="note">
            <p className="health-chip__popover-title">
              {check.name} is {word.toLowerCase()}: {check.summary}
            </p>
            <p className="health-chip__fix-text">{check.fix}</p>
          </div>
        </details>
      )}
    </li>
  );
}

function PendingChip({ name }: { name: string }) {
  return (
    <li className="health-chip health-chip--checking" data-testid={healthTestId(name)} data-status="checking">
      <span className="health-chip__main">
        <StatusIcon status="checking" size={14} className="health-chip__icon" />
        <span className="health-chip__name">{name}</span>
        <span className="health-chip__status">Checking…</span>
      </span>
    </li>
  );
}

interface HealthStripProps {
  report: HealthReport | null;
  error: EngineError | null;
  checking: boolean;
  onRecheck: () => void;
}

export function HealthStrip({ report, error, checking, onRecheck }: HealthStripProps) {
  const problems = report?.checks.filter((c) => c.status !== "ok").length ?? 0;
  return (
    <section
      className={problems > 0 ? "health-strip health-strip--problems" : "health-strip"}
      data-testid="health-strip" aria-label="Engine health" aria-busy={checking || !report}>
      <h2 className="health-strip__label">Engine</h2>
      <ul className="health-strip__chips">
        {report
          ? report.checks.map((check) => <Chip key={check.name} check={check} />)
          : !error && EXPECTED.map((name) => <PendingChip key={name} name={name} />)}
        {error && (
          <li className="health-chip health-chip--missing" data-testid="health-error">
            <span className="health-chip__main">
              <StatusIcon status="missing" size={14} className="health-chip__icon" />
              <span className="health-chip__name">Health unknown</span>
              <span className="health-chip__summary">{error.message}</span>
            </span>
          </li>
        )}
      </ul>
      <p className="health-strip__summary" aria-live="polite">
        {report && (problems === 0 ? "All parts ready" : `${problems} ${problems === 1 ? "part needs" : "parts need"} attention`)}
      </p>
      <button type="button" className="btn btn--ghost btn--small" onClick={onRecheck} disabled={checking} title="Check every part again">
        <RefreshIcon size={13} className={checking ? "spin" : undefined} />
        {checking ? "Checking…" : "Re-check"}
      </button>
    </section>
  );
}

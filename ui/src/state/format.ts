// How values read on screen: short enough for a dense list, exact on hover.

/** `https://github.com/acme/portal.git` → `acme/portal`; other URLs lose only their scheme. */
export function shortRepo(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, "").replace(/\.git$/, "");
  const github = /^(?:https?:\/\/(?:www\.)?github\.com\/|git@github\.com:|ssh:\/\/git@github\.com\/)(.+)$/i.exec(trimmed);
  if (github?.[1]) return github[1];
  return trimmed.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
}

/** An ISO timestamp in the user's locale; the raw text when it does not parse. */
export function formatTimestamp(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** A duration for the grid: `42s`, `3m 05s`, `1h 02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${String(m % 60).padStart(2, "0")}m`;
}

/** Bytes as people read memory: `512 MB`, `1.4 GB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MB`;
  return `${(bytes / (1024 * 1024 * 1024)).toFixed(1)} GB`;
}

let countFormat: Intl.NumberFormat | null = null;

/** A count with the reader's digit grouping (`100,000`); en-US where the OS names no usable locale (LANG=C). */
export function formatCount(n: number): string {
  if (!countFormat) {
    try {
      countFormat = new Intl.NumberFormat(typeof navigator !== "undefined" ? navigator.language : undefined);
    } catch {
      countFormat = new Intl.NumberFormat("en-US");
    }
  }
  return countFormat.format(n);
}

/** How long ago an ISO time was, as a list reads it: `just now`, `5 min ago`, `3 h ago`, `2 d ago`; null when it does not parse. */
export function formatAgo(iso: string, now: number): string | null {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return null;
  // A time slightly ahead (clocks, a reading older than the answer) reads as now.
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.floor(hours / 24)} d ago`;
}

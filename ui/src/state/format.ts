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

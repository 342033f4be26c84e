// The list shows repositories in short form; these pin what "short" means.

import { describe, expect, it } from "vitest";

import { formatAgo, formatTimestamp, shortRepo } from "./format";

describe("shortRepo", () => {
  it("reduces every GitHub form to owner/repo", () => {
    // The engine accepts https and ssh GitHub URLs; both must read the same in the list.
    expect(shortRepo("https://github.com/acme/portal")).toBe("acme/portal");
    expect(shortRepo("https://github.com/acme/portal.git")).toBe("acme/portal");
    expect(shortRepo("git@github.com:acme/portal.git")).toBe("acme/portal");
  });

  it("keeps other URLs and paths whole but for the scheme", () => {
    // Without the host a non-GitHub URL would be ambiguous, so only the scheme goes.
    expect(shortRepo("file:///srv/git/portal.git")).toBe("/srv/git/portal");
    expect(shortRepo("/home/dev/portal")).toBe("/home/dev/portal");
    expect(shortRepo("https://gitlab.example.com/acme/portal.git")).toBe("gitlab.example.com/acme/portal");
  });
});

describe("formatTimestamp", () => {
  it("shows text that does not parse as it is rather than 'Invalid Date'", () => {
    // The engine owns the format; the UI must never hide what it sent.
    expect(formatTimestamp("not a date")).toBe("not a date");
    expect(formatTimestamp("2025-01-15T10:30:00Z")).toMatch(/2025/);
  });
});

describe("formatAgo", () => {
  it("says how long ago in the list's words, a time ahead of the clock as now", () => {
    const now = Date.parse("2025-01-15T12:00:00Z");
    expect(formatAgo("2025-01-15T11:59:31Z", now)).toBe("just now");
    expect(formatAgo("2025-01-15T12:00:20Z", now)).toBe("just now");
    expect(formatAgo("2025-01-15T11:58:00Z", now)).toBe("2 min ago");
    expect(formatAgo("2025-01-15T09:00:00Z", now)).toBe("3 h ago");
    expect(formatAgo("2025-01-12T12:00:00Z", now)).toBe("3 d ago");
    expect(formatAgo("yesterday", now)).toBeNull();
  });
});

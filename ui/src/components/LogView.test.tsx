// The log view must stay light with 100,000 lines: only the rows in view are
// in the DOM. Filtering and following are checked on the same large log.

import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import type { Step } from "../bindings";
import { appendLog, emptyLog } from "../state/logBuffer";
import type { LogBuffer, NewLogEntry } from "../state/logBuffer";
import { filterLog, LOG_ROW_HEIGHT, LogView } from "./LogView";

const HEIGHT = 360;
const STEPS: Step[] = ["prep", "implement", "verify"];

function bigLog(count: number): LogBuffer {
  const lines: NewLogEntry[] = Array.from({ length: count }, (_, i) => ({
    task_id: `${1 + (i % 3)}.1`,
    step: STEPS[i % 3] ?? "implement",
    stream: i % 1000 === 0 ? "stderr" : "stdout",
    line: i % 1000 === 0 ? `warning number ${i}` : `line ${i}`,
    stored_id: null,
  }));
  return appendLog(emptyLog(), lines);
}

const lines = (from: number, to: number): NewLogEntry[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ task_id: "1.1", step: "implement", stream: "stdout", line: `n${from + i}`, stored_id: null }));

const rows = () => within(screen.getByTestId("log-lines")).queryAllByRole("listitem");
const viewport = () => screen.getByTestId("log-lines");

describe("LogView", () => {
  it("renders only a window of rows for 100,000 lines", () => {
    // The DOM must hold what fits the view plus a small margin, never the whole log.
    render(<LogView buffer={bigLog(100_000)} history={{ status: "loaded" }} initialHeight={HEIGHT} />);
    expect(screen.getByTestId("log-count")).toHaveTextContent("100,000 lines");
    const visible = Math.ceil(HEIGHT / LOG_ROW_HEIGHT);
    expect(rows().length).toBeGreaterThanOrEqual(visible);
    expect(rows().length).toBeLessThan(visible + 25);
    // Following by default: the window is at the end, showing the last line.
    expect(viewport().scrollTop).toBe(100_000 * LOG_ROW_HEIGHT - HEIGHT);
    expect(viewport()).toHaveTextContent("line 99999");
    // The scroll space is that of every line, so the scrollbar reads right.
    expect((viewport().firstChild as HTMLElement).style.height).toBe(`${100_000 * LOG_ROW_HEIGHT}px`);
  });

  it("shows the rows at the scroll position, and stops following when scrolled up", async () => {
    // Scrolling up to read must not be undone by the next line arriving.
    const buffer = bigLog(100_000);
    const { rerender } = render(<LogView buffer={buffer} history={{ status: "loaded" }} initialHeight={HEIGHT} />);
    const el = viewport();
    el.scrollTop = 50_000 * LOG_ROW_HEIGHT;
    fireEvent.scroll(el);
    expect(el).toHaveTextContent("line 50001");
    expect(el).not.toHaveTextContent("line 99999");
    expect(rows().length).toBeLessThan(Math.ceil(HEIGHT / LOG_ROW_HEIGHT) + 25);
    expect(screen.getByTestId("log-follow")).toHaveAttribute("aria-pressed", "false");

    const more = appendLog(buffer, [{ task_id: "3.3", step: "push", stream: "stdout", line: "a new line", stored_id: null }]);
    rerender(<LogView buffer={more} history={{ status: "loaded" }} initialHeight={HEIGHT} />);
    expect(el.scrollTop).toBe(50_000 * LOG_ROW_HEIGHT);

    // Follow again: back to the end, and new lines keep it there (the buffer holds 100,000: the oldest left).
    await userEvent.click(screen.getByTestId("log-follow"));
    expect(screen.getByTestId("log-follow")).toHaveAttribute("aria-pressed", "true");
    expect(el.scrollTop).toBe(100_000 * LOG_ROW_HEIGHT - HEIGHT);
    expect(el).toHaveTextContent("a new line");
    const evenMore = appendLog(more, [{ task_id: "3.3", step: "push", stream: "stdout", line: "the last line", stored_id: null }]);
    rerender(<LogView buffer={evenMore} history={{ status: "loaded" }} initialHeight={HEIGHT} />);
    expect(el.scrollTop).toBe(100_000 * LOG_ROW_HEIGHT - HEIGHT);
    expect(el).toHaveTextContent("the last line");
  });

  it("follows a growing log to its end", () => {
    // While following, each burst of lines scrolls the view to the newest one.
    const small = bigLog(1000);
    const { rerender } = render(<LogView buffer={small} history={{ status: "loaded" }} initialHeight={HEIGHT} />);
    expect(viewport().scrollTop).toBe(1000 * LOG_ROW_HEIGHT - HEIGHT);
    const grown = appendLog(small, bigLog(500).chunks.flat());
    rerender(<LogView buffer={grown} history={{ status: "loaded" }} initialHeight={HEIGHT} />);
    expect(viewport().scrollTop).toBe(1500 * LOG_ROW_HEIGHT - HEIGHT);
  });

  it("filters by text and by step over the whole log", async () => {
    // A filter searches all 100,000 lines, not only the rendered ones.
    render(<LogView buffer={bigLog(100_000)} history={{ status: "loaded" }} initialHeight={HEIGHT} />);
    const user = userEvent.setup();
    await user.type(screen.getByTestId("log-filter"), "warning");
    await act(async () => {});
    expect(screen.getByTestId("log-count")).toHaveTextContent("100 of 100,000 lines");
    expect(rows().every((r) => r.textContent?.includes("warning"))).toBe(true);

    // Lines 0, 3000, 6000 … are prep lines among the warnings (i % 3 === 0).
    await user.selectOptions(screen.getByTestId("log-step"), "prep");
    await act(async () => {});
    expect(screen.getByTestId("log-count")).toHaveTextContent("34 of 100,000 lines");

    await user.clear(screen.getByTestId("log-filter"));
    await act(async () => {});
    expect(screen.getByTestId("log-count")).toHaveTextContent("33,334 of 100,000 lines");
    expect(rows().every((r) => r.textContent?.includes("Prep"))).toBe(true);

    await user.type(screen.getByTestId("log-filter"), "no such text");
    await act(async () => {});
    expect(screen.getByTestId("log-empty")).toHaveTextContent("No line matches");
  });

  it("filters only the new lines of a growing log, and forgets lines that left it", () => {
    // With a filter on and lines streaming in, each burst must cost what the burst costs.
    let buffer = appendLog(emptyLog(1000), lines(0, 999));
    const first = filterLog(buffer, "7", "");
    buffer = appendLog(buffer, lines(1000, 1499));
    const next = filterLog(buffer, "7", "", first);
    const full = filterLog(buffer, "7", "");
    expect(next?.seqs).toEqual(full?.seqs);
    // Lines 0–499 left the 1000-line buffer; none of their matches remain.
    expect(next?.seqs[0]).toBe(507);
    // A different filter or a rebuilt buffer starts over.
    expect(filterLog(buffer, "8", "", first)?.seqs).toEqual(filterLog(buffer, "8", "")?.seqs);
  });

  it("says when there is no output yet, and when the history could not be read", () => {
    // An empty pane must say why it is empty.
    render(
      <LogView
        buffer={emptyLog()}
        history={{ status: "failed", error: { code: "database", message: "locked", fields: [] } }}
        initialHeight={HEIGHT}
      />,
    );
    expect(screen.getByTestId("log-empty")).toHaveTextContent("No output yet");
    expect(screen.getByTestId("log-count")).toHaveTextContent("stored lines unavailable: locked");
  });
});

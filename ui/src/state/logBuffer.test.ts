// The log buffer keeps the newest lines of a long run without copying the
// whole log on each append; these pin its order, cap and history merge.

import { describe, expect, it } from "vitest";

import { appendLog, CHUNK, emptyLog, lastStoredId, logAt, logToArray, mergeHistory } from "./logBuffer";
import type { NewLogEntry } from "./logBuffer";

const line = (text: string, stored_id: number | null = null): NewLogEntry => ({
  task_id: "1.1",
  step: "implement",
  stream: "stdout",
  line: text,
  stored_id,
});
const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => line(`l${from + i}`));
const texts = (buffer: ReturnType<typeof emptyLog>) => logToArray(buffer).map((e) => e.line);

describe("log buffer", () => {
  it("keeps lines in order across chunk boundaries", () => {
    // Lines arrive in bursts of any size; the view must read them back in the order they came.
    let buffer = emptyLog(10_000);
    buffer = appendLog(buffer, lines(1, CHUNK - 1));
    buffer = appendLog(buffer, lines(CHUNK, CHUNK + 5));
    buffer = appendLog(buffer, lines(CHUNK + 6, 3 * CHUNK));
    expect(buffer.length).toBe(3 * CHUNK);
    expect(logAt(buffer, 0)?.line).toBe("l1");
    expect(logAt(buffer, CHUNK)?.line).toBe(`l${CHUNK + 1}`);
    expect(logAt(buffer, 3 * CHUNK - 1)?.line).toBe(`l${3 * CHUNK}`);
    expect(logAt(buffer, 3 * CHUNK)).toBeUndefined();
    // Every line gets a stable sequence number, the row key of the view.
    expect(logAt(buffer, 5)?.seq).toBe(5);
  });

  it("drops the oldest lines beyond its cap, exactly", () => {
    // 100,000 lines per project is the budget; a longer run keeps its newest lines.
    let buffer = emptyLog(2500);
    for (let i = 0; i < 10; i++) buffer = appendLog(buffer, lines(i * 700 + 1, (i + 1) * 700));
    expect(buffer.length).toBe(2500);
    expect(logAt(buffer, 0)?.line).toBe(`l${7000 - 2500 + 1}`);
    expect(logAt(buffer, 2499)?.line).toBe("l7000");
    // Whole chunks leave, so memory stays bounded too.
    expect(buffer.chunks.length).toBeLessThanOrEqual(Math.ceil(2500 / CHUNK) + 1);
  });

  it("never changes a buffer it was given", () => {
    // React compares buffers by identity; an append must leave the old value intact.
    const before = appendLog(emptyLog(), lines(1, 3));
    const after = appendLog(before, lines(4, 5));
    expect(texts(before)).toEqual(["l1", "l2", "l3"]);
    expect(texts(after)).toEqual(["l1", "l2", "l3", "l4", "l5"]);
  });

  it("puts stored history before live lines, without the lines both have", () => {
    // Live lines that arrived while the history was read are also in it; they must show once.
    const live = appendLog(emptyLog(), [line("c"), line("d"), line("e")]);
    const merged = mergeHistory([line("a", 1), line("b", 2), line("c", 3), line("d", 4)], live);
    expect(texts(merged)).toEqual(["a", "b", "c", "d", "e"]);
    expect(logAt(merged, 0)?.stored_id).toBe(1);
  });

  it("keeps every live line when none is in the history", () => {
    // Lines newer than the history (or a history that is empty) are all kept, in order.
    const live = appendLog(emptyLog(), [line("x"), line("y")]);
    expect(texts(mergeHistory([line("a", 1)], live))).toEqual(["a", "x", "y"]);
    expect(texts(mergeHistory([], live))).toEqual(["x", "y"]);
  });

  it("finds the newest stored line before the live ones", () => {
    // The tail read after a run starts after this id.
    const stored = Array.from({ length: 3000 }, (_, i) => line(`s${i}`, i + 1));
    const buffer = appendLog(appendLog(emptyLog(), stored), [line("live"), line("live 2")]);
    expect(lastStoredId(buffer)).toBe(3000);
    expect(lastStoredId(appendLog(emptyLog(), [line("live")]))).toBe(0);
    expect(lastStoredId(emptyLog())).toBe(0);
  });
});

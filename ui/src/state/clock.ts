// One wall clock for relative times ("fetched 2 min ago"): a single timer
// for every component that reads it, running only while one does.

import { useSyncExternalStore } from "react";

/** How often relative times move on. */
export const CLOCK_TICK_MS = 30_000;

let now = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    // Idle until now: the first reader sees the time of day, not the last tick's.
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, CLOCK_TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const snapshot = () => now;

/** The wall clock (ms since the epoch), moved on every `CLOCK_TICK_MS`. */
export function useClock(): number {
  return useSyncExternalStore(subscribe, snapshot);
}

// Time series for the metrics charts: the last N points, appended without
// mutating the previous array (the reducer's values are never changed).

/** A container's resource use at one moment (ms since the epoch). */
export interface ResourcePoint {
  t: number;
  cpu: number | null;
  mem: number | null;
  limit: number | null;
}

/** A project's progress at one moment. */
export interface ProgressPoint {
  t: number;
  done: number;
  total: number;
}

/** 10 minutes of 2-second samples. */
export const RESOURCE_POINTS = 300;
export const PROGRESS_POINTS = 500;

export function appendCapped<T>(series: readonly T[] | undefined, point: T, cap: number): T[] {
  const before = series ?? [];
  const start = before.length + 1 > cap ? before.length + 1 - cap : 0;
  const next = before.slice(start);
  next.push(point);
  return next;
}

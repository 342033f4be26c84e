// One time-series chart drawn by uPlot (small, fast, canvas-based). The
// chart is built once per theme and fed new data in place; it takes the
// width of its container. Colours come from the CSS tokens, so light and
// dark themes both read.

import { useEffect, useRef, useSyncExternalStore } from "react";
// Before uPlot: it reads navigator.language as it loads.
import "./intlLocale";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  /** A CSS custom property (`--st-autonomous`) or a colour. */
  color: string;
  /** A stepped line (counts), else straight segments. */
  stepped?: boolean;
  dash?: number[];
}

interface ChartProps {
  /** x: seconds since the epoch; one array per series after it. */
  data: [number[], ...(number | null)[][]];
  series: ChartSeries[];
  /** The y axis' unit, shown in its labels. */
  format: (value: number) => string;
  yMin?: number;
  yMax?: number;
  /** The y axis spans at least this much (a flat 0 % line still reads as percent). */
  ySpan?: number;
  height?: number;
  testId?: string;
  label: string;
}

function cssColor(value: string, el: Element): string {
  if (!value.startsWith("--")) return value;
  return getComputedStyle(el).getPropertyValue(value).trim() || "#888";
}

const darkQuery = () =>
  typeof window !== "undefined" && typeof window.matchMedia === "function" ? window.matchMedia("(prefers-color-scheme: dark)") : null;

/** Whether the OS asks for dark colours now; re-renders when it changes. */
function useDarkScheme(): boolean {
  return useSyncExternalStore(
    (notify) => {
      const query = darkQuery();
      query?.addEventListener("change", notify);
      return () => query?.removeEventListener("change", notify);
    },
    () => darkQuery()?.matches ?? false,
  );
}

export function Chart({ data, series, format, yMin, yMax, ySpan = 1, height = 120, testId, label }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const dark = useDarkScheme();
  const latest = useRef(data);
  latest.current = data;
  // A line needs two points; one sample says nothing over time yet.
  const enough = data[0].length >= 2;

  useEffect(() => {
    const el = box.current;
    if (!el || !enough) return;
    const axisColor = cssColor("--text-muted", el);
    const gridColor = cssColor("--border", el);
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      scales: {
        // One sample has no width: show the minute around it.
        x: { time: true, range: (_u, min, max) => (min === max ? [min - 30, max + 30] : [min, max]) },
        y: {
          range: (_u, min, max) => {
            const low = yMin ?? Math.min(0, min ?? 0);
            return [low, yMax ?? Math.max((max ?? 0) * 1.1, low + ySpan)];
          },
        },
      },
      axes: [
        { stroke: axisColor, grid: { stroke: gridColor, width: 1 }, ticks: { stroke: gridColor, width: 1 }, size: 28 },
        {
          stroke: axisColor,
          grid: { stroke: gridColor, width: 1 },
          ticks: { stroke: gridColor, width: 1 },
          size: 52,
          values: (_u, splits) => splits.map((v) => format(v)),
        },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: cssColor(s.color, el),
          width: 1.6,
          dash: s.dash,
          points: { show: false },
          paths: s.stepped ? uPlot.paths.stepped?.({ align: 1 }) : undefined,
          value: (_u: uPlot, v: number | null) => (v === null ? "—" : format(v)),
        })),
      ],
    };
    const chart = new uPlot(opts, latest.current as uPlot.AlignedData, el);
    plot.current = chart;
    let observer: ResizeObserver | undefined;
    if (typeof ResizeObserver !== "undefined") {
      observer = new ResizeObserver(() => {
        const width = el.clientWidth;
        if (width > 0 && width !== chart.width) chart.setSize({ width, height });
      });
      observer.observe(el);
    }
    return () => {
      observer?.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Rebuilt when the theme or the chart's shape changes; data flows in below.
  }, [dark, height, series, format, yMin, yMax, ySpan, enough]);

  useEffect(() => {
    plot.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  if (!enough) {
    return (
      <div className="chart chart--empty" data-testid={testId} style={{ height: height / 2 }}>
        Waiting for samples…
      </div>
    );
  }
  return <div ref={box} className="chart" data-testid={testId} role="img" aria-label={label} />;
}

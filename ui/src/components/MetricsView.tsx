// The metrics tab: the selected project's progress over time and its
// container's CPU and memory (from the engine's `stats` events), and the
// host's load (read from hostLoad every 2 s while this tab is open: host
// load is not run state, and no event carries it).

import { useEffect, useMemo, useState } from "react";

import type { Api } from "../api";
import type { HostLoad } from "../bindings";
import { formatBytes } from "../state/format";
import type { ProgressPoint, ResourcePoint } from "../state/series";
import { appendCapped } from "../state/series";
import { Chart } from "./Chart";
import type { ChartSeries } from "./Chart";
import "./MetricsView.css";

const HOST_EVERY_MS = 2000;
const HOST_POINTS = 150;

interface HostPoint {
  t: number;
  cpu: number | null;
  mem: number | null;
}

interface MetricsViewProps {
  api: Api;
  progress: ProgressPoint[] | undefined;
  resources: ResourcePoint[] | undefined;
}

const PROGRESS_SERIES: ChartSeries[] = [
  { label: "Done", color: "--st-completed", stepped: true },
  { label: "Total", color: "--text-faint", stepped: true, dash: [4, 4] },
];
const CPU_SERIES: ChartSeries[] = [{ label: "CPU", color: "--st-initializing" }];
const MEM_SERIES: ChartSeries[] = [{ label: "Memory", color: "--st-paused" }];
const HOST_SERIES: ChartSeries[] = [
  { label: "CPU", color: "--st-initializing" },
  { label: "Memory used", color: "--st-paused" },
];

const count = (v: number) => String(Math.round(v));
const percent = (v: number) => `${Math.round(v)}%`;
const mb = (v: number) => formatBytes(v);

export default function MetricsView({ api, progress, resources }: MetricsViewProps) {
  const [host, setHost] = useState<HostPoint[]>([]);
  const [hostInfo, setHostInfo] = useState<HostLoad | null>(null);

  useEffect(() => {
    let stopped = false;
    const read = async () => {
      const load = await api.hostLoad();
      if (stopped || !load.ok || !load.value) return;
      const v = load.value;
      const used =
        v.memory_total_bytes && v.memory_available_bytes !== null
          ? ((v.memory_total_bytes - v.memory_available_bytes) / v.memory_total_bytes) * 100
          : null;
      setHostInfo(v);
      setHost((h) => appendCapped(h, { t: Date.now(), cpu: v.cpu_percent, mem: used }, HOST_POINTS));
    };
    void read();
    const timer = setInterval(() => void read(), HOST_EVERY_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [api]);

  const progressData = useMemo(() => {
    const p = progress ?? [];
    return [p.map((x) => x.t / 1000), p.map((x) => x.done), p.map((x) => x.total)] as [number[], number[], number[]];
  }, [progress]);
  const cpuData = useMemo(() => {
    const r = resources ?? [];
    return [r.map((x) => x.t / 1000), r.map((x) => x.cpu)] as [number[], (number | null)[]];
  }, [resources]);
  const memData = useMemo(() => {
    const r = resources ?? [];
    return [r.map((x) => x.t / 1000), r.map((x) => x.mem)] as [number[], (number | null)[]];
  }, [resources]);
  const hostData = useMemo(
    () => [host.map((x) => x.t / 1000), host.map((x) => x.cpu), host.map((x) => x.mem)] as [number[], (number | null)[], (number | null)[]],
    [host],
  );

  const lastProgress = progress?.[progress.length - 1];
  const lastRes = resources?.[resources.length - 1];
  return (
    <div className="metrics" data-testid="metrics">
      <figure className="metrics__figure">
        <figcaption className="metrics__caption">
          <span>Progress over time</span>
          <span className="metrics__now" data-testid="metrics-progress">
            {lastProgress ? `${lastProgress.done} of ${lastProgress.total} tasks` : "no progress yet"}
          </span>
        </figcaption>
        <Chart data={progressData} series={PROGRESS_SERIES} format={count} yMin={0} ySpan={1} testId="chart-progress" label="Tasks done over time" />
      </figure>
      <figure className="metrics__figure">
        <figcaption className="metrics__caption">
          <span>Container CPU</span>
          <span className="metrics__now" data-testid="metrics-cpu">
            {lastRes?.cpu != null ? `${lastRes.cpu.toFixed(1)}% of a core` : "no sample yet"}
          </span>
        </figcaption>
        <Chart data={cpuData} series={CPU_SERIES} format={percent} yMin={0} ySpan={10} testId="chart-cpu" label="Container CPU over time" />
      </figure>
      <figure className="metrics__figure">
        <figcaption className="metrics__caption">
          <span>Container memory</span>
          <span className="metrics__now" data-testid="metrics-memory">
            {lastRes?.mem != null ? `${formatBytes(lastRes.mem)}${lastRes.limit ? ` of ${formatBytes(lastRes.limit)}` : ""}` : "no sample yet"}
          </span>
        </figcaption>
        <Chart data={memData} series={MEM_SERIES} format={mb} yMin={0} ySpan={16 * 1024 * 1024} testId="chart-memory" label="Container memory over time" />
      </figure>
      <figure className="metrics__figure">
        <figcaption className="metrics__caption">
          <span>Host load</span>
          <span className="metrics__now" data-testid="metrics-host">
            {hostInfo
              ? `CPU ${hostInfo.cpu_percent != null ? `${Math.round(hostInfo.cpu_percent)}%` : "—"} · ${hostInfo.cores} cores${
                  hostInfo.memory_available_bytes != null ? ` · ${formatBytes(hostInfo.memory_available_bytes)} free` : ""
                }`
              : "reading…"}
          </span>
        </figcaption>
        <Chart data={hostData} series={HOST_SERIES} format={percent} yMin={0} yMax={100} testId="chart-host" label="Host CPU and memory over time" />
      </figure>
    </div>
  );
}

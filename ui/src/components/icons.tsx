// Small inline icons (16px grid, currentColor). Decorative: the text next to
// each one says the same thing, so they are hidden from assistive technology.

import type { ReactNode } from "react";

import type { HealthStatus } from "../bindings";

interface IconProps {
  size?: number;
  className?: string;
}

function Svg({ size = 16, className, children }: IconProps & { children: ReactNode }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      className={className}
    >
      {children}
    </svg>
  );
}

export function OkIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="8" cy="8" r="6.2" />
      <polyline points="5.2,8.2 7.2,10.2 10.8,6" />
    </Svg>
  );
}

export function WarningIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M8 2.2 14.2 13H1.8Z" />
      <line x1="8" y1="6.4" x2="8" y2="9.2" />
      <circle cx="8" cy="11.3" r="0.35" fill="currentColor" />
    </Svg>
  );
}

export function MissingIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="8" cy="8" r="6.2" />
      <line x1="5.8" y1="5.8" x2="10.2" y2="10.2" />
      <line x1="10.2" y1="5.8" x2="5.8" y2="10.2" />
    </Svg>
  );
}

export function PendingIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="8" cy="8" r="6.2" strokeDasharray="2.4 2.4" />
    </Svg>
  );
}

export function StatusIcon({ status, ...props }: IconProps & { status: HealthStatus | "checking" }) {
  switch (status) {
    case "ok":
      return <OkIcon {...props} />;
    case "warning":
      return <WarningIcon {...props} />;
    case "missing":
      return <MissingIcon {...props} />;
    case "checking":
      return <PendingIcon {...props} />;
  }
}

export function PlusIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <line x1="8" y1="3" x2="8" y2="13" />
      <line x1="3" y1="8" x2="13" y2="8" />
    </Svg>
  );
}

export function EditIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M10.5 2.8 13.2 5.5 6 12.7H3.3V10Z" />
    </Svg>
  );
}

export function TrashIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <polyline points="2.8,4.3 13.2,4.3" />
      <path d="M6.2 4.3V2.8h3.6v1.5M4.3 4.3l.7 9h6l.7-9" />
    </Svg>
  );
}

export function RefreshIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M13 8a5 5 0 1 1-1.5-3.6" />
      <polyline points="11.8,2 11.8,4.6 9.2,4.6" />
    </Svg>
  );
}

export function FolderIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M2 4.2h4l1.4 1.6H14v7H2Z" />
    </Svg>
  );
}

export function PlayIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M5 3.2v9.6L12.6 8Z" />
    </Svg>
  );
}

export function PauseIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <line x1="5.5" y1="3.5" x2="5.5" y2="12.5" />
      <line x1="10.5" y1="3.5" x2="10.5" y2="12.5" />
    </Svg>
  );
}

export function StopIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <rect x="3.8" y="3.8" width="8.4" height="8.4" rx="1" />
    </Svg>
  );
}

/** An octagon with a bar: stop now (emergency). */
export function EmergencyIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M5.6 1.8h4.8l3.8 3.8v4.8l-3.8 3.8H5.6l-3.8-3.8V5.6Z" />
      <line x1="5" y1="8" x2="11" y2="8" />
    </Svg>
  );
}

export function ClockIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="8" cy="8" r="6.2" />
      <polyline points="8,4.6 8,8 10.4,9.4" />
    </Svg>
  );
}

/** A gear: setting things up. */
export function GearIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="8" cy="8" r="2.2" />
      <path d="M8 1.8v2M8 12.2v2M1.8 8h2M12.2 8h2M3.6 3.6l1.4 1.4M11 11l1.4 1.4M3.6 12.4 5 11M11 5l1.4-1.4" />
    </Svg>
  );
}

/** Two arrows chasing each other: going on by itself. */
export function LoopIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M2.8 7A5.2 5.2 0 0 1 12.4 5" />
      <polyline points="12.8,2.4 12.6,5.2 9.8,5" />
      <path d="M13.2 9A5.2 5.2 0 0 1 3.6 11" />
      <polyline points="3.2,13.6 3.4,10.8 6.2,11" />
    </Svg>
  );
}

/** A wrench: fixing what failed. */
export function WrenchIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M10.6 2.2a3.3 3.3 0 0 0-3.9 4.4L2.4 10.9a1.3 1.3 0 0 0 1.8 1.8l4.3-4.3a3.3 3.3 0 0 0 4.4-3.9l-2 2-1.9-.5-.5-1.9Z" />
    </Svg>
  );
}

/** A raised hand: a person is needed. */
export function HandIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M5 8.2V3.4a1 1 0 0 1 2 0V7.4M7 7V2.4a1 1 0 0 1 2 0V7M9 7V3.2a1 1 0 0 1 2 0v5.2M11 6.4a1 1 0 0 1 2 0v2.8a5 5 0 0 1-5 5h-.4a4.6 4.6 0 0 1-3.6-1.8L2.3 10.3a1 1 0 0 1 1.5-1.3L5 10.2" />
    </Svg>
  );
}

export function HourglassIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M4 2h8M4 14h8M5 2v2.4L8 8l3-3.6V2M5 14v-2.4L8 8l3 3.6V14" />
    </Svg>
  );
}

export function SkipIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M3.4 3.6v8.8L9.6 8Z" />
      <line x1="12.4" y1="3.6" x2="12.4" y2="12.4" />
    </Svg>
  );
}

export function LinkIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M9 3h4v4M13 3 7.4 8.6M11.6 9.4V13H3V4.4h3.6" />
    </Svg>
  );
}

export function FilterIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M2.2 3h11.6L9.2 8.4V13l-2.4-1.2V8.4Z" />
    </Svg>
  );
}

export function ArrowDownIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <line x1="8" y1="2.6" x2="8" y2="12.8" />
      <polyline points="4,9 8,13 12,9" />
    </Svg>
  );
}

export function KeyboardIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <rect x="1.6" y="4" width="12.8" height="8" rx="1.4" />
      <path d="M4 6.6h.01M6.6 6.6h.01M9.4 6.6h.01M12 6.6h.01M5 9.6h6" />
    </Svg>
  );
}

export function SparkIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M8 1.8 9.4 6.6 14.2 8 9.4 9.4 8 14.2 6.6 9.4 1.8 8 6.6 6.6Z" />
    </Svg>
  );
}

export function ChartIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <polyline points="2,13.5 2,2.5" />
      <polyline points="2,13.5 14,13.5" />
      <polyline points="4,10.5 7,7 9.4,9 13.4,4" />
    </Svg>
  );
}

/** A lightning bolt: work in progress. */
export function BoltIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <path d="M9.2 1.6 3.6 9h4l-1 5.4L12.4 7h-4Z" />
    </Svg>
  );
}

/** A branch leaving a line: the repository's base branch. */
export function BranchIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <circle cx="4.5" cy="3.5" r="1.5" />
      <circle cx="4.5" cy="12.5" r="1.5" />
      <circle cx="11.5" cy="5" r="1.5" />
      <line x1="4.5" y1="5" x2="4.5" y2="11" />
      <path d="M11.5 6.5c0 3-7 2.5-7 4.5" />
    </Svg>
  );
}

/** A box: the runner's container. */
export function ContainerIcon(props: IconProps) {
  return (
    <Svg {...props}>
      <rect x="2.2" y="3.2" width="11.6" height="9.6" rx="1.2" />
      <line x1="5.5" y1="5.8" x2="5.5" y2="10.2" />
      <line x1="8" y1="5.8" x2="8" y2="10.2" />
      <line x1="10.5" y1="5.8" x2="10.5" y2="10.2" />
    </Svg>
  );
}

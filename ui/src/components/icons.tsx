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

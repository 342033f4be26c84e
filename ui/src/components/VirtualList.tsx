// A list of fixed-height rows that renders only the rows in view (plus a few
// either side), so 100,000 log lines cost as much as 40. The scroll height is
// that of all rows; the visible window is positioned inside it.
//
// Following: while `follow` is on, every change of `count` scrolls to the
// end. Scrolling up by any means (wheel, keys, the scrollbar) turns it off;
// scrolling back to the very end turns it on again.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { ReactNode } from "react";

interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  /** Key of each row (defaults to its index). */
  rowKey?: (index: number) => string | number;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  /** Rows rendered beyond each edge of the view. */
  overscan?: number;
  /** The view's height before it has been measured (and where nothing measures, as in tests). */
  initialHeight?: number;
  className?: string;
  testId?: string;
  label: string;
}

export function VirtualList({
  count,
  rowHeight,
  renderRow,
  rowKey,
  follow,
  onFollowChange,
  overscan = 10,
  initialHeight = 400,
  className,
  testId,
  label,
}: VirtualListProps) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(initialHeight);

  useEffect(() => {
    const el = viewport.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (el.clientHeight > 0) setHeight(el.clientHeight);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const total = count * rowHeight;

  // Follow: stay at the end as rows arrive (before paint, so nothing jumps).
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el || !follow) return;
    const end = Math.max(0, total - (el.clientHeight || height));
    if (el.scrollTop !== end) el.scrollTop = end;
    setScrollTop(end);
  }, [follow, total, height]);

  const onScroll = useCallback(() => {
    const el = viewport.current;
    if (!el) return;
    const top = el.scrollTop;
    const view = el.clientHeight || height;
    setScrollTop(top);
    const atEnd = top + view >= total - rowHeight / 2;
    if (follow && !atEnd) onFollowChange(false);
    else if (!follow && atEnd && total > view) onFollowChange(true);
  }, [follow, height, total, rowHeight, onFollowChange]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    rows.push(
      <div
        key={rowKey ? rowKey(i) : i}
        className="vlist__row"
        role="listitem"
        aria-setsize={count}
        aria-posinset={i + 1}
        style={{ height: rowHeight }}
      >
        {renderRow(i)}
      </div>,
    );
  }

  return (
    <div ref={viewport} className={["vlist", className].filter(Boolean).join(" ")} onScroll={onScroll} data-testid={testId} tabIndex={0}>
      <div role="list" aria-label={label} className="vlist__space" style={{ height: total, position: "relative" }}>
        <div className="vlist__window" style={{ transform: `translateY(${first * rowHeight}px)` }} data-first={first}>
          {rows}
        </div>
      </div>
    </div>
  );
}

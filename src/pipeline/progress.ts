/** The live progress line of a crawl (stderr on a TTY): counts, rate, and an ETA when bounded. */
import type { CrawlSummary } from './crawl.ts';

/** One line: pages, listings, flagged, errors, pages/s and, with a page budget, the time left. */
export function progressLine(s: CrawlSummary, maxPages?: number): string {
  const rate = s.seconds > 0 ? s.pages / s.seconds : 0;
  const parts = [
    `${s.pages} pages`,
    `${s.listings} listings`,
    `${s.flagged} flagged`,
    `${s.errors} errors`,
    `${rate.toFixed(1)} pages/s`,
  ];
  if (maxPages && rate > 0 && s.pages < maxPages) {
    parts.push(`ETA ≤ ${formatDuration((maxPages - s.pages) / rate)}`);
  }
  parts.push(formatDuration(s.seconds));
  return parts.join(' · ');
}

/** `42s`, `3m05s`, `1h02m`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

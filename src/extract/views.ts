/** Telegram's abbreviated counters: `870`, `1.2K`, `3.4M`, `1 234`, `12,5K`. */

const SUFFIX: Record<string, number> = { K: 1e3, M: 1e6, B: 1e9 };

/** Parses an abbreviated count into a whole number; undefined when it is not one. */
export function parseCount(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const m = /^(\d+(?:[.,]\d+)?)\s*([KMB])?$/i.exec(raw.replace(/[\s\u00a0\u202f]/g, ''));
  if (!m) return undefined;
  const value = Number(m[1]!.replace(',', '.')) * (m[2] ? SUFFIX[m[2].toUpperCase()]! : 1);
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** Canonical Telegram preview URLs, and where to fetch them from (t.me or a configured mirror). */
import { canonicalUrl } from './canonical-url.ts';

/** `https://t.me/NAME`, `telegram.me/s/NAME` and post links → `https://t.me/s/name`; undefined for other URLs. */
export function canonicalTelegram(u: URL): string | undefined {
  if (!/^(www\.)?(t\.me|telegram\.me)$/i.test(u.hostname)) return undefined;
  const parts = u.pathname.split('/').filter(Boolean);
  const name = parts[0] === 's' ? parts[1] : parts[0];
  if (!name || !/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(name)) return undefined;
  const before = u.searchParams.get('before');
  return `https://t.me/s/${name.toLowerCase()}${before ? `?before=${before}` : ''}`;
}

/**
 * The canonical form of a source or page URL (see canonicalUrl in canonical-url.ts: tracking
 * parameters dropped, parameters sorted, t.me forms unified). Throws TypeError on a non-URL.
 */
export function canonicalSourceUrl(raw: string): string {
  return canonicalUrl(raw);
}

/** `telegram` for t.me previews, `web` for everything else. */
export function sourceKind(canonical: string): 'telegram' | 'web' {
  return canonical.startsWith('https://t.me/s/') ? 'telegram' : 'web';
}

/** The URL actually fetched: canonical t.me URLs go to `telegramBase` when that is a mirror. */
export function fetchUrlFor(canonical: string, telegramBase: string): string {
  if (telegramBase === 'https://t.me' || !canonical.startsWith('https://t.me/')) return canonical;
  return telegramBase + canonical.slice('https://t.me'.length);
}

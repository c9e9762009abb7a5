/** Canonical Telegram preview URLs, and where to fetch them from (t.me or a configured mirror). */

/** `https://t.me/NAME` and `t.me/s/NAME` forms → `https://t.me/s/name`; other URLs unchanged. */
export function canonicalSourceUrl(raw: string): string {
  const u = new URL(raw);
  if (/^(www\.)?(t\.me|telegram\.me)$/i.test(u.hostname)) {
    const parts = u.pathname.split('/').filter(Boolean);
    const name = parts[0] === 's' ? parts[1] : parts[0];
    if (name && /^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(name)) {
      const before = u.searchParams.get('before');
      return `https://t.me/s/${name.toLowerCase()}${before ? `?before=${before}` : ''}`;
    }
  }
  u.hash = '';
  return u.href;
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

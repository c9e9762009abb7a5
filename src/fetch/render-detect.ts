/**
 * Does a page need a browser? A page that is "empty without JavaScript" (scripts, an app root
 * element, almost no visible text) is re-rendered with Chromium in `render: auto` mode.
 */

/** Visible characters (not blanks) of `html` outside tags, comments, scripts and styles, counted up to `limit`. */
export function visibleTextLength(html: string, limit = Number.POSITIVE_INFINITY): number {
  let n = 0;
  let i = 0;
  while (i < html.length && n < limit) {
    const lt = html.indexOf('<', i);
    const end = lt < 0 ? html.length : lt;
    for (let j = i; j < end && n < limit; j++) if (html.charCodeAt(j) > 32) n++;
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    const raw = /^<(script|style|noscript|template)\b/i.exec(html.slice(lt, lt + 10))?.[1];
    if (raw) {
      const closing = new RegExp(`</${raw}`, 'gi');
      closing.lastIndex = lt + raw.length + 1;
      const close = closing.exec(html)?.index ?? -1;
      i = close < 0 ? html.length : html.indexOf('>', close) + 1 || html.length;
      continue;
    }
    const gt = html.indexOf('>', lt);
    i = gt < 0 ? html.length : gt + 1;
  }
  return n;
}

const appRoot =
  /<(?:div|main|section)\b[^>]{0,200}?\bid\s*=\s*["']?(?:root|app|__next|__nuxt|svelte|main-app)\b|<app-root\b|\bdata-reactroot\b|\bng-app\b/i;

/** True when `html` looks like a JavaScript app shell: scripts, little visible text, and an app root (or nothing at all). */
export function looksEmptyWithoutJs(html: string): boolean {
  if (!/<script\b/i.test(html)) return false;
  const text = visibleTextLength(html, 200);
  if (text >= 200) return false;
  return text < 40 || appRoot.test(html.slice(0, 200_000));
}

/**
 * One canonical form per URL, used to de-duplicate sources and the crawl frontier: the same page
 * reached through different spellings is fetched once.
 */
import { canonicalTelegram } from './telegram-url.ts';

/** Query parameters that only track clicks and never change the page. */
const trackingParam =
  /^(utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|ysclid|mc_cid|mc_eid|igshid|_openstat|_ga|_gl|ref_src)$/i;

/**
 * The canonical form of `raw`: lower-case scheme and host, no default port, no fragment, no
 * tracking parameters (utm_*, fbclid, …), the remaining parameters sorted, and t.me /
 * telegram.me channel links as `https://t.me/s/name`. Throws TypeError on a string that is not a URL.
 */
export function canonicalUrl(raw: string): string {
  const u = new URL(raw.trim()); // lower-cases scheme and host, drops the default port, normalizes IPv4 forms
  u.hash = '';
  if (u.protocol === 'http:' || u.protocol === 'https:') {
    const telegram = canonicalTelegram(u);
    if (telegram) return telegram;
    u.hostname = u.hostname.replace(/\.$/, '');
    const kept = [...u.searchParams].filter(([k]) => !trackingParam.test(k));
    kept.sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
    u.search = kept.length ? new URLSearchParams(kept).toString() : '';
  }
  return u.href;
}

/**
 * What a QR payload or link points at, and the canonical source URL to crawl for it.
 * Telegram channels are canonicalized to their preview `https://t.me/s/NAME`; crypto addresses
 * are kept only when their checksum holds; phones are told apart by their digits.
 */
import { type Coin, parseCrypto } from './crypto.ts';

/** A payload's kind, and where it leads (when it can be crawled). */
export interface Classified {
  kind: 'telegram' | 'onion' | 'url' | 'handle' | 'crypto' | 'phone' | 'text';
  /** Canonical source URL to crawl, when the payload leads to one. */
  target?: string;
  /** For `crypto`: the coin. */
  coin?: Coin;
  /** For `crypto`: the validated address; for `phone`: the number as `+digits` (from `tel:` URIs). */
  value?: string;
}

const TG_NAME = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;
const TG_RESERVED = new Set(['s', 'joinchat', 'addstickers', 'share', 'proxy', 'socks', 'iv', 'login']);

/** Classifies a QR payload or a link. */
export function classifyPayload(raw: string): Classified {
  const text = raw.trim();
  const tg = telegramName(text);
  if (tg) return tg;
  if (/^@[A-Za-z][A-Za-z0-9_]{3,31}$/.test(text)) {
    const name = text.slice(1);
    return /bot$/i.test(name)
      ? { kind: 'handle' }
      : { kind: 'handle', target: `https://t.me/s/${name.toLowerCase()}` };
  }
  const crypto = parseCrypto(text);
  if (crypto) return { kind: 'crypto', coin: crypto.coin, value: crypto.address };
  if (isPhone(text)) return { kind: 'phone' };
  const tel = /^tel:(.+)$/i.exec(text)?.[1]?.replace(/%20/g, ' ');
  if (tel && isPhone(tel)) return { kind: 'phone', value: `+${tel.replace(/\D/g, '')}` };
  let u: URL | undefined;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:/i.test(text) ? text : `https://${text}`);
  } catch {
    return { kind: 'text' };
  }
  if (!/^https?:$/.test(u.protocol) || !u.hostname.includes('.')) return { kind: 'text' };
  if (/\.onion$/i.test(u.hostname)) return { kind: 'onion' };
  if (!/^[a-z][a-z0-9+.-]*:/i.test(text) && /\s/.test(text)) return { kind: 'text' };
  u.hash = '';
  return { kind: 'url', target: u.href };
}

/** A phone number: optional +, 10 to 15 digits (E.164), usual separators. */
function isPhone(text: string): boolean {
  if (!/^\+?[\d\s().-]{10,22}$/.test(text)) return false;
  const digits = text.replace(/\D/g, '').length;
  return digits >= 10 && digits <= 15;
}

/** Recognizes t.me, telegram.me and tg:// forms. */
function telegramName(text: string): Classified | undefined {
  const tgResolve = /^tg:\/\/resolve\?(?:.*&)?domain=([A-Za-z0-9_]+)/i.exec(text);
  if (tgResolve) return channelOrBot(tgResolve[1]!);
  if (/^tg:\/\/join\?invite=/i.test(text)) return { kind: 'telegram' };
  const m = /^(?:https?:\/\/)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)\/(.+)$/i.exec(text);
  if (!m) return undefined;
  const parts = m[1]!.split(/[/?#]/).filter(Boolean);
  if (parts[0] === 'joinchat' || parts[0]?.startsWith('+')) return { kind: 'telegram' };
  const name = parts[0] === 's' ? parts[1] : parts[0];
  if (!name || TG_RESERVED.has(name.toLowerCase())) return { kind: 'url' };
  return channelOrBot(name);
}

function channelOrBot(name: string): Classified {
  if (!TG_NAME.test(name)) return { kind: 'text' };
  if (/bot$/i.test(name)) return { kind: 'telegram' }; // bots have no preview to crawl
  return { kind: 'telegram', target: `https://t.me/s/${name.toLowerCase()}` };
}

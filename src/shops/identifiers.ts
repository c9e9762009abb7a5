/**
 * Identifiers that tie listings to one shop: Telegram channels, bots and invites, onion hosts, web
 * domains, validated crypto addresses and phone numbers in E.164 (KZ, RU, UZ, KG, VN).
 */
import { type Coin, parseAddress } from '../qr/crypto.ts';

const COIN_KIND: Record<Coin, IdentifierKind> = {
  btc: 'btc',
  ltc: 'ltc',
  eth: 'eth',
  trx: 'tron',
  xmr: 'xmr',
};

export type IdentifierKind =
  | 'telegram'
  | 'invite'
  | 'onion'
  | 'domain'
  | 'btc'
  | 'eth'
  | 'tron'
  | 'ltc'
  | 'xmr'
  | 'phone';

/** One identifier, normalized so equal things compare equal. */
export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/** Platforms and hosts too common to link anything. */
const IGNORED_DOMAINS = new Set([
  't.me',
  'telegram.me',
  'telegram.org',
  'telegra.ph',
  'google.com',
  'youtube.com',
  'instagram.com',
  'facebook.com',
  'vk.com',
  'wikipedia.org',
  'twitter.com',
  'x.com',
  'tiktok.com',
  'whatsapp.com',
  'apple.com',
  'play.google.com',
]);
const TG_NAME = /^[a-z][a-z0-9_]{3,31}$/;

/** The identifiers in a text and its links (deduplicated, in order of first appearance). */
export function identifiersIn(text: string, links: string[] = []): Identifier[] {
  const found: Identifier[] = [];
  const add = (kind: IdentifierKind, value: string) => {
    if (!found.some((f) => f.kind === kind && f.value === value)) found.push({ kind, value });
  };
  for (const link of [
    ...links,
    ...(text.match(/\b(?:https?:\/\/|tg:\/\/)?[^\s"'<>]+\.[a-z]{2,}[^\s"'<>]*/gi) ?? []),
  ]) {
    const id = identifierOfLink(link);
    if (id) add(id.kind, id.value);
  }
  for (const m of text.matchAll(/(?<![\p{L}\p{N}_@.])@([A-Za-z][A-Za-z0-9_]{3,31})(?![A-Za-z0-9_])/gu))
    add('telegram', m[1]!.toLowerCase());
  // Address-shaped tokens, kept only when their checksum holds (src/qr/crypto.ts).
  for (const m of text.matchAll(
    /\b(0x[0-9a-fA-F]{40}|(?:bc|ltc)1[0-9a-zA-Z]{8,87}|[13LMT48][1-9A-HJ-NP-Za-km-z]{25,105})\b/g,
  )) {
    const found = parseAddress(m[1]!);
    if (found) add(COIN_KIND[found.coin], found.coin === 'eth' ? found.address.toLowerCase() : found.address);
  }
  for (const m of text.matchAll(/(?<![\d+])(\+?\d[\d\s().-]{8,17}\d)(?!\d)/g)) {
    const phone = e164(m[1]!);
    if (phone) add('phone', phone);
  }
  return found;
}

/** The identifier a single link points at, if any. */
export function identifierOfLink(link: string): Identifier | undefined {
  const tgResolve = /^tg:\/\/resolve\?(?:.*&)?domain=([A-Za-z0-9_]+)/i.exec(link);
  if (tgResolve) return telegram(tgResolve[1]!);
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(link) ? link : `https://${link}`);
  } catch {
    return undefined;
  }
  const host = u.hostname.toLowerCase().replace(/^www\./, '');
  if (/^(t\.me|telegram\.me|telegram\.dog)$/.test(host)) {
    const parts = u.pathname.split('/').filter(Boolean);
    if (parts[0] === 'joinchat' && parts[1]) return { kind: 'invite', value: parts[1] };
    if (parts[0]?.startsWith('+')) return { kind: 'invite', value: parts[0].slice(1) };
    return telegram(parts[0] === 's' ? parts[1] : parts[0]);
  }
  if (host.endsWith('.onion')) return { kind: 'onion', value: host };
  if (!host.includes('.') || /^\d+(\.\d+){3}$/.test(host) || IGNORED_DOMAINS.has(host)) return undefined;
  if (!/^[a-z0-9.-]+\.[a-z]{2,}$/.test(host)) return undefined;
  return { kind: 'domain', value: host };
}

function telegram(name: string | undefined): Identifier | undefined {
  const n = name?.toLowerCase();
  return n && TG_NAME.test(n) && !['share', 'addstickers', 'proxy', 'socks', 'iv'].includes(n)
    ? { kind: 'telegram', value: n }
    : undefined;
}

/** Country rules: prefix, national trunk prefix, digits after the country code. */
const COUNTRIES = [
  { cc: '7', trunk: '8', national: 10, mobile: /^[3-9]/ }, // KZ, RU: 8 701 … → +7 701 …
  { cc: '998', trunk: '', national: 9, mobile: /./ }, // UZ: always written with +998
  { cc: '996', trunk: '', national: 9, mobile: /./ }, // KG: 0XXX is ambiguous with VN, so +996 only
  { cc: '84', trunk: '0', national: 9, mobile: /^[35789]/ }, // VN: 09x, 03x … → +84 9x …
];

/** A phone number in E.164 (+77011234567), or undefined when it is not one of the supported countries. */
export function e164(raw: string): string | undefined {
  const plus = raw.trim().startsWith('+');
  const digits = raw.replace(/\D/g, '');
  for (const c of COUNTRIES) {
    if (
      digits.startsWith(c.cc) &&
      digits.length === c.cc.length + c.national &&
      (plus || c.cc === '7' || c.cc.length === 3)
    ) {
      return `+${digits}`;
    }
    const national = digits.slice(c.trunk.length);
    if (
      !plus &&
      c.trunk &&
      digits.startsWith(c.trunk) &&
      national.length === c.national &&
      c.mobile.test(national)
    ) {
      return `+${c.cc}${national}`;
    }
  }
  return undefined;
}

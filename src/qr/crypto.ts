/**
 * Crypto addresses and payment URIs, validated by their checksums: Bitcoin and Litecoin
 * (base58check and bech32/bech32m), Ethereum (0x + 40 hex, EIP-55 when mixed case), TRON
 * (base58check, version 0x41) and Monero (Monero base58, Keccak-256 checksum).
 */
import { createHash } from 'node:crypto';

/** A coin whose addresses are recognized. */
export type Coin = 'btc' | 'ltc' | 'eth' | 'trx' | 'xmr';

/** A validated address. */
export interface CryptoAddress {
  coin: Coin;
  address: string;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const URI_COINS: Record<string, Coin> = {
  bitcoin: 'btc',
  litecoin: 'ltc',
  ethereum: 'eth',
  tron: 'trx',
  monero: 'xmr',
};

/** A validated address, bare or in a payment URI (`bitcoin:ADDR?amount=…`); undefined otherwise. */
export function parseCrypto(raw: string): CryptoAddress | undefined {
  const text = raw.trim();
  const uri = /^([a-z]+):(?:\/\/)?([^?@/#]+)/i.exec(text);
  if (uri) {
    const coin = URI_COINS[uri[1]!.toLowerCase()];
    if (!coin) return undefined;
    const found = parseAddress(uri[2]!);
    return found && found.coin === coin
      ? found
      : coin === 'ltc' && found?.coin === 'btc'
        ? { ...found, coin }
        : undefined;
  }
  return parseAddress(text);
}

/** A bare address with a valid checksum. */
export function parseAddress(text: string): CryptoAddress | undefined {
  if (/^0x[0-9a-fA-F]{40}$/.test(text)) return validEip55(text) ? { coin: 'eth', address: text } : undefined;
  if (/^(bc|ltc)1[0-9a-z]{8,87}$/i.test(text)) {
    const hrp = bech32Hrp(text);
    if (hrp === 'bc') return { coin: 'btc', address: text.toLowerCase() };
    if (hrp === 'ltc') return { coin: 'ltc', address: text.toLowerCase() };
    return undefined;
  }
  if (/^[48][1-9A-HJ-NP-Za-km-z]{94}(?:[1-9A-HJ-NP-Za-km-z]{11})?$/.test(text)) {
    return validMonero(text) ? { coin: 'xmr', address: text } : undefined;
  }
  if (/^[13LMT][1-9A-HJ-NP-Za-km-z]{25,34}$/.test(text)) {
    const bytes = base58check(text);
    if (bytes?.length !== 21) return undefined;
    const version = bytes[0]!;
    if (text[0] === 'T' && version === 0x41) return { coin: 'trx', address: text };
    if (version === 0x00 || version === 0x05) return { coin: 'btc', address: text };
    if (version === 0x30 || version === 0x32) return { coin: 'ltc', address: text };
  }
  return undefined;
}

function sha256(b: Uint8Array): Uint8Array {
  return createHash('sha256').update(b).digest();
}

function base58(text: string): Uint8Array | undefined {
  let n = 0n;
  for (const ch of text) {
    const v = B58.indexOf(ch);
    if (v < 0) return undefined;
    n = n * 58n + BigInt(v);
  }
  const out: number[] = [];
  while (n > 0n) {
    out.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const ch of text) {
    if (ch !== '1') break;
    out.unshift(0);
  }
  return Uint8Array.from(out);
}

/** The payload of a base58check string (version byte first), when its checksum holds. */
function base58check(text: string): Uint8Array | undefined {
  const all = base58(text);
  if (!all || all.length < 5) return undefined;
  const payload = all.subarray(0, -4);
  const check = sha256(sha256(payload));
  for (let i = 0; i < 4; i++) if (check[i] !== all[all.length - 4 + i]) return undefined;
  return payload;
}

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function polymod(values: number[]): number {
  const gen = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= gen[i]!;
  }
  return chk >>> 0;
}

/** The human-readable part of a valid segwit address (bech32 for v0, bech32m for v1+). */
function bech32Hrp(text: string): string | undefined {
  if (text !== text.toLowerCase() && text !== text.toUpperCase()) return undefined;
  const s = text.toLowerCase();
  const sep = s.lastIndexOf('1');
  const hrp = s.slice(0, sep);
  const data = [...s.slice(sep + 1)].map((c) => BECH32.indexOf(c));
  if (data.some((d) => d < 0) || data.length < 7) return undefined;
  const expanded = [...hrp].map((c) => c.charCodeAt(0) >> 5);
  expanded.push(0, ...[...hrp].map((c) => c.charCodeAt(0) & 31));
  const version = data[0]!;
  const constant = polymod([...expanded, ...data]);
  if (constant !== (version === 0 ? 1 : 0x2bc830a3) || version > 16) return undefined;
  const program = convertBits(data.slice(1, -6));
  if (!program || program.length < 2 || program.length > 40) return undefined;
  if (version === 0 && program.length !== 20 && program.length !== 32) return undefined;
  return hrp;
}

function convertBits(data: number[]): number[] | undefined {
  let acc = 0;
  let bits = 0;
  const out: number[] = [];
  for (const v of data) {
    acc = (acc << 5) | v;
    bits += 5;
    while (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (bits >= 5 || (acc << (8 - bits)) & 0xff) return undefined;
  return out;
}

/** EIP-55: all-lowercase and all-uppercase pass; mixed case must match the Keccak checksum. */
function validEip55(text: string): boolean {
  const hex = text.slice(2);
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true;
  const hash = keccak256(new TextEncoder().encode(hex.toLowerCase()));
  for (let i = 0; i < 40; i++) {
    const nibble = (hash[i >> 1]! >> (i % 2 ? 0 : 4)) & 0xf;
    const ch = hex[i]!;
    if (/[a-f]/.test(ch) && nibble >= 8) return false;
    if (/[A-F]/.test(ch) && nibble < 8) return false;
  }
  return true;
}

const XMR_BLOCK = [0, 2, 3, 5, 6, 7, 9, 10, 11];

/** Monero base58 (11-character blocks of 8 bytes) with a 4-byte Keccak-256 checksum. */
function validMonero(text: string): boolean {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 11) {
    const chunk = text.slice(i, i + 11);
    const size = XMR_BLOCK.indexOf(chunk.length);
    const n = base58(chunk.replace(/^1+/, ''));
    if (size < 0 || !n || n.length > size) return false;
    bytes.push(...new Array(size - n.length).fill(0), ...n);
  }
  if (bytes.length !== 69 && bytes.length !== 77) return false;
  const body = Uint8Array.from(bytes.slice(0, -4));
  const check = keccak256(body);
  return bytes.slice(-4).every((b, i) => b === check[i]);
}

const MASK = (1n << 64n) - 1n;
const ROT = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
const RC = Array.from({ length: 24 }, (_, round) => {
  let c = 0n;
  for (let j = 0; j < 7; j++) if (lfsr(j + 7 * round)) c |= 1n << BigInt(2 ** j - 1);
  return c;
});

function lfsr(t: number): number {
  let r = 1;
  for (let i = 0; i < t % 255; i++) {
    r <<= 1;
    if (r & 0x100) r ^= 0x171;
  }
  return r & 1;
}

const rotl = (v: bigint, n: number) => (n === 0 ? v : ((v << BigInt(n)) | (v >> BigInt(64 - n))) & MASK);

/** Keccak-256 (the original padding, as Ethereum and Monero use; not SHA3-256). */
export function keccak256(input: Uint8Array): Uint8Array {
  const rate = 136;
  const padded = new Uint8Array(Math.ceil((input.length + 1) / rate) * rate);
  padded.set(input);
  padded[input.length] = 0x01;
  padded[padded.length - 1] = padded[padded.length - 1]! | 0x80;
  const a = new Array<bigint>(25).fill(0n);
  for (let off = 0; off < padded.length; off += rate) {
    for (let i = 0; i < rate / 8; i++) {
      let lane = 0n;
      for (let b = 7; b >= 0; b--) lane = (lane << 8n) | BigInt(padded[off + i * 8 + b]!);
      a[i] = a[i]! ^ lane;
    }
    permute(a);
  }
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number((a[i >> 3]! >> BigInt(8 * (i % 8))) & 0xffn);
  return out;
}

function permute(a: bigint[]) {
  for (let round = 0; round < 24; round++) {
    const c = [0, 1, 2, 3, 4].map((x) => a[x]! ^ a[x + 5]! ^ a[x + 10]! ^ a[x + 15]! ^ a[x + 20]!);
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5]! ^ rotl(c[(x + 1) % 5]!, 1);
      for (let y = 0; y < 25; y += 5) a[x + y] = a[x + y]! ^ d;
    }
    const b = new Array<bigint>(25);
    for (let x = 0; x < 5; x++) {
      for (let y = 0; y < 5; y++) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y]!, ROT[x + 5 * y]!);
    }
    for (let y = 0; y < 25; y += 5) {
      for (let x = 0; x < 5; x++)
        a[x + y] = b[x + y]! ^ (~b[((x + 1) % 5) + y]! & MASK & b[((x + 2) % 5) + y]!);
    }
    a[0] = a[0]! ^ RC[round]!;
  }
}

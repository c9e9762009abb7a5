/**
 * Checksums of payment identifiers, so a payment marker is a real address or card and not any
 * long token: crypto addresses through the shared validator (src/qr/crypto.ts: base58check,
 * bech32/bech32m, EIP-55, Monero), payment cards through Luhn.
 */
import { parseAddress } from '../qr/crypto.ts';

/** Validators a rule may name in `validate`: its regex hits count only when the original text passes. */
export const VALIDATORS: Record<string, (s: string) => boolean> = {
  'crypto-address': isCryptoAddress,
  'card-number': isCardNumber,
};

/** True for a 16-digit payment card number (spaces or dashes allowed) that passes the Luhn check. */
export function isCardNumber(s: string): boolean {
  const digits = s.replace(/[ -]/g, '');
  if (!/^\d{16}$/.test(digits) || /^(\d)\1+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 16; i++) {
    let d = digits.charCodeAt(15 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** True when `s` is a checksum-valid Bitcoin, Litecoin, Ethereum, TRON or Monero address. */
export function isCryptoAddress(s: string): boolean {
  return parseAddress(s.trim()) !== undefined;
}

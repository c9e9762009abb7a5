import { readFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { classifyPayload } from '../../src/qr/classify.ts';
import { decodeImage, ImageError } from '../../src/qr/decode-image.ts';
import { decompressionBomb, root } from '../helpers.ts';

describe('decodeImage', () => {
  it('reads the code painted on the fixture wall photo, with its corners', async () => {
    const r = await decodeImage(readFileSync(`${root}/fixtures/site/img/wall-qr.jpg`));
    expect(r.codes.map((c) => c.text)).toEqual(['https://t.me/hidden_stash']);
    expect(r.codes[0]!.position).toHaveLength(4);
    expect(r).toMatchObject({ mime: 'image/jpeg', width: 900, height: 700 });
  });

  it('reads an inverted (light-on-dark) code', async () => {
    const code = await QRCode.toBuffer('tg://resolve?domain=night_shop', {
      width: 300,
      color: { dark: '#ffffffff', light: '#000000ff' },
    });
    expect((await decodeImage(code)).codes[0]?.text).toBe('tg://resolve?domain=night_shop');
  });

  it('finds nothing in a photo without a code', async () => {
    expect((await decodeImage(readFileSync(`${root}/fixtures/site/img/street.jpg`))).codes).toEqual([]);
  });

  it('refuses a non-image and a decompression bomb quickly', async () => {
    await expect(decodeImage(Buffer.from('not an image'))).rejects.toThrow(ImageError);
    // A small PNG whose header claims 50 000 × 50 000 pixels.
    const bomb = await decompressionBomb();
    const started = Date.now();
    await expect(decodeImage(bomb)).rejects.toThrow(ImageError);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('classifyPayload', () => {
  it.each([
    ['https://t.me/hidden_stash', 'telegram', 'https://t.me/s/hidden_stash'],
    ['t.me/s/Hidden_Stash', 'telegram', 'https://t.me/s/hidden_stash'],
    ['tg://resolve?domain=night_shop', 'telegram', 'https://t.me/s/night_shop'],
    ['https://telegram.me/some_shop_bot', 'telegram', undefined],
    ['https://t.me/+AbCdEf123', 'telegram', undefined],
    ['@mirror_channel', 'handle', 'https://t.me/s/mirror_channel'],
    ['http://abcdefghijklmnop.onion/', 'onion', undefined],
    ['https://shop.example/menu?x=1', 'url', 'https://shop.example/menu?x=1'],
    ['+7 701 123 45 67', 'phone', undefined],
    ['просто текст', 'text', undefined],
  ])('%s is %s', (payload, kind, target) => {
    expect(classifyPayload(payload)).toEqual(target ? { kind, target } : { kind });
  });
});

describe('classifyPayload: crypto addresses and URIs, checksums verified', () => {
  const xmr =
    '44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A';
  it.each([
    ['1BoatSLRHtKNngkdXEeobR76b53LETtpyT', 'btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT'],
    ['3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'btc', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy'],
    ['bitcoin:1BoatSLRHtKNngkdXEeobR76b53LETtpyT?amount=0.01', 'btc', '1BoatSLRHtKNngkdXEeobR76b53LETtpyT'],
    ['BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4', 'btc', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'],
    [
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
      'btc',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0',
    ],
    ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'eth', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'],
    ['0xde709f2102306220921060314715629080e2fb77', 'eth', '0xde709f2102306220921060314715629080e2fb77'],
    [
      'ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@1?value=1e18',
      'eth',
      '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
    ],
    ['TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW', 'trx', 'TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMW'],
    ['LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz', 'ltc', 'LaMT348PWRnrqeeWArpwQPbuanpXDZGEUz'],
    [xmr, 'xmr', xmr],
    [`monero:${xmr}?tx_amount=1`, 'xmr', xmr],
  ])('%s is a %s address', (payload, coin, value) => {
    expect(classifyPayload(payload)).toEqual({ kind: 'crypto', coin, value });
  });

  it.each([
    ['1BoatSLRHtKNngkdXEeobR76b53LETtpyt', 'one letter changed: base58check fails'],
    ['bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'bech32 checksum fails'],
    ['bc1qw508d6qejxtdg4y5r3zarvary0C5xw7kv8f3t4', 'mixed-case bech32'],
    ['0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'EIP-55 checksum fails'],
    ['TJCnKsPa7y5okkXvQAidZBzqx3QyQ6sxMX', 'TRON checksum fails'],
    [`${xmr.slice(0, -1)}B`, 'Monero checksum fails'],
    ['bitcoin:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', 'an Ethereum address in a bitcoin: URI'],
  ])('%s is not an address (%s)', (payload) => {
    expect(classifyPayload(payload).kind).not.toBe('crypto');
  });
});

describe('classifyPayload: phones', () => {
  it.each([
    ['+7 (701) 123-45-67', { kind: 'phone' }],
    ['8.701.123.45.67', { kind: 'phone' }],
    ['tel:+77011234567', { kind: 'phone', value: '+77011234567' }],
    ['tel:+7%20701%20123%2045%2067', { kind: 'phone', value: '+77011234567' }],
  ])('%s is a phone', (payload, want) => {
    expect(classifyPayload(payload)).toEqual(want);
  });

  it.each(['12345', '+1234567890123456789', 'tel:call-me'])('%s is not a phone', (payload) => {
    expect(classifyPayload(payload).kind).not.toBe('phone');
  });
});

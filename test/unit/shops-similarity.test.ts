import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { linkShops } from '../../src/shops/link.ts';
import {
  dhash,
  hamming,
  IMAGE_DISTANCE,
  minhash,
  nearPairs,
  similarity,
  TEXT_SIMILARITY,
} from '../../src/shops/similarity.ts';

const AD =
  'Мефедрон кристалл VHQ 1г 15000 тенге закладки по всему городу Алмалинский Бостандыкский Медеу координаты и фото сразу после оплаты';

describe('MinHash', () => {
  it('keeps a re-posted ad with small edits similar, and a different text apart', () => {
    const edited = AD.replace('15000', '14000').replace('Медеу', 'Медеу Ауэзовский');
    const other =
      'Всем хороших выходных погода в Алматы отличная приходите на концерт в парке вход свободный для всех';
    expect(similarity(minhash(AD)!, minhash(edited)!)).toBeGreaterThanOrEqual(TEXT_SIMILARITY);
    expect(similarity(minhash(AD)!, minhash(other)!)).toBeLessThan(0.2);
    expect(minhash('слишком коротко')).toBeUndefined();
  });
});

describe('dHash', () => {
  it('finds the same picture resized and recompressed, not a different one', async () => {
    const poster = (hue: string, text: string, flip = false) =>
      sharp(
        Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">
          <rect width="800" height="600" fill="${hue}"/><circle cx="${flip ? 580 : 220}" cy="260" r="150" fill="#fff"/>
          <rect x="${flip ? 60 : 430}" y="120" width="280" height="360" fill="#222"/>
          <text x="60" y="560" font-size="64" fill="#000">${text}</text></svg>`),
      )
        .png()
        .toBuffer();
    const photo = await poster('#3a7bd5', 'МЕФ 24/7');
    const resized = await sharp(photo).resize(330).jpeg({ quality: 55 }).toBuffer();
    const other = await poster('#d53a3a', 'Кофейня', true);
    expect(hamming(await dhash(photo), await dhash(resized))).toBeLessThanOrEqual(IMAGE_DISTANCE);
    expect(hamming(await dhash(photo), await dhash(other))).toBeGreaterThan(IMAGE_DISTANCE);
  });
});

describe('near-duplicate linking', () => {
  it('finds every pair within the distance through the bands, whichever bits differ', () => {
    const items = [
      { key: 1, hash: '0000000000000000' },
      { key: 2, hash: '8000000100000001' }, // 3 bits from 1, spread over the bands
      { key: 3, hash: '8000000100000003' }, // 4 bits from 1, 1 bit from 2
      { key: 4, hash: 'ffffffffffffffff' },
    ];
    expect(nearPairs(items, 3).map(([a, b]) => [a, b])).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('joins listings of different channels that repost the same ad, and explains it', () => {
    const shops = linkShops([
      { listingId: 1, sourceUrl: 'https://t.me/s/a', identifiers: [], textSignature: minhash(AD) },
      {
        listingId: 2,
        sourceUrl: 'https://t.me/s/b',
        identifiers: [],
        textSignature: minhash(AD.replace('Медеу', 'Медеу и Турксиб')),
      },
      { listingId: 3, sourceUrl: 'https://t.me/s/c', identifiers: [], imageHashes: ['00000000ffffffff'] },
      { listingId: 4, sourceUrl: 'https://t.me/s/d', identifiers: [], imageHashes: ['00000000fffffff8'] },
    ]);
    expect(shops.map((s) => s.listingIds)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(shops[0]!.identifiers).toEqual([]);
    expect(shops[0]!.evidence[0]!.seen[0]!.where).toMatch(/^near-duplicate text \(~\d+% alike\)$/);
    expect(shops[1]!.evidence[0]!.seen[0]!.where).toMatch(/^same image/);
  });
});

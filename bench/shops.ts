/**
 * Shop linking at scale: 100 000 synthetic listings from 10 000 shops (each with its own channel,
 * bot and wallet, some mirrors, re-posted ads) plus unrelated posts quoting popular handles.
 * Measures identifier extraction, linking, memory, and the incremental cost of one new listing.
 */
import { identifiersIn } from '../src/shops/identifiers.ts';
import { createLinker, type LinkInput } from '../src/shops/link.ts';
import { minhash } from '../src/shops/similarity.ts';

/** A pseudo-random vocabulary of 3 000 syllable words, so unrelated ads are not near-duplicates. */
const SYLLABLES =
  'ка ме фе дро кри ста лл за кла дки го род ра йон опла та бот зак аз ка че ство до став ма гнит при коп от зы вы'.split(
    ' ',
  );
const WORDS = Array.from({ length: 3000 }, (_, i) => {
  let w = '';
  for (let k = 0, s = i * 7 + 3; k < 2 + (i % 3); k++, s = (s * 31 + 7) % 1009)
    w += SYLLABLES[s % SYLLABLES.length];
  return w;
});

/** Listing i of shop i % shops: the shop's own wording (re-posted with edits), bot, wallet and mirror. */
function listing(i: number, shops: number): { text: string; source: string } {
  const shop = i % shops;
  const mirror = (i >> 4) % 3;
  let s = shop * 7919 + 1;
  const words = Array.from({ length: 16 }, (_, k) => {
    s = (s * 48271) % 2147483647;
    return k === i % 16 ? WORDS[(i * 13) % WORDS.length] : WORDS[s % WORDS.length];
  });
  const text = `${words.join(' ')} ${1000 + (i % 50)}₸ пиши @shop${shop}_bot кошелёк 0x${shop.toString(16).padStart(40, '0')} ${i % 97 === 0 ? '@popular_news' : ''}`;
  return { text, source: `https://t.me/s/shop${shop}_m${mirror}` };
}

const mb = (n: number) => Math.round(n / 1e6);

/** Runs the benchmark on `n` listings. */
export function benchShops(n = 100_000) {
  const shops = n / 10;
  const raw = Array.from({ length: n }, (_, i) => listing(i, shops));
  const heap0 = process.memoryUsage().heapUsed;
  let t = performance.now();
  const inputs: LinkInput[] = raw.map((r, i) => ({
    listingId: i + 1,
    sourceUrl: r.source,
    identifiers: identifiersIn(r.text).map((id) => ({ ...id, where: 'text' })),
    textSignature: minhash(r.text),
  }));
  const extractMs = performance.now() - t;
  t = performance.now();
  const linker = createLinker();
  for (const input of inputs.slice(0, -1)) linker.add(input);
  const found = linker.shops();
  const linkMs = performance.now() - t;
  const heap = process.memoryUsage().heapUsed - heap0;
  t = performance.now();
  const last = raw.at(-1)!;
  linker.add({
    ...inputs.at(-1)!,
    identifiers: identifiersIn(last.text).map((id) => ({ ...id, where: 'text' })),
    textSignature: minhash(last.text),
  });
  const oneMs = performance.now() - t;
  t = performance.now();
  linker.shops();
  const readMs = performance.now() - t;
  return [
    { bench: `shops: extract identifiers + MinHash, ${n} listings`, seconds: +(extractMs / 1000).toFixed(2) },
    {
      bench: `shops: link ${n} listings (incremental adds)`,
      seconds: +(linkMs / 1000).toFixed(2),
      shops: found.length,
      'heap MB': mb(heap),
    },
    { bench: 'shops: one more listing (extract + add)', ms: +oneMs.toFixed(3) },
    { bench: 'shops: read all shops after it', ms: +readMs.toFixed(0) },
  ];
}

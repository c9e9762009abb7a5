/**
 * `npm run bench`: every benchmark in one run, so ratios compare like with like.
 * `npm run bench -- score qr` runs only the named ones (score, qr, evidence, shops, crawl, console, fetch).
 */
import { benchConsole } from './console.ts';
import { benchCrawl } from './crawl.ts';
import { benchDistributed } from './distributed.ts';
import { benchEvidence } from './evidence.ts';
import { benchFetch } from './fetch.ts';
import { benchQr } from './qr.ts';
import { benchScore } from './score.ts';
import { benchShops } from './shops.ts';

const all: Record<string, () => Promise<object[]> | object[]> = {
  score: benchScore,
  qr: benchQr,
  evidence: () => benchEvidence(1000),
  shops: () => benchShops(100_000),
  crawl: () => benchCrawl([1000, 5000]),
  console: () => benchConsole(100_000),
  distributed: benchDistributed,
  fetch: () => benchFetch(5000),
};
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(all);
console.log(`node ${process.version}, ${new Date().toISOString()}`);
for (const name of chosen) {
  const bench = all[name];
  if (!bench) throw new Error(`unknown benchmark "${name}": choose from ${Object.keys(all).join(', ')}`);
  console.table(await bench());
}

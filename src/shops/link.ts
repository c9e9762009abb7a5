/**
 * Linking: listings that share a strong identifier, a near-identical text or a re-used picture
 * join one shop (union-find). Incremental: listings are added one at a time, each costing its own
 * identifiers and band look-ups. Identifiers seen in too many sources mean nothing; when one
 * crosses that cut-off the links it made are dropped by a rebuild. Every join can be explained.
 */
import { sha256 } from '../capture/hash.ts';
import {
  bandKeys,
  distance,
  type Halves,
  halvesOf,
  IMAGE_DISTANCE,
  lookupKeys,
  similarity,
  TEXT_SIMILARITY,
} from './similarity.ts';

/** A listing as the linker sees it. */
export interface LinkInput {
  listingId: number;
  sourceUrl: string;
  identifiers: { kind: string; value: string; where: string }[];
  /** MinHash signature of the text (see similarity.ts). */
  textSignature?: Uint32Array;
  /** Difference hashes of the listing's images. */
  imageHashes?: string[];
}

/** A shop: its listings, identifiers, sources, and why they belong together. */
export interface LinkedShop {
  id: string;
  listingIds: number[];
  identifiers: { kind: string; value: string }[];
  sources: string[];
  /** For each identifier or resemblance: the listings it was seen in and where. */
  evidence: { kind: string; value: string; seen: { listingId: number; where: string }[] }[];
}

/** Identifiers seen in more sources than this are too common to link. @default 20 */
export const MAX_SOURCES_PER_IDENTIFIER = 20;

type Seen = { listingId: number; where: string };

/** Entries of one bucket a new fingerprint is compared with at most (a guard against one template posted endlessly). */
const MAX_BUCKET_COMPARISONS = 4096;

/** An incremental linker: `add` listings as they arrive, read `shops()` at any time. */
export function createLinker(maxSources = MAX_SOURCES_PER_IDENTIFIER) {
  let parent = new Map<number, number>();
  const items = new Map<number, LinkInput>();
  const weak = new Set<string>(); // identifiers seen in too many sources
  let seen = new Map<string, Seen[]>(); // identifier key → where it was seen
  let sourcesOf = new Map<string, Set<string>>();
  let similar = new Map<string, Seen[]>(); // resemblances that joined two groups: a spanning forest
  let textBuckets = new Map<number, number[]>();
  let imageBuckets = new Map<number, ({ listingId: number } & Halves)[]>();
  let dirty = false;

  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    while (parent.get(x) !== r) {
      const next = parent.get(x)!;
      parent.set(x, r);
      x = next;
    }
    return r;
  };
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  const strong = (key: string) => !weak.has(key);

  /** Joins `item` to an earlier listing that resembles it, recording the resemblance that joined them. */
  const join = (kind: 'similar-text' | 'same-image', other: number, item: number, where: string) => {
    if (find(other) === find(item)) return;
    union(other, item);
    similar.set(
      `${kind}:${other}~${item}`,
      [other, item].map((listingId) => ({ listingId, where })),
    );
  };

  const resembleText = (item: LinkInput, sig: Uint32Array) => {
    for (const key of bandKeys(sig)) {
      const bucket = textBuckets.get(key);
      if (!bucket) {
        textBuckets.set(key, [item.listingId]);
        continue;
      }
      // A crowded bucket (one template posted endlessly) is compared on its latest entries only.
      for (let n = Math.max(0, bucket.length - MAX_BUCKET_COMPARISONS); n < bucket.length; n++) {
        const other = bucket[n]!;
        const sim = similarity(sig, items.get(other)!.textSignature!);
        if (sim >= TEXT_SIMILARITY)
          join(
            'similar-text',
            other,
            item.listingId,
            `near-duplicate text (~${Math.round(sim * 100)}% alike)`,
          );
      }
      bucket.push(item.listingId);
    }
  };

  const resembleImage = (item: LinkInput, hash: string) => {
    const mine = halvesOf(hash);
    for (const key of lookupKeys(mine, IMAGE_DISTANCE)) {
      const bucket = imageBuckets.get(key);
      if (!bucket) {
        imageBuckets.set(key, [{ listingId: item.listingId, ...mine }]);
        continue;
      }
      for (let n = Math.max(0, bucket.length - MAX_BUCKET_COMPARISONS); n < bucket.length; n++) {
        const other = bucket[n]!;
        const d = distance(mine, other);
        if (d <= IMAGE_DISTANCE && other.listingId !== item.listingId) {
          join('same-image', other.listingId, item.listingId, `same image (${d} of 64 bits differ)`);
        }
      }
      bucket.push({ listingId: item.listingId, ...mine });
    }
  };

  const add = (item: LinkInput) => {
    items.set(item.listingId, item);
    parent.set(item.listingId, item.listingId);
    for (const id of item.identifiers) {
      const key = `${id.kind}:${id.value}`;
      const list = seen.get(key) ?? [];
      list.push({ listingId: item.listingId, where: id.where });
      seen.set(key, list);
      if (weak.has(key)) continue;
      const sources = sourcesOf.get(key) ?? new Set();
      sources.add(item.sourceUrl);
      sourcesOf.set(key, sources);
      if (sources.size > maxSources) {
        weak.add(key); // now too common: the links it made are undone by a rebuild
        dirty = true;
      } else {
        union(list[0]!.listingId, item.listingId);
      }
    }
    if (item.textSignature) resembleText(item, item.textSignature);
    for (const h of item.imageHashes ?? []) resembleImage(item, h);
  };

  /** Adds every listing again, with the identifiers that became too common known from the start. */
  const rebuild = () => {
    const all = [...items.values()];
    parent = new Map();
    items.clear();
    seen = new Map();
    sourcesOf = new Map();
    similar = new Map();
    textBuckets = new Map();
    imageBuckets = new Map();
    dirty = false;
    for (const item of all) add(item);
  };

  const shops = (): LinkedShop[] => {
    if (dirty) rebuild();
    const groups = new Map<number, number[]>();
    for (const id of items.keys()) {
      const root = find(id);
      const group = groups.get(root);
      if (group) group.push(id);
      else groups.set(root, [id]);
    }
    const evidenceOf = new Map<number, LinkedShop['evidence']>();
    const note = (kind: string, value: string, list: Seen[]) => {
      const root = find(list[0]!.listingId);
      const known = evidenceOf.get(root);
      if (known) known.push({ kind, value, seen: list });
      else evidenceOf.set(root, [{ kind, value, seen: list }]);
    };
    for (const [key, list] of seen) {
      if (!strong(key)) continue;
      const at = key.indexOf(':');
      note(key.slice(0, at), key.slice(at + 1), list);
    }
    for (const [key, pair] of similar) {
      const at = key.indexOf(':');
      note(key.slice(0, at), key.slice(at + 1), pair);
    }
    return [...groups].map(([root, ids]) => {
      const evidence = (evidenceOf.get(root) ?? []).sort((a, b) =>
        a.kind + a.value < b.kind + b.value ? -1 : 1,
      );
      const real = evidence.filter((e) => e.kind !== 'similar-text' && e.kind !== 'same-image');
      return {
        id: `s${sha256(real[0] ? `${real[0].kind}:${real[0].value}` : `listing:${root}`).slice(0, 11)}`,
        listingIds: ids.sort((a, b) => a - b),
        identifiers: real.map(({ kind, value }) => ({ kind, value })),
        sources: [...new Set(ids.map((id) => items.get(id)!.sourceUrl))].sort(),
        evidence,
      };
    });
  };

  return { add, shops };
}

/** Groups listings into shops in one go. */
export function linkShops(items: LinkInput[], maxSources = MAX_SOURCES_PER_IDENTIFIER): LinkedShop[] {
  const linker = createLinker(maxSources);
  for (const item of items) linker.add(item);
  return linker.shops();
}

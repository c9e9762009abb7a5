/** What a bundle lacks before it may leave in a packet: proofs (files, hashes, custody) and confirmations. */
import type { BlobStore } from '../capture/blobs.ts';
import type { ChainedEvent } from '../custody/chain.ts';
import { findBrokenLink } from '../custody/chain.ts';
import type { BundleDetail } from '../review/bundle-queries.ts';

/** Files every exported bundle must have. */
export const REQUIRED_FILES = ['bundle.json', 'page.html', 'screenshot.png', 'text.txt'];

/** The list of what `b` lacks (empty when it is ready to export). */
export async function missingProofs(
  b: BundleDetail,
  events: ChainedEvent[],
  blobs: BlobStore,
  confirmations: number,
): Promise<string[]> {
  const missing: string[] = [];
  const names = new Set(b.artifacts.map((a) => a.name));
  for (const name of REQUIRED_FILES) if (!names.has(name)) missing.push(`no ${name}`);
  for (const a of b.artifacts) {
    try {
      await blobs.get(a.sha256);
    } catch (err) {
      missing.push(`${a.name}: ${(err as Error).message}`);
    }
  }
  const chain = events.filter((e) => e.chain === b.bundle.id);
  const captured = chain.find((e) => e.event === 'captured');
  if (!captured) missing.push('no captured event in the custody log');
  const recorded = (captured?.data.artifacts ?? {}) as Record<string, string>;
  for (const a of b.artifacts) {
    if (captured && recorded[a.name] !== a.sha256)
      missing.push(`${a.name}: hash differs from the custody log`);
  }
  const broken = findBrokenLink(chain);
  if (broken) missing.push(`custody chain broken: ${broken}`);
  const confirmers = new Set(b.reviews.filter((r) => r.decision === 'confirm').map((r) => r.reviewer));
  if (b.status !== 'confirmed') {
    missing.push(
      `status ${b.status}, ${Math.min(confirmers.size, confirmations)} of ${confirmations} confirmations`,
    );
  }
  return missing;
}

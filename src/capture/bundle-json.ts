/** bundle.json: what was captured, from where, when, how, and why — with every artifact's hash. */
import type { Detection, Listing, Page, Source } from '../../db/schema.ts';
import { dozorVersion } from '../config/version.ts';
import { sha256 } from './hash.ts';

/** Everything bundle.json describes. */
export interface BundleFacts {
  id: string;
  listing: Listing;
  page: Page;
  detection: Detection;
  source?: Source;
  codes: {
    url: string;
    imageSha256: string;
    text: string | null;
    kind: string | null;
    target: string | null;
  }[];
  parent?: string;
  title?: string;
  files: { name: string; bytes: Uint8Array; mime: string }[];
}

/** The bundle.json object (snake_case keys, as written to the packet). */
export function bundleJsonOf(f: BundleFacts) {
  return {
    id: f.id,
    created_at: new Date().toISOString(),
    dozor_version: dozorVersion(),
    reason: f.detection.flagged ? 'flagged' : 'target of a bundled listing',
    parent_bundle: f.parent ?? null,
    listing: {
      permalink: f.listing.permalink,
      posted_at: f.listing.postedAt,
      text_sha256: f.listing.textSha256,
      links: f.listing.links,
    },
    channel: f.source
      ? {
          url: f.source.url,
          kind: f.source.kind,
          title: f.title ?? null,
          discovered_via: f.source.discoveredVia,
        }
      : null,
    page: {
      url: f.page.url,
      final_url: f.page.finalUrl,
      redirects: f.page.redirects,
      status: f.page.status,
      headers: f.page.headers,
      resolved_ip: f.page.resolvedIp,
      tls: f.page.tls,
      fetched_at: f.page.fetchedAt.toISOString(),
      body_sha256: f.page.bodySha256,
    },
    detection: {
      verdict: f.detection.verdict,
      flagged: f.detection.flagged,
      score: f.detection.score,
      rule_pack_version: f.detection.rulePackVersion,
      matches: f.detection.matches,
    },
    images: f.codes.map((c) => ({
      url: c.url,
      sha256: c.imageSha256,
      qr: c.text ? { text: c.text, kind: c.kind, target: c.target } : null,
    })),
    artifacts: f.files.map((a) => ({
      name: a.name,
      sha256: sha256(a.bytes),
      size: a.bytes.length,
      mime: a.mime,
    })),
  };
}

/**
 * `dozor verify`: checks a packet's payload and tag manifests, its signature, the custody chains
 * it carries, and that each bundle's files are the ones its `captured` event recorded.
 */
import { createPublicKey, webcrypto } from 'node:crypto';
import { sha256 } from '../capture/hash.ts';
import { type ChainedEvent, findBrokenLink } from '../custody/chain.ts';
import { parseManifest } from './bagit.ts';
import { fingerprintOf, verifyBytes } from './signing.ts';
import { unzipPacket } from './unzip-packet.ts';

/** The verdict on a packet: ok only when `problems` is empty. */
export interface VerifyResult {
  ok: boolean;
  problems: string[];
  bundles: number;
  fingerprint?: string;
}

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : '');
const UNSIGNED = new Set(['tagmanifest-sha256.txt', 'tagmanifest-sha256.txt.sig']);

/** Each file's hash is computed once, however many checks need it (manifests, custody). */
const hashes = new WeakMap<Uint8Array, string>();
function hashOnce(bytes: Uint8Array): string {
  let h = hashes.get(bytes);
  if (h === undefined) {
    h = sha256(bytes);
    hashes.set(bytes, h);
  }
  return h;
}

/** Verifies packet bytes; rejects only when the input is not a readable packet ZIP. */
export async function verifyPacket(zip: Uint8Array): Promise<VerifyResult> {
  const files = unzipPacket(zip);
  // Hash every file up front on the thread pool (WebCrypto runs off the main thread, on every core).
  await Promise.all(
    [...files.values()].map(async (bytes) => {
      hashes.set(bytes, Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex'));
    }),
  );
  const problems: string[] = [];
  if (
    !/^BagIt-Version: 1\.0\r?\nTag-File-Character-Encoding: UTF-8\r?\n?$/.test(text(files.get('bagit.txt')))
  ) {
    problems.push('bagit.txt: missing or not a BagIt 1.0 declaration');
  }
  problems.push(...checkManifest(files, 'manifest-sha256.txt', (p) => p.startsWith('data/')));
  problems.push(
    ...checkManifest(files, 'tagmanifest-sha256.txt', (p) => !p.startsWith('data/') && !UNSIGNED.has(p)),
  );

  let fingerprint: string | undefined;
  const pem = text(files.get('signer.pub.pem'));
  const sig = files.get('tagmanifest-sha256.txt.sig');
  const tagManifest = files.get('tagmanifest-sha256.txt');
  if (!pem || !sig || !tagManifest) {
    problems.push('signature: signer.pub.pem, tagmanifest-sha256.txt or its .sig is missing');
  } else if (!verifyBytes(pem, tagManifest, sig)) {
    problems.push('signature: tagmanifest-sha256.txt.sig is not a valid signature of tagmanifest-sha256.txt');
  } else {
    fingerprint = fingerprintOf(createPublicKey(pem));
  }

  const { problems: custodyProblems, bundles } = checkCustody(files);
  problems.push(...custodyProblems);
  return { ok: problems.length === 0, problems, bundles, fingerprint };
}

/** Every listed file present with its hash, and every file in scope listed. */
function checkManifest(
  files: Map<string, Uint8Array>,
  name: string,
  inScope: (p: string) => boolean,
): string[] {
  const raw = files.get(name);
  if (!raw) return [`${name}: missing`];
  let entries: Map<string, string>;
  try {
    entries = parseManifest(text(raw), name);
  } catch (err) {
    return [(err as Error).message];
  }
  const problems: string[] = [];
  for (const [path, hash] of entries) {
    const bytes = files.get(path);
    if (!bytes) problems.push(`missing file: ${path} (listed in ${name})`);
    else if (hashOnce(bytes) !== hash)
      problems.push(`changed file: ${path} (its SHA-256 differs from ${name})`);
  }
  for (const path of files.keys()) {
    if (inScope(path) && path !== name && !entries.has(path))
      problems.push(`extra file: ${path} (not in ${name})`);
  }
  return problems;
}

/** The custody chains hold, and each bundle's files match its `captured` event. */
function checkCustody(files: Map<string, Uint8Array>): { problems: string[]; bundles: number } {
  const raw = files.get('data/custody.jsonl');
  if (!raw) return { problems: ['custody: data/custody.jsonl is missing'], bundles: 0 };
  let events: ChainedEvent[];
  try {
    events = text(raw)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ChainedEvent);
  } catch {
    return { problems: ['custody: data/custody.jsonl is not valid JSON lines'], bundles: 0 };
  }
  const problems: string[] = [];
  const broken = findBrokenLink(events);
  if (broken) problems.push(`custody: broken chain: ${broken}`);
  const ids = new Set([...files.keys()].flatMap((p) => /^data\/bundles\/([^/]+)\//.exec(p)?.[1] ?? []));
  for (const id of ids) {
    const captured = events.find((e) => e.chain === id && e.event === 'captured');
    const recorded = captured?.data.artifacts as Record<string, string> | undefined;
    if (!recorded) {
      problems.push(`custody: bundle ${id} has no captured event`);
      continue;
    }
    for (const [name, hash] of Object.entries(recorded)) {
      const bytes = files.get(`data/bundles/${id}/${name}`);
      if (!bytes) problems.push(`custody: bundle ${id} lacks ${name}, recorded when captured`);
      else if (hashOnce(bytes) !== hash)
        problems.push(`custody: bundle ${id}/${name} differs from what was captured`);
    }
  }
  return { problems, bundles: ids.size };
}

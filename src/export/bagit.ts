/** BagIt (RFC 8493) bag assembly: declaration, payload manifest and tag manifest. */
import { sha256 } from '../capture/hash.ts';

/** A file of the bag, by its path inside the bag. */
export type BagFiles = Map<string, Uint8Array>;

const utf8 = (s: string) => Buffer.from(s, 'utf8');

/** `sha256sum`-compatible manifest lines for the given paths. */
export function manifestOf(files: BagFiles, paths: string[]): string {
  return paths
    .sort()
    .map((p) => `${sha256(files.get(p)!)}  ${p}\n`)
    .join('');
}

/**
 * Adds bagit.txt, bag-info.txt, manifest-sha256.txt and tagmanifest-sha256.txt to `files`, whose
 * payload paths start with `data/`. Extra tag files (already in `files`) go in the tag manifest.
 */
export function completeBag(files: BagFiles, info: Record<string, string>): BagFiles {
  const payload = [...files.keys()].filter((p) => p.startsWith('data/'));
  const octets = payload.reduce((n, p) => n + files.get(p)!.length, 0);
  files.set('bagit.txt', utf8('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'));
  const fields = {
    ...info,
    'Payload-Oxum': `${octets}.${payload.length}`,
    'Bagging-Date': new Date().toISOString().slice(0, 10),
  };
  files.set(
    'bag-info.txt',
    utf8(
      Object.entries(fields)
        .map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}\n`)
        .join(''),
    ),
  );
  files.set('manifest-sha256.txt', utf8(manifestOf(files, payload)));
  const tags = [...files.keys()].filter((p) => !p.startsWith('data/'));
  files.set('tagmanifest-sha256.txt', utf8(manifestOf(files, tags)));
  return files;
}

/** Parses `hash  path` manifest lines; returns path → hash, or throws on a malformed line. */
export function parseManifest(text: string, name: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) throw new Error(`${name} line ${i + 1} is not "<sha256>  <path>"`);
    entries.set(m[2]!, m[1]!);
  }
  return entries;
}

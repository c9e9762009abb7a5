/** Reads a packet ZIP into memory safely: size and ratio limits, no absolute or `..` paths. */
import { unzipSync } from 'fflate';

/** Limits on what a packet may unpack to. */
const MAX_TOTAL = 2 * 1024 ** 3;
const MAX_FILES = 200_000;
const MAX_RATIO = 200;

/** The packet's files by path relative to the bag root (the single top folder is removed). */
export function unzipPacket(zip: Uint8Array): Map<string, Uint8Array> {
  if (zip.length < 4 || zip[0] !== 0x50 || zip[1] !== 0x4b) throw new Error('not a ZIP file');
  let total = 0;
  let count = 0;
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip, {
      filter: (f) => {
        if (f.name.startsWith('/') || /^[a-z]:/i.test(f.name) || f.name.split(/[/\\]/).includes('..')) {
          throw new Error(`unsafe path in ZIP: ${f.name}`);
        }
        total += f.originalSize;
        count++;
        if (count > MAX_FILES) throw new Error(`too many files in ZIP (over ${MAX_FILES})`);
        if (total > MAX_TOTAL) throw new Error('ZIP unpacks to more than 2 GiB');
        if (f.size > 0 && f.originalSize / f.size > MAX_RATIO && f.originalSize > 1024 ** 2) {
          throw new Error(`ZIP entry ${f.name} is compressed suspiciously well (a ZIP bomb?)`);
        }
        return true;
      },
    });
  } catch (err) {
    throw new Error(`cannot read the packet: ${(err as Error).message}`, { cause: err });
  }
  const names = Object.keys(entries).filter((n) => !n.endsWith('/'));
  const tops = new Set(names.map((n) => n.split('/')[0]));
  const strip = tops.size === 1 && names.every((n) => n.includes('/')) ? `${[...tops][0]}/` : '';
  return new Map(names.map((n) => [n.slice(strip.length), entries[n]!]));
}

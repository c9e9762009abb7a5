/**
 * Content-addressed, write-once blob store on the filesystem: a blob's name is its SHA-256, and
 * its bytes are re-hashed on every read.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../../db/client.ts';
import { sha256 } from './hash.ts';
import { pgBlobStore } from './pg-blobs.ts';

/** Where blobs are kept and how to reach them. */
export interface BlobStore {
  /** Stores bytes (once) and returns their SHA-256. */
  put(bytes: Uint8Array): Promise<string>;
  /** Reads a blob; throws if it is missing or its bytes no longer match its hash. */
  get(hash: string): Promise<Buffer>;
}

/** A blob store in `dir`, two levels of fan-out by hash prefix. */
export function fileBlobStore(dir: string): BlobStore {
  const pathOf = (hash: string) => join(dir, hash.slice(0, 2), hash.slice(2, 4), hash);
  return {
    async put(bytes) {
      const hash = sha256(bytes);
      const path = pathOf(hash);
      if (existsSync(path)) return hash;
      await mkdir(join(dir, hash.slice(0, 2), hash.slice(2, 4)), { recursive: true });
      const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(tmp, bytes, { mode: 0o444 });
      await rename(tmp, path);
      return hash;
    },
    async get(hash) {
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`not a blob hash: ${hash}`);
      const bytes = await readFile(pathOf(hash)).catch((err) => {
        throw new Error(`blob ${hash} is missing from ${dir}`, { cause: err });
      });
      if (sha256(bytes) !== hash) throw new Error(`blob ${hash} is corrupt: its bytes no longer match`);
      return bytes;
    },
  };
}

/**
 * The blob store for a run: in Postgres when the database is Postgres (every worker reaches it;
 * local files under `home` stay readable), else files under `home/blobs`.
 */
export function blobStoreFor(config: { home: string; databaseUrl?: string }, db: Db): BlobStore {
  const files = fileBlobStore(join(config.home, 'blobs'));
  return config.databaseUrl ? pgBlobStore(db, files) : files;
}

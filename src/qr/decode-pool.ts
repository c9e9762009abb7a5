/**
 * QR decoding off the event loop: a pool of worker threads running decodeImage. A decode that
 * hangs past the time limit becomes an ImageError for that image, and its worker is replaced.
 */
import { availableParallelism } from 'node:os';
import type { DecodedImage } from './decode-image.ts';
import { ImageError } from './decode-image.ts';
import type { DecodeRequest } from './decode-worker.ts';
import { createWorkerPool, WorkerTimeoutError } from './worker-pool.ts';

/** Decodes images in worker threads. */
export interface DecodePool {
  decode(bytes: Uint8Array, opts?: { hangMs?: number }): Promise<DecodedImage>;
  close(): Promise<void>;
  readonly started: number;
}

/** Options of a decode pool. */
export interface DecodePoolOptions {
  /** Worker threads. @default min(2, available cores) */
  size?: number;
  /** Hard limit per image, worker killed past it. @default 20000 */
  timeoutMs?: number;
  /** The decoder's own soft deadline per image. @default 3000 (decode-image.ts) */
  deadlineMs?: number;
}

/** Starts a pool of decoding workers (lazily: no thread until the first image). */
export function createDecodePool(opts: DecodePoolOptions = {}): DecodePool {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const pool = createWorkerPool({
    entry: new URL('./decode-worker.mjs', import.meta.url),
    size: opts.size ?? Math.max(1, Math.min(2, availableParallelism())),
    timeoutMs,
  });
  return {
    async decode(bytes, extra = {}) {
      const copy = new Uint8Array(bytes); // a copy, transferred to the worker: the caller keeps its bytes
      const req: DecodeRequest = { bytes: copy, deadlineMs: opts.deadlineMs, hangMs: extra.hangMs };
      try {
        return await pool.run<DecodedImage>(req, [copy.buffer as ArrayBuffer]);
      } catch (err) {
        if (err instanceof WorkerTimeoutError) {
          throw new ImageError(`decoding timed out after ${timeoutMs} ms`, { cause: err });
        }
        if ((err as Error).name === 'ImageError')
          throw new ImageError((err as Error).message, { cause: err });
        throw err;
      }
    },
    close: () => pool.close(),
    get started() {
      return pool.started;
    },
  };
}

let shared: DecodePool | undefined;

/** The process-wide pool the QR stage uses, started on first use. */
export function sharedDecodePool(): DecodePool {
  shared ??= createDecodePool();
  return shared;
}

/** Terminates the process-wide pool's workers (a later use starts a new pool). */
export async function closeSharedDecodePool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}

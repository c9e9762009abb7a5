/** Worker thread body: decodes the images it is sent (see decode-pool.ts). */
import { parentPort } from 'node:worker_threads';
import { decodeImage } from './decode-image.ts';
import type { WorkerReply } from './worker-pool.ts';

/** What the pool sends: the image bytes and the decoder's deadline. */
export interface DecodeRequest {
  bytes: Uint8Array;
  deadlineMs?: number;
  /** Tests only: block the thread this many ms first (a hung decode). */
  hangMs?: number;
}

parentPort?.on('message', async ({ id, input }: { id: number; input: DecodeRequest }) => {
  let reply: WorkerReply;
  try {
    if (input.hangMs) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, input.hangMs);
    reply = { id, ok: true, value: await decodeImage(input.bytes, { deadlineMs: input.deadlineMs }) };
  } catch (err) {
    const e = err as Error;
    reply = { id, ok: false, error: { name: e.name, message: e.message } };
  }
  parentPort?.postMessage(reply);
});

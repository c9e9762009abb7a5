/**
 * A small pool of worker threads running one job each at a time. A job that takes longer than
 * `timeoutMs` is rejected and its worker terminated and replaced, so a hung job never hangs the
 * caller. Idle workers are unref'd: an unclosed pool does not keep the process alive.
 */
import { Worker } from 'node:worker_threads';

/** Options of a pool. */
export interface WorkerPoolOptions {
  /** The worker's entry module (plain JS, or a bootstrap that loads TypeScript). */
  entry: URL;
  /** Workers at most. */
  size: number;
  /** Per-job time limit in ms. */
  timeoutMs: number;
  /** Passed to each worker as `workerData`. */
  workerData?: unknown;
}

/** A job that ran out of time; its worker was replaced. */
export class WorkerTimeoutError extends Error {
  override name = 'WorkerTimeoutError';
}

/** What a worker answers: `{ id, ok: true, value }` or `{ id, ok: false, error: { name, message } }`. */
export type WorkerReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

interface Job {
  id: number;
  input: unknown;
  transfer: ArrayBuffer[];
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

/** A pool of workers; `run` queues a job, `close` terminates every worker. */
export interface WorkerPool {
  run<O>(input: unknown, transfer?: ArrayBuffer[]): Promise<O>;
  close(): Promise<void>;
  /** Workers started so far, replacements included (for tests). */
  readonly started: number;
}

/** Starts a pool; workers are created lazily, up to `size`. */
export function createWorkerPool(opts: WorkerPoolOptions): WorkerPool {
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let started = 0;
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(opts.entry, { workerData: opts.workerData });
    started++;
    const slot: Slot = { worker };
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const job = slot.job;
      if (!job || job.id !== reply.id) return;
      finish(slot);
      if (reply.ok) job.resolve(reply.value);
      else job.reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
      pump();
    });
    const lost = (err: Error) => {
      const job = slot.job;
      remove(slot);
      if (job) job.reject(new Error(`worker failed: ${err.message}`, { cause: err }));
      pump();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (slots.includes(slot)) lost(new Error(`worker exited with code ${code}`));
    });
    slots.push(slot);
    return slot;
  };

  const remove = (slot: Slot) => {
    clearTimeout(slot.timer);
    slot.job = undefined;
    const i = slots.indexOf(slot);
    if (i >= 0) slots.splice(i, 1);
  };

  const finish = (slot: Slot) => {
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.worker.unref();
  };

  const pump = () => {
    while (!closed && queue.length) {
      const slot = slots.find((s) => !s.job) ?? (slots.length < opts.size ? spawn() : undefined);
      if (!slot) return;
      const job = queue.shift()!;
      slot.job = job;
      slot.worker.ref();
      slot.timer = setTimeout(() => {
        remove(slot);
        void slot.worker.terminate();
        job.reject(new WorkerTimeoutError(`timed out after ${opts.timeoutMs} ms`));
        pump();
      }, opts.timeoutMs);
      slot.worker.postMessage({ id: job.id, input: job.input }, job.transfer);
    }
  };

  return {
    run<O>(input: unknown, transfer: ArrayBuffer[] = []) {
      if (closed) return Promise.reject(new Error('worker pool is closed'));
      return new Promise<O>((resolve, reject) => {
        queue.push({ id: nextId++, input, transfer, resolve: resolve as (v: unknown) => void, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('worker pool is closed'));
      const all = slots.splice(0);
      for (const s of all) {
        clearTimeout(s.timer);
        s.job?.reject(new Error('worker pool is closed'));
      }
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
    get started() {
      return started;
    },
  };
}

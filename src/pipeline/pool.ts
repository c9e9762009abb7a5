/** A tiny bounded-concurrency task pool for the in-process runner. */

/** Runs added tasks with at most `limit` at once; `drain()` resolves when all (and their children) are done. */
export function createPool(limit: number) {
  let active = 0;
  const waiting: (() => Promise<void>)[] = [];
  let idle: (() => void) | undefined;
  const next = () => {
    while (active < limit && waiting.length) {
      const task = waiting.shift()!;
      active++;
      task().finally(() => {
        active--;
        next();
      });
    }
    if (active === 0 && waiting.length === 0) idle?.();
  };
  return {
    /** Queues a task; its errors must be handled inside it. */
    add(task: () => Promise<void>) {
      waiting.push(task);
      queueMicrotask(next);
    },
    drain() {
      return new Promise<void>((resolve) => {
        idle = resolve;
        queueMicrotask(next);
      });
    },
  };
}

/**
 * Politeness per host: at most N requests in flight and a minimum delay between request starts.
 * An interface with an in-memory implementation here; a shared (Redis) one can implement the same
 * interface for many workers.
 */

/** Grants permission to send a request to a host; call the returned function when it is done. */
export interface HostLimiter {
  /** Waits for a slot for `host`; resolves with a release function (safe to call twice). */
  acquire(host: string): Promise<() => void>;
}

/** Options of the in-memory limiter. */
export interface MemoryHostLimiterOptions {
  /** Requests in flight per host. @default 2 */
  concurrency?: number;
  /** Minimum time between the starts of two requests to the same host, in ms. @default 250 */
  delayMs?: number;
  now?: () => number;
}

interface HostState {
  active: number;
  nextStart: number;
  waiting: ((release: () => void) => void)[];
  timer?: NodeJS.Timeout;
}

/** An in-process HostLimiter (one crawl process). */
export function createMemoryHostLimiter(opts: MemoryHostLimiterOptions = {}): HostLimiter {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const delayMs = Math.max(0, opts.delayMs ?? 250);
  const now = opts.now ?? Date.now;
  const hosts = new Map<string, HostState>();

  const pump = (host: string, s: HostState) => {
    while (s.active < concurrency && s.waiting.length > 0) {
      const wait = s.nextStart - now();
      if (wait > 0) {
        if (!s.timer) {
          s.timer = setTimeout(() => {
            s.timer = undefined;
            pump(host, s);
          }, wait);
        }
        return;
      }
      const grant = s.waiting.shift()!;
      s.active++;
      s.nextStart = now() + delayMs;
      let released = false;
      grant(() => {
        if (released) return;
        released = true;
        s.active--;
        pump(host, s);
      });
    }
    // Forget idle hosts whose delay has passed, so a crawl of many hosts does not grow the map.
    if (s.active === 0 && s.waiting.length === 0 && !s.timer && s.nextStart <= now()) hosts.delete(host);
  };

  const sweep = () => {
    for (const [host, s] of hosts) {
      if (s.active === 0 && s.waiting.length === 0 && !s.timer && s.nextStart <= now()) hosts.delete(host);
    }
  };

  return {
    acquire(host) {
      const key = host.toLowerCase();
      if (hosts.size > 1000) sweep();
      let s = hosts.get(key);
      if (!s) {
        s = { active: 0, nextStart: 0, waiting: [] };
        hosts.set(key, s);
      }
      const state = s;
      return new Promise((resolve) => {
        state.waiting.push(resolve);
        pump(key, state);
      });
    },
  };
}

/**
 * Politeness per host: at most N requests in flight and a minimum delay between request starts.
 * An interface with an in-memory implementation here; a shared (Redis) one can implement the same
 * interface for many workers.
 */

/** Grants permission to send a request to a host; call the returned function when it is done. */
export interface HostLimiter {
  /**
   * Waits for a slot for `host`; resolves with a release function (safe to call twice).
   * `delayMs` asks for a longer gap before this request (a robots.txt Crawl-delay).
   */
  acquire(host: string, opts?: { delayMs?: number }): Promise<() => void>;
}

/** Options of the in-memory limiter. */
export interface MemoryHostLimiterOptions {
  /** Requests in flight per host. @default 2 */
  concurrency?: number;
  /** Minimum time between the starts of two requests to the same host, in ms. @default 250 */
  delayMs?: number;
  /** Longest per-request delay granted to a host's Crawl-delay, in ms. @default 10000 */
  maxDelayMs?: number;
  now?: () => number;
}

interface HostState {
  active: number;
  nextStart: number;
  waiting: { grant: (release: () => void) => void; delayMs: number }[];
  timer?: NodeJS.Timeout;
}

/** An in-process HostLimiter (one crawl process). */
export function createMemoryHostLimiter(opts: MemoryHostLimiterOptions = {}): HostLimiter {
  const concurrency = Math.max(1, opts.concurrency ?? 2);
  const delayMs = Math.max(0, opts.delayMs ?? 250);
  const now = opts.now ?? Date.now;
  const maxGrantedDelay = opts.maxDelayMs ?? 10_000;
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
      const { grant, delayMs: gap } = s.waiting.shift()!;
      s.active++;
      s.nextStart = now() + gap;
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
    acquire(host, opts) {
      const key = host.toLowerCase();
      if (hosts.size > 1000) sweep();
      let s = hosts.get(key);
      if (!s) {
        s = { active: 0, nextStart: 0, waiting: [] };
        hosts.set(key, s);
      }
      const state = s;
      return new Promise((resolve) => {
        const gap = Math.max(delayMs, Math.min(opts?.delayMs ?? 0, maxGrantedDelay));
        state.waiting.push({ grant: resolve, delayMs: gap });
        pump(key, state);
      });
    },
  };
}

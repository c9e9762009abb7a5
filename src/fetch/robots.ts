/**
 * robots.txt (RFC 9309): parsing, matching (longest match wins, Allow on a tie, `*` and `$`), and
 * a per-origin cache with a TTL. An unreachable or failing (5xx) robots.txt means "disallow all for
 * a while"; a missing one (4xx) means "allow all".
 */

/** The rules of one user-agent group. */
interface Rule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}

/** A parsed robots.txt: its groups keyed by lower-case user-agent token. */
export interface Robots {
  groups: Map<string, Rule[]>;
  /** Crawl-delay per user-agent token, in ms (non-standard, reported only). */
  crawlDelays: Map<string, number>;
}

/** What the cache answers for one URL. */
export interface RobotsVerdict {
  allowed: boolean;
  /** Why, in one line, when not allowed. */
  reason?: string;
  /** The group's Crawl-delay, in ms, when it has one. */
  crawlDelayMs?: number;
}

/** The largest robots.txt read; the rest is ignored (RFC 9309 asks for at least 500 KiB). */
export const ROBOTS_MAX_BYTES = 512 * 1024;

/** Parses robots.txt text into groups; never throws, unknown lines are ignored. */
export function parseRobots(text: string): Robots {
  const groups = new Map<string, Rule[]>();
  const crawlDelays = new Map<string, number>();
  let agents: string[] = [];
  let inRules = false;
  for (const raw of text.slice(0, ROBOTS_MAX_BYTES).split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (key === 'user-agent') {
      if (inRules) agents = [];
      inRules = false;
      const token = value.toLowerCase();
      agents.push(token);
      if (!groups.has(token)) groups.set(token, []);
    } else if (key === 'allow' || key === 'disallow') {
      inRules = true;
      if (!value) continue; // an empty Disallow allows everything: no rule
      const rule = { allow: key === 'allow', pattern: value, regex: patternRegex(value) };
      for (const a of agents) groups.get(a)!.push(rule);
    } else if (key === 'crawl-delay') {
      inRules = true;
      const seconds = Number(value);
      if (Number.isFinite(seconds) && seconds >= 0) {
        for (const a of agents) crawlDelays.set(a, Math.round(seconds * 1000));
      }
    }
  }
  return { groups, crawlDelays };
}

/** A robots pattern as an anchored regex: `*` is any run of characters, a final `$` ends the path. */
function patternRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = normalizePath(anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

/** Percent-encodes what a URL parser would (non-ASCII, spaces), so patterns and paths compare alike. */
function normalizePath(path: string): string {
  return path.replace(/[^\x21-\x7e]/g, (c) => encodeURIComponent(c));
}

/** The product token of a User-Agent string: `Dozor/0.1 (+https://…)` → `dozor`. */
export function productToken(userAgent: string): string {
  return (/^[A-Za-z_-]+/.exec(userAgent.trim())?.[0] ?? '*').toLowerCase();
}

/** Whether `robots` lets `userAgent` fetch `url` (path and query), and the group's crawl delay. */
export function robotsAllows(robots: Robots, userAgent: string, url: string): RobotsVerdict {
  const u = new URL(url);
  const path = `${u.pathname}${u.search}`;
  if (u.pathname === '/robots.txt') return { allowed: true };
  const token = productToken(userAgent);
  const key = robots.groups.has(token) ? token : robots.groups.has('*') ? '*' : undefined;
  if (!key) return { allowed: true };
  const crawlDelayMs = robots.crawlDelays.get(key);
  let best: Rule | undefined;
  for (const rule of robots.groups.get(key)!) {
    if (!rule.regex.test(path)) continue;
    if (
      !best ||
      rule.pattern.length > best.pattern.length ||
      (rule.pattern.length === best.pattern.length && rule.allow)
    ) {
      best = rule;
    }
  }
  const allowed = !best || best.allow;
  return {
    allowed,
    ...(allowed ? {} : { reason: `robots.txt of ${u.host} disallows ${path} (rule "${best!.pattern}")` }),
    ...(crawlDelayMs !== undefined ? { crawlDelayMs } : {}),
  };
}

/** How the cache gets a robots.txt: the status and body, or a thrown error when unreachable. */
export type RobotsFetcher = (robotsUrl: string) => Promise<{ status: number; body: Buffer }>;

/** Options of the robots cache. */
export interface RobotsCacheOptions {
  fetch: RobotsFetcher;
  userAgent: string;
  /** How long a fetched robots.txt is trusted, in ms. @default 24 h */
  ttlMs?: number;
  /** How long a 5xx or unreachable robots.txt blocks the host before the next try, in ms. @default 10 min */
  errorTtlMs?: number;
  /** Origins remembered at most. @default 10000 */
  maxEntries?: number;
  now?: () => number;
}

/** A per-origin robots.txt cache. */
export interface RobotsCache {
  /** Whether the configured user agent may fetch `url`. */
  check(url: string): Promise<RobotsVerdict>;
}

interface Entry {
  robots?: Robots;
  /** Set when robots.txt could not be read: everything is disallowed with this reason. */
  failure?: string;
  expires: number;
}

/** Creates a robots.txt cache that fetches each origin's file once per TTL (concurrent checks share one fetch). */
export function createRobotsCache(opts: RobotsCacheOptions): RobotsCache {
  const now = opts.now ?? Date.now;
  const entries = new Map<string, Entry>();
  const pending = new Map<string, Promise<Entry>>();
  const maxEntries = opts.maxEntries ?? 10_000;

  const load = async (origin: string, stale?: Entry): Promise<Entry> => {
    const robotsUrl = `${origin}/robots.txt`;
    try {
      const res = await opts.fetch(robotsUrl);
      if (res.status >= 200 && res.status < 300) {
        const text = res.body.subarray(0, ROBOTS_MAX_BYTES).toString('utf8');
        return { robots: parseRobots(text), expires: now() + (opts.ttlMs ?? 86_400_000) };
      }
      if (res.status >= 400 && res.status < 500) {
        return { robots: parseRobots(''), expires: now() + (opts.ttlMs ?? 86_400_000) };
      }
      return failed(`${robotsUrl} answered HTTP ${res.status}`, stale);
    } catch (err) {
      return failed(`${robotsUrl} is unreachable (${(err as Error).message})`, stale);
    }
  };
  const failed = (why: string, stale?: Entry): Entry => {
    const expires = now() + (opts.errorTtlMs ?? 600_000);
    // RFC 9309 §2.4: a crawler may keep using the last good copy while the file is unreachable.
    if (stale?.robots) return { robots: stale.robots, expires };
    return { failure: `${why}: the host is treated as disallowed for now`, expires };
  };

  const entryFor = async (origin: string): Promise<Entry> => {
    const cached = entries.get(origin);
    if (cached && cached.expires > now()) return cached;
    let p = pending.get(origin);
    if (!p) {
      p = load(origin, cached).then((e) => {
        entries.delete(origin);
        entries.set(origin, e);
        if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
        return e;
      });
      pending.set(origin, p);
      p.finally(() => pending.delete(origin)).catch(() => {});
    }
    return p;
  };

  return {
    async check(url) {
      const u = new URL(url);
      if (u.pathname === '/robots.txt') return { allowed: true };
      const entry = await entryFor(u.origin);
      if (entry.failure) return { allowed: false, reason: entry.failure };
      return robotsAllows(entry.robots!, opts.userAgent, url);
    },
  };
}

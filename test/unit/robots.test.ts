/** robots.txt per RFC 9309: groups, longest match, wildcards, and what a failing robots.txt means. */
import { describe, expect, it } from 'vitest';
import { createRobotsCache, parseRobots, productToken, robotsAllows } from '../../src/fetch/robots.ts';

const UA = 'Dozor/0.1 (+https://example.org)';
const allows = (txt: string, url: string, ua = UA) => robotsAllows(parseRobots(txt), ua, url).allowed;

describe('robots.txt matching', () => {
  const txt = `
# comment
User-agent: *
Disallow: /private
Allow: /private/open
Disallow: /*.pdf$
Disallow: /search?q=

User-agent: dozor
User-agent: other-bot
Disallow: /shop/admin   # ours only
Allow: /shop/admin/public
Crawl-delay: 2
`;

  it('uses the group naming our product token, case-insensitively, instead of *', () => {
    expect(productToken(UA)).toBe('dozor');
    expect(allows(txt, 'https://x.test/private/page')).toBe(true); // * does not apply to us
    expect(allows(txt, 'https://x.test/shop/admin/users')).toBe(false);
    expect(allows(txt, 'https://x.test/shop/admin/public/a')).toBe(true); // longer Allow wins
    expect(robotsAllows(parseRobots(txt), UA, 'https://x.test/').crawlDelayMs).toBe(2000);
  });

  it('falls back to * for other agents, longest match winning', () => {
    const ua = 'SomeBot/1.0';
    expect(allows(txt, 'https://x.test/private/x', ua)).toBe(false);
    expect(allows(txt, 'https://x.test/private/open/x', ua)).toBe(true);
    expect(allows(txt, 'https://x.test/doc.pdf', ua)).toBe(false);
    expect(allows(txt, 'https://x.test/doc.pdf?x=1', ua)).toBe(true); // $ anchors the end
    expect(allows(txt, 'https://x.test/search?q=drugs', ua)).toBe(false); // the query counts
    expect(allows(txt, 'https://x.test/search', ua)).toBe(true);
    expect(allows(txt, 'https://x.test/robots.txt', ua)).toBe(true);
  });

  it('prefers Allow on a tie and treats an empty Disallow as no rule', () => {
    expect(allows('User-agent: *\nDisallow: /a\nAllow: /a', 'https://x.test/a')).toBe(true);
    expect(allows('User-agent: *\nDisallow:', 'https://x.test/anything')).toBe(true);
    expect(allows('User-agent: *\nDisallow: /', 'https://x.test/anything')).toBe(false);
    expect(allows('garbage\n\0\nDisallow /x', 'https://x.test/x')).toBe(true);
  });

  it('merges groups that name the same agent', () => {
    const t = 'User-agent: dozor\nDisallow: /a\n\nUser-agent: dozor\nDisallow: /b\n';
    expect(allows(t, 'https://x.test/a')).toBe(false);
    expect(allows(t, 'https://x.test/b')).toBe(false);
    expect(allows(t, 'https://x.test/c')).toBe(true);
  });
});

describe('robots cache', () => {
  const make = (answer: () => Promise<{ status: number; body: Buffer }>) => {
    let clock = 0;
    let fetches = 0;
    const cache = createRobotsCache({
      userAgent: UA,
      ttlMs: 1000,
      errorTtlMs: 100,
      now: () => clock,
      fetch: async () => {
        fetches++;
        return answer();
      },
    });
    return { cache, tick: (ms: number) => (clock += ms), fetches: () => fetches };
  };

  it('fetches once per origin within the TTL, even for concurrent checks, then again after it', async () => {
    const c = make(async () => ({ status: 200, body: Buffer.from('User-agent: *\nDisallow: /no') }));
    const [a, b] = await Promise.all([
      c.cache.check('https://x.test/no'),
      c.cache.check('https://x.test/yes'),
    ]);
    expect(a.allowed).toBe(false);
    expect(a.reason).toBe('robots.txt of x.test disallows /no (rule "/no")');
    expect(b.allowed).toBe(true);
    expect(c.fetches()).toBe(1);
    c.tick(1001);
    await c.cache.check('https://x.test/yes');
    expect(c.fetches()).toBe(2);
  });

  it('allows everything when robots.txt is missing (4xx)', async () => {
    const c = make(async () => ({ status: 404, body: Buffer.from('') }));
    expect((await c.cache.check('https://x.test/anything')).allowed).toBe(true);
  });

  it('disallows everything for a while when robots.txt fails (5xx) or is unreachable', async () => {
    const failing = make(async () => ({ status: 503, body: Buffer.from('') }));
    const v = await failing.cache.check('https://x.test/page');
    expect(v.allowed).toBe(false);
    expect(v.reason).toMatch(/answered HTTP 503: the host is treated as disallowed/);
    const down = make(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    expect((await down.cache.check('https://x.test/page')).reason).toMatch(
      /unreachable \(connect ECONNREFUSED\)/,
    );
    await down.cache.check('https://x.test/page');
    expect(down.fetches()).toBe(1);
    down.tick(101);
    await down.cache.check('https://x.test/page');
    expect(down.fetches()).toBe(2); // retried after the error TTL
  });

  it('keeps using the last good copy when a refresh fails', async () => {
    let up = true;
    const c = make(async () =>
      up
        ? { status: 200, body: Buffer.from('User-agent: *\nDisallow: /no') }
        : { status: 500, body: Buffer.alloc(0) },
    );
    await c.cache.check('https://x.test/');
    up = false;
    c.tick(1001);
    expect((await c.cache.check('https://x.test/yes')).allowed).toBe(true);
    expect((await c.cache.check('https://x.test/no')).allowed).toBe(false);
  });
});

/** Incremental crawling of generated channels: only new pages are fetched; edits and deletions become events. */
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listings, postEvents, sources } from '../../db/schema.ts';
import { type FixtureServer, startGeneratedSite } from '../../fixtures/server.ts';
import { type GenChannel, genPosts, renderChannelPage } from '../../fixtures/site/telegram/generate.ts';
import { loadConfig } from '../../src/config/config.ts';
import { crawl } from '../../src/pipeline/crawl.ts';
import { openRuntime, type Runtime } from '../../src/pipeline/runtime.ts';
import { tmpHome } from '../helpers.ts';

const channels = new Map<string, GenChannel>();
const add = (c: GenChannel) => channels.set(c.name, c);
add({ name: 'chan_a', title: 'A', posts: genPosts(45, (id) => `post ${id} of A`) });
add({ name: 'chan_b', title: 'B', posts: genPosts(45, (id) => `post ${id} of B`) });

let site: FixtureServer & { requests: string[] };
let rt: Runtime;
const seeds = ['https://t.me/s/chan_a', 'https://t.me/s/chan_b'];
const run = (extra: Partial<Parameters<typeof crawl>[1]> = {}) =>
  crawl(rt.ctx, { seeds, noCapture: true, depth: 0, ...extra });
const fetched = async (fn: () => Promise<unknown>) => {
  site.requests.length = 0;
  await fn();
  return site.requests.filter((r) => r.startsWith('/s/')).sort();
};

beforeAll(async () => {
  site = await startGeneratedSite((url) => {
    const m = /^\/s\/(\w+)$/.exec(url.pathname);
    const c = m && channels.get(m[1]!);
    if (!c) return undefined;
    const before = url.searchParams.get('before');
    return { body: renderChannelPage(c, before ? Number(before) : undefined) };
  });
  const config = { ...loadConfig({ DOZOR_HOME: tmpHome() }), allowPrivate: true, telegramBase: site.origin };
  rt = await openRuntime(config, { log: () => {} });
});
afterAll(async () => {
  await rt?.close();
  await site?.close();
});

describe('incremental channel crawls', () => {
  it('first crawl pages back through every page of each channel', async () => {
    const reqs = await fetched(() => run());
    expect(reqs).toEqual([
      '/s/chan_a',
      '/s/chan_a?before=26',
      '/s/chan_a?before=6',
      '/s/chan_b',
      '/s/chan_b?before=26',
      '/s/chan_b?before=6',
    ]);
    const [a] = await rt.ctx.db.select().from(sources).where(eq(sources.url, 'https://t.me/s/chan_a'));
    expect(a!.newestPostId).toBe(45);
    expect(a!.channel).toMatchObject({ title: 'A', username: 'chan_a', counters: { photos: 45 } });
  });

  it('re-crawling the unchanged site fetches only the first page of each channel', async () => {
    const r = await run();
    expect(r.summary.pages).toBe(2);
    expect(await fetched(() => run())).toEqual(['/s/chan_a', '/s/chan_b']);
  });

  it('new posts: only the first page again when they fit on it', async () => {
    channels.get('chan_a')!.posts.push(...genPosts(3, (id) => `new ${id}`, 46));
    expect(await fetched(() => run())).toEqual(['/s/chan_a', '/s/chan_b']);
    const [a] = await rt.ctx.db.select().from(sources).where(eq(sources.url, 'https://t.me/s/chan_a'));
    expect(a!.newestPostId).toBe(48);
  });

  it('many new posts: pages back until it reaches the remembered newest post', async () => {
    channels.get('chan_b')!.posts.push(...genPosts(30, (id) => `burst ${id}`, 46));
    expect(await fetched(() => run())).toEqual(['/s/chan_a', '/s/chan_b', '/s/chan_b?before=56']);
  });

  it('an edited post and a deleted post become events; the old text stays', async () => {
    const a = channels.get('chan_a')!;
    a.posts.find((p) => p.id === 40)!.text = 'post 40 of A, edited: prices changed';
    a.posts.splice(
      a.posts.findIndex((p) => p.id === 35),
      1,
    );
    await run();
    const events = await rt.ctx.db.select().from(postEvents).orderBy(asc(postEvents.id));
    expect(events.map((e) => [e.kind, e.permalink])).toEqual([
      ['edited', 'https://t.me/chan_a/40'],
      ['deleted', 'https://t.me/chan_a/35'],
    ]);
    expect(events[0]!.oldTextSha256).not.toBe(events[0]!.newTextSha256);
    const texts = await rt.ctx.db
      .select({ text: listings.text })
      .from(listings)
      .where(eq(listings.permalink, 'https://t.me/chan_a/40'))
      .orderBy(asc(listings.id));
    expect(texts.map((t) => t.text)).toEqual(['post 40 of A', 'post 40 of A, edited: prices changed']);
    // the same page again: no new events
    await run();
    expect(await rt.ctx.db.select().from(postEvents)).toHaveLength(2);
    // and events are evidence: write-once
    await expect(rt.ctx.db.delete(postEvents)).rejects.toThrow();
  });

  it('a channel seen for the first time pages back only to --pages or --since', async () => {
    add({ name: 'chan_c', title: 'C', posts: genPosts(70, (id) => `c ${id}`) });
    const reqs = await fetched(() =>
      crawl(rt.ctx, { seeds: ['https://t.me/s/chan_c'], pages: 1, noCapture: true }),
    );
    expect(reqs).toEqual(['/s/chan_c', '/s/chan_c?before=51']);
    add({ name: 'chan_d', title: 'D', posts: genPosts(70, (id) => `d ${id}`) });
    // posts are an hour apart from 2026-11-01: post 20 is at 20:00; page 3 (posts 11-30) reaches past it
    const since = new Date('2026-11-01T20:00:00Z');
    const reqs2 = await fetched(() =>
      crawl(rt.ctx, { seeds: ['https://t.me/s/chan_d'], since, noCapture: true }),
    );
    expect(reqs2).toEqual(['/s/chan_d', '/s/chan_d?before=31', '/s/chan_d?before=51']);
  });
});

/**
 * A generated Telegram-like site for the distributed test and bench: `channels` channels of
 * `pagesPerChannel` preview pages, two posts a page, every fifth post a shop advert (flagged).
 */
import { type FixtureServer, startGeneratedSite } from '../fixtures/server.ts';
import { type GenChannel, genPosts, renderChannelPage } from '../fixtures/site/telegram/generate.ts';

const SHOP = 'Мефедрон кристалл VHQ, закладки по всему городу, оплата BTC, пишите @shop_op';

/** The site's channels; seeds are `https://t.me/s/NAME`. */
export function generatedChannels(channels: number, pagesPerChannel: number): GenChannel[] {
  return Array.from({ length: channels }, (_, c) => {
    const name = `gen_ch${String(c).padStart(4, '0')}`;
    return {
      name,
      title: `Channel ${c}`,
      posts: genPosts(pagesPerChannel * 2, (id) =>
        id % 5 === 0 ? `${SHOP} ${c}/${id}` : `Новости района ${c}, пост ${id}: погода, дороги, афиша.`,
      ),
    };
  });
}

/** Serves the channels on 127.0.0.1 (two posts a page); counts requests. */
export async function startDistributedSite(
  channels: GenChannel[],
): Promise<FixtureServer & { requests: string[]; seeds: string[] }> {
  const byName = new Map(channels.map((c) => [c.name, c]));
  const site = await startGeneratedSite((url) => {
    const m = /^\/s\/(\w+)$/.exec(url.pathname);
    const c = m && byName.get(m[1]!);
    if (!c) return undefined;
    const before = url.searchParams.get('before');
    return { body: renderChannelPage(c, before ? Number(before) : undefined, 2) };
  });
  return { ...site, seeds: channels.map((c) => `https://t.me/s/${c.name}`) };
}

/**
 * A generated Telegram-like site for the distributed test and bench: `channels` channels of
 * `pagesPerChannel` preview pages, two posts a page. By default every fifth post is a shop advert
 * (flagged); with `shopEveryChannels: k` only every k-th channel carries one, at a post position
 * that varies by channel, so a few flagged posts are spread over every depth of the crawl.
 */
import { type FixtureServer, startGeneratedSite } from '../fixtures/server.ts';
import { type GenChannel, genPosts, renderChannelPage } from '../fixtures/site/telegram/generate.ts';

const SHOP = 'Мефедрон кристалл VHQ, закладки по всему городу, оплата BTC, пишите @shop_op';

/** Where the shop adverts go. */
export interface SiteOptions {
  /** One shop advert in every k-th channel (channel 0, k, 2k, …) instead of every fifth post. */
  shopEveryChannels?: number;
}

/** The post id of channel `c`'s one shop advert when adverts are sparse: 1…posts, varying by channel. */
export function sparseShopPostId(c: number, posts: number): number {
  return 1 + ((c * 7 + Math.floor(c / posts)) % posts);
}

/** The site's channels; seeds are `https://t.me/s/NAME`. */
export function generatedChannels(
  channels: number,
  pagesPerChannel: number,
  opts: SiteOptions = {},
): GenChannel[] {
  const posts = pagesPerChannel * 2;
  const every = opts.shopEveryChannels;
  return Array.from({ length: channels }, (_, c) => {
    const name = `gen_ch${String(c).padStart(4, '0')}`;
    const isShop = (id: number) =>
      every ? c % every === 0 && id === sparseShopPostId(c, posts) : id % 5 === 0;
    return {
      name,
      title: `Channel ${c}`,
      posts: genPosts(posts, (id) =>
        isShop(id) ? `${SHOP} ${c}/${id}` : `Новости района ${c}, пост ${id}: погода, дороги, афиша.`,
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

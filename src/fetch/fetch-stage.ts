/** Stage: fetch one URL and store the raw bytes and response metadata as a page. */
import { and, eq } from 'drizzle-orm';
import { pages } from '../../db/schema.ts';
import type { StageContext } from '../pipeline/context.ts';
import { FetchError } from './errors.ts';
import { fetchUrl } from './fetch-url.ts';
import { fetchUrlFor } from './telegram-url.ts';

/** Fetches `url` (canonical) and returns the stored page's id; throws FetchError on failure. */
export async function fetchStage(ctx: StageContext, input: { url: string; sourceId?: number }) {
  const res = await fetchUrl(fetchUrlFor(input.url, ctx.config.telegramBase), {
    allowPrivate: ctx.config.allowPrivate,
    userAgent: ctx.config.userAgent,
  });
  if (res.status >= 400) {
    throw new FetchError('http', `HTTP ${res.status} from ${res.finalUrl}`, { status: res.status });
  }
  const bodySha256 = await ctx.blobs.put(res.body);
  await ctx.db
    .insert(pages)
    .values({
      sourceId: input.sourceId,
      url: input.url,
      finalUrl: res.finalUrl,
      status: res.status,
      headers: res.headers,
      resolvedIp: res.resolvedIp,
      redirects: res.redirects,
      tls: res.tls,
      bodySha256,
      bodySize: res.body.length,
      fetchedAt: new Date(res.fetchedAt),
    })
    .onConflictDoNothing();
  const [row] = await ctx.db
    .select({ id: pages.id })
    .from(pages)
    .where(and(eq(pages.url, input.url), eq(pages.bodySha256, bodySha256)));
  return { pageId: row!.id };
}

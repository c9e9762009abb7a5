/**
 * Stage: fetch one URL and store the raw bytes and response metadata as a page. Plain HTTP by
 * default; Chromium renders pages that need JavaScript (`render: 'browser'`, or `'auto'` when the
 * plain page is an empty app shell). Every failure is a FetchError with a one-line reason.
 */
import { and, eq } from 'drizzle-orm';
import { jsonParam, rawQuery } from '../../db/raw.ts';
import { type Page, pages } from '../../db/schema.ts';
import type { Config } from '../config/config.ts';
import type { StageContext } from '../pipeline/context.ts';
import { isPrivateAddress } from './address-policy.ts';
import { sniffBinary } from './decode-body.ts';
import { FetchError } from './errors.ts';
import type { FetchResult } from './fetch-url.ts';
import { createMemoryHostLimiter, type HostLimiter } from './host-limiter.ts';
import { createFetchServices, type FetchServices, politeFetch } from './polite-fetch.ts';
import { looksEmptyWithoutJs } from './render-detect.ts';
import { fetchUrlFor } from './telegram-url.ts';

/** How a source is fetched. */
export interface FetchStageOptions {
  /** `http`: plain fetch; `browser`: Chromium with JavaScript; `auto`: plain, and Chromium for app shells. @default 'auto' */
  render?: 'auto' | 'http' | 'browser';
  /** Obey the host's robots.txt. @default true */
  respectRobots?: boolean;
}

/** Largest page body stored, in bytes. */
export const MAX_PAGE_BYTES = 10 * 1024 * 1024;

const servicesByConfig = new WeakMap<Config, FetchServices>();

/** Replaces the fetch services of runs using `config` (e.g. a Redis-backed HostLimiter for workers). */
export function setFetchServices(config: Config, services: FetchServices): void {
  servicesByConfig.set(config, services);
}

/** The fetch services shared by every fetch under `config`, created on first use. */
export function fetchServicesFor(config: Config): FetchServices {
  let s = servicesByConfig.get(config);
  if (!s) {
    s = createFetchServices({
      ...policyOf(config),
      userAgent: config.userAgent,
      limiter: loopbackExempt(config),
    });
    servicesByConfig.set(config, s);
  }
  return s;
}

function policyOf(config: Config) {
  return { allowPrivate: config.allowPrivate, allow: config.allowAddresses };
}

/**
 * The in-memory limiter, except for loopback addresses: politeness toward this machine protects no
 * one, and the demo, tests and benches crawl fixtures there.
 */
function loopbackExempt(config: Config): HostLimiter {
  const inner = createMemoryHostLimiter({ concurrency: config.hostConcurrency, delayMs: config.hostDelayMs });
  const free = () => () => {};
  return {
    acquire: (host, opts) => {
      const name = new URL(`http://${host}`).hostname.replace(/^\[|\]$/g, '');
      const loopback = /^127\.|^::1$/.test(name) && isPrivateAddress(name);
      return loopback ? Promise.resolve(free()) : inner.acquire(host, opts);
    },
  };
}

/** A response fetched and its body put in the blob store, not yet recorded as a page. */
export interface Fetched {
  url: string;
  sourceId?: number;
  res: FetchResult;
  bodySha256: string;
}

/**
 * Fetches `url` (canonical) and stores it; returns the stored page's id, its row and its body (so
 * the next stage need not read back what was just written). Throws FetchError on failure.
 */
export async function fetchStage(
  ctx: StageContext,
  input: { url: string; sourceId?: number },
  opts: FetchStageOptions = {},
): Promise<StoredPage> {
  return storeFetched(ctx, await fetchToBlob(ctx, input, opts));
}

/** The fetch half of the stage: fetches `url` and puts the body in the blob store. */
export async function fetchToBlob(
  ctx: StageContext,
  input: { url: string; sourceId?: number },
  opts: FetchStageOptions = {},
): Promise<Fetched> {
  const res = await fetchPage(ctx, fetchUrlFor(input.url, ctx.config.telegramBase), opts);
  return { ...input, res, bodySha256: await ctx.blobs.put(res.body) };
}

/** A stored page: its id, row and body. */
export interface StoredPage {
  pageId: number;
  page: Page;
  body: Buffer;
}

/** The columns of a page row, named as Page names them (for raw statements). */
const PAGE_COLUMNS = `id, source_id as "sourceId", url, final_url as "finalUrl", status, headers,
  resolved_ip as "resolvedIp", redirects, tls, body_sha256 as "bodySha256", body_size as "bodySize",
  fetched_at as "fetchedAt"`;

/** The store half of the stage: records the fetched response as a page (once per URL and body). */
export async function storeFetched(ctx: Pick<StageContext, 'db'>, f: Fetched): Promise<StoredPage> {
  const { res, bodySha256 } = f;
  // raw SQL: this runs once per crawled page, and drizzle's builder cost more than the insert
  const [inserted] = await rawQuery<Page>(
    ctx.db,
    `insert into pages (source_id, url, final_url, status, headers, resolved_ip, redirects, tls,
                        body_sha256, body_size, fetched_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict do nothing
     returning ${PAGE_COLUMNS}`,
    [
      f.sourceId ?? null,
      f.url,
      res.finalUrl,
      res.status,
      jsonParam(res.headers),
      res.resolvedIp ?? null,
      jsonParam(res.redirects ?? []),
      jsonParam(res.tls),
      bodySha256,
      res.body.length,
      new Date(res.fetchedAt).toISOString(),
    ],
  );
  // the same bytes at the same URL were stored before: that page is the one to use
  const page =
    inserted ??
    (
      await ctx.db
        .select()
        .from(pages)
        .where(and(eq(pages.url, f.url), eq(pages.bodySha256, bodySha256)))
    )[0]!;
  return { pageId: page.id, page, body: res.body };
}

/** The response to store for `url` under the render mode: plain, or rendered by the browser. */
async function fetchPage(ctx: StageContext, url: string, opts: FetchStageOptions): Promise<FetchResult> {
  const mode = opts.render ?? 'auto';
  if (mode === 'browser') return render(ctx, url);
  const services = fetchServicesFor(ctx.config);
  const res = await politeFetch(url, services, {
    ...policyOf(ctx.config),
    userAgent: ctx.config.userAgent,
    maxBytes: services.limits?.maxBytes ?? MAX_PAGE_BYTES,
    respectRobots: opts.respectRobots ?? true,
  });
  if (res.status >= 400) {
    throw new FetchError('http', `HTTP ${res.status} from ${res.finalUrl}`, { status: res.status });
  }
  const binary = sniffBinary(res.body);
  if (binary) {
    throw new FetchError(
      'bad_content',
      `${res.finalUrl} is not a page: ${binary} (declared ${res.headers['content-type'] ?? 'no type'})`,
    );
  }
  if (mode === 'auto' && ctx.browser?.render && looksEmptyWithoutJs(res.body.toString('latin1'))) {
    ctx.log(`${url}: empty without JavaScript, rendering with the browser`);
    return render(ctx, url);
  }
  return res;
}

/** Renders `url` in Chromium; the rendered DOM, as UTF-8, is the page body. */
async function render(ctx: StageContext, url: string): Promise<FetchResult> {
  if (!ctx.browser?.render) {
    throw new FetchError(
      'render',
      `${url} needs a browser to render, and none is running (crawl without --no-capture)`,
    );
  }
  const fetchedAt = new Date().toISOString();
  const r = await ctx.browser.render(url, { maxBytes: MAX_PAGE_BYTES });
  if (r.status >= 400)
    throw new FetchError('http', `HTTP ${r.status} from ${r.finalUrl}`, { status: r.status });
  const body = Buffer.from(r.html, 'utf8');
  if (body.length > MAX_PAGE_BYTES) {
    throw new FetchError('too_large', `rendered ${url} is larger than ${MAX_PAGE_BYTES} bytes`);
  }
  return {
    url,
    finalUrl: r.finalUrl,
    status: r.status,
    // The body is the serialized DOM, always UTF-8, whatever the server declared.
    headers: {
      ...r.headers,
      'content-type': 'text/html; charset=utf-8',
      'x-dozor-rendered': 'chromium',
      ...(r.headers['content-type'] ? { 'x-dozor-original-content-type': r.headers['content-type'] } : {}),
    },
    body,
    resolvedIp: r.resolvedIp,
    redirects: r.redirects,
    fetchedAt,
  };
}

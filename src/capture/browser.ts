/**
 * Debian's Chromium through playwright-core: full-page screenshots, PDFs, and JavaScript renders of
 * pages that are empty without it. Every request the browser makes is intercepted and fetched by
 * Dozor's guarded fetcher (address policy on every hop, pinned to the checked address, size and
 * time caps); the browser itself never opens a connection to a page's host.
 */
import { existsSync } from 'node:fs';
import { type BrowserContext, chromium, type Browser as PwBrowser, type Route } from 'playwright-core';
import type { AddressPolicy } from '../fetch/address-policy.ts';
import { FetchError } from '../fetch/errors.ts';
import { type FetchResult, fetchUrl } from '../fetch/fetch-url.ts';

/** A page rendered with JavaScript. */
export interface RenderResult {
  /** The rendered DOM, serialized. */
  html: string;
  finalUrl: string;
  status: number;
  /** The main document's response headers. */
  headers: Record<string, string>;
  resolvedIp?: string;
  redirects: string[];
  /** Requests the address policy or a cap refused, each with its reason. */
  refused: { url: string; reason: string }[];
}

/** Limits of one render. */
export interface RenderOptions {
  /** Total time for the render, in ms. @default 30000 */
  timeoutMs?: number;
  /** Largest response accepted for one request, in bytes. @default 10 MiB */
  maxBytes?: number;
  /** Bytes fetched at most for the page and all its subresources. @default 50 MiB */
  maxTotalBytes?: number;
  /** Requests made at most by the page. @default 300 */
  maxRequests?: number;
}

/** The few things Dozor asks of a browser. */
export interface Browser {
  /** A full-page PNG screenshot of `url` (JavaScript off). */
  screenshot(url: string): Promise<Buffer>;
  /** A PDF of an HTML document (reports). */
  pdf(html: string): Promise<Buffer>;
  /** Renders `url` with JavaScript on; throws FetchError (`render`, `blocked`, …) on failure. */
  render?(url: string, opts?: RenderOptions): Promise<RenderResult>;
  /** False once the browser process has died or was closed. */
  isConnected?(): boolean;
  close(): Promise<void>;
}

/** How the browser is started and which addresses its pages may reach. */
export interface LaunchOptions extends AddressPolicy {
  executablePath?: string;
  /** User-Agent of the browser's requests. */
  userAgent?: string;
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  // Backstop: every request is answered by the route handler, so the browser's own network stack
  // needs no way out. A request that ever slipped past routing meets a dead proxy, loopback included.
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
];

/** Response headers that describe the transfer, not the content: dropped when fulfilling. */
const hopHeaders = new Set([
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'content-encoding',
]);

interface Budget {
  requests: number;
  bytes: number;
  refused: { url: string; reason: string }[];
  /** The main document, fetched before navigation; served once from here instead of fetched again. */
  main?: FetchResult;
}

const withoutHash = (u: string) => u.replace(/#.*$/, '');

/**
 * A route handler that fetches each request through the guarded fetcher and fulfills it, or aborts
 * it when the policy or a cap refuses it. Redirects are followed by the fetcher (every hop checked)
 * and the final response is fulfilled: Chromium does not route the hops of a fulfilled redirect.
 */
function guardedRoute(policy: LaunchOptions, limits: RenderOptions, budget: Budget) {
  return async (route: Route) => {
    const req = route.request();
    const url = req.url();
    const refuse = (reason: string, code: 'blockedbyclient' | 'failed' = 'blockedbyclient') => {
      budget.refused.push({ url, reason });
      return route.abort(code).catch(() => {});
    };
    if (!/^https?:/i.test(url)) return refuse(`scheme not fetched: ${url.slice(0, 40)}`);
    if (req.method() !== 'GET' && req.method() !== 'HEAD') return refuse(`${req.method()} is not sent`);
    if (++budget.requests > (limits.maxRequests ?? 300)) return refuse('too many requests');
    const left = (limits.maxTotalBytes ?? 50 * 1024 * 1024) - budget.bytes;
    if (left <= 0) return refuse('page byte budget spent');
    try {
      const main = budget.main;
      const fromMain = main && req.isNavigationRequest() && withoutHash(url) === withoutHash(main.finalUrl);
      if (fromMain) budget.main = undefined;
      const res = fromMain
        ? main
        : await fetchUrl(url, {
            ...policy,
            maxBytes: Math.min(limits.maxBytes ?? 10 * 1024 * 1024, left),
            timeoutMs: Math.min(limits.timeoutMs ?? 30_000, 20_000),
          });
      if (!fromMain) budget.bytes += res.body.length;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (!hopHeaders.has(k)) headers[k] = v;
      await route.fulfill({ status: res.status, headers, body: res.body });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      await refuse(
        reason,
        err instanceof FetchError && err.code === 'blocked' ? 'blockedbyclient' : 'failed',
      );
    }
  };
}

/** A fresh context whose every request goes through the guard; WebSockets are closed. */
async function guardedContext(
  browser: PwBrowser,
  opts: LaunchOptions,
  limits: RenderOptions,
  budget: Budget,
  javaScriptEnabled: boolean,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    javaScriptEnabled,
    serviceWorkers: 'block', // a service worker's fetches would bypass the route handler
    viewport: { width: 1280, height: 900 },
    ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
  });
  await context.route('**/*', guardedRoute(opts, limits, budget));
  await context.routeWebSocket(/.*/, (ws) => ws.close());
  return context;
}

/** Runs `work` against a deadline; on expiry the context is closed, which aborts everything in it. */
async function withDeadline<T>(context: BrowserContext, ms: number, url: string, work: () => Promise<T>) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new FetchError('timeout', `rendering ${url} took longer than ${ms} ms`));
      context.close().catch(() => {});
    }, ms);
  });
  try {
    return await Promise.race([work(), expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** Launches Chromium at `executablePath`; throws a one-line error saying how to get one. */
export async function launchBrowser(opts: LaunchOptions): Promise<Browser> {
  const path = opts.executablePath;
  if (!path || !existsSync(path)) {
    throw new Error(
      `no Chromium at ${path ?? '/usr/bin/chromium'}: install it (Debian: apt-get install chromium) or set DOZOR_CHROMIUM`,
    );
  }
  let browser: PwBrowser;
  try {
    browser = await chromium.launch({ executablePath: path, args: ARGS, timeout: 60_000 });
  } catch (err) {
    throw new Error(`cannot start Chromium at ${path}: ${(err as Error).message.split('\n')[0]}`, {
      cause: err,
    });
  }
  const budget = (): Budget => ({ requests: 0, bytes: 0, refused: [] });
  return {
    async screenshot(url) {
      const context = await guardedContext(browser, opts, {}, budget(), false);
      try {
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
        return await page.screenshot({ fullPage: true, type: 'png', timeout: 30_000 });
      } finally {
        await context.close();
      }
    },
    async render(url, limits = {}) {
      const timeoutMs = limits.timeoutMs ?? 30_000;
      // The document itself: fetched (and its redirects followed and checked) before the browser sees it.
      const main = await fetchUrl(url, {
        ...opts,
        maxBytes: limits.maxBytes ?? 10 * 1024 * 1024,
        timeoutMs: Math.min(timeoutMs, 20_000),
      });
      const b: Budget = { requests: 0, bytes: main.body.length, refused: [], main };
      const context = await guardedContext(browser, opts, limits, b, true);
      try {
        return await withDeadline(context, timeoutMs, url, async () => {
          const page = await context.newPage();
          await page.goto(main.finalUrl, { waitUntil: 'load', timeout: timeoutMs }).catch((err) => {
            throw new FetchError('render', `cannot render ${url}: ${(err as Error).message.split('\n')[0]}`, {
              cause: err,
            });
          });
          // Let the app fetch its data; a page that never goes quiet is taken as it is.
          await page
            .waitForLoadState('networkidle', { timeout: Math.min(5_000, timeoutMs / 3) })
            .catch(() => {});
          return {
            html: await page.content(),
            finalUrl: page.url(),
            status: main.status,
            headers: main.headers,
            resolvedIp: main.resolvedIp,
            redirects: main.redirects,
            refused: b.refused,
          };
        });
      } finally {
        await context.close().catch(() => {});
      }
    },
    async pdf(html) {
      const context = await browser.newContext({ javaScriptEnabled: false });
      try {
        await context.route('**/*', (route) =>
          route.request().url().startsWith('data:') ? route.continue() : route.abort('blockedbyclient'),
        );
        const page = await context.newPage();
        await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
        return await page.pdf({
          format: 'A4',
          printBackground: true,
          margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
        });
      } finally {
        await context.close();
      }
    },
    isConnected: () => browser.isConnected(),
    close: () => browser.close(),
  };
}

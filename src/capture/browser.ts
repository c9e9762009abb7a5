/**
 * Debian's Chromium through playwright-core: full-page screenshots and PDFs of pages. Captured
 * pages run without JavaScript, and every request goes through the same address policy as the
 * fetcher.
 */
import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { chromium, type Browser as PwBrowser, type Route } from 'playwright-core';
import { isPrivateAddress } from '../fetch/address-policy.ts';

/** The few things Dozor asks of a browser. */
export interface Browser {
  /** A full-page PNG screenshot of `url`. */
  screenshot(url: string): Promise<Buffer>;
  /** A PDF of an HTML document (reports). */
  pdf(html: string): Promise<Buffer>;
  close(): Promise<void>;
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Launches Chromium at `executablePath`; throws a one-line error saying how to get one. */
export async function launchBrowser(opts: {
  executablePath?: string;
  allowPrivate: boolean;
}): Promise<Browser> {
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
  const guard = async (route: Route) => {
    if (opts.allowPrivate) return route.continue();
    const url = new URL(route.request().url());
    if (url.protocol === 'data:') return route.continue();
    if (!/^https?:$/.test(url.protocol)) return route.abort('blockedbyclient');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const addrs = isIP(host)
      ? [host]
      : (await lookup(host, { all: true }).catch(() => [])).map((a) => a.address);
    if (addrs.length === 0 || addrs.some(isPrivateAddress)) return route.abort('blockedbyclient');
    return route.continue();
  };
  return {
    async screenshot(url) {
      const context = await browser.newContext({
        javaScriptEnabled: false,
        viewport: { width: 1280, height: 900 },
      });
      try {
        await context.route('**/*', guard);
        const page = await context.newPage();
        await page.goto(url, { waitUntil: 'load', timeout: 30_000 });
        return await page.screenshot({ fullPage: true, type: 'png', timeout: 30_000 });
      } finally {
        await context.close();
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
    close: () => browser.close(),
  };
}

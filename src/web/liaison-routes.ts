/**
 * For liaison officers (and admins): confirmed bundles and shops, a packet download made by the
 * same code as `dozor export` (so it verifies the same way), and the export history from the
 * custody log. Every export is a custody event in each exported bundle's chain.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono, MiddlewareHandler } from 'hono';
import { DozorError } from '../config/errors.ts';
import { exportPacket } from '../export/packet.ts';
import { bundlesWithStatus } from '../review/queue.ts';
import { exportHistory } from '../review/stats.ts';
import type { ConsoleDeps } from './app.ts';
import { type AuthEnv, requireRole } from './auth.ts';
import { html } from './html.ts';
import { t } from './i18n.ts';
import { page } from './layout.ts';
import type { ShopCache } from './shop-cache.ts';

/** Adds /exports (GET: the page; POST: a packet download) to the console. */
export function registerLiaisonRoutes(
  app: Hono<AuthEnv>,
  deps: ConsoleDeps,
  auth: MiddlewareHandler<AuthEnv>,
  shops: ShopCache,
): void {
  const mayExport = requireRole('export');
  let queue: Promise<unknown> = Promise.resolve();

  app.get('/exports', auth, mayExport, async (c) => {
    const lang = c.get('lang');
    const csrf = c.get('csrf');
    const [confirmed, history, index] = await Promise.all([
      bundlesWithStatus(deps.db, deps.confirmations, { status: 'confirmed', limit: 5000 }),
      exportHistory(deps.db),
      shops.get(),
    ]);
    const ids = new Set(confirmed.map((b) => b.id));
    const withConfirmed = (index?.shops ?? [])
      .map((s) => ({ shop: s, n: s.bundles.filter((b) => ids.has(b)).length }))
      .filter((x) => x.n > 0);
    const exportButton = (label: string, shop?: string) =>
      html`<form method="post" action="/exports" class="inline"><input type="hidden" name="csrf" value="${csrf}">${shop ? html`<input type="hidden" name="shop" value="${shop}">` : ''}<button>${label}</button></form>`;
    const body = html`<section class="card"><h2>${t(lang, 'confirmedBundles')} (${confirmed.length})</h2>
${confirmed.length ? exportButton(t(lang, 'exportAll')) : html`<p class="muted">—</p>`}
<div class="scroll"><table><tr><th>id</th><th>${t(lang, 'permalink')}</th><th>${t(lang, 'source')}</th><th>${t(lang, 'verdict')}</th></tr>
${confirmed.slice(0, 200).map((b) => html`<tr><td><a href="/bundles/${b.id}">${b.id}</a></td><td>${b.permalink}</td><td class="muted">${b.source ?? ''}</td><td>${b.verdict} ${b.score.toFixed(1)}</td></tr>`)}</table></div></section>
<section class="card"><h2>${t(lang, 'shops')}</h2><div class="scroll"><table><tr><th>${t(lang, 'shop')}</th><th>${t(lang, 'identifiers')}</th><th>${t(lang, 'confirmed')}</th><th></th></tr>
${withConfirmed.map((x) => html`<tr><td><a href="/shops/${x.shop.id}">${x.shop.id}</a></td><td>${x.shop.identifiers.slice(0, 4).map((i) => html`<code>${i.kind}:${i.value}</code> `)}</td><td>${x.n}</td><td>${exportButton(t(lang, 'exportShop'), x.shop.id)}</td></tr>`)}
</table></div></section>
<section class="card"><h2>${t(lang, 'exportHistory')}</h2><div class="scroll"><table><tr><th>${t(lang, 'packet')}</th><th>${t(lang, 'by')}</th><th>${t(lang, 'when')}</th><th>${t(lang, 'bundles')}</th></tr>
${history.map((h) => html`<tr><td><code>${h.packet}</code></td><td>${h.actor}</td><td>${h.at}</td><td>${h.bundles}</td></tr>`)}</table></div></section>`;
    return c.html(page(lang, t(lang, 'exports'), body, { user: c.get('user'), csrf }));
  });

  app.post('/exports', auth, mayExport, async (c) => {
    if (!deps.signingKey || !deps.openBrowser)
      throw new DozorError('exports are not configured on this console');
    const form = await c.req.parseBody();
    const shopId = typeof form.shop === 'string' && form.shop ? form.shop : undefined;
    const shop = shopId ? (await shops.get())?.byId.get(shopId) : undefined;
    if (shopId && !shop) throw new DozorError(`no shop with id "${shopId}"`);
    const run = async () => {
      const dir = await mkdtemp(join(tmpdir(), 'dozor-export-'));
      const browser = await deps.openBrowser!();
      try {
        const out = join(dir, 'packet.zip');
        const r = await exportPacket({
          db: deps.db,
          blobs: deps.blobs,
          key: deps.signingKey!(),
          browser,
          confirmations: deps.confirmations,
          actor: c.get('user').name,
          status: 'confirmed',
          shop,
          out,
        });
        return { packetId: r.packetId, bytes: await readFile(out) };
      } finally {
        await browser.close().catch(() => {});
        await rm(dir, { recursive: true, force: true });
      }
    };
    // One export at a time: each renders a PDF in Chromium.
    const job = queue.then(run, run);
    queue = job.catch(() => {});
    const { packetId, bytes } = await job;
    return c.body(new Uint8Array(bytes), 200, {
      'content-type': 'application/zip',
      'content-disposition': `attachment; filename="dozor-${packetId}.zip"`,
    });
  });
}

/** Console pages for shops: the list, and one shop with its identifiers, sources and bundles. */
import type { Hono, MiddlewareHandler } from 'hono';
import { lifecycleOf } from '../shops/lifecycle.ts';
import type { ConsoleDeps } from './app.ts';
import type { AuthEnv } from './auth.ts';
import { html } from './html.ts';
import { t } from './i18n.ts';
import { page } from './layout.ts';
import type { ShopCache } from './shop-cache.ts';

/** Adds /shops and /shops/:id to the console. */
export function registerShopRoutes(
  app: Hono<AuthEnv>,
  deps: ConsoleDeps,
  auth: MiddlewareHandler<AuthEnv>,
  cache: ShopCache,
): void {
  app.get('/shops', auth, async (c) => {
    const lang = c.get('lang');
    const viewer = { user: c.get('user'), csrf: c.get('csrf') };
    const index = await cache.get();
    if (!index)
      return c.html(
        page(lang, t(lang, 'shops'), html`<p class="card">${t(lang, 'shopsPending')}</p>`, viewer),
      );
    const rows = [];
    for (const s of index.shops.slice(0, 200)) {
      const life = await lifecycleOf(deps.db, s);
      rows.push(html`<tr><td><a href="/shops/${s.id}">${s.id}</a></td><td>${t(lang, life.status)}</td>
<td>${s.listingIds.length}</td><td>${s.identifiers.slice(0, 3).map((i) => html`<code>${i.kind}:${i.value}</code> `)}</td></tr>`);
    }
    const body = html`<div class="card scroll"><table><tr><th>id</th><th>${t(lang, 'status')}</th><th>${t(lang, 'listings')}</th>
<th>${t(lang, 'identifiers')}</th></tr>${rows}</table></div>`;
    return c.html(page(lang, t(lang, 'shops'), body, viewer));
  });

  app.get('/shops/:id', auth, async (c) => {
    const lang = c.get('lang');
    const viewer = { user: c.get('user'), csrf: c.get('csrf') };
    const s = (await cache.get())?.byId.get(c.req.param('id'));
    if (!s)
      return c.html(
        page(lang, t(lang, 'notFound'), html`<p class="card">${t(lang, 'notFound')}</p>`, viewer),
        404,
      );
    const life = await lifecycleOf(deps.db, s);
    const body = html`<div class="card"><h1>${t(lang, 'shop')} ${s.id}</h1>
<p>${t(lang, 'status')}: ${t(lang, life.status)} · ${t(lang, 'firstSeen')}: ${life.first_seen ?? '—'} · ${t(lang, 'lastSeen')}: ${life.last_seen ?? '—'}
${life.offline_since ? html` · ${t(lang, 'offlineSince')}: ${life.offline_since}` : ''}</p>
<h2>${t(lang, 'identifiers')}</h2><ul>${s.evidence.map(
      (
        e,
      ) => html`<li><code>${e.kind}:${e.value}</code> — ${[...new Set(e.seen.map((x) => x.where))].join(', ')}:
${e.seen.map((x) => html` <span>${s.permalinks[x.listingId] ?? ''}</span>`)}</li>`,
    )}</ul>
<h2>${t(lang, 'source')}</h2><ul>${s.sources.map((u) => html`<li>${u}</li>`)}</ul>
<h2>${t(lang, 'bundles')}</h2><ul>${s.bundles.map((b) => html`<li><a href="/bundles/${b}">${b}</a></li>`)}</ul></div>`;
    return c.html(page(lang, s.id, body, viewer));
  });
}

/** Console pages for shops: the list, and one shop with its identifiers, sources and bundles. */
import type { Hono, MiddlewareHandler } from 'hono';
import { lifecycleOf } from '../shops/lifecycle.ts';
import { getShop, listShops } from '../shops/shop-queries.ts';
import type { ConsoleDeps } from './app.ts';
import type { AuthEnv } from './auth.ts';
import { html } from './html.ts';
import { type Lang, t } from './i18n.ts';
import { page } from './layout.ts';

type Env = AuthEnv & { Variables: { lang: Lang } };

/** Adds /shops and /shops/:id to the console. */
export function registerShopRoutes(
  app: Hono<Env>,
  deps: ConsoleDeps,
  auth: MiddlewareHandler<AuthEnv>,
): void {
  app.get('/shops', auth, async (c) => {
    const lang = c.get('lang');
    const shops = await listShops(deps.db);
    const rows = [];
    for (const s of shops) {
      const life = await lifecycleOf(deps.db, s);
      rows.push(html`<tr><td><a href="/shops/${s.id}">${s.id}</a></td><td>${t(lang, life.status)}</td>
<td>${s.listingIds.length}</td><td>${s.identifiers.slice(0, 3).map((i) => html`<code>${i.kind}:${i.value}</code> `)}</td></tr>`);
    }
    const body = html`<div class="card"><table><tr><th>id</th><th>${t(lang, 'status')}</th><th>${t(lang, 'listings')}</th>
<th>${t(lang, 'identifiers')}</th></tr>${rows}</table></div>`;
    return c.html(page(lang, t(lang, 'shops'), body, { user: c.get('user').name, csrf: c.get('csrf') }));
  });

  app.get('/shops/:id', auth, async (c) => {
    const lang = c.get('lang');
    const s = await getShop(deps.db, c.req.param('id'));
    if (!s) return c.html(page(lang, t(lang, 'notFound'), html`<p>${t(lang, 'notFound')}</p>`), 404);
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
    return c.html(page(lang, s.id, body, { user: c.get('user').name, csrf: c.get('csrf') }));
  });
}

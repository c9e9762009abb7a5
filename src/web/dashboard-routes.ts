/** The dashboard: flagged per day, outcome rates, per-source counts and top shops, as SVG charts. */
import type { Hono, MiddlewareHandler } from 'hono';
import { bundlesPerSource, flaggedPerDay, statusCounts } from '../review/stats.ts';
import { STATUSES } from '../review/status.ts';
import type { ConsoleDeps } from './app.ts';
import type { AuthEnv } from './auth.ts';
import { barList, columnChart, shareBar } from './charts.ts';
import { html } from './html.ts';
import { t } from './i18n.ts';
import { page } from './layout.ts';
import type { ShopCache } from './shop-cache.ts';

/** Adds /dashboard to the console. */
export function registerDashboardRoutes(
  app: Hono<AuthEnv>,
  deps: ConsoleDeps,
  auth: MiddlewareHandler<AuthEnv>,
  shops: ShopCache,
): void {
  app.get('/dashboard', auth, async (c) => {
    const lang = c.get('lang');
    const [days, counts, perSource, index] = await Promise.all([
      flaggedPerDay(deps.db, 30),
      statusCounts(deps.db, deps.confirmations),
      bundlesPerSource(deps.db, 10),
      shops.get(),
    ]);
    const decided = counts.confirmed + counts.dismissed;
    const rate = (n: number) => (decided ? `${Math.round((100 * n) / decided)}%` : '—');
    const top = (index?.shops ?? [])
      .slice()
      .sort((a, b) => b.bundles.length - a.bundles.length)
      .slice(0, 10)
      .map((s) => ({
        label: `${s.id} ${s.identifiers[0] ? `${s.identifiers[0].kind}:${s.identifiers[0].value}` : ''}`,
        value: s.bundles.length,
        href: `/shops/${s.id}`,
      }));
    const body = html`<div class="grid">
<section class="card"><h2>${t(lang, 'flaggedPerDay')}</h2>${columnChart(
      days.map((d) => ({ label: d.day.slice(5), value: d.n })),
      { title: t(lang, 'flaggedPerDay') },
    )}</section>
<section class="card"><h2>${t(lang, 'statusShare')}</h2>
<p><b>${rate(counts.confirmed)}</b> ${t(lang, 'confirmedRate')} · <b>${rate(counts.dismissed)}</b> ${t(lang, 'dismissedRate')}</p>
${shareBar(
  STATUSES.map((s) => ({ key: s, label: t(lang, s), value: counts[s] })),
  { title: t(lang, 'statusShare') },
)}</section>
<section class="card"><h2>${t(lang, 'perSource')}</h2>${barList(
      perSource.map((s) => ({ label: s.source, value: s.n })),
      { title: t(lang, 'perSource') },
    )}</section>
<section class="card"><h2>${t(lang, 'topShops')}</h2>${index ? barList(top, { title: t(lang, 'topShops') }) : html`<p class="muted">${t(lang, 'shopsPending')}</p>`}</section>
</div>`;
    return c.html(page(lang, t(lang, 'dashboard'), body, { user: c.get('user'), csrf: c.get('csrf') }));
  });
}

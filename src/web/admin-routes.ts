/**
 * Admin pages: sources (add, pause, resume through `sources.enabled`), the rule pack (read-only,
 * with hit counts and how often reviewers dismissed each rule's flags) and users (list, add with
 * a one-time password). Every change is a custody event in the global chain, with its actor.
 */
import { asc, eq, sql } from 'drizzle-orm';
import type { Context, Hono, MiddlewareHandler } from 'hono';
import { sources } from '../../db/schema.ts';
import { loadConfig } from '../config/config.ts';
import { DozorError } from '../config/errors.ts';
import { recordCustody } from '../custody/log.ts';
import { loadRulePack } from '../detect/load-rules.ts';
import { canonicalSourceUrl, sourceKind } from '../fetch/telegram-url.ts';
import { rowsOf } from '../review/queue.ts';
import { ruleStats } from '../review/stats.ts';
import { addUser, listUsers, ROLES } from '../review/users.ts';
import type { ConsoleDeps } from './app.ts';
import { type AuthEnv, requireRole } from './auth.ts';
import { html, type SafeHtml } from './html.ts';
import { type Lang, t } from './i18n.ts';
import { page } from './layout.ts';

/** Crawl intervals offered for a new source, in seconds (0 = manual). */
const EVERY: Record<string, number> = { manual: 0, '30m': 1800, '1h': 3600, '6h': 21600, '1d': 86400 };

const tabs = (lang: Lang, on: string) =>
  html`<p class="card">${(['sources', 'rules', 'users'] as const).map((k) => html`<a class="tag${k === on ? '' : ' paused'}" href="/admin/${k}">${t(lang, k)}</a> `)}</p>`;

/** Adds /admin/sources, /admin/rules and /admin/users to the console. */
export function registerAdminRoutes(
  app: Hono<AuthEnv>,
  deps: ConsoleDeps,
  auth: MiddlewareHandler<AuthEnv>,
): void {
  const admin = requireRole('admin');
  app.use('/admin/*', auth, admin);
  const show = (c: Context<AuthEnv>, title: string, body: SafeHtml, status = 200) => {
    const lang = c.get('lang');
    return c.html(
      page(lang, title, html`${tabs(lang, c.req.path.split('/')[2] ?? '')}${body}`, {
        user: c.get('user'),
        csrf: c.get('csrf'),
      }),
      status as 200,
    );
  };

  const sourcesPage = async (c: Context<AuthEnv>, notice?: SafeHtml, status = 200) => {
    const lang = c.get('lang');
    const csrf = c.get('csrf');
    const rows = await deps.db.select().from(sources).orderBy(asc(sources.id)).limit(1000);
    const counts = new Map(
      (
        await rowsOf<{ id: number; n: number }>(
          deps.db,
          sql`select l.source_id as id, count(*)::int as n from bundles b join listings l on l.id = b.listing_id group by 1`,
        )
      ).map((r) => [Number(r.id), Number(r.n)]),
    );
    const body = html`${notice ?? ''}<form class="card" method="post" action="/admin/sources"><input type="hidden" name="csrf" value="${csrf}">
<h2>${t(lang, 'add')}</h2><label>URL <input name="url" required maxlength="2000" placeholder="https://t.me/channel"></label>
<label>${t(lang, 'every')} <select name="every">${Object.keys(EVERY).map((k) => html`<option value="${k}"${k === '1h' ? html` selected` : ''}>${k}</option>`)}</select></label>
<label>${t(lang, 'label')} <input name="label" maxlength="200"></label><p><button>${t(lang, 'add')}</button></p></form>
<section class="card scroll"><table><tr><th>id</th><th>URL</th><th>${t(lang, 'kind')}</th><th>${t(lang, 'status')}</th><th>${t(lang, 'lastCrawled')}</th><th>${t(lang, 'bundles')}</th><th></th></tr>
${rows.map(
  (
    s,
  ) => html`<tr><td>${s.id}</td><td>${s.url}${s.label ? html`<br><span class="muted">${s.label}</span>` : ''}${s.discoveredVia ? html`<br><span class="muted">${s.discoveredVia}</span>` : ''}</td>
<td>${s.kind}</td><td><span class="tag${s.enabled ? '' : ' paused'}">${s.enabled ? t(lang, 'watching') : t(lang, 'paused')}</span> ${s.status ?? ''}</td>
<td class="muted">${s.lastCrawledAt?.toISOString().slice(0, 16).replace('T', ' ') ?? '—'}</td><td>${counts.get(s.id) ?? 0}</td>
<td><form method="post" action="/admin/sources/${s.id}/enabled" class="inline"><input type="hidden" name="csrf" value="${csrf}"><input type="hidden" name="enabled" value="${s.enabled ? 'false' : 'true'}"><button>${s.enabled ? t(lang, 'pause') : t(lang, 'resume')}</button></form></td></tr>`,
)}</table></section>`;
    return show(c, t(lang, 'sources'), body, status);
  };

  app.get('/admin/sources', (c) => sourcesPage(c));
  app.post('/admin/sources', async (c) => {
    const form = await c.req.parseBody();
    let url: string;
    try {
      url = canonicalSourceUrl(String(form.url ?? '').trim());
      if (!/^https?:\/\//.test(url)) throw new Error();
    } catch {
      return sourcesPage(
        c,
        html`<p class="card error">not an http(s) URL: ${String(form.url ?? '')}</p>`,
        400,
      );
    }
    const every = EVERY[String(form.every ?? 'manual')] || undefined;
    const label =
      String(form.label ?? '')
        .trim()
        .slice(0, 200) || undefined;
    const [row] = await deps.db
      .insert(sources)
      .values({ url, kind: sourceKind(url), everySeconds: every, label })
      .onConflictDoUpdate({ target: sources.url, set: { everySeconds: every, label, enabled: true } })
      .returning();
    await recordCustody(deps.db, {
      chain: 'global',
      event: 'source_added',
      actor: c.get('user').name,
      data: { url, every: every ?? null, label: label ?? null },
    });
    return sourcesPage(c, html`<p class="card ok">${row!.id} ${row!.url}</p>`);
  });
  app.post('/admin/sources/:id/enabled', async (c) => {
    const form = await c.req.parseBody();
    const enabled = form.enabled === 'true';
    const id = Number(c.req.param('id'));
    const rows = Number.isInteger(id)
      ? await deps.db
          .update(sources)
          .set({ enabled })
          .where(eq(sources.id, id))
          .returning({ url: sources.url })
      : [];
    if (rows.length === 0) throw new DozorError(`no source with id ${c.req.param('id')}`);
    await recordCustody(deps.db, {
      chain: 'global',
      event: enabled ? 'source_resumed' : 'source_paused',
      actor: c.get('user').name,
      data: { url: rows[0]!.url },
    });
    return c.redirect('/admin/sources', 303);
  });

  app.get('/admin/rules', async (c) => {
    const lang = c.get('lang');
    const pack = loadRulePack(deps.rulesDir ?? loadConfig().rulesDir);
    const stats = await ruleStats(deps.db, deps.confirmations);
    const rules = [...pack.rules].sort(
      (a, b) => (stats.get(b.id)?.hits ?? 0) - (stats.get(a.id)?.hits ?? 0) || (a.id < b.id ? -1 : 1),
    );
    const share = (id: string) => {
      const s = stats.get(id);
      const decided = s ? s.confirmed + s.dismissed : 0;
      return s && decided ? `${Math.round((100 * s.dismissed) / decided)}% (${s.dismissed}/${decided})` : '—';
    };
    const body = html`<section class="card"><p class="muted">${t(lang, 'rulesReadOnly')} · pack <code>${pack.version.slice(0, 12)}</code></p><div class="scroll"><table>
<tr><th>${t(lang, 'rule')}</th><th>${t(lang, 'category')}</th><th>${t(lang, 'weight')}</th><th>${t(lang, 'enabled')}</th><th>${t(lang, 'hits')}</th><th>${t(lang, 'dismissedShare')}</th></tr>
${rules.map((r) => html`<tr><td><code>${r.id}</code><br><span class="muted">${r.file}:${r.line}</span></td><td>${r.category}</td><td>${r.weight}</td><td>${r.enabled === false ? t(lang, 'no') : t(lang, 'yes')}</td><td>${stats.get(r.id)?.hits ?? 0}</td><td>${share(r.id)}</td></tr>`)}
</table></div></section>`;
    return show(c, t(lang, 'rules'), body);
  });

  const usersPage = async (c: Context<AuthEnv>, notice?: SafeHtml, status = 200) => {
    const lang = c.get('lang');
    const rows = await listUsers(deps.db);
    const body = html`${notice ?? ''}<form class="card" method="post" action="/admin/users"><input type="hidden" name="csrf" value="${c.get('csrf')}">
<h2>${t(lang, 'add')}</h2><label>${t(lang, 'name')} <input name="name" required maxlength="40" pattern="[\\p{L}\\p{N}._\\-]{2,40}"></label>
<label>${t(lang, 'role')} <select name="role">${ROLES.map((r) => html`<option value="${r}">${t(lang, r === 'admin' ? 'admin' : r)}</option>`)}</select></label>
<p><button>${t(lang, 'add')}</button></p></form>
<section class="card scroll"><table><tr><th>${t(lang, 'name')}</th><th>${t(lang, 'role')}</th><th>${t(lang, 'created')}</th></tr>
${rows.map((u) => html`<tr><td>${u.name}</td><td>${t(lang, u.role === 'admin' ? 'admin' : u.role)}</td><td class="muted">${u.createdAt.toISOString().slice(0, 10)}</td></tr>`)}</table></section>`;
    return show(c, t(lang, 'users'), body, status);
  };
  app.get('/admin/users', (c) => usersPage(c));
  app.post('/admin/users', async (c) => {
    const lang = c.get('lang');
    const form = await c.req.parseBody();
    const name = String(form.name ?? '').trim();
    try {
      const password = await addUser(deps.db, name, String(form.role ?? ''), c.get('user').name);
      return usersPage(
        c,
        html`<div class="card"><p>${name}: ${t(lang, 'oneTimePassword')}</p><p class="secret">${password}</p></div>`,
      );
    } catch (err) {
      if ((err as Error).name !== 'DozorError') throw err;
      return usersPage(c, html`<p class="card error">${(err as Error).message}</p>`, 400);
    }
  });
}

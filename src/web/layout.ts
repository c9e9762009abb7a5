/** The page frame of the console: no inline script or style, so the CSP can forbid both. */
import { roleCan } from '../review/users.ts';
import { html, type SafeHtml } from './html.ts';
import { LANGS, type Lang, t } from './i18n.ts';

/** Who is looking at the page, for the navigation and the log-out form. */
export interface Viewer {
  user: { name: string; role: string };
  csrf: string;
}

/** A full page; the navigation shows only what `viewer`'s role may open. */
export function page(lang: Lang, title: string, body: SafeHtml, viewer?: Viewer): string {
  const u = viewer?.user;
  const nav = u
    ? html`<a href="/queue">${t(lang, 'queue')}</a><a href="/bundles">${t(lang, 'bundles')}</a><a href="/shops">${t(lang, 'shops')}</a><a href="/dashboard">${t(lang, 'dashboard')}</a>${roleCan(u.role, 'export') ? html`<a href="/exports">${t(lang, 'exports')}</a>` : ''}${roleCan(u.role, 'admin') ? html`<a href="/admin/sources">${t(lang, 'admin')}</a>` : ''}`
    : '';
  return html`<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t(lang, 'title')}</title><link rel="stylesheet" href="/static/console.css">
<script src="/static/console.js" defer></script></head>
<body><header><a class="brand" href="/queue">${t(lang, 'title')}</a>
<nav>${nav}${LANGS.map((l) => html`<a class="lang${l === lang ? ' on' : ''}" href="?lang=${l}" hreflang="${l}">${l}</a>`)}
${u && viewer ? html`<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${viewer.csrf}"><button>${t(lang, 'logout')} (${u.name})</button></form>` : ''}
</nav></header><main>${body}</main></body></html>`.value;
}

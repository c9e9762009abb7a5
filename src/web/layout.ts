/** The page frame of the console: no inline script or style, so the CSP can forbid both. */
import { html, type SafeHtml } from './html.ts';
import { LANGS, type Lang, t } from './i18n.ts';

/** A full page. */
export function page(
  lang: Lang,
  title: string,
  body: SafeHtml,
  opts: { user?: string; csrf?: string } = {},
): string {
  return html`<!DOCTYPE html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t(lang, 'title')}</title><link rel="stylesheet" href="/static/console.css"></head>
<body><header><a class="brand" href="/queue">${t(lang, 'title')}</a>
<nav>${opts.user ? html`<a href="/queue">${t(lang, 'queue')}</a> <a href="/bundles">${t(lang, 'bundles')}</a> <a href="/shops">${t(lang, 'shops')}</a>` : ''}
${LANGS.map((l) => html` <a class="lang${l === lang ? ' on' : ''}" href="?lang=${l}">${l}</a>`)}
${opts.user && opts.csrf ? html` <form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${opts.csrf}"><button>${t(lang, 'logout')} (${opts.user})</button></form>` : ''}
</nav></header><main>${body}</main></body></html>`.value;
}

/** The console's stylesheet, served from /static/console.css. */
export const CONSOLE_CSS = `*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f4f5f7}
header{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:8px;padding:8px 16px;background:#14324a;color:#fff}
header a{color:#fff;margin-right:8px}.brand{font-weight:700;text-decoration:none}.lang.on{font-weight:700}
main{max-width:980px;margin:0 auto;padding:16px}form.inline{display:inline}
.card{background:#fff;border-radius:8px;padding:16px;margin-bottom:16px;box-shadow:0 1px 2px #0002}
pre{white-space:pre-wrap;word-break:break-word;background:#fafafa;padding:12px;border-radius:6px}
mark{background:#ffd54f}img.shot{max-width:100%;border:1px solid #ccc}
.actions{display:flex;flex-wrap:wrap;gap:8px}.actions button{flex:1;min-width:110px;padding:12px;font-size:16px;border:0;border-radius:6px;color:#fff}
.confirm{background:#2e7d32}.dismiss{background:#757575}.escalate{background:#c62828}
textarea,input{width:100%;padding:8px;font-size:16px}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 6px;border-bottom:1px solid #ddd;word-break:break-all}
.error{color:#b00020}`;

/**
 * The triage view of one bundle: text with highlighted matches, screenshot, QR codes, blurred
 * images, source, shop, note and the three decisions. Every scraped string goes through `html`
 * (escaped); links found in listings are shown as text, never as live anchors.
 */
import type { BundleDetail } from '../review/bundle-queries.ts';
import { DECISIONS } from '../review/review.ts';
import type { Shop } from '../shops/shop-queries.ts';
import { highlight, html, type SafeHtml } from './html.ts';
import { type Lang, t } from './i18n.ts';

/** What the view needs besides the bundle. */
export interface BundleViewInput {
  lang: Lang;
  b: BundleDetail;
  csrf: string;
  /** The viewer has decided on this bundle, so earlier decisions may be shown. */
  decided: boolean;
  /** The bundle's shop: a Shop, null when it has none, undefined while shops are being computed. */
  shop: Shop | null | undefined;
  /** Other bundles of the shop with their permalinks. */
  siblings: { id: string; permalink: string }[];
}

const KEYS = { confirm: 'c', dismiss: 'd', escalate: 'e' } as const;
const fileUrl = (id: string, name: string) =>
  `/bundles/${id}/files/${name.split('/').map(encodeURIComponent).join('/')}`;

/** The body of the bundle page. */
export function bundleView(v: BundleViewInput): SafeHtml {
  const { lang, b } = v;
  const id = b.bundle.id;
  const images = b.artifacts.filter(
    (a) => a.name.startsWith('images/') && /^image\/(png|jpeg|gif|webp)$/.test(a.mime),
  );
  const downloads = b.artifacts.filter((a) => a.name !== 'screenshot.png' && !images.includes(a));
  return html`<div class="triage">
<section class="card">
<h1>${b.listing.permalink}</h1>
<p class="meta"><b>${t(lang, 'source')}:</b> ${b.source?.url ?? '—'}${b.source?.label ? html` (${b.source.label})` : ''}
 · <b>${t(lang, 'verdict')}:</b> ${b.detection.verdict} (${b.detection.score.toFixed(1)})
 · <b>${t(lang, 'created')}:</b> ${b.bundle.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC
${v.decided ? html` · <b>${t(lang, 'status')}:</b> ${t(lang, b.status)}` : ''}</p>
<h2>${t(lang, 'text')}</h2><pre class="text" dir="ltr">${highlight(b.listing.text, b.detection.matches)}</pre>
<h2>${t(lang, 'matches')}</h2><ul>${b.detection.matches.map(
    (m) => html`<li><code>${m.rule}</code> <span class="muted">${m.category}</span> «${m.text}»</li>`,
  )}</ul>
${b.codes.length ? html`<h2>${t(lang, 'qrCodes')}</h2><ul>${b.codes.map((q) => html`<li><span class="tag">${q.kind}</span> <code>${q.text}</code>${q.target && q.target !== q.text ? html` → <code>${q.target}</code>` : ''}</li>`)}</ul>` : ''}
${b.listing.links.length ? html`<h2>${t(lang, 'links')}</h2><ul>${b.listing.links.slice(0, 50).map((l) => html`<li><code>${l}</code></li>`)}</ul>` : ''}
</section>
${decideForm(v)}
<section class="card"><h2>${t(lang, 'screenshot')}</h2>
<div class="shotbox"><img class="shot" alt="${t(lang, 'screenshot')}" src="${fileUrl(id, 'screenshot.png')}" loading="lazy"></div>
${images.length ? html`<h2>${t(lang, 'images')}</h2><div class="images">${images.map((a) => html`<label class="blur"><input type="checkbox"><img alt="" src="${fileUrl(id, a.name)}" loading="lazy"><span>${t(lang, 'clickToShow')}</span></label>`)}</div>` : ''}
</section>
<section class="card">${shopBlock(v)}</section>
<section class="card"><h2>${t(lang, 'files')}</h2><div class="scroll"><table>${downloads.map(
    (a) =>
      html`<tr><td><a href="${fileUrl(id, a.name)}" download>${a.name}</a></td><td class="muted">${a.size} B</td><td><code>${a.sha256}</code></td></tr>`,
  )}</table></div></section>
${v.decided ? decisionsBlock(v) : ''}
</div>`;
}

function decideForm(v: BundleViewInput): SafeHtml {
  const { lang, b } = v;
  return html`<form class="card decide" method="post" action="/bundles/${b.bundle.id}/review">
<input type="hidden" name="csrf" value="${v.csrf}">
<label>${t(lang, 'note')} <kbd>n</kbd><textarea name="note" rows="2" maxlength="2000"></textarea></label>
<div class="actions">${DECISIONS.map((d) => html`<button class="${d}" name="decision" value="${d}" data-key="${KEYS[d]}">${t(lang, d)}<kbd>${KEYS[d]}</kbd></button>`)}</div>
${v.decided ? html`<p class="ok">${t(lang, 'decided')}</p>` : html`<p class="muted">${t(lang, 'decisionsHidden')}</p>`}
<div class="pager"><a rel="prev" href="/queue?before=${b.bundle.id}">‹ ${t(lang, 'newer')} <kbd>k</kbd></a>
<a rel="next" href="/queue?after=${b.bundle.id}"><kbd>j</kbd> ${t(lang, 'older')} ›</a></div>
<details class="help" id="help"><summary>${t(lang, 'shortcuts')} <kbd>?</kbd></summary><table>
<tr><td><kbd>c</kbd></td><td>${t(lang, 'confirm')}</td></tr><tr><td><kbd>d</kbd></td><td>${t(lang, 'dismiss')}</td></tr>
<tr><td><kbd>e</kbd></td><td>${t(lang, 'escalate')}</td></tr><tr><td><kbd>j</kbd></td><td>${t(lang, 'keyNext')}</td></tr>
<tr><td><kbd>k</kbd></td><td>${t(lang, 'keyPrev')}</td></tr><tr><td><kbd>n</kbd></td><td>${t(lang, 'keyNote')}</td></tr>
<tr><td><kbd>?</kbd></td><td>${t(lang, 'keyHelp')}</td></tr></table></details>
</form>`;
}

function shopBlock(v: BundleViewInput): SafeHtml {
  const { lang, shop } = v;
  if (shop === undefined)
    return html`<h2>${t(lang, 'shop')}</h2><p class="muted">${t(lang, 'shopsPending')}</p>`;
  if (shop === null) return html`<h2>${t(lang, 'shop')}</h2><p class="muted">${t(lang, 'noShop')}</p>`;
  return html`<h2>${t(lang, 'shop')} <a href="/shops/${shop.id}">${shop.id}</a></h2>
<p>${shop.identifiers.slice(0, 12).map((i) => html`<code class="tag">${i.kind}:${i.value}</code> `)}</p>
<p class="meta"><b>${t(lang, 'sources')}:</b> ${shop.sources.slice(0, 10).join(' · ')}</p>
<h2>${t(lang, 'otherListings')} (${Math.max(0, shop.bundles.length - 1)})</h2>
<ul>${v.siblings.map((s) => html`<li><a href="/bundles/${s.id}">${s.id}</a> <span class="muted">${s.permalink}</span></li>`)}</ul>`;
}

function decisionsBlock(v: BundleViewInput): SafeHtml {
  const { lang, b } = v;
  return html`<section class="card"><h2>${t(lang, 'decisions')}</h2><div class="scroll"><table>
<tr><th>${t(lang, 'reviewer')}</th><th>${t(lang, 'status')}</th><th>${t(lang, 'note')}</th><th>${t(lang, 'when')}</th></tr>
${b.reviews.map((r) => html`<tr><td>${r.reviewer}</td><td>${t(lang, r.decision)}</td><td>${r.note ?? ''}</td><td class="muted">${r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td></tr>`)}
</table></div></section>`;
}

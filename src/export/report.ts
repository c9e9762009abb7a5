/** The packet's human-readable parts: report.html (Russian and English) and summary.csv. */
import type { BundleDetail } from '../review/bundle-queries.ts';
import { highlight, html } from '../web/html.ts';

/** The shop a bundle belongs to, as the report and summary show it. */
export type ShopOf = (
  bundleId: string,
) => { id: string; identifiers: { kind: string; value: string }[] } | undefined;

/** Packet facts shown at the top of the report. */
export interface ReportMeta {
  packetId: string;
  createdBy: string;
  createdAt: string;
  fingerprint: string;
}

const STYLE = `body{font-family:'DejaVu Sans',Arial,sans-serif;margin:24px;color:#111}h1{font-size:20px}
section{page-break-inside:avoid;border-top:2px solid #333;margin-top:24px;padding-top:8px}
mark{background:#ffd54f}pre{white-space:pre-wrap;background:#f6f6f6;padding:8px}
img{max-width:100%;border:1px solid #ccc}table{border-collapse:collapse}td{padding:2px 8px;vertical-align:top}`;

/** The report; `imageSrc(bundleId, name)` says where an artifact's image is (relative path or data URI). */
export function reportHtml(
  meta: ReportMeta,
  items: BundleDetail[],
  imageSrc: (id: string, name: string) => string,
  shopOf: ShopOf = () => undefined,
) {
  const sections = items.map((b) => {
    const shop = shopOf(b.bundle.id);
    return html`<section>
<h2>Пакет доказательств / Evidence bundle ${b.bundle.id}</h2>
<table>
<tr><td>Адрес / URL</td><td>${b.listing.permalink}</td></tr>
<tr><td>Источник / Source</td><td>${b.source?.url ?? ''}</td></tr>
<tr><td>Опубликовано / Posted</td><td>${b.listing.postedAt?.toISOString() ?? '—'}</td></tr>
<tr><td>Сохранено / Captured</td><td>${b.bundle.createdAt.toISOString()}</td></tr>
<tr><td>Вердикт / Verdict</td><td>${b.detection.verdict} (${b.detection.score}), rules ${b.detection.rulePackVersion}</td></tr>
<tr><td>Получено с / Fetched from</td><td>${b.page.finalUrl} (HTTP ${b.page.status}, IP ${b.page.resolvedIp ?? '—'}, ${b.page.fetchedAt.toISOString()})</td></tr>
${b.page.redirects.length ? html`<tr><td>Перенаправления / Redirects</td><td>${b.page.redirects.join(' → ')}</td></tr>` : ''}
${b.page.tls ? html`<tr><td>TLS</td><td>${b.page.tls.subject}; issuer ${b.page.tls.issuer}; SHA-256 ${b.page.tls.fingerprint256}${b.page.tls.authorized ? '' : ' (not verified)'}</td></tr>` : ''}
${b.bundle.parentBundleId ? html`<tr><td>Найдено через пакет / Found through bundle</td><td>${b.bundle.parentBundleId}</td></tr>` : ''}
${shop ? html`<tr><td>Магазин / Shop</td><td>${shop.id}: ${shop.identifiers.map((i) => `${i.kind}:${i.value}`).join(', ')}</td></tr>` : ''}
<tr><td>Решения / Reviews</td><td>${b.reviews.map((r) => html`${r.reviewer}: ${r.decision} (${r.createdAt.toISOString()})${r.note ? html` — ${r.note}` : ''}<br>`)}</td></tr>
</table>
<h3>Текст / Text</h3>
<pre>${highlight(b.listing.text, b.detection.matches)}</pre>
<h3>Совпадения / Matches</h3>
<ul>${b.detection.matches.map((m) => html`<li>${m.rule} (${m.category}): «${m.text}»</li>`)}</ul>
${b.codes.length ? html`<h3>QR-коды / QR codes</h3><ul>${b.codes.map((c) => html`<li>«${c.text}» (${c.kind}${c.target ? html` → ${c.target}` : ''}), image SHA-256 <code>${c.imageSha256}</code></li>`)}</ul>` : ''}
${b.listing.links.length ? html`<h3>Ссылки / Links</h3><ul>${b.listing.links.map((l) => html`<li>${l}</li>`)}</ul>` : ''}
<h3>Снимок экрана / Screenshot</h3>
<img src="${imageSrc(b.bundle.id, 'screenshot.png')}" alt="screenshot">
<h3>Файлы / Files (SHA-256)</h3>
<table>${b.artifacts.map((a) => html`<tr><td>${a.name}</td><td><code>${a.sha256}</code></td></tr>`)}</table>
</section>`;
  });
  return html`<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>Dozor ${meta.packetId}</title><style>${STYLE}</style></head>
<body>
<h1>Dozor — пакет доказательств / evidence packet ${meta.packetId}</h1>
<p>Составил / Created by: ${meta.createdBy}, ${meta.createdAt}. Пакетов / Bundles: ${items.length}.<br>
Ключ подписи / Signing key SHA-256: <code>${meta.fingerprint}</code></p>
<p>Проверка / Verification: VERIFY.txt</p>
${sections}
</body></html>
`.value;
}

/** A CSV cell, quoted, with formula-looking values defused by a leading apostrophe. */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return `"${s.replace(/"/g, '""')}"`;
}

/** summary.csv: one row per bundle. */
export function summaryCsv(items: BundleDetail[], shopOf: ShopOf = () => undefined): string {
  const head = [
    'bundle_id',
    'status',
    'url',
    'source',
    'verdict',
    'score',
    'rules',
    'posted_at',
    'captured_at',
    'reviewers',
    'shop',
  ];
  const rows = items.map((b) => [
    b.bundle.id,
    b.status,
    b.listing.permalink,
    b.source?.url,
    b.detection.verdict,
    b.detection.score,
    [...new Set(b.detection.matches.map((m) => m.rule))].join(' '),
    b.listing.postedAt?.toISOString(),
    b.bundle.createdAt.toISOString(),
    [...new Set(b.reviews.map((r) => `${r.reviewer}:${r.decision}`))].join(' '),
    shopOf(b.bundle.id)?.id,
  ]);
  return `${[head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

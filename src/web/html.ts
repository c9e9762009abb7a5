/**
 * Safe HTML building: every interpolated value is escaped unless it is already `SafeHtml`.
 * Used by the console and the packet report, where all scraped text is hostile.
 */

/** HTML that was built by `html` and is safe to insert as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

/**
 * Escapes text for HTML content and quoted attributes; bidirectional overrides (used to disguise
 * text) are shown as visible codes instead of being applied.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `[U+${c.charCodeAt(0).toString(16).toUpperCase()}]`);
}

type Value = string | number | boolean | null | undefined | SafeHtml | Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`. */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  return new SafeHtml(
    strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''),
  );
}

/** The text with each match wrapped in `<mark>` (rule id on hover), everything escaped. */
export function highlight(text: string, matches: { start: number; end: number; rule: string }[]): SafeHtml {
  const sorted = [...matches].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const m of sorted) {
    if (m.start < at || m.end > text.length) continue; // overlapping: the first one wins
    out += escapeHtml(text.slice(at, m.start));
    out += `<mark title="${escapeHtml(m.rule)}">${escapeHtml(text.slice(m.start, m.end))}</mark>`;
    at = m.end;
  }
  return new SafeHtml(out + escapeHtml(text.slice(at)));
}

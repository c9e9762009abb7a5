/**
 * Which text encoding a fetched page uses, and its text: a byte-order mark, else the charset of the
 * Content-Type header, else a `<meta charset>` / `<meta http-equiv>` in the first bytes, else UTF-8.
 * Unknown labels fall through to the next source; decoding never throws (bad bytes become U+FFFD).
 */

/** How far into the body a `<meta>` charset is looked for. */
const META_SCAN_BYTES = 4096;

function bomEncoding(body: Uint8Array): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** The encoding label `label` stands for, or undefined when TextDecoder does not know it. */
function known(label: string | undefined): string | undefined {
  if (!label) return undefined;
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return undefined;
  }
}

/** The charset named by a Content-Type header value, if any. */
export function headerCharset(contentType: string | undefined): string | undefined {
  return /charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(contentType ?? '')?.[1];
}

/** The charset named by a `<meta charset>` or `<meta http-equiv="Content-Type">` near the top of `body`. */
export function metaCharset(body: Uint8Array): string | undefined {
  const head = Buffer.from(body.subarray(0, META_SCAN_BYTES)).toString('latin1');
  for (const tag of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([\w:.-]+)/i.exec(tag)?.[1];
    if (direct) return direct;
  }
  return undefined;
}

/** The encoding (a WHATWG name such as `windows-1251`) to decode `body` with. */
export function detectEncoding(body: Uint8Array, contentType?: string): string {
  const fromMeta = known(metaCharset(body));
  return (
    bomEncoding(body) ??
    known(headerCharset(contentType)) ??
    // A page cannot declare UTF-16 in its own ASCII-compatible bytes: the standard reads that as UTF-8.
    (fromMeta?.startsWith('utf-16') ? 'utf-8' : fromMeta) ??
    'utf-8'
  );
}

/** Decodes an HTML body to text with the detected encoding (the BOM is dropped). */
export function decodeHtml(body: Uint8Array, contentType?: string): string {
  return new TextDecoder(detectEncoding(body, contentType)).decode(body);
}

const binaryMagic: [string, number[]][] = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x52, 0x49, 0x46, 0x46]],
  ['application/pdf', [0x25, 0x50, 0x44, 0x46]],
  ['application/zip', [0x50, 0x4b, 0x03, 0x04]],
  ['application/gzip', [0x1f, 0x8b]],
];

/**
 * What binary type `body` is when it is clearly not a text page (by magic number, or NUL bytes in
 * its first KiB without a UTF-16 BOM); undefined for anything that may be HTML, whatever its
 * declared Content-Type.
 */
export function sniffBinary(body: Uint8Array): string | undefined {
  for (const [type, magic] of binaryMagic) {
    if (magic.every((b, i) => body[i] === b)) return type;
  }
  if (bomEncoding(body)?.startsWith('utf-16')) return undefined;
  return body.subarray(0, 1024).includes(0) ? 'application/octet-stream' : undefined;
}

/**
 * A WARC file (gzip, one member per record) of one fetch: warcinfo, the request Dozor sent and the
 * response it received, so standard web-archive tools can replay and check the capture.
 */
import { WARCRecord, WARCSerializer } from 'warcio';
import type { Page } from '../../db/schema.ts';

/** The WARC bytes for `page` with its raw `body`. */
export async function warcOf(page: Page, body: Uint8Array, opts: { userAgent: string; software: string }) {
  const date = page.fetchedAt.toISOString();
  const url = page.finalUrl;
  const info = WARCRecord.createWARCInfo(
    { filename: 'capture.warc.gz', warcVersion: 'WARC/1.1' },
    { software: opts.software, format: 'WARC File Format 1.1', isPartOf: 'Dozor evidence bundle' },
  );
  const target = new URL(url);
  const request = WARCRecord.create(
    {
      url,
      date,
      type: 'request',
      warcVersion: 'WARC/1.1',
      statusline: `GET ${target.pathname}${target.search} HTTP/1.1`,
      httpHeaders: {
        host: target.host,
        'user-agent': opts.userAgent,
        accept: 'text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.8',
        'accept-encoding': 'identity',
      },
    },
    [],
  );
  const response = WARCRecord.create(
    {
      url,
      date,
      type: 'response',
      warcVersion: 'WARC/1.1',
      statusline: `HTTP/1.1 ${page.status} ${statusText(page.status)}`,
      httpHeaders: withoutFraming(page.headers),
      warcHeaders: page.resolvedIp ? { 'WARC-IP-Address': page.resolvedIp } : {},
    },
    [body],
  );
  const parts = [];
  for (const record of [info, request, response])
    parts.push(await WARCSerializer.serialize(record, { gzip: true }));
  return Buffer.concat(parts);
}

/** Headers as received, minus those that described the transfer rather than the body we store. */
function withoutFraming(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (!/^(transfer-encoding|content-encoding)$/i.test(k)) out[k] = v;
  }
  return out;
}

function statusText(status: number): string {
  return { 200: 'OK', 203: 'Non-Authoritative Information', 206: 'Partial Content' }[status] ?? '';
}

/** Reads back the records of a WARC (header names lower-cased). */
export async function readWarc(bytes: Uint8Array) {
  const { WARCParser } = await import('warcio');
  const records: { type: string; url: string | null; payload: Uint8Array; headers: Map<string, string> }[] =
    [];
  for await (const record of new WARCParser([bytes])) {
    const payload = await record.readFully(false);
    const headers = new Map<string, string>();
    for (const [k, v] of record.warcHeaders.headers) headers.set(k.toLowerCase(), v);
    records.push({ type: record.warcType ?? '', url: record.warcTargetURI ?? null, payload, headers });
  }
  return records;
}

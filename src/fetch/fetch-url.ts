/**
 * The guarded fetcher: resolves each host, refuses private addresses on every hop (unless
 * allowed), follows a bounded number of redirects, and caps body size and total time.
 */
import { lookup as dnsLookup } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from '../../db/schema.ts';
import { isPrivateAddress } from './address-policy.ts';
import { FetchError } from './errors.ts';

/** Limits and policy for one fetch. */
export interface FetchOptions {
  /** Allow loopback and private addresses. @default false */
  allowPrivate?: boolean;
  /** Largest body accepted, in bytes. @default 10 MiB */
  maxBytes?: number;
  /** Redirects followed before giving up. @default 5 */
  maxRedirects?: number;
  /** Total time for all hops, in ms. @default 20000 */
  timeoutMs?: number;
  userAgent?: string;
}

/** What a fetch returns: the raw bytes and the response metadata kept as evidence. */
export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  resolvedIp?: string;
  /** The server certificate, for HTTPS. */
  tls?: TlsInfo;
  redirects: string[];
  fetchedAt: string;
}

/** Fetches `url` under the address policy and limits; throws FetchError. */
export async function fetchUrl(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const redirects: string[] = [];
  let current = parseHttpUrl(url);
  for (;;) {
    const hop = await fetchOnce(current, options, deadline);
    const location = hop.headers.location;
    if (hop.status >= 300 && hop.status < 400 && location) {
      if (redirects.length >= (options.maxRedirects ?? 5)) {
        throw new FetchError(
          'too_many_redirects',
          `more than ${options.maxRedirects ?? 5} redirects from ${url}`,
        );
      }
      redirects.push(current.href);
      current = parseHttpUrl(new URL(location, current).href);
      continue;
    }
    return { ...hop, url, finalUrl: current.href, redirects };
  }
}

function parseHttpUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FetchError('bad_url', `not a URL: ${raw}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FetchError('bad_url', `only http and https can be fetched: ${raw}`);
  }
  return u;
}

/** A DNS lookup that refuses private addresses; used by the socket itself, so no TOCTOU gap. */
function guardedLookup(allowPrivate: boolean, seen: { ip?: string }): LookupFunction {
  return (hostname, opts, callback) => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (!allowPrivate && bad) {
        return callback(
          new FetchError('blocked', `${hostname} resolves to private address ${bad.address}`),
          '',
          0,
        );
      }
      seen.ip = addresses[0]?.address;
      if (opts.all) return (callback as (e: null, a: typeof addresses) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new Error(`no address for ${hostname}`), '', 0);
      callback(null, first.address, first.family);
    });
  };
}

function fetchOnce(u: URL, options: FetchOptions, deadline: number) {
  const allowPrivate = options.allowPrivate ?? false;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !allowPrivate && isPrivateAddress(host)) {
    throw new FetchError(
      'blocked',
      `refusing private address ${host} (${u.href}); --allow-private allows it`,
    );
  }
  if (!allowPrivate && /^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host)) {
    throw new FetchError('blocked', `refusing local host name ${host}`);
  }
  const seen: { ip?: string } = isIP(host) ? { ip: host } : {};
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw new FetchError('timeout', `timed out fetching ${u.href}`);
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise<Omit<FetchResult, 'url' | 'finalUrl' | 'redirects'>>((resolve, reject) => {
    const fetchedAt = new Date().toISOString();
    const req = lib.request(
      u,
      {
        method: 'GET',
        lookup: guardedLookup(allowPrivate, seen),
        // Shops run on self-signed and expired certificates too: capture anyway, record whether it verified.
        rejectUnauthorized: false,
        headers: {
          'user-agent': options.userAgent ?? 'Dozor/0.1',
          accept: 'text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.8',
          'accept-encoding': 'identity',
        },
      },
      (res) => {
        const tls = u.protocol === 'https:' ? tlsInfo(res.socket as TLSSocket) : undefined;
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes) {
          req.destroy();
          return reject(
            new FetchError('too_large', `${u.href} declares ${declared} bytes (limit ${maxBytes})`),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new FetchError('too_large', `${u.href} is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) {
            if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers,
            body: Buffer.concat(chunks),
            resolvedIp: seen.ip ?? req.socket?.remoteAddress,
            tls,
            fetchedAt,
          });
        });
        res.on('error', (err) => req.destroy(err));
      },
    );
    req.setTimeout(remaining, () => req.destroy(new FetchError('timeout', `timed out fetching ${u.href}`)));
    req.on('error', (err) => {
      if (err instanceof FetchError) return reject(err);
      const cause = (err as NodeJS.ErrnoException).cause;
      if (cause instanceof FetchError) return reject(cause);
      reject(new FetchError('network', `cannot fetch ${u.href}: ${err.message}`, { cause: err }));
    });
    req.end();
  });
}

/** What the evidence keeps of a server certificate. */
function tlsInfo(socket: TLSSocket): TlsInfo | undefined {
  const cert = socket.getPeerCertificate?.();
  if (!cert?.fingerprint256) return undefined;
  const name = (o: object | undefined) =>
    Object.entries(o ?? {})
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`)
      .join(', ');
  return {
    subject: name(cert.subject),
    issuer: name(cert.issuer),
    fingerprint256: cert.fingerprint256,
    validFrom: new Date(cert.valid_from).toISOString(),
    validTo: new Date(cert.valid_to).toISOString(),
    protocol: socket.getProtocol?.() ?? undefined,
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : undefined,
  };
}

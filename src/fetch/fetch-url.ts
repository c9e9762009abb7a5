/**
 * The guarded fetcher: resolves each host and refuses private addresses on every hop (unless
 * allowed), connects to exactly the address it checked (no DNS rebinding in between), follows a
 * bounded number of redirects and stops loops, and caps body size, connect, idle and total time.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { TlsInfo } from '../../db/schema.ts';
import { type AddressPolicy, type ResolvedAddress, resolveAllowed } from './address-policy.ts';
import { FetchError } from './errors.ts';

/** Limits and policy for one fetch (the address policy: allowPrivate, allow, resolve). */
export interface FetchOptions extends AddressPolicy {
  /** Largest body accepted, in bytes. @default 10 MiB */
  maxBytes?: number;
  /** What to do with a body over maxBytes: fail with `too_large`, or keep the first maxBytes and flag it. @default 'error' */
  onTooLarge?: 'error' | 'truncate';
  /** Redirects followed before giving up. @default 5 */
  maxRedirects?: number;
  /** Total time for all hops, headers and body, in ms: a body that never finishes is cut here. @default 20000 */
  timeoutMs?: number;
  /** Time to open the connection (and TLS), in ms. @default 10000 */
  connectTimeoutMs?: number;
  /** Longest silence while waiting for headers or body bytes, in ms. @default 15000 */
  readTimeoutMs?: number;
  /** User-Agent header. @default 'Dozor/0.1' */
  userAgent?: string;
}

/** What a fetch returns: the raw bytes and the response metadata kept as evidence. */
export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** True when the body was cut at maxBytes (only with `onTooLarge: 'truncate'`). */
  truncated?: boolean;
  resolvedIp?: string;
  /** The server certificate, for HTTPS. */
  tls?: TlsInfo;
  redirects: string[];
  fetchedAt: string;
}

type Hop = Omit<FetchResult, 'url' | 'finalUrl' | 'redirects'>;

/** Fetches `url` under the address policy and limits; throws FetchError. */
export async function fetchUrl(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  const maxRedirects = options.maxRedirects ?? 5;
  const redirects: string[] = [];
  const visited = new Set<string>();
  let current = parseHttpUrl(url);
  for (;;) {
    visited.add(withoutHash(current));
    const hop = await fetchOnce(current, options, deadline);
    const location = hop.headers.location;
    if (hop.status >= 300 && hop.status < 400 && location) {
      const next = parseHttpUrl(resolveLocation(location, current));
      if (visited.has(withoutHash(next))) {
        throw new FetchError(
          'redirect_loop',
          `redirect loop: ${current.href} redirects back to ${next.href}`,
        );
      }
      if (redirects.length >= maxRedirects) {
        throw new FetchError('too_many_redirects', `more than ${maxRedirects} redirects from ${url}`);
      }
      redirects.push(current.href);
      current = next;
      continue;
    }
    return { ...hop, url, finalUrl: current.href, redirects };
  }
}

/** One request without following redirects (the browser follows them itself, each hop checked again). */
export async function fetchHop(url: string, options: FetchOptions = {}): Promise<FetchResult> {
  const u = parseHttpUrl(url);
  const hop = await fetchOnce(u, options, Date.now() + (options.timeoutMs ?? 20_000));
  return { ...hop, url, finalUrl: u.href, redirects: [] };
}

function withoutHash(u: URL): string {
  return u.href.replace(/#.*$/, '');
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new FetchError('bad_url', `bad redirect Location from ${base.href}: ${location.slice(0, 200)}`);
  }
}

function parseHttpUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FetchError('bad_url', `not a URL: ${raw.slice(0, 200)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FetchError('bad_url', `only http and https can be fetched: ${raw.slice(0, 200)}`);
  }
  return u;
}

async function fetchOnce(u: URL, options: FetchOptions, deadline: number): Promise<Hop> {
  const pinned = await resolveAllowed(u.hostname, options);
  if (deadline - Date.now() <= 0) throw new FetchError('timeout', `timed out fetching ${u.href}`);
  return request(u, pinned, options, deadline);
}

function request(u: URL, pinned: ResolvedAddress, options: FetchOptions, deadline: number): Promise<Hop> {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const truncate = options.onTooLarge === 'truncate';
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise<Hop>((resolve, reject) => {
    const fetchedAt = new Date().toISOString();
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      fn();
    };
    const fail = (err: FetchError) => {
      finish(() => reject(err));
      req.destroy();
    };
    const hostname = u.hostname.replace(/^\[|\]$/g, '');
    const req = lib.request(
      {
        // Connect to the checked address itself (so kept-alive sockets are pooled per address, not
        // per name); the name goes in the Host header and TLS SNI.
        protocol: u.protocol,
        host: pinned.address,
        family: pinned.family,
        port: u.port || (u.protocol === 'https:' ? 443 : 80),
        path: `${u.pathname}${u.search}`,
        method: 'GET',
        ...(isIP(hostname) ? {} : { servername: hostname }),
        // Shops run on self-signed and expired certificates too: capture anyway, record whether it verified.
        rejectUnauthorized: false,
        headers: {
          host: u.host,
          'user-agent': options.userAgent ?? 'Dozor/0.1',
          accept: 'text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.8',
          'accept-encoding': 'identity',
        },
      },
      (res) => {
        const tls = u.protocol === 'https:' ? tlsInfo(res.socket as TLSSocket) : undefined;
        const declared = Number(res.headers['content-length'] ?? 0);
        if (declared > maxBytes && !truncate) {
          return fail(
            new FetchError('too_large', `${u.href} declares ${declared} bytes (limit ${maxBytes})`),
          );
        }
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (truncated: boolean) =>
          finish(() =>
            resolve({
              status: res.statusCode ?? 0,
              headers: flatHeaders(res.headers),
              body: Buffer.concat(chunks),
              ...(truncated ? { truncated } : {}),
              resolvedIp: pinned.address,
              tls,
              fetchedAt,
            }),
          );
        res.on('data', (chunk: Buffer) => {
          if (settled) return;
          if (size + chunk.length > maxBytes) {
            if (!truncate) {
              return fail(new FetchError('too_large', `${u.href} is larger than ${maxBytes} bytes`));
            }
            chunks.push(chunk.subarray(0, maxBytes - size));
            size = maxBytes;
            done(true);
            req.destroy();
            return;
          }
          size += chunk.length;
          chunks.push(chunk);
        });
        res.on('end', () => done(false));
        res.on('aborted', () => fail(new FetchError('network', `connection closed mid-body by ${u.host}`)));
        res.on('error', (err) => fail(networkError(u, err)));
      },
    );
    const remaining = deadline - Date.now();
    timers.push(
      setTimeout(
        () =>
          fail(new FetchError('timeout', `no complete response from ${u.href} within the total deadline`)),
        remaining,
      ),
    );
    req.on('socket', (socket) => {
      if (!socket.connecting) return; // a kept-alive socket: already connected
      const connectMs = options.connectTimeoutMs ?? 10_000;
      const t = setTimeout(
        () => fail(new FetchError('timeout', `cannot connect to ${u.host} within ${connectMs} ms`)),
        Math.min(connectMs, remaining),
      );
      timers.push(t);
      socket.once(u.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(t));
    });
    const readMs = options.readTimeoutMs ?? 15_000;
    req.setTimeout(readMs, () =>
      fail(new FetchError('timeout', `${u.host} sent nothing for ${readMs} ms (${u.href})`)),
    );
    req.on('error', (err) => fail(networkError(u, err)));
    req.end();
  });
}

function networkError(u: URL, err: Error): FetchError {
  if (err instanceof FetchError) return err;
  return new FetchError('network', `cannot fetch ${u.href}: ${err.message}`, { cause: err });
}

function flatHeaders(raw: http.IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return headers;
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

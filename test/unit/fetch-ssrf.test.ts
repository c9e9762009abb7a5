/** The SSRF guard: every hop resolved and checked, the socket pinned to the checked address. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Resolver, resolveAllowed } from '../../src/fetch/address-policy.ts';
import { FetchError } from '../../src/fetch/errors.ts';
import { fetchUrl } from '../../src/fetch/fetch-url.ts';

/** A resolver answering from a table; names it does not know fail like NXDOMAIN. */
function fakeResolver(table: Record<string, string[]>, calls: string[] = []): Resolver {
  return async (host) => {
    calls.push(host);
    const ips = table[host];
    if (!ips) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return ips.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const onlyLoopback = { allow: ['127.0.0.1'] };

let port = 0;
let lastHeaders: IncomingHttpHeaders = {};
const server = createServer((req, res) => {
  lastHeaders = req.headers;
  if (req.url === '/to-metadata') {
    return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
  }
  if (req.url === '/to-evil-name')
    return res.writeHead(302, { location: `http://evil.test:${port}/x` }).end();
  res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const blocked = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(FetchError);
  expect((err as FetchError).code).toBe('blocked');
  expect((err as FetchError).retryable).toBe(false);
  return err as FetchError;
};

describe('address forms that all mean loopback', () => {
  it.each([
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.1/',
    'http://127.1/',
    'http://0x7f000001/',
    'http://127.0.0.1./',
  ])('%s is refused before any lookup', async (url) => {
    const calls: string[] = [];
    await blocked(fetchUrl(url, { resolve: fakeResolver({}, calls) }));
    expect(calls).toEqual([]);
  });
});

describe('resolved addresses', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.7', 'private'],
    ['169.254.169.254', 'metadata'],
    ['100.64.3.4', 'CGNAT'],
    ['fd00:ec2::254', 'AWS IPv6 metadata'],
    ['::ffff:192.168.0.1', 'IPv4-mapped private'],
    ['fe80::1', 'link-local'],
  ])('a host name resolving to %s (%s) is refused', async (ip) => {
    const err = await blocked(
      fetchUrl('http://shop.test/', { resolve: fakeResolver({ 'shop.test': [ip] }) }),
    );
    expect(err.message).toContain(ip);
  });

  it('refuses a name when any of its addresses is private', async () => {
    await blocked(
      fetchUrl('http://mixed.test/', {
        resolve: fakeResolver({ 'mixed.test': ['93.184.216.34', '127.0.0.1'] }),
      }),
    );
  });

  it('refuses local names without asking DNS', async () => {
    const calls: string[] = [];
    await blocked(fetchUrl('http://metadata.google.internal/', { resolve: fakeResolver({}, calls) }));
    await blocked(fetchUrl('http://LOCALHOST./', { resolve: fakeResolver({}, calls) }));
    expect(calls).toEqual([]);
  });

  it('an explicit allow entry admits only that address', async () => {
    await expect(resolveAllowed('127.0.0.1', onlyLoopback)).resolves.toMatchObject({ address: '127.0.0.1' });
    await blocked(resolveAllowed('127.0.0.2', onlyLoopback));
    await expect(resolveAllowed('10.1.2.3', { allow: ['10.0.0.0/8'] })).resolves.toBeTruthy();
  });
});

describe('every redirect hop is checked', () => {
  it('refuses a redirect to 169.254.169.254', async () => {
    const err = await blocked(fetchUrl(`http://127.0.0.1:${port}/to-metadata`, onlyLoopback));
    expect(err.message).toContain('169.254.169.254');
  });

  it('refuses a redirect to a name that resolves to a private address', async () => {
    const resolve = fakeResolver({ 'evil.test': ['127.0.0.2'] });
    const err = await blocked(
      fetchUrl(`http://127.0.0.1:${port}/to-evil-name`, { ...onlyLoopback, resolve }),
    );
    expect(err.message).toMatch(/evil\.test resolves to private address 127\.0\.0\.2/);
  });
});

describe('the socket is pinned to the checked address', () => {
  it('connects to the address it checked and resolves once, whatever DNS says next', async () => {
    const calls: string[] = [];
    let answer = '127.0.0.1';
    // A rebinding resolver: first a harmless answer, then a different one.
    const resolve: Resolver = async (host) => {
      calls.push(host);
      const address = answer;
      answer = '10.9.9.9';
      return [{ address, family: 4 }];
    };
    const r = await fetchUrl(`http://pinned.test:${port}/`, { ...onlyLoopback, resolve });
    expect(r.body.toString()).toBe('hello');
    expect(r.resolvedIp).toBe('127.0.0.1');
    expect(lastHeaders.host).toBe(`pinned.test:${port}`);
    expect(calls).toEqual(['pinned.test']);
  });
});

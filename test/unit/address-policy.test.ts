import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/fetch/address-policy.ts';
import { FetchError } from '../../src/fetch/errors.ts';
import { fetchUrl } from '../../src/fetch/fetch-url.ts';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '64:ff9b::a9fe:a9fe',
  ])('%s is refused', (ip) => expect(isPrivateAddress(ip)).toBe(true));

  it.each(['93.184.216.34', '2606:4700::1111', '8.8.8.8'])('%s is public', (ip) =>
    expect(isPrivateAddress(ip)).toBe(false),
  );
});

describe('fetchUrl address policy', () => {
  it.each([
    'http://127.0.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://localhost/',
  ])('refuses %s before connecting', async (url) => {
    const err = await fetchUrl(url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).code).toBe('blocked');
  });

  it('refuses file: and other schemes', async () => {
    await expect(fetchUrl('file:///etc/passwd')).rejects.toMatchObject({ code: 'bad_url' });
  });
});

describe('fetchUrl limits (local server, private allowed)', () => {
  let origin = '';
  const server = createServer((req, res) => {
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/big') return res.end(Buffer.alloc(2 * 1024 * 1024));
    if (req.url === '/hang') return; // never answers
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>ok</p>');
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('fetches and records metadata', async () => {
    const r = await fetchUrl(`${origin}/`, { allowPrivate: true });
    expect(r).toMatchObject({ status: 200, resolvedIp: '127.0.0.1', finalUrl: `${origin}/` });
    expect(r.body.toString()).toBe('<p>ok</p>');
  });

  it('stops a redirect loop', async () => {
    await expect(fetchUrl(`${origin}/loop`, { allowPrivate: true })).rejects.toMatchObject({
      code: 'redirect_loop',
    });
  });

  it('caps the body size', async () => {
    await expect(
      fetchUrl(`${origin}/big`, { allowPrivate: true, maxBytes: 1024 * 1024 }),
    ).rejects.toMatchObject({
      code: 'too_large',
    });
  });

  it('times out a page that never finishes', async () => {
    await expect(fetchUrl(`${origin}/hang`, { allowPrivate: true, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'timeout',
      retryable: true,
    });
  });
});

describe('fetchUrl over HTTPS', () => {
  it('records the certificate subject, issuer and fingerprint, and that it did not verify', async () => {
    const { execFileSync } = await import('node:child_process');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const https = await import('node:https');
    const dir = mkdtempSync(`${tmpdir()}/dozor-tls-`);
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=shop.test/O=Fixture Shop',
        '-keyout',
        `${dir}/key.pem`,
        '-out',
        `${dir}/cert.pem`,
      ],
      { stdio: 'ignore' },
    );
    const server = https.createServer(
      { key: readFileSync(`${dir}/key.pem`), cert: readFileSync(`${dir}/cert.pem`) },
      (req, res) => res.end(`secure ${(req.socket as import('node:tls').TLSSocket).servername || '-'}`),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const r = await fetchUrl(`https://127.0.0.1:${port}/`, { allowPrivate: true });
      expect(r.body.toString()).toBe('secure -');
      expect(r.tls).toMatchObject({ subject: expect.stringContaining('CN=shop.test'), authorized: false });
      expect(r.tls?.issuer).toContain('O=Fixture Shop');
      expect(r.tls?.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      // By name: the socket goes to the checked address, the name travels in SNI and Host.
      const byName = await fetchUrl(`https://shop.test:${port}/`, {
        allow: ['127.0.0.1'],
        resolve: async () => [{ address: '127.0.0.1', family: 4 }],
      });
      expect(byName.body.toString()).toBe('secure shop.test');
      expect(byName.resolvedIp).toBe('127.0.0.1');
      expect(byName.tls?.subject).toContain('CN=shop.test');
    } finally {
      server.close();
    }
  });

  it('records the redirect chain', async () => {
    const server = createServer((req, res) => {
      if (req.url === '/a') return res.writeHead(301, { location: '/b' }).end();
      if (req.url === '/b') return res.writeHead(302, { location: '/c' }).end();
      res.end('done');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await fetchUrl(`${origin}/a`, { allowPrivate: true });
      expect(r.redirects).toEqual([`${origin}/a`, `${origin}/b`]);
      expect(r.finalUrl).toBe(`${origin}/c`);
    } finally {
      server.close();
    }
  });
});

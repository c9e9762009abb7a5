/** Bad input to the CLI: one clear line on stderr, exit 1 (failures) or 2 (usage), the rest still done. */
import { describe, expect, it } from 'vitest';
import { root, runCli, tmpHome } from '../helpers.ts';

const env = () => ({ DOZOR_HOME: tmpHome() });

describe('CLI errors', () => {
  it('an unreachable seed: one line, exit 1', async () => {
    const r = await runCli(
      ['crawl', '--seed', 'http://127.0.0.1:1/', '--allow-private', '--no-capture', '--json'],
      env(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dozor: could not fetch seed http:\/\/127\.0\.0\.1:1\/: .*ECONNREFUSED.*\n$/);
    expect(JSON.parse(r.stdout)).toMatchObject({ pages: 0, errors: 1 });
  });

  it('a private seed without --allow-private is refused with a hint', async () => {
    const r = await runCli(['crawl', '--seed', 'http://127.0.0.1:1/', '--no-capture'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refusing private address 127\.0\.0\.1\b.*--allow-private allows it\n$/);
  });

  it('qr: a non-image gets an error line and the other files are still read', async () => {
    const r = await runCli(
      ['qr', `${root}/fixtures/images/not-an-image.png`, `${root}/fixtures/site/img/wall-qr.jpg`],
      env(),
    );
    expect(r.code).toBe(1);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      file: `${root}/fixtures/images/not-an-image.png`,
      error: expect.stringMatching(/not a readable image/),
    });
    expect(lines[1]).toEqual({
      file: `${root}/fixtures/site/img/wall-qr.jpg`,
      codes: [{ text: 'https://t.me/hidden_stash', kind: 'telegram' }],
    });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('score: an invalid JSONL line is reported with its number; the other lines are scored in order', async () => {
    const input = [
      JSON.stringify({ id: 'L1', text: 'Мефедрон 1г — 15000₸, закладки, @shop_bot', channel: 'x' }),
      '{not json',
      JSON.stringify({ id: 'L3', text: 'Хорошей погоды' }),
    ].join('\n');
    const r = await runCli(['score', '-'], env(), input);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^dozor: line 2: .+\n$/);
    const out = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((o) => [o.id, o.flagged, o.verdict])).toEqual([
      ['L1', true, 'shop'],
      ['L3', false, 'none'],
    ]);
    expect(out[0].channel).toBe('x'); // other fields pass through
    expect(out[0].matches[0]).toEqual(
      expect.objectContaining({
        rule: expect.any(String),
        start: expect.any(Number),
        end: expect.any(Number),
      }),
    );
  });

  it('usage errors exit 2; --help exits 0', async () => {
    expect((await runCli(['review', 'abc'], env())).code).toBe(2);
    expect((await runCli(['crawl', '--depth', 'deep'], env())).code).toBe(2);
    const notUrl = await runCli(['crawl', '--seed', 'ftp://x.example/'], env());
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('not an http(s) URL: ftp://x.example/');
    const badHome = await runCli(['bundles', 'list'], { ...env(), DOZOR_HOME: '/proc/nope' });
    expect([badHome.code, badHome.stderr]).toEqual([
      1,
      'dozor: cannot create the state folder /proc/nope/db: /proc/nope: ENOENT\n',
    ]);
    const split = await runCli(
      ['rules', 'backtest', `${root}/fixtures/listings/listings.jsonl`, '--split', 'nosuch'],
      env(),
    );
    expect([split.code, split.stderr]).toEqual([
      1,
      `dozor: no lines with split "nosuch" in ${root}/fixtures/listings/listings.jsonl (splits there: train, heldout)\n`,
    ]);
    const detach = await runCli(['crawl', '--detach', '--seed', 'https://t.me/s/x'], env());
    expect([detach.code, detach.stderr]).toEqual([
      1,
      'dozor: --detach queues the crawl for workers: set REDIS_URL (see README, Running on many machines)\n',
    ]);
    expect((await runCli(['users', 'add', 'x1', '--role', 'king'], env())).code).toBe(2);
    const help = await runCli(['export', '--help'], env());
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--out <file.zip>');
  });

  it('a missing file or a directory is named with what is wrong; an out-of-range port is a usage error', async () => {
    const missing = await runCli(['rules', 'backtest', '/nonexistent/listings.jsonl'], env());
    expect([missing.code, missing.stderr]).toEqual([
      1,
      'dozor: /nonexistent/listings.jsonl: no such file or directory\n',
    ]);
    const dir = await runCli(['score', root], env());
    expect([dir.code, dir.stderr]).toEqual([1, `dozor: ${root}: is a directory, not a file\n`]);
    const port = await runCli(['serve', '--port', '99999'], env());
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('expected a port from 0 to 65535');
  });

  it('verify: a file that is not a ZIP, and a ZIP with ../ paths, fail with one line', async () => {
    const { writeFileSync } = await import('node:fs');
    const { zipSync } = await import('fflate');
    const home = tmpHome();
    writeFileSync(`${home}/a.zip`, 'hello');
    const notZip = await runCli(['verify', `${home}/a.zip`], env());
    expect(notZip).toMatchObject({ code: 1, stderr: `dozor: ${home}/a.zip: not a ZIP file\n` });
    writeFileSync(`${home}/b.zip`, zipSync({ '../evil.txt': new Uint8Array([1]) }));
    const evil = await runCli(['verify', `${home}/b.zip`], env());
    expect(evil.code).toBe(1);
    expect(evil.stderr).toMatch(/unsafe path in ZIP: \.\.\/evil\.txt/);
  });
});

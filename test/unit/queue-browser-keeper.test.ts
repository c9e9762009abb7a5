/** A worker's browser is started again after a failed launch or a crash, once however many captures notice. */
import { describe, expect, it } from 'vitest';
import type { Browser } from '../../src/capture/browser.ts';
import { browserKeeper } from '../../src/queue/browser-keeper.ts';

function fakeBrowser(id: number) {
  let connected = true;
  let closed = 0;
  const b: Browser & { id: number; die: () => void; closed: () => number } = {
    id,
    screenshot: async () => Buffer.from(`shot ${id}`),
    pdf: async () => Buffer.alloc(0),
    isConnected: () => connected,
    close: async () => {
      connected = false;
      closed++;
    },
    die: () => {
      connected = false;
    },
    closed: () => closed,
  };
  return b;
}

function launcher(failures = 0) {
  const launched: ReturnType<typeof fakeBrowser>[] = [];
  let calls = 0;
  const launch = async () => {
    calls++;
    await new Promise((r) => setTimeout(r, 5));
    if (calls <= failures) throw new Error(`launch ${calls} failed`);
    const b = fakeBrowser(launched.length + 1);
    launched.push(b);
    return b;
  };
  return { launch, launched, calls: () => calls };
}

describe('browserKeeper', () => {
  it('launches once for concurrent captures and reuses the running browser', async () => {
    const l = launcher();
    const keeper = browserKeeper(l.launch);
    const [a, b] = await Promise.all([keeper.get(), keeper.get()]);
    expect(a).toBe(b);
    expect(await keeper.get()).toBe(a);
    expect(l.calls()).toBe(1);
  });

  it('tries again after a failed launch instead of failing every later capture', async () => {
    const l = launcher(1);
    const keeper = browserKeeper(l.launch);
    await expect(keeper.get()).rejects.toThrow('launch 1 failed');
    const b = (await keeper.get()) as ReturnType<typeof fakeBrowser>;
    expect(b.id).toBe(1);
    expect(l.calls()).toBe(2);
  });

  it('starts a new browser when the running one died, once for captures that notice together', async () => {
    const l = launcher();
    const keeper = browserKeeper(l.launch);
    const first = (await keeper.get()) as ReturnType<typeof fakeBrowser>;
    first.die();
    const [a, b] = (await Promise.all([keeper.get(), keeper.get()])) as ReturnType<typeof fakeBrowser>[];
    expect(a!.id).toBe(2);
    expect(b).toBe(a);
    expect(first.closed()).toBe(1);
    expect(l.calls()).toBe(2);
  });

  it('close closes the running browser, and is a no-op when none was started', async () => {
    await browserKeeper(launcher().launch).close();
    const l = launcher();
    const keeper = browserKeeper(l.launch);
    const b = (await keeper.get()) as ReturnType<typeof fakeBrowser>;
    await keeper.close();
    expect(b.closed()).toBe(1);
    expect(b.isConnected!()).toBe(false);
  });
});

/**
 * A worker's browser for captures: started on the first capture, and started again when it failed
 * to start or has died (Chromium crashed or was killed). Without this, one failed launch or one
 * Chromium crash left the worker failing every capture it took until its retries ran out.
 */
import type { Browser } from '../capture/browser.ts';

/** The browser of one worker process. */
export interface BrowserKeeper {
  /** The running browser; launches one when there is none, the last launch failed, or it is disconnected. */
  get: () => Promise<Browser>;
  /** Closes the browser if one was started (a launch in progress is awaited, then closed). */
  close: () => Promise<void>;
}

/** Keeps the browser `launch` starts; a launch failure is thrown to the caller and the next `get` tries again. */
export function browserKeeper(launch: () => Promise<Browser>): BrowserKeeper {
  let current: Promise<Browser> | undefined;
  return {
    async get() {
      for (;;) {
        const start = current ?? launch();
        current = start;
        let browser: Browser;
        try {
          browser = await start;
        } catch (err) {
          if (current === start) current = undefined;
          throw err;
        }
        if (browser.isConnected?.() ?? true) return browser;
        // dead: forget it (once, if several captures noticed together) and start another
        if (current === start) {
          current = undefined;
          browser.close().catch(() => {});
        }
      }
    },
    async close() {
      const start = current;
      current = undefined;
      const browser = await start?.catch(() => undefined);
      await browser?.close();
    },
  };
}

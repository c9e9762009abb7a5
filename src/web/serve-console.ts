/** Runs the console over HTTP until SIGINT or SIGTERM, then closes the server and the database. */
import { serve } from '@hono/node-server';
import type { DbHandle } from '../../db/client.ts';
import type { BlobStore } from '../capture/blobs.ts';
import { createConsole } from './app.ts';

/** Serves the console; resolves when it has been stopped by a signal. */
export async function serveConsole(opts: {
  handle: DbHandle;
  blobs: BlobStore;
  confirmations: number;
  host: string;
  port: number;
  onListening?: (url: string) => void;
}): Promise<void> {
  const app = createConsole({ db: opts.handle.db, blobs: opts.blobs, confirmations: opts.confirmations });
  await new Promise<void>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: opts.host, port: opts.port }, (info) =>
      opts.onListening?.(`http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${info.port}`),
    );
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE' ? `port ${opts.port} is in use: choose another with --port` : err.message,
        ),
      ),
    );
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close(() => resolve());
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

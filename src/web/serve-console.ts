/** Runs the console over HTTP until SIGINT or SIGTERM, then closes the server and the database. */
import { serve } from '@hono/node-server';
import type { DbHandle } from '../../db/client.ts';
import { type ConsoleDeps, createConsole } from './app.ts';

/** Serves the console; resolves when it has been stopped by a signal. */
export async function serveConsole(
  opts: Omit<ConsoleDeps, 'db'> & {
    handle: DbHandle;
    host: string;
    port: number;
    onListening?: (url: string) => void;
  },
): Promise<void> {
  const { handle, host, port, onListening, ...deps } = opts;
  const app = createConsole({ ...deps, db: handle.db });
  await new Promise<void>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: port }, (info) =>
      onListening?.(`http://${host.includes(':') ? `[${host}]` : host}:${info.port}`),
    );
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'EADDRINUSE' ? `port ${port} is in use: choose another with --port` : err.message,
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

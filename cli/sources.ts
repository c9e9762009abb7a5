/** `dozor sources add|list|remove`: what to watch. */
import type { Command } from 'commander';
import { asc, eq } from 'drizzle-orm';
import { sources } from '../db/schema.ts';
import { DozorError } from '../src/config/errors.ts';
import { canonicalSourceUrl, sourceKind } from '../src/fetch/telegram-url.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { choiceOption, durationOption } from './options.ts';
import { action, forTerminal, printJson } from './run-action.ts';

function checkedUrl(raw: string): string {
  try {
    const url = canonicalSourceUrl(raw);
    if (!/^https?:/.test(url)) throw new Error();
    return url;
  } catch {
    throw new DozorError(`not an http(s) URL: ${raw}`);
  }
}

export function registerSources(program: Command): void {
  const cmd = program.command('sources').description('what to watch: channels and pages');
  cmd
    .command('add')
    .argument('<url>', 'channel (https://t.me/NAME) or page URL')
    .option(
      '--kind <kind>',
      'auto | telegram | web',
      choiceOption(['auto', 'telegram', 'web'] as const),
      'auto',
    )
    .option('--every <duration>', 'how often to crawl it (30m, 1h, 1d)', durationOption)
    .option('--label <text>', 'a label for people')
    .description('add a source (or update its schedule and label)')
    .action(
      action(
        async (
          config,
          raw: string,
          flags: { kind: 'auto' | 'telegram' | 'web'; every?: number; label?: string },
        ) => {
          const url = checkedUrl(raw);
          const kind = flags.kind === 'auto' ? sourceKind(url) : flags.kind;
          const handle = await openDbFor(config);
          try {
            const [row] = await handle.db
              .insert(sources)
              .values({ url, kind, everySeconds: flags.every, label: flags.label })
              .onConflictDoUpdate({
                target: sources.url,
                set: { everySeconds: flags.every, label: flags.label, enabled: true },
              })
              .returning();
            process.stdout.write(`${row!.id} ${row!.url}\n`);
          } finally {
            await handle.close();
          }
        },
      ),
    );
  cmd
    .command('list')
    .description('list sources')
    .option('--json', 'one JSON object per line')
    .action(
      action(async (config, flags: { json?: boolean }) => {
        const handle = await openDbFor(config);
        try {
          const rows = await handle.db.select().from(sources).orderBy(asc(sources.id));
          for (const s of rows) {
            if (flags.json) printJson(s);
            else {
              const every = s.everySeconds ? `every ${s.everySeconds}s` : 'manual';
              const state = s.enabled ? (s.status ?? 'new') : 'removed';
              process.stdout.write(
                `${s.id}\t${s.kind}\t${state}\t${every}\t${forTerminal(s.url)}${s.discoveredVia ? `\t(found via ${forTerminal(s.discoveredVia)})` : ''}\n`,
              );
            }
          }
        } finally {
          await handle.close();
        }
      }),
    );
  cmd
    .command('remove')
    .argument('<url>', 'the source URL')
    .description('stop watching a source (its evidence is kept)')
    .action(
      action(async (config, raw: string) => {
        const handle = await openDbFor(config);
        try {
          const rows = await handle.db
            .update(sources)
            .set({ enabled: false })
            .where(eq(sources.url, checkedUrl(raw)))
            .returning({ id: sources.id });
          if (rows.length === 0) throw new DozorError(`no source ${raw} (see: dozor sources list)`);
        } finally {
          await handle.close();
        }
      }),
    );
}

/** `dozor sources add|list|approve|remove`: what to watch. */
import type { Command } from 'commander';
import { asc, eq } from 'drizzle-orm';
import { type Source, sources } from '../db/schema.ts';
import { DozorError } from '../src/config/errors.ts';
import { canonicalSourceUrl, sourceKind } from '../src/fetch/telegram-url.ts';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { choiceOption, durationOption, intOption } from './options.ts';
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

/** What `sources list` shows as a source's state. */
export function sourceState(s: Pick<Source, 'enabled' | 'approved' | 'status'>): string {
  if (!s.enabled) return 'removed';
  if (!s.approved) return 'pending';
  if (s.status === 'no_preview')
    return 'no_preview (t.me/s redirects to t.me: the channel has no public preview)';
  return s.status ?? 'new';
}

interface AddFlags {
  kind: 'auto' | 'telegram' | 'web';
  every?: number;
  label?: string;
  render: 'auto' | 'http' | 'browser';
  robots: boolean;
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
    .option(
      '--render <mode>',
      'auto | http | browser: fetch plainly, or render with Chromium (auto: when empty without JavaScript)',
      choiceOption(['auto', 'http', 'browser'] as const),
      'auto',
    )
    .option('--no-robots', "ignore the site's robots.txt for this source")
    .description('add a source (or update its schedule, label and fetch settings)')
    .action(
      action(async (config, raw: string, flags: AddFlags) => {
        const url = checkedUrl(raw);
        const kind = flags.kind === 'auto' ? sourceKind(url) : flags.kind;
        const settings = { render: flags.render, respectRobots: flags.robots };
        const handle = await openDbFor(config);
        try {
          const [row] = await handle.db
            .insert(sources)
            .values({ url, kind, everySeconds: flags.every, label: flags.label, ...settings })
            .onConflictDoUpdate({
              target: sources.url,
              // added by hand: an admin's decision, so a pending discovered source becomes approved
              set: {
                everySeconds: flags.every,
                label: flags.label,
                enabled: true,
                approved: true,
                ...settings,
              },
            })
            .returning();
          process.stdout.write(`${row!.id} ${row!.url}\n`);
        } finally {
          await handle.close();
        }
      }),
    );
  cmd
    .command('list')
    .description('list sources (discovered ones waiting for approval show as pending)')
    .option('--pending', 'only sources waiting for approval')
    .option('--json', 'one JSON object per line')
    .action(
      action(async (config, flags: { json?: boolean; pending?: boolean }) => {
        const handle = await openDbFor(config);
        try {
          const rows = await handle.db
            .select()
            .from(sources)
            .where(flags.pending ? eq(sources.approved, false) : undefined)
            .orderBy(asc(sources.id));
          for (const s of rows) {
            if (flags.json) printJson({ ...s, state: sourceState(s).split(' ')[0] });
            else {
              const every = s.everySeconds ? `every ${s.everySeconds}s` : 'manual';
              process.stdout.write(
                `${s.id}\t${s.kind}\t${sourceState(s)}\t${every}\t${forTerminal(s.url)}${s.discoveredVia ? `\t(found via ${forTerminal(s.discoveredVia)})` : ''}\n`,
              );
            }
          }
        } finally {
          await handle.close();
        }
      }),
    );
  cmd
    .command('approve')
    .argument('<id...>', 'source ids (see: dozor sources list --pending)')
    .description('approve discovered sources so the next crawl fetches them')
    .action(
      action(async (config, ids: string[]) => {
        const handle = await openDbFor(config);
        try {
          for (const raw of ids) {
            const id = intOption(raw);
            const rows = await handle.db
              .update(sources)
              .set({ approved: true })
              .where(eq(sources.id, id))
              .returning({ id: sources.id, url: sources.url, kind: sources.kind });
            if (rows.length === 0) throw new DozorError(`no source ${raw} (see: dozor sources list)`);
            const r = rows[0]!;
            const note = r.kind === 'bot' || r.kind === 'onion' ? ` (${r.kind}: recorded, not fetched)` : '';
            process.stdout.write(`${r.id} ${forTerminal(r.url)} approved${note}\n`);
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

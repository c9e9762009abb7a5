/** `dozor users add NAME --role R`: accounts for the console; prints the one-time password alone. */
import type { Command } from 'commander';
import { openDbFor } from '../src/pipeline/runtime.ts';
import { addUser, ROLES } from '../src/review/users.ts';
import { choiceOption } from './options.ts';
import { action } from './run-action.ts';

export function registerUsers(program: Command): void {
  const users = program.command('users').description('accounts for the console and the CLI');
  users
    .command('add')
    .description('add a user and print its one-time password')
    .argument('<name>', 'user name')
    .requiredOption('--role <role>', ROLES.join(' | '), choiceOption(ROLES))
    .action(
      action(async (config, name: string, flags: { role: string }) => {
        const handle = await openDbFor(config);
        try {
          process.stdout.write(`${await addUser(handle.db, name, flags.role)}\n`);
        } finally {
          await handle.close();
        }
      }),
    );
}

/** The `dozor` command: wires the command groups, nothing else. */
import { Command } from 'commander';
import { registerBundles } from './bundles.ts';
import { registerCrawl } from './crawl.ts';
import { registerCustody } from './custody.ts';
import { registerDemo } from './demo.ts';
import { registerExport } from './export.ts';
import { registerJobs } from './jobs.ts';
import { registerQr } from './qr.ts';
import { registerReview } from './review.ts';
import { registerRules } from './rules.ts';
import { registerScore } from './score.ts';
import { registerServe } from './serve.ts';
import { registerShops } from './shops.ts';
import { registerSources } from './sources.ts';
import { registerStatus } from './status.ts';
import { registerUsers } from './users.ts';
import { registerVerify } from './verify.ts';
import { registerWatch } from './watch.ts';
import { registerWorker } from './worker.ts';

const program = new Command('dozor')
  .description('Dozor: find drug shops in public channels, pages and QR codes; keep evidence that holds up')
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  .exitOverride((err) => {
    // commander: usage errors exit 2; --help and --version exit 0
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

for (const register of [
  registerDemo,
  registerSources,
  registerCrawl,
  registerWatch,
  registerWorker,
  registerStatus,
  registerJobs,
  registerScore,
  registerRules,
  registerQr,
  registerBundles,
  registerReview,
  registerShops,
  registerUsers,
  registerServe,
  registerExport,
  registerCustody,
  registerVerify,
]) {
  register(program);
}

await program.parseAsync(process.argv);

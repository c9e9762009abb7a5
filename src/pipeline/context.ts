/** What every stage receives: its dependencies, passed in explicitly. */
import type { Db } from '../../db/client.ts';
import type { BlobStore } from '../capture/blobs.ts';
import type { Browser } from '../capture/browser.ts';
import type { Config } from '../config/config.ts';
import type { RulePack } from '../detect/rule-types.ts';

export interface StageContext {
  db: Db;
  blobs: BlobStore;
  config: Config;
  rules: RulePack;
  /** The browser for screenshots; absent when capture is off. */
  browser?: Browser;
  /** Progress and warnings, to stderr. */
  log: (message: string) => void;
}

// Worker entry: loads tsx so the TypeScript decoder runs in a worker thread (no build step).
import { register } from 'tsx/esm/api';

register();
await import('./decode-worker.ts');

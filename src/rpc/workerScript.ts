import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker_thread `name` of a child process: the bundle `<name>.js` beside the running
 * bundle (dist/), or, when running from source (tests, benches), `<name>.ts` through tsx.
 */
export function startWorkerScript(dir: string, name: string, options: WorkerOptions = {}): Worker {
  const bundled = path.join(dir, `${name}.js`);
  if (fs.existsSync(bundled)) return new Worker(bundled, options);
  // Node 20 does not pass --import loaders on to worker threads: register tsx inside the worker.
  const source = path.join(dir, `${name}.ts`);
  const loader = 'tsx/cjs'; // a variable, so bundlers leave this development-only path alone
  return new Worker(`require(${JSON.stringify(require.resolve(loader))}); require(${JSON.stringify(source)});`, { ...options, eval: true });
}

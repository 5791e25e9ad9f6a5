/**
 * Threads lowered below the others (src/rpc/threadPriority.ts): the dataset worker below
 * onnxruntime, a model's shape inference below the next open. Only the calling thread, never the
 * process, and only on Linux (elsewhere nothing changes).
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { BACKGROUND_NICENESS, lowerThreadPriority, READER_NICENESS, threadId } from '../../../src/rpc/threadPriority';

const SOURCE = path.resolve(__dirname, '../../../src/rpc/threadPriority.ts');
const TSX = require.resolve('tsx/cjs');

/** In a fresh worker thread: inBackground's work sees its own priority; then the priority and keptLower(). */
const BACKGROUND_PROBE = `require(${JSON.stringify(TSX)});
  const { parentPort } = require('node:worker_threads');
  const os = require('node:os');
  const p = require(${JSON.stringify(SOURCE)});
  const before = os.getPriority(p.threadId());
  const during = p.inBackground(${BACKGROUND_NICENESS}, () => os.getPriority(p.threadId()));
  parentPort.postMessage({ before, during, after: os.getPriority(p.threadId()), keptLower: p.keptLower() });`;

function backgroundProbe(): Promise<{ before: number; during: number; after: number; keptLower: boolean }> {
  const worker = new Worker(BACKGROUND_PROBE, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => void worker.terminate().then(() => resolve(m)));
    worker.once('error', reject);
  });
}

/** Runs lowerThreadPriority in a fresh worker thread; its answer and its thread id. */
function inWorker(niceness: number): Promise<{ lowered: boolean; tid: number | null; priority: number }> {
  const code = `require(${JSON.stringify(require.resolve('tsx/cjs'))});
    const { parentPort } = require('node:worker_threads');
    const p = require(${JSON.stringify(SOURCE)});
    const lowered = p.lowerThreadPriority(${niceness});
    parentPort.postMessage({ lowered, tid: p.threadId(), priority: require('node:os').getPriority(p.threadId() ?? 0) });
    parentPort.once('message', () => process.exit(0));`;
  const worker = new Worker(code, { eval: true });
  return new Promise((resolve, reject) => {
    worker.once('message', (m) => {
      // Read the thread's priority while it still exists, then let it go.
      resolve(m);
      setTimeout(() => worker.postMessage('done'), 200);
    });
    worker.once('error', reject);
  });
}

describe('rpc/threadPriority', () => {
  it('lowers the calling thread only: the worker is niceness 10, the main thread unchanged (Linux)', async function () {
    if (process.platform !== 'linux') this.skip();
    const mainTid = threadId();
    assert.equal(mainTid, process.pid, 'the main thread\'s id is the process id');
    const before = os.getPriority(process.pid);
    const { lowered, tid } = await inWorker(READER_NICENESS);
    assert.equal(lowered, true);
    assert.ok(tid !== null && tid !== process.pid);
    assert.equal(os.getPriority(tid!), Math.max(before, READER_NICENESS));
    assert.equal(os.getPriority(process.pid), before, 'the main thread keeps its priority');
  });

  it('never makes a thread less nice than it is', async function () {
    if (process.platform !== 'linux') this.skip();
    assert.equal(lowerThreadPriority(os.getPriority(process.pid)), true, 'already that nice: nothing to do, and true');
    const before = os.getPriority(process.pid);
    const { lowered, priority } = await inWorker(before - 5);
    assert.equal(lowered, true);
    assert.equal(priority, before, 'not raised, even where it may be (root)');
  });

  it('runs background work lower, then sets the thread back where it may (root: CAP_SYS_NICE)', async function () {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) this.skip();
    const { before, during, after, keptLower } = await backgroundProbe();
    assert.equal(during, Math.max(before, BACKGROUND_NICENESS));
    assert.equal(after, before);
    assert.equal(keptLower, false);
  });

  it('keeps a thread lower where it may not be set back (an ordinary user), and says so', function () {
    // Run as `nobody` by root: the priority cannot be raised again without the privilege.
    if (process.platform !== 'linux' || process.getuid?.() !== 0) this.skip();
    const run = spawnSync(process.execPath, ['-e', `const { Worker } = require('node:worker_threads');
      new Worker(${JSON.stringify(BACKGROUND_PROBE)}, { eval: true }).once('message', (m) => { console.log(JSON.stringify(m)); process.exit(0); });`], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 60_000, env: { ...process.env, HOME: os.tmpdir() } });
    assert.equal(run.status, 0, run.stderr);
    const { before, during, after, keptLower } = JSON.parse(run.stdout.trim().split('\n').pop()!);
    assert.equal(before, 0);
    assert.equal(during, BACKGROUND_NICENESS);
    assert.equal(after, BACKGROUND_NICENESS);
    assert.equal(keptLower, true);
  });

  it('changes nothing where threads have no id of their own', function () {
    if (process.platform === 'linux') this.skip();
    assert.equal(threadId(), null);
    assert.equal(lowerThreadPriority(READER_NICENESS), false);
  });
});

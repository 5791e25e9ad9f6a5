/**
 * The dataset worker's thread runs below onnxruntime's (src/runtime/child/eval/threadPriority.ts):
 * only that thread, never the process, and only on Linux (elsewhere nothing changes).
 */
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { lowerThreadPriority, READER_NICENESS, threadId } from '../../../src/runtime/child/eval/threadPriority';

const SOURCE = path.resolve(__dirname, '../../../src/runtime/child/eval/threadPriority.ts');

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

describe('eval/threadPriority', () => {
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

  it('changes nothing where threads have no id of their own', function () {
    if (process.platform === 'linux') this.skip();
    assert.equal(threadId(), null);
    assert.equal(lowerThreadPriority(READER_NICENESS), false);
  });
});

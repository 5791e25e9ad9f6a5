/**
 * A model thread (src/analysisProcess/modelThread.ts) runs shape inference below the priority it
 * opens models at, so that the next model's open is not slowed by it (src/rpc/threadPriority.ts),
 * and sets its priority back afterwards where it may. Seen from outside: the niceness of this
 * process's threads (/proc), sampled while the real model thread opens a 20k-node model and then
 * works out its details.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { ThreadMethod, ThreadReply } from '../../../src/analysisProcess/threadMessages';
import { startWorkerScript } from '../../../src/rpc/workerScript';
import { BACKGROUND_NICENESS } from '../../../src/rpc/threadPriority';
import { transformerLike } from '../../fixtures/bigModels';
import { model } from '../../fixtures/onnxBuilder';

const THREAD_DIR = path.resolve(__dirname, '../../../src/analysisProcess');

const threadsNow = () => new Set(fs.readdirSync('/proc/self/task'));

/**
 * The highest niceness among this process's threads started since `before` (the model thread's;
 * other tests may have left threads of their own lowered, a dataset worker say).
 */
function highestThreadNiceness(before: Set<string>): number {
  let highest = -Infinity;
  for (const tid of threadsNow()) {
    if (before.has(tid)) continue;
    try {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis start at field 3 (state); niceness is field 19.
      highest = Math.max(highest, Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return highest;
}

/** Runs one job in the thread while sampling its niceness every few ms; the reply and the highest niceness seen. */
async function sampled(worker: Worker, before: Set<string>, job: number, method: ThreadMethod, params: unknown): Promise<{ reply: ThreadReply; highest: number }> {
  let highest = -Infinity;
  const timer = setInterval(() => (highest = Math.max(highest, highestThreadNiceness(before))), 5);
  try {
    const reply = await new Promise<ThreadReply>((resolve, reject) => {
      const onMessage = (r: ThreadReply) => {
        if (r.job !== job || 'ahead' in r) return;
        worker.off('message', onMessage);
        resolve(r);
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ job, method, params });
    });
    return { reply, highest };
  } finally {
    clearInterval(timer);
  }
}

describe('a model thread\'s shape inference runs below its open', function () {
  this.timeout(120_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-thread-priority-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('opens at its own priority, infers shapes at niceness 10, and is back afterwards (Linux, root may set it back)', async function () {
    if (process.platform !== 'linux') this.skip();
    const file = path.join(dir, 'transformer-20k.onnx');
    fs.writeFileSync(file, model(transformerLike({ nodes: 20_000, shareWeights: true })));
    const before = threadsNow();
    const start = os.getPriority(process.pid);
    const worker = startWorkerScript(THREAD_DIR, 'modelThread', { env: { ...process.env, ONNX_LENS_GRAPH_CACHE: path.join(dir, 'cache') } });
    try {
      const open = await sampled(worker, before, 1, 'open', { source: { file }, name: 'transformer-20k.onnx', key: 'k', hostNow: 0 });
      assert.ok('result' in open.reply, JSON.stringify(open.reply));
      assert.equal(open.highest, start, 'the open runs at the thread\'s own priority');
      const details = await sampled(worker, before, 2, 'details', { hostNow: 0 });
      assert.ok('result' in details.reply, JSON.stringify(details.reply));
      assert.equal(details.highest, Math.max(start, BACKGROUND_NICENESS), 'shape inference ran lower');
      if (process.getuid?.() === 0) {
        assert.equal(highestThreadNiceness(before), start, 'set back: root may');
        assert.equal(details.reply.keptLower, undefined);
      } else {
        assert.equal(details.reply.keptLower, true, 'kept lower, and the reply says so');
      }
    } finally {
      await worker.terminate();
    }
  });
});

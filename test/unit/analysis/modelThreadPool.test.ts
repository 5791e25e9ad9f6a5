import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ModelThreadPool } from '../../../src/analysisProcess/modelThreadPool';

/**
 * A stand-in model thread: answers every job at once, except `details`, which blocks its thread
 * (as shape inference does) until the test sets the shared flag — or the thread is terminated.
 */
const FAKE_THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData);
parentPort.on('message', ({ job, method, params }) => {
  if (method === 'details') while (Atomics.wait(flag, 0, 0, 20) === 'timed-out') {}
  parentPort.postMessage({ job, result: { method, params } });
});`;

function settledState<T>(promise: Promise<T>): { settled: boolean } {
  const state = { settled: false };
  promise.then(() => (state.settled = true), () => (state.settled = true));
  return state;
}

describe('the analysis process\'s model threads (one per open model)', function () {
  this.timeout(30_000);
  let flag: Int32Array;
  let started: number;
  let pool: ModelThreadPool;

  beforeEach(() => {
    flag = new Int32Array(new SharedArrayBuffer(4));
    started = 0;
    pool = new ModelThreadPool(() => {
      started++;
      return new Worker(FAKE_THREAD, { eval: true, workerData: flag.buffer });
    });
  });
  afterEach(() => {
    Atomics.store(flag, 0, 1);
    for (let id = 1; id <= 10; id++) pool.release(id);
  });

  it('answers a second model\'s open while the first model\'s inference still runs', async () => {
    const first = pool.hold(1);
    await first.request('adopt', { source: { file: 'a.onnx' } });
    const inference = first.request('details', { hostNow: 0 });
    const state = settledState(inference);
    const second = pool.hold(2);
    assert.notEqual(second, first);
    const opened = await second.request('open', { source: { file: 'b.onnx' }, name: 'b.onnx', key: 'k', hostNow: 0 });
    assert.deepEqual(opened, { method: 'open', params: { source: { file: 'b.onnx' }, name: 'b.onnx', key: 'k', hostNow: 0 } });
    assert.equal(state.settled, false, 'the first model\'s inference is still running');
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
    assert.equal((await inference as unknown as { method: string }).method, 'details');
  });

  it('stops a closed model\'s inference (its thread is terminated) and fails what was asked of it', async () => {
    const thread = pool.hold(1);
    const inference = thread.request('details', { hostNow: 0 });
    assert.ok(thread.busy);
    assert.equal(pool.release(1), true);
    await assert.rejects(inference, /no longer open/);
    assert.equal(thread.alive, false);
    assert.throws(() => pool.of(1), /no longer open/);
    assert.equal(pool.release(1), false);
  });

  it('keeps one spare thread started ahead, and reuses the thread of a model closed while idle', async () => {
    pool.warm();
    pool.warm();
    assert.equal(started, 1, 'one spare');
    const thread = pool.hold(1);
    assert.equal(started, 1, 'the open took the spare');
    await thread.request('adopt', { source: { file: 'a.onnx' } });
    pool.release(1);
    assert.equal(thread.alive, true, 'an idle thread is kept as the spare');
    assert.equal(pool.hold(2), thread);
    assert.equal(started, 1);
    pool.hold(3);
    assert.equal(started, 2, 'no spare left: a new thread');
  });

  it('keeps at most two idle threads when models are closed', async () => {
    const threads = [1, 2, 3].map((id) => pool.hold(id));
    await Promise.all(threads.map((t) => t.request('adopt', { source: { file: 'a.onnx' } })));
    for (const id of [1, 2, 3]) pool.release(id);
    assert.deepEqual(threads.map((t) => t.alive), [true, true, false]);
    assert.equal(pool.hold(4), threads[1], 'the thread closed last is taken first');
  });

  it('an idle thread does not keep the process alive (the process lives by its channel to the host)', () => {
    const pool = path.resolve(__dirname, '../../../src/analysisProcess/modelThreadPool.ts');
    const script = `const { Worker } = require('node:worker_threads');
      const { ModelThreadPool } = require(${JSON.stringify(pool)});
      new ModelThreadPool(() => new Worker(${JSON.stringify(FAKE_THREAD)}, { eval: true, workerData: new SharedArrayBuffer(4) })).warm();`;
    const run = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { timeout: 20_000, encoding: 'utf8' });
    assert.equal(run.error, undefined, 'the process did not exit by itself');
    assert.equal(run.status, 0, run.stderr);
  });

  it('cancelling a request terminates its thread', async () => {
    const thread = pool.hold(1);
    const abort = new AbortController();
    const inference = thread.request('details', { hostNow: 0 }, abort.signal);
    abort.abort();
    await assert.rejects(inference, /no longer open/);
    assert.equal(thread.alive, false);
  });

  it('runs a summary on a borrowed thread and keeps it as the spare', async () => {
    const result = await pool.borrow((thread) => thread.request('summarize', { file: 'a.onnx' }));
    assert.equal((result as unknown as { method: string }).method, 'summarize');
    pool.warm();
    assert.equal(started, 1, 'the borrowed thread became the spare');
  });

  it('does not keep a thread left at a lower priority: the next model\'s open would run there', async () => {
    // As src/analysisProcess/modelThread.ts answers once shape inference could not set its priority back.
    const lowering = new ModelThreadPool(() => new Worker(`
      const { parentPort } = require('node:worker_threads');
      parentPort.on('message', ({ job, method }) => parentPort.postMessage({ job, result: method, ...(method === 'details' ? { keptLower: true } : {}) }));`, { eval: true }));
    const thread = lowering.hold(1);
    await thread.request('adopt', { source: { file: 'a.onnx' } });
    assert.equal(thread.keptLower, false);
    await thread.request('details', { hostNow: 0 });
    assert.equal(thread.keptLower, true);
    lowering.release(1);
    assert.equal(thread.alive, false, 'terminated, not kept as a spare');
    const next = lowering.hold(2);
    assert.notEqual(next, thread);
    await next.request('adopt', { source: { file: 'b.onnx' } });
    lowering.release(2);
    assert.equal(next.alive, true, 'a thread at its own priority is kept');
    next.terminate();
  });
});

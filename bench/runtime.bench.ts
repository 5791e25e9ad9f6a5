/**
 * The runtime's costs, as ratios against baselines measured in this same process (issue 5):
 *  1. A `run` request through the runtime process and its protocol vs the same work in-process:
 *     `session.run` on the same model and inputs plus the output summaries the Run panel shows
 *     (target: <= 5% or <= 0.3 ms per run, the larger), with the protocol's own round trip beside it,
 *     once the process has answered a few thousand requests (and the figure before that too).
 *  2. Capturing every activation of ResNet-50 (onnx-light): the `session.run` that returns them all
 *     vs the plain `session.run`, both timed in the runtime process (target: <= 3x); the whole
 *     request, with one pass of statistics over every captured element, is reported next to it.
 *  3. The parent's event loop during a long benchmark sweep: max delay (target: < 50 ms).
 * Prints one JSON line at the end: { results: [{ name, line, ok }] }.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as ort from 'onnxruntime-node';
import { benchmarkModel, createRuntimeClient, type RuntimeRpc } from '../src/runtime/client/runtimeClient';
import { summarizeTensor, type RuntimeTensor } from '../src/runtime/child/ort/tensorSummary';
import { DEFAULT_SESSION_OPTIONS as options, type InputSpec } from '../src/shared/runtimeTypes';
import { lightModel } from '../test/fixtures/prerequisites';
import { median, timed } from './timing';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');
const RESNET = lightModel('light_resnet50.onnx');
const REPEATS = Number(process.env.BENCH_RUNTIME_REPEATS ?? 40);
const ROUNDS = Number(process.env.BENCH_RUNTIME_ROUNDS ?? 9);
/** Run requests before the timed rounds, at most, and at most for so long (see overhead()). */
const WARM_REQUESTS = Number(process.env.BENCH_RUNTIME_WARM ?? 3000);
const WARM_BUDGET_MS = 3000;

const results: { name: string; line: string; ok: boolean }[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);


/** Inputs the child generates from a seed, rebuilt here identically by paging them back once. */
async function directFeeds(rpc: RuntimeRpc, model: string, inputs: InputSpec[]): Promise<Record<string, ort.Tensor>> {
  const run = await rpc.request('run', { model, options, inputs });
  const feeds: Record<string, ort.Tensor> = {};
  for (const t of run.inputs) {
    const values = new Float32Array(t.elements);
    for (let offset = 0; offset < t.elements; offset += 65536) {
      const page = await rpc.request('page', { runId: run.runId, name: t.name, offset, count: 65536 });
      values.set(new Float64Array(page.buffer), offset);
    }
    feeds[t.name] = new ort.Tensor('float32', values, t.dims);
  }
  return feeds;
}

/**
 * Rounds alternate the in-process work, the run request and a one-element page request (the
 * protocol's floor: a round trip that does next to nothing in the child), so all three see the same
 * background load (these machines are shared); the figure is the median of per-round differences.
 */
async function overhead(rpc: RuntimeRpc, label: string, model: string, inputs: InputSpec[]): Promise<void> {
  const session = await ort.InferenceSession.create(model, { logSeverityLevel: 3 });
  const feeds = await directFeeds(rpc, model, inputs);
  const direct = async () => {
    const outputs = await session.run(feeds);
    for (const [name, t] of Object.entries(outputs)) await summarizeTensor(name, t as RuntimeTensor, { scores: true });
  };
  // Each run replaces the model's previous one in the child: the page request reads the latest.
  let last = await rpc.request('run', { model, options, inputs });
  const viaChild = async () => (last = await rpc.request('run', { model, options, inputs }));
  const floor = () => rpc.request('page', { runId: last.runId, name: last.outputs[0].name, offset: 0, count: 1 });
  // The runtime process's own code is optimised by V8 only after a few thousand requests (measured:
  // the digits MLP's run request took 0.51 ms after 40 of them, 0.31 ms after 1,000, 0.18 ms after
  // 3,000; with V8's optimising compilers off in the child it stays at 0.35 ms). The target is the
  // warm figure, the process being long-lived; the cold one is reported beside it.
  const coldChild = await timed(viaChild, REPEATS, 3);
  const coldDirect = await timed(direct, REPEATS, 3);
  let warm = 0;
  for (const started = performance.now(); warm < WARM_REQUESTS && performance.now() - started < WARM_BUDGET_MS; warm++) await viaChild();
  const rounds: { direct: number; child: number; floor: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push({ direct: await timed(direct, REPEATS, 3), child: await timed(viaChild, REPEATS, 3), floor: await timed(floor, REPEATS, 3) });
  }
  await session.release();
  const m = (f: (x: (typeof rounds)[number]) => number) => median(rounds.map(f));
  const extra = m((x) => x.child - x.direct);
  const allowed = Math.max(0.05 * m((x) => x.direct), 0.3);
  log(`  ${label}: in-process session.run + summaries ${m((x) => x.direct).toFixed(3)} ms, run request ${m((x) => x.child).toFixed(3)} ms, ` +
    `one-element page request ${m((x) => x.floor).toFixed(3)} ms (${ROUNDS} rounds of ${REPEATS}, load average ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores)`);
  results.push({
    name: `runtime process overhead (${label})`,
    line: `+${extra.toFixed(3)} ms per run = ${(100 * extra / m((x) => x.direct)).toFixed(1)}%, of which the protocol's round trip ${m((x) => x.floor).toFixed(3)} ms, after ${warm} more requests (target <= ${allowed.toFixed(2)} ms: 5% or 0.3 ms, the larger); in its first ${REPEATS + 5} requests +${(coldChild - coldDirect).toFixed(3)} ms`,
    ok: extra <= allowed,
  });
}

async function main(): Promise<void> {
  const rpc = createRuntimeClient(path.join(ROOT, 'src/runtime/child/ortChild.ts'), ['--import', 'tsx']);
  try {
    const sampleInputs: InputSpec[] = [{ name: 'input', dims: [1, 64], source: { kind: 'random', distribution: 'uniform', seed: 1, low: 0, high: 16 } }];
    const resnetInputs: InputSpec[] = [{ name: 'gpu_0/data_0', dims: [1, 3, 224, 224], source: { kind: 'random', distribution: 'normal', seed: 1 } }];
    log('Runtime process overhead (median of runs, same inputs) ...');
    await overhead(rpc, 'digits MLP', SAMPLE, sampleInputs);
    await overhead(rpc, 'ResNet-50', RESNET, resnetInputs);

    log('Activations of ResNet-50, all values in one run ...');
    const plainRuns: number[] = [];
    const captures: number[] = [];
    const stats: number[] = [];
    let captured = 0;
    let elements = 0;
    const request = await timed(async () => {
      plainRuns.push((await rpc.request('run', { model: RESNET, options, inputs: resnetInputs })).runMs);
      const a = await rpc.request('activations', { model: RESNET, options, inputs: resnetInputs, values: 'all' });
      captures.push(a.runMs);
      stats.push(a.statsMs);
      captured = a.activations.length;
      elements = a.activations.reduce((n, t) => n + t.elements, 0);
    }, 5, 3);
    const ratio = median(captures) / median(plainRuns);
    log(`  ${captured} values, ${(elements / 1e6).toFixed(1)} M elements: capture run ${median(captures).toFixed(1)} ms vs plain run ${median(plainRuns).toFixed(1)} ms; statistics ${median(stats).toFixed(1)} ms; both requests ${request.toFixed(1)} ms`);
    results.push({ name: 'capture all activations (ResNet-50)', line: `${ratio.toFixed(2)}x the plain run, ${captured} values (target <= 3x); + ${median(stats).toFixed(0)} ms of statistics (${(median(stats) * 1e6 / elements).toFixed(1)} ns/element)`, ok: ratio <= 3 });

    log('Event loop of the parent during a benchmark sweep ...');
    const delay = monitorEventLoopDelay({ resolution: 5 });
    delay.enable();
    const started = performance.now();
    const report = await benchmarkModel(rpc, { model: RESNET, options, inputs: resnetInputs }, { warmupRuns: 2, runs: 1000, budgetMs: 3000, threads: [1, 2], batches: [] });
    delay.disable();
    const maxMs = delay.max / 1e6;
    log(`  ${report.points.map((p) => `${p.config.intraOpThreads} thread(s): p50 ${p.latency.p50.toFixed(1)} ms over ${p.latency.runs} runs`).join('; ')} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    results.push({ name: 'parent event loop during a benchmark', line: `max delay ${maxMs.toFixed(1)} ms, p99 ${(delay.percentile(99) / 1e6).toFixed(1)} ms (target max < 50 ms)`, ok: maxMs < 50 });
  } finally {
    rpc.dispose();
  }
  process.stdout.write(`${JSON.stringify({ results })}\n`);
}

void main();

/**
 * Evaluation throughput (issue 6): `evaluate` in the runtime process — dataset worker reading a
 * 10k-row CSV ahead, ORT on the main thread, metrics after — against a bare ORT loop over the same
 * batches already in memory, `session.run` back to back with the same session options, in this
 * process. Target: the data pass runs at >= 90% of the bare loop's throughput. Not gated where
 * reading the file alone takes longer than the bare loop (then no pipeline can reach it); where
 * reading's CPU leaves the cores less than 90% (below), held to 90% of what they allow.
 *
 * Also reported: the same reading and inference on one thread (the design the worker replaces), and
 * the ceiling these cores allow any pipeline, bare / max(bare, reading alone, (CPU of bare + CPU of
 * reading) / cores): ORT's intra-op pool keeps every core busy, so on a 2-core machine the reader's
 * CPU comes out of inference's.
 *
 * Cases: the sample MLP (64→64→32→10, tens of microseconds per batch), a 784→512→512→10 MLP on
 * a CSV and on IDX images (MNIST's format), and a 784→2048→2048→10 MLP, whose batches take several
 * milliseconds, on the CSV; with onnxruntime's choice of intra-op threads (one core on this
 * project's 2-core VMs: docs/evaluation.md), with as many threads as cores, and with one fewer.
 * Where the evaluation runs batches in parallel sessions (src/runtime/child/eval/lanes.ts), the
 * line also gives the pass against those sessions run bare from memory (`BareLanes`): the bare loop
 * stays one session with the threads asked for, the baseline. A CSV is evaluated twice per
 * round: with a new mtime, so the pass parses it as a first evaluation does, then unchanged, so the
 * runtime replays the batches it decoded (src/runtime/child/eval/decodedCache.ts); each has its line.
 *
 * Uses dist/ortChild.js + dist/datasetWorker.js when built (what users run), else the sources.
 * Prints one JSON line at the end: { results: [{ name, line, ok }] }.
 */
import { once } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { batchInputs, inputPlan } from '../src/core/data/batchInputs';
import { openDataset } from '../src/core/data/dataset';
import { dropSpareBuffers, giveBack } from '../src/core/data/featureBuffers';
import { autoMapping, modelInputs, type ModelInput } from '../src/core/data/mapping';
import { laneShape } from '../src/runtime/child/eval/lanes';
import { toOrtTensor } from '../src/runtime/child/ort/feeds';
import { EVAL_SESSION_EXTRA, ortSessionOptions } from '../src/runtime/child/ort/sessionOptions';
import { createRuntimeClient, type RuntimeRpc } from '../src/runtime/client/runtimeClient';
import { DEFAULT_SESSION_OPTIONS, type SessionOptionsSpec } from '../src/shared/runtimeTypes';
import { writeIdxPair } from '../test/fixtures/data/datasets';
import { mlpModel, repeatCsv, rng, syntheticImageCsv } from '../test/unit/eval/models';

const ROOT = path.resolve(__dirname, '..');
const SAMPLE = path.join(ROOT, 'media/sample/digits-mlp.onnx');
const DIGITS = path.join(ROOT, 'media/sample/digits-train.csv');
const ROWS = Number(process.env.BENCH_EVAL_ROWS ?? 10_000);
/**
 * Alternating rounds per case. A round of the IDX case is a 75 ms pass against a 75 ms bare loop,
 * and one round's ratio moves by ±5% with the machine: the median of 5 spread 81–95% over six runs
 * on a quiet machine (session 13), the median of 15 88–95% over nine.
 */
const ROUNDS = Number(process.env.BENCH_EVAL_ROUNDS ?? 15);
const BATCH = Number(process.env.BENCH_EVAL_BATCH ?? 64);
const TARGET = 0.9;
/** Only the cases whose label contains this text (case-insensitive), e.g. BENCH_EVAL_ONLY=idx. */
const ONLY = (process.env.BENCH_EVAL_ONLY ?? '').toLowerCase();
const CORES = os.availableParallelism?.() ?? os.cpus().length;

const results: { name: string; line: string; ok: boolean }[] = [];
const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function runtime(): { rpc: RuntimeRpc; bundled: boolean } {
  const bundled = path.join(ROOT, 'dist/ortChild.js');
  if (fs.existsSync(bundled) && fs.existsSync(path.join(ROOT, 'dist/datasetWorker.js'))) return { rpc: createRuntimeClient(bundled), bundled: true };
  return { rpc: createRuntimeClient(path.join(ROOT, 'src/runtime/child/ortChild.ts'), ['--import', 'tsx']), bundled: false };
}

/** The dataset's batches as ORT tensors in memory, read once, for the bare loop. */
async function memoryBatches(data: string, inputs: ModelInput[]): Promise<Record<string, ort.Tensor>[]> {
  const reader = await openDataset(data);
  const plan = inputPlan(autoMapping(reader.columns, inputs, reader.labelColumn, reader.file), reader.columns);
  const batches: Record<string, ort.Tensor>[] = [];
  for await (const b of reader.batches(BATCH)) {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, a] of batchInputs(b, plan).inputs) feeds[name] = toOrtTensor(a);
    batches.push(feeds);
  }
  return batches;
}

/**
 * The lanes' own ceiling: `count` worker threads, each with its own session of `options` (as
 * src/runtime/child/eval/laneWorker.ts builds them), each running its share of the batches
 * back to back from memory, with no reading and no messages per batch.
 */
class BareLanes {
  private constructor(private readonly workers: Worker[]) {}

  static async start(model: string, options: SessionOptionsSpec, count: number, batches: Record<string, ort.Tensor>[]): Promise<BareLanes> {
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const ort = require(${JSON.stringify(require.resolve('onnxruntime-node'))});
      (async () => {
        const s = await ort.InferenceSession.create(workerData.model, workerData.options);
        const feeds = workerData.batches.map((b) => Object.fromEntries(b.map((t) => [t.name, new ort.Tensor(t.type, t.data, t.dims)])));
        const fetch = [s.outputNames[0]];
        parentPort.on('message', async () => {
          const t = performance.now();
          for (const f of feeds) await s.run(f, fetch);
          parentPort.postMessage(performance.now() - t);
        });
        parentPort.postMessage('ready');
      })();`;
    const sessionOptions = ortSessionOptions(options, EVAL_SESSION_EXTRA);
    const workers = await Promise.all(Array.from({ length: count }, async (_, lane) => {
      const share = batches.filter((_, i) => i % count === lane).map((f) => Object.entries(f).map(([name, t]) => ({ name, type: t.type, dims: t.dims, data: t.data })));
      const w = new Worker(code, { eval: true, workerData: { model, options: sessionOptions, batches: share } });
      await once(w, 'message');
      return w;
    }));
    return new BareLanes(workers);
  }

  /** All lanes at once; ms until the last finishes. */
  async run(): Promise<Timed> {
    return timed(() => Promise.all(this.workers.map((w) => {
      const done = once(w, 'message');
      w.postMessage('go');
      return done;
    })));
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

interface Timed {
  ms: number;
  /** CPU time of this process meanwhile (every thread: ORT's pool, libuv's readers), ms. */
  cpu: number;
}

async function timed(work: () => Promise<unknown>): Promise<Timed> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await work();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, cpu: (used.user + used.system) / 1000 };
}

/**
 * Reading alone: the same dataset through the same reader and feeds, no inference (this process,
 * warm after the first round). Feature arrays are reused as the dataset worker reuses them.
 */
function readAlone(data: string, inputs: ModelInput[]): Promise<Timed> {
  return timed(async () => {
    const reader = await openDataset(data);
    const plan = inputPlan(autoMapping(reader.columns, inputs, reader.labelColumn, reader.file), reader.columns);
    for await (const b of reader.batches(BATCH)) {
      batchInputs(b, plan);
      giveBack(b.features.buffer as ArrayBuffer);
    }
    dropSpareBuffers();
  });
}

/** The design the worker replaces: reading and inference on the same thread, one after the other (this process). */
async function sameThread(session: ort.InferenceSession, data: string, inputs: ModelInput[], fetch: string[]): Promise<number> {
  const t = performance.now();
  const reader = await openDataset(data);
  const plan = inputPlan(autoMapping(reader.columns, inputs, reader.labelColumn, reader.file), reader.columns);
  for await (const b of reader.batches(BATCH)) {
    const feeds: Record<string, ort.Tensor> = {};
    for (const [name, a] of batchInputs(b, plan).inputs) feeds[name] = toOrtTensor(a);
    await session.run(feeds, fetch);
    giveBack(b.features.buffer as ArrayBuffer);
  }
  dropSpareBuffers();
  return performance.now() - t;
}

/**
 * Rounds alternate a bare loop, reading alone, reading and inference on one thread, and an
 * evaluation, so all four see the same background load (these machines are shared); figures are
 * medians of per-round values.
 */
async function compare(rpc: RuntimeRpc, label: string, model: string, data: string, options: SessionOptionsSpec = DEFAULT_SESSION_OPTIONS): Promise<void> {
  if (!label.toLowerCase().includes(ONLY)) return;
  // The bare loop runs with ORT's defaults for these options and with the evaluation's (pool
  // threads not spinning); each round counts the faster of the two, so the baseline is the best.
  const sessions = [
    await ort.InferenceSession.create(model, ortSessionOptions(options)),
    await ort.InferenceSession.create(model, ortSessionOptions(options, EVAL_SESSION_EXTRA)),
  ];
  const inputs = modelInputs(sessions[0].inputMetadata.map((m) => ({ name: m.name, elemType: m.isTensor ? m.type : 'string', shape: m.isTensor ? [...m.shape] : null })));
  const batches = await memoryBatches(data, inputs);
  const fetch = [sessions[0].outputNames[0]];
  const params = { model, options, data, batchSize: BATCH };
  const bareLoop = async () => {
    const times: Timed[] = [];
    for (const session of sessions) {
      times.push(await timed(async () => {
        for (const f of batches) await session.run(f, fetch);
      }));
    }
    return times.reduce((a, b) => (b.ms < a.ms ? b : a));
  };
  const shape = laneShape(options, 'cpu', fs.statSync(model).size);
  const laneCountHere = shape.lanes;
  const bareLanes = laneCountHere > 1 ? await BareLanes.start(model, { ...options, intraOpThreads: shape.threads }, laneCountHere, batches) : null;
  // Warm-up: session creation, first-touch costs, the dataset worker's first start and the lanes'
  // sessions (built while the first passes run on the main thread alone) stay out.
  await bareLoop();
  await bareLanes?.run();
  await readAlone(data, inputs);
  await sameThread(sessions[1], data, inputs, fetch);
  for (let i = 0; i < 20; i++) {
    const warm = await rpc.request('evaluate', params);
    if (laneCountHere === 1 || (warm.timing.laneBatches ?? 0) > 0) break;
  }
  // A text file is replayed from memory when unchanged; a new mtime makes the pass parse it.
  const text = /\.(csv|tsv|jsonl)$/i.test(data);
  let stamp = Date.now();
  const touch = () => {
    const at = new Date((stamp += 1000));
    fs.utimesSync(data, at, at);
  };
  const rows: { bare: number; lanes: number; read: number; bound: number; same: number; pass: number; again: number; request: number; metrics: number; wait: number; open: number; inference: number; laneShare: number }[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const bare = await bareLoop();
    const lanes = bareLanes ? (await bareLanes.run()).ms : NaN;
    const read = await readAlone(data, inputs);
    const same = await sameThread(sessions[1], data, inputs, fetch);
    if (text) touch();
    const t = performance.now();
    const report = await rpc.request('evaluate', params);
    const request = performance.now() - t;
    const again = text ? await rpc.request('evaluate', params) : null;
    if (again && !again.timing.dataFromMemory) throw new Error(`${label}: the unchanged file was read again`);
    // No pipeline can beat its slower stage, nor the CPU both stages need spread over every core.
    const bound = Math.max(bare.ms, read.ms, (bare.cpu + read.cpu) / CORES);
    rows.push({
      bare: bare.ms, lanes, read: read.ms, bound, same, pass: report.timing.passMs, again: again?.timing.passMs ?? NaN, request, metrics: report.timing.metricsMs, wait: report.timing.dataWaitMs, open: report.timing.openMs ?? 0,
      inference: report.timing.inferenceMs, laneShare: (report.timing.laneBatches ?? 0) / report.timing.batches,
    });
  }
  for (const s of sessions) await s.release();
  await bareLanes?.stop();
  const m = (key: keyof (typeof rows)[number]) => median(rows.map((x) => x[key]));
  const throughput = median(rows.map((x) => x.bare / x.pass));
  /** The best fraction of the bare loop any reading pipeline could reach here (1 when reading fits in the spare CPU). */
  const allowed = median(rows.map((x) => x.bare / x.bound));
  const ofAllowed = median(rows.map((x) => x.bound / x.pass));
  const sameRatio = median(rows.map((x) => x.bare / x.same));
  const readingBound = m('read') > m('bare');
  // Reading's CPU comes out of inference's cores: where they cannot reach the target, no pipeline
  // can, and the pass is held to the target share of what they allow instead.
  const coreBound = !readingBound && allowed < TARGET;
  log(`  ${label}: ${ROWS} samples in ${batches.length} batches of ${BATCH}: bare ORT loop ${m('bare').toFixed(1)} ms, reading alone ${m('read').toFixed(1)} ms, ` +
    `reading + inference on one thread ${m('same').toFixed(1)} ms; evaluate: data pass ${m('pass').toFixed(1)} ms (opening the data ${m('open').toFixed(1)} ms, inference ${m('inference').toFixed(1)} ms, ` +
    `waiting for data ${m('wait').toFixed(1)} ms), metrics ${m('metrics').toFixed(1)} ms, whole request ${m('request').toFixed(1)} ms` +
    (bareLanes ? `; ${laneCountHere} lanes, ${(100 * m('laneShare')).toFixed(0)}% of the batches in lane workers; the lanes alone from memory ${m('lanes').toFixed(1)} ms` : ''));
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  results.push({
    name: `evaluation throughput (${label})`,
    line: `${pct(throughput)} of a bare ORT loop over the same batches (${(ROWS / (m('pass') / 1000)).toFixed(0)} vs ${(ROWS / (m('bare') / 1000)).toFixed(0)} samples/s); ` +
      `reading and inference on one thread instead: ${pct(sameRatio)}; ` +
      `the ${CORES} cores allow at most ${pct(Math.min(1, allowed))} (reading alone ${m('read').toFixed(0)} ms, bare ${m('bare').toFixed(0)} ms) and the pass reaches ${pct(ofAllowed)} of that` +
      (bareLanes ? `; ${pct(median(rows.map((x) => x.lanes / x.pass)))} of its ${laneCountHere} lanes run bare from memory (${m('lanes').toFixed(0)} ms)` : '') +
      (readingBound ? ' (not gated: reading the file alone takes longer than inference)'
        : coreBound ? ` (the cores allow less than the target: held to >= ${pct(TARGET)} of what they allow)`
        : ` (target >= ${pct(TARGET)} of bare)`),
    ok: readingBound || throughput >= TARGET || (coreBound && ofAllowed >= TARGET),
  });
  if (!text) return;
  const again = median(rows.map((x) => x.bare / x.again));
  results.push({
    name: `evaluation throughput (${label}, the unchanged file again)`,
    line: `${pct(again)} of a bare ORT loop over the same batches: data pass ${m('again').toFixed(1)} ms, bare ${m('bare').toFixed(1)} ms, the batches replayed from memory` +
      (bareLanes ? `; ${pct(median(rows.map((x) => x.lanes / x.again)))} of its ${laneCountHere} lanes run bare` : '') +
      (readingBound ? ' (not gated, as its first evaluation is not)' : ` (target >= ${pct(TARGET)} of bare)`),
    // Gated as the first evaluation is: a pass whose reading outlasts inference is a light model's,
    // whose whole bare loop (the sample MLP's: ~5 ms) is as short as a pass's fixed costs.
    ok: readingBound || again >= TARGET,
  });
}

/** MNIST-like IDX files: `rows` seeded 28×28 uint8 images and labels; returns the images file. */
function idxImages(dir: string, rows: number): string {
  const next = rng(7);
  const images = Uint8Array.from({ length: rows * 784 }, () => Math.floor(next() * 256));
  const labels = Uint8Array.from({ length: rows }, () => Math.floor(next() * 10));
  return writeIdxPair(path.join(dir, 'idx'), 'bench', images, labels, 28, 28, false).images;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-eval-bench-'));
  const { rpc, bundled } = runtime();
  try {
    log(`Evaluation throughput (${bundled ? 'bundled runtime' : 'runtime from source'}, ${ROUNDS} rounds, median) …`);
    const digits = repeatCsv(DIGITS, path.join(dir, 'digits-10k.csv'), ROWS);
    await compare(rpc, 'sample MLP 64→64→32→10, 10k-row CSV', SAMPLE, digits);
    const mlp = mlpModel(dir, [784, 512, 512, 10], 'mlp-784-512-512-10.onnx');
    const csv = syntheticImageCsv(path.join(dir, 'images-10k.csv'), ROWS, 784, 10);
    await compare(rpc, 'MLP 784→512→512→10, 10k-row CSV', mlp, csv);
    await compare(rpc, 'MLP 784→512→512→10, 10k IDX images', mlp, idxImages(dir, ROWS));
    const big = mlpModel(dir, [784, 2048, 2048, 10], 'mlp-784-2048-2048-10.onnx');
    await compare(rpc, 'MLP 784→2048→2048→10, 10k-row CSV', big, csv);
    // onnxruntime's own choice of intra-op threads (0) can leave cores idle: on this project's 2-core
    // VMs it runs one (docs/evaluation.md). The "onnxruntime on every core", asked for explicitly:
    const every = { ...DEFAULT_SESSION_OPTIONS, intraOpThreads: CORES };
    await compare(rpc, `MLP 784→512→512→10, 10k IDX images, ${CORES} intra-op threads (every core)`, mlp, idxImages(dir, ROWS), every);
    await compare(rpc, `MLP 784→2048→2048→10, 10k-row CSV, ${CORES} intra-op threads (every core)`, big, csv, every);
    // With onnxruntime on every core there is no CPU left to overlap reading with; leaving one core
    // to the reader (the same thread count for the bare loop) is the setting where overlap can show.
    const spare = { ...DEFAULT_SESSION_OPTIONS, intraOpThreads: Math.max(1, CORES - 1) };
    await compare(rpc, `MLP 784→512→512→10, 10k IDX images, ${spare.intraOpThreads} intra-op thread(s)`, mlp, idxImages(dir, ROWS), spare);
    await compare(rpc, `MLP 784→2048→2048→10, 10k-row CSV, ${spare.intraOpThreads} intra-op thread(s)`, big, csv, spare);
  } finally {
    rpc.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ results })}\n`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

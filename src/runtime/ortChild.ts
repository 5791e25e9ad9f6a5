/**
 * The runtime process: onnxruntime-node sessions live here, never in the extension host, because
 * an ORT abort (an int4 output, measured in ENVIRONMENT.md §2) kills every thread of its process.
 * Forked by src/runtime/runtimeClient.ts (the extension and the CLI); bundled to dist/ortChild.js.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { OnnxLensError } from '../core/errors';
import type { NdArray } from '../core/data/ndarray';
import { histogram, numericMoments, tensorPage } from '../core/tensorStats';
import { serveRequests } from './childServer';
import { datasetInfo } from './data/datasetInfo';
import { datasetSamples } from './data/samples';
import { evaluate } from './eval/evaluate';
import { releaseEvalSessions } from './eval/sessions';
import { latencyStats } from './latencyStats';
import type { RunRequest, RuntimeMethods } from './methods';
import { planActivations } from './ort/activationValues';
import { hasSymbolicBatch, tileBatch, toFeeds, withBatch } from './ort/feeds';
import { materializeInputs } from './ort/inputs';
import { forgetModel, modelFile } from './ort/modelFiles';
import { freshSession, getSession, ortMessage, releaseSessions } from './ort/sessions';
import { checkSessionOptions } from './ort/sessionOptions';
import { numericView, summarizeTensor, type RuntimeTensor, type SummaryOptions } from './ort/tensorSummary';
import { mapProfile } from './profileTrace';
import type { IoSignature, RunResult, TensorSummary } from './types';

const CONTEXT = 'the ONNX Lens runtime process';
/** Yield to the event loop this often in long loops, so cancel messages get through. */
const YIELD_MS = 50;
const MAX_SLAB_ELEMENTS = 1 << 24;

interface StoredRun {
  model: string;
  tensors: Map<string, RuntimeTensor>;
}
/** The latest run of each model, by run id (older runs of the same model are dropped). */
const runs = new Map<number, StoredRun>();
let nextRunId = 1;

function storeRun(model: string, tensors: Map<string, RuntimeTensor>): number {
  for (const [id, r] of runs) if (r.model === model) runs.delete(id);
  const runId = nextRunId++;
  runs.set(runId, { model, tensors });
  return runId;
}

/** A tensor of a kept run, with a numeric view of it; failures name the model. */
function storedTensor(runId: number, name: string, use: string): { model: string; t: RuntimeTensor; values: NonNullable<ReturnType<typeof numericView>> } {
  const run = runs.get(runId);
  if (!run) throw new OnnxLensError('run', 'that run is no longer held by the runtime process (only the latest run of each model is); run the model again.');
  const t = run.tensors.get(name);
  if (!t) throw new OnnxLensError(path.basename(run.model), `the last run has no tensor '${name}'.`);
  const values = numericView(t);
  if (!values) throw new OnnxLensError(path.basename(run.model), `'${name}' holds strings, which ${use}.`);
  return { model: path.basename(run.model), t, values };
}

function signatureOf(session: ort.InferenceSession): { inputs: IoSignature[]; outputs: IoSignature[] } {
  const io = (metadata: readonly ort.InferenceSession.ValueMetadata[]) =>
    metadata.map((m) => (m.isTensor ? { name: m.name, elemType: m.type, dims: [...m.shape] } : { name: m.name, elemType: 'non-tensor', dims: [] }));
  return { inputs: io(session.inputMetadata), outputs: io(session.outputMetadata) };
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

async function runOnce(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, model: string): Promise<{ outputs: ort.InferenceSession.ReturnType; ms: number }> {
  const started = performance.now();
  try {
    const outputs = await session.run(feeds);
    return { outputs, ms: performance.now() - started };
  } catch (err) {
    throw new OnnxLensError(model, `failed to run: ${ortMessage(err)}`);
  }
}

async function summaries(tensors: Map<string, RuntimeTensor>, names: readonly string[], options: SummaryOptions = {}): Promise<TensorSummary[]> {
  const out: TensorSummary[] = [];
  for (const name of names) out.push(await summarizeTensor(name, tensors.get(name)!, options));
  return out;
}

/** The inputs as fed: float16 as its half-precision bits (what ORT got), which numericView decodes. */
function inputTensors(inputs: Map<string, NdArray>, feeds: Record<string, ort.Tensor>): Map<string, RuntimeTensor> {
  return new Map([...inputs].map(([name, a]) => [name, { type: a.dtype, dims: a.shape, data: a.dtype === 'float16' ? (feeds[name].data as Uint16Array) : a.data }]));
}

/** Samples per run: the leading dim of the first input whose batch is symbolic, else 1. */
function samplesPerRun(inputs: Map<string, NdArray>, signature: readonly IoSignature[]): number {
  const sig = signature.find(hasSymbolicBatch);
  return sig ? (inputs.get(sig.name)?.shape[0] ?? 1) : 1;
}

/**
 * The last inputs built, reused while the request and its files are unchanged: generating and
 * summarising a 224×224 image's worth of noise took longer than the Run panel's protocol itself.
 */
let lastInputs: { key: string; inputs: Map<string, NdArray>; feeds: Record<string, ort.Tensor>; summaries: TensorSummary[] } | undefined;

function inputsKey(req: RunRequest, signature: readonly IoSignature[]): string {
  const files = req.inputs.map((s) => ('path' in s.source ? (() => {
    try {
      const st = fs.statSync(s.source.path);
      return `${st.mtimeMs}/${st.size}`;
    } catch {
      return 'missing';
    }
  })() : ''));
  return JSON.stringify([req.model, req.inputs, files, signature]);
}

async function prepare(req: RunRequest, extraOutputs: readonly string[] = []) {
  checkSessionOptions(req.options, req.model);
  const { session, file, createdMs } = await getSession(req.model, req.options, extraOutputs);
  const signature = signatureOf(session);
  const key = inputsKey(req, signature.inputs);
  if (lastInputs?.key !== key) {
    const inputs = await materializeInputs(req.model, req.inputs, signature.inputs);
    const feeds = toFeeds(inputs);
    lastInputs = { key, inputs, feeds, summaries: await summaries(inputTensors(inputs, feeds), [...inputs.keys()]) };
  }
  return { session, file, createdMs, signature, ...lastInputs };
}

async function run(req: RunRequest, extraOutputs: readonly string[]): Promise<RunResult & { tensors: Map<string, RuntimeTensor> }> {
  const p = await prepare(req, extraOutputs);
  const { outputs, ms } = await runOnce(p.session, p.feeds, req.model);
  const tensors = inputTensors(p.inputs, p.feeds);
  for (const [name, t] of Object.entries(outputs)) tensors.set(name, t as RuntimeTensor);
  const labels = p.file.labels?.labels;
  // The session of an activation capture declares the captured values as outputs too.
  const extra = new Set(extraOutputs);
  const outputNames = p.signature.outputs.map((o) => o.name).filter((name) => !extra.has(name));
  return {
    runId: storeRun(p.file.path, tensors),
    runMs: ms,
    sessionMs: p.createdMs,
    inputs: p.summaries,
    outputs: await summaries(tensors, outputNames, { scores: true, labels }),
    tensors,
  };
}

serveRequests<RuntimeMethods>({
  signature: async ({ model, options }) => {
    const { session, file } = await getSession(model, checkSessionOptions(options, model));
    return { ...signatureOf(session), ortVersion: ort.env.versions.common, labels: file.labels?.labels ?? null, labelSource: file.labels?.source ?? null };
  },

  run: async (req) => {
    const { tensors: _t, ...result } = await run(req, []);
    return result;
  },

  activations: async (req) => {
    const file = modelFile(req.model);
    const plan = planActivations(file.graph, file.inference, req.values);
    const { tensors, ...result } = await run(req, plan.capture);
    const started = performance.now();
    const activations = await summaries(tensors, plan.report, { momentsOnly: true });
    return { ...result, activations, statsMs: performance.now() - started, skipped: plan.skipped };
  },

  page: ({ runId, name, offset, count }) => {
    const { model, t, values } = storedTensor(runId, name, 'have no numeric pages');
    try {
      return tensorPage({ name, elemType: 0, dims: [...t.dims], values: values as Float32Array, bytes: 0, storage: 'run' }, offset, count);
    } catch (err) {
      throw new OnnxLensError(model, (err as Error).message);
    }
  },

  histogram: async ({ runId, name }) => {
    const { values } = storedTensor(runId, name, 'have no histogram');
    const m = await numericMoments(values);
    return histogram(values, m.min, m.max);
  },

  slab: ({ runId, name, leading }) => {
    const { model, t, values } = storedTensor(runId, name, 'cannot be drawn');
    if (leading.length > t.dims.length) throw new OnnxLensError(model, `'${name}' has ${t.dims.length} dimensions; ${leading.length} leading indices were given.`);
    let offset = 0;
    leading.forEach((idx, axis) => {
      if (!Number.isInteger(idx) || idx < 0 || idx >= t.dims[axis]) throw new OnnxLensError(model, `index ${idx} is outside dimension ${axis} of '${name}' (size ${t.dims[axis]}).`);
      offset = offset * t.dims[axis] + idx;
    });
    const dims = t.dims.slice(leading.length);
    const size = dims.reduce((a, b) => a * b, 1);
    if (size > MAX_SLAB_ELEMENTS) throw new OnnxLensError(model, `the slab of '${name}' has ${size} elements, more than ${MAX_SLAB_ELEMENTS} can be drawn.`);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = Number(values[offset * size + i]);
    return { dims, data };
  },

  bench: async (req, signal) => {
    const options = checkSessionOptions({ ...req.options, intraOpThreads: req.config.intraOpThreads }, req.model);
    const rssBefore = process.memoryUsage.rss();
    const { session, createdMs } = await getSession(req.model, options);
    const signature = signatureOf(session);
    const batch = req.config.batch;
    const specs = batch === null ? req.inputs : withBatch(req.inputs, signature.inputs, batch);
    let inputs = await materializeInputs(req.model, specs, signature.inputs);
    if (batch !== null) {
      inputs = new Map([...inputs].map(([name, a]) => {
        const sig = signature.inputs.find((s) => s.name === name)!;
        return [name, hasSymbolicBatch(sig) ? tileBatch(a, batch) : a];
      }));
    }
    const feeds = toFeeds(inputs);
    let peak = process.memoryUsage.rss();
    let lastYield = performance.now();
    const pause = async () => {
      if (performance.now() - lastYield < YIELD_MS) return;
      await yieldNow();
      lastYield = performance.now();
      if (signal.aborted) throw new OnnxLensError(path.basename(req.model), 'the benchmark was cancelled.');
    };
    for (let i = 0; i < req.warmupRuns; i++) {
      await runOnce(session, feeds, req.model);
      await pause();
    }
    const samples: number[] = [];
    const started = performance.now();
    while (samples.length < req.runs && (req.budgetMs <= 0 || performance.now() - started < req.budgetMs || samples.length === 0)) {
      samples.push((await runOnce(session, feeds, req.model)).ms);
      peak = Math.max(peak, process.memoryUsage.rss());
      await pause();
    }
    return {
      config: req.config,
      latency: latencyStats(samples, samplesPerRun(inputs, signature.inputs)),
      warmupRuns: req.warmupRuns,
      sessionMs: createdMs,
      peakRssDeltaBytes: Math.max(0, peak - rssBefore),
    };
  },

  profile: async (req) => {
    checkSessionOptions(req.options, req.model);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-profile-'));
    try {
      const { session, file } = await freshSession(req.model, req.options, { enableProfiling: true, profileFilePrefix: path.join(dir, 'profile') });
      try {
        const signature = signatureOf(session);
        const feeds = toFeeds(await materializeInputs(req.model, req.inputs, signature.inputs));
        for (let i = 0; i < Math.max(1, req.runs); i++) await runOnce(session, feeds, req.model);
        session.endProfiling();
      } finally {
        await session.release();
      }
      const traceFile = fs.readdirSync(dir).find((f) => f.endsWith('.json'));
      if (!traceFile) throw new OnnxLensError(req.model, 'was run, but onnxruntime wrote no profile.');
      const trace: unknown = JSON.parse(fs.readFileSync(path.join(dir, traceFile), 'utf8'));
      return mapProfile(trace, file.graph, req.options.graphOptimization);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },

  datasetInfo: async ({ model, options, data, labelColumn }) => {
    const { session } = await getSession(model, checkSessionOptions(options, model));
    return datasetInfo(data, labelColumn, signatureOf(session).inputs);
  },

  datasetSamples: ({ data, samples }, signal) => datasetSamples(data, samples, signal),

  // Evaluation: the logic lives in src/runtime/eval/.
  evaluate: (params, signal, progress) => evaluate(params, signal, progress),

  release: async ({ model }) => {
    for (const [id, r] of runs) if (model === undefined || r.model === path.resolve(model)) runs.delete(id);
    const released = (await releaseSessions(model)) + (await releaseEvalSessions(model === undefined ? undefined : path.resolve(model)));
    forgetModel(model);
    return { released };
  },
}, CONTEXT);

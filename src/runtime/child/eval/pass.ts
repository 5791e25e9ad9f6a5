/**
 * One pass of a dataset through one or two models: the dataset worker decodes batches ahead (or,
 * for files cheaper to read than to send, this thread reads them: batchSource.ts), this (main)
 * thread feeds them to ORT and appends labels and outputs. Reports progress, yields to
 * the event loop often enough that a cancel message gets through, and stops at once on abort.
 */
import * as path from 'node:path';
import type * as ort from 'onnxruntime-node';
import { DatasetError } from '../../../core/data/errors';
import type { DatasetMapping, ModelInput } from '../../../core/data/mapping';
import type { OpenDatasetOptions } from '../../../core/data/types';
import { OnnxLensError } from '../../../core/errors';
import type { ReportProgress } from '../../../rpc/childServer';
import { toOrtTensor } from '../ort/feeds';
import { ortMessage } from '../ort/sessions';
import type { RuntimeTensor } from '../ort/tensorSummary';
import { openBatches } from './batchSource';
import { LaneRunError, Lanes, type Lane, type LaneSpec } from './lanes';
import { Column, outputRows, Sources } from './collect';
import type { OutputChoice } from './outputs';
import type { DatasetMeta, FeedBatch } from './workerMessages';
import { CancelledError } from '../../../shared/cancellation';

/** Yield to the event loop at least this often, so a cancel request is seen promptly. */
const YIELD_MS = 50;
/** Progress reports at most this often (each one also restarts the request's timeout). */
const PROGRESS_MS = 200;
/** Decoded batches the worker may hold ready ahead of inference: at least this many … */
const READ_AHEAD_BATCHES = 4;
/**
 * … and as many as fit in this many bytes. 32 batches of 64 × 784 floats (6.4 MB) instead of 4
 * cut the time inference waited for a 10k-row CSV from 79 to 37 ms (784-2048-2048-10 MLP, 2 cores, reader at niceness 10).
 */
const READ_AHEAD_BYTES = 8 << 20;
/** A batch goes to a lane only when this thread's fastest run took at least this (a hand-over costs ~0.05 ms on each side). */
const MIN_LANE_RUN_MS = 0.2;
/** … measured over at least this many runs (the first run of a session took 0.5 ms for a 0.03 ms model). */
const RUNS_BEFORE_LANES = 4;
/**
 * The pass is bound by its reader when it has waited for batches longer than this share of its
 * time in inference: lanes get no batches then (the 784→2048→2048→10 MLP on a CSV waits ~10%).
 */
const READER_BOUND = 0.5;
/** Values a column is given up front at most (128 MB of float64); beyond, it grows as values come. */
const MAX_PRESIZE = 1 << 24;

export interface PassModel {
  /** Path, for messages. */
  model: string;
  session: ort.InferenceSession;
  choice: OutputChoice;
  /**
   * What this entry feeds instead of the batch as read (a robustness sweep's perturbed copy); the
   * batch's arrays must not be kept, they go back to the reader after the last entry has run.
   */
  feeds?: (batch: FeedBatch, clean: Record<string, ort.Tensor>) => Promise<Record<string, ort.Tensor>>;
}

export interface PassRequest {
  data: string;
  open: OpenDatasetOptions;
  fallbackClassNames?: { names: string[]; source: string };
  inputs: ModelInput[];
  mapping?: DatasetMapping;
  batchSize: number;
  models: PassModel[];
  /** Prefix of progress messages, e.g. 'digits-test.csv'. */
  label: string;
  /** Stop after this many samples (the pass keeps exactly the first ones); default all. */
  maxSamples?: number;
  /**
   * Lane workers running batches beside this thread (lanes.ts), each with its own sessions of
   * `models` (which must not have `feeds`). Absent: this thread runs every batch.
   */
  lanes?: { spec: LaneSpec; count: number };
}

export interface PassResult {
  meta: DatasetMeta;
  n: number;
  labels: Int32Array | Float64Array;
  /** Per model: n × columns values (labels role: n predicted classes). */
  outputs: { values: Float64Array; columns: number }[];
  sources: Sources;
  batches: number;
  inferenceMs: number;
  /** Time the loop waited for data. */
  dataWaitMs: number;
  /** From the first batch's arrival to the last output, ms. */
  loopMs: number;
  /** From the start of the pass to the first batch's arrival, ms. */
  openMs: number;
  /** Sessions that ran batches side by side: this thread's and those of the lane workers that ran any. */
  lanes: number;
  /** Batches the lane workers ran. */
  laneBatches: number;
  /** The batches were replayed from memory, decoded by an earlier pass over the unchanged file. */
  fromMemory: boolean;
}

/** A batch taken from the source, until its outputs are appended. */
interface Slot {
  batch: FeedBatch;
  /** Rows the model was fed (fedRows). */
  rows: number;
  /** Per model; null while a lane runs it. */
  outputs: RuntimeTensor[] | null;
  /** What the lane threw. */
  failure: unknown;
  /** Settles when the lane answers; null for a batch run here. */
  settled: Promise<void> | null;
}

const yieldNow = () => new Promise<void>((resolve) => setImmediate(resolve));

function throwIfAborted(signal: AbortSignal): void {
  if (!signal.aborted) return;
  throw new CancelledError('The evaluation was cancelled.');
}

/** Rows the model was fed: the leading dim of a batched input (a fixed batch includes padding), 1 for unbatched inputs. */
function fedRows(batch: FeedBatch, mapping: DatasetMapping): number {
  const first = mapping.inputs[0];
  if (!first || first.batchDim === null) return 1;
  return batch.inputs.find((i) => i.name === first.input)?.shape[0] ?? batch.count;
}

export async function runPass(req: PassRequest, signal: AbortSignal, progress: ReportProgress): Promise<PassResult> {
  const passStart = performance.now();
  const stream = await openBatches({
    file: req.data, open: req.open, fallbackClassNames: req.fallbackClassNames, inputs: req.inputs, mapping: req.mapping, batchSize: req.batchSize, credits: READ_AHEAD_BATCHES, readAheadBytes: READ_AHEAD_BYTES,
  }, signal);
  /** Opened once this thread's runs show that batches are worth a lane (worthLanes). */
  let lanes: Lanes | null = null;
  /** Batches taken and not yet appended, oldest first: each run here or held by a lane. */
  const slots: Slot[] = [];
  // Enough for every lane to hold one while this thread runs a few; a slow lane cannot make it grow further.
  const maxSlots = 4 * ((req.lanes?.count ?? 0) + 1);
  try {
    const meta = await stream.meta;
    // Where the file says how many samples it holds (array formats), the columns start at full
    // size: growing by doubling copied twice the bytes, all fresh memory, whose first touch is what
    // costs here (100k outputs: 5.5 ms of the main thread per pass, against 2.4 ms at full size).
    // Capped, so a header announcing billions of samples fails as a truncated file, not here.
    const expected = meta.numSamples === null ? undefined : Math.min(meta.numSamples, req.maxSamples ?? Infinity);
    const presize = (perSample: number | null) => (expected && perSample ? Math.min(expected * perSample, MAX_PRESIZE) : undefined);
    const labels = meta.labelKind === 'class' ? new Column(Int32Array, presize(1)) : new Column(Float64Array, presize(1));
    const outputs = req.models.map((m) => ({ column: new Column(Float64Array, presize(m.choice.columns)), columns: -1 }));
    const sources = new Sources();
    const fetches = req.models.map((m) => [m.choice.output.name]);
    let n = 0;
    let batches = 0;
    let taken = 0;
    let fed = 0;
    let laneBatches = 0;
    const lanesUsed = new Set<Lane>();
    /** This thread's runs and the fastest so far (a session's first runs are slow): whether a batch is worth a lane. */
    let runsHere = 0;
    let fastestHere = Infinity;
    let inferenceMs = 0;
    let dataWaitMs = 0;
    let loopStart = 0;
    let lastYield = performance.now();
    let lastProgress = 0;
    const total = meta.numSamples ?? meta.totalBytes;
    let bytesRead = 0;
    const report = (force: boolean) => {
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_MS) return;
      lastProgress = now;
      const done = meta.numSamples !== null ? n : bytesRead;
      const of = meta.numSamples !== null ? ` of ${meta.numSamples.toLocaleString('en-US')}` : '';
      progress({ done, total, message: `${req.label}: ${n.toLocaleString('en-US')}${of} samples evaluated` });
    };
    /** Runs a batch on this thread's sessions; a failure stays in the slot, so failures surface in batch order. */
    const runHere = async (batch: FeedBatch, rows: number): Promise<Slot> => {
      const feeds: Record<string, ort.Tensor> = {};
      for (const a of batch.inputs) feeds[a.name] = toOrtTensor(a);
      const got: RuntimeTensor[] = [];
      for (const [m, model] of req.models.entries()) {
        const started = performance.now();
        try {
          const result = await model.session.run(model.feeds ? await model.feeds(batch, feeds) : feeds, fetches[m]);
          got.push(result[model.choice.output.name]);
        } catch (err) {
          return { batch, rows, outputs: null, failure: runFailure(model.model, meta, batch, err), settled: null };
        } finally {
          inferenceMs += performance.now() - started;
        }
      }
      return { batch, rows, outputs: got, failure: undefined, settled: null };
    };
    /** Appends a batch's outputs, labels and sources (batches come here in order) and hands its arrays back. */
    const append = ({ batch, rows, outputs: got }: Slot) => {
      for (const [m, model] of req.models.entries()) {
        const t = got![m];
        const values = outputRows(t, rows);
        if (!values) throw new OnnxLensError(model.model, `output '${model.choice.output.name}' has shape [${t.dims.join(', ')}], which does not split into ${rows} sample${rows === 1 ? '' : 's'}.`);
        const out = outputs[m];
        if (out.columns === -1) out.columns = values.columns;
        else if (out.columns !== values.columns) throw new OnnxLensError(model.model, `output '${model.choice.output.name}' gave ${out.columns} values per sample, then ${values.columns}.`);
        out.column.append(values.values, 0, batch.count * values.columns);
      }
      stream.recycle(batch);
      if (batch.labels) labels.append(batch.labels, 0, batch.count);
      sources.append(batch.sources, batch.count);
      n += batch.count;
      bytesRead = batch.bytesRead;
      batches++;
      report(false);
    };
    const appendSettled = () => {
      while (slots.length > 0) {
        const head = slots[0];
        if (head.failure !== undefined) throw passFailure(req.models, meta, head.batch, head.failure);
        if (!head.outputs) return;
        append(slots.shift()!);
      }
    };
    /** Waits for the oldest batch a lane holds (counted as inference: this thread waits for a model). */
    const awaitHead = async () => {
      const started = performance.now();
      await slots[0].settled;
      inferenceMs += performance.now() - started;
      appendSettled();
    };
    report(true);
    for (;;) {
      const waitStart = performance.now();
      const batch = await stream.next();
      if (taken > 0) dataWaitMs += performance.now() - waitStart;
      else loopStart = performance.now();
      throwIfAborted(signal);
      if (!batch) break;
      taken++;
      fed += batch.count;
      const rows = fedRows(batch, meta.mapping);
      // Only while reading keeps up: a pass that waits for its reader would take the reader's CPU
      // for nothing (784→512→512→10 MLP on a 10k-row CSV, bound by parsing: its pass took 217 ms
      // with lanes taking every batch in hand, 178 ms on one session).
      const worth = req.lanes !== undefined && worthLanes(runsHere, fastestHere) && dataWaitMs <= READER_BOUND * inferenceMs;
      if (worth && !lanes) lanes = Lanes.open(req.lanes!.spec, req.lanes!.count);
      const lane = worth ? lanes?.free() : undefined;
      if (lane) {
        const slot: Slot = { batch, rows, outputs: null, failure: undefined, settled: null };
        slot.settled = lane.run(batch).then((o) => void (slot.outputs = o), (err: unknown) => void (slot.failure = err));
        slots.push(slot);
        laneBatches++;
        lanesUsed.add(lane);
      } else {
        const started = performance.now();
        slots.push(await runHere(batch, rows));
        fastestHere = Math.min(fastestHere, performance.now() - started);
        runsHere++;
      }
      appendSettled();
      // A failed batch behind one a lane still holds: the earlier batch's answer decides which error the user sees.
      while (slots.length > maxSlots || slots.some((x) => x.failure !== undefined)) await awaitHead();
      if (req.maxSamples !== undefined && fed >= req.maxSamples) break;
      if (performance.now() - lastYield >= YIELD_MS) {
        await yieldNow();
        lastYield = performance.now();
        throwIfAborted(signal);
      }
    }
    while (slots.length > 0) await awaitHead();
    const loopMs = batches > 0 ? performance.now() - loopStart : 0;
    const openMs = (batches > 0 ? loopStart : performance.now()) - passStart;
    if (n === 0) throw new DatasetError(req.data, 'has no samples');
    if (req.maxSamples !== undefined && n > req.maxSamples) {
      n = req.maxSamples;
      for (const o of outputs) o.column.length = n * o.columns;
      labels.length = n;
    }
    bytesRead = meta.totalBytes;
    report(true);
    return {
      meta, n, labels: labels.view(), outputs: outputs.map((o) => ({ values: o.column.view(), columns: o.columns })),
      sources, batches, inferenceMs, dataWaitMs, loopMs, openMs, lanes: 1 + lanesUsed.size, laneBatches,
      fromMemory: stream.fromMemory === true,
    };
  } finally {
    lanes?.close();
    await stream.close();
  }
}

/**
 * Whether batches are worth a lane: this thread's runs take long enough to pay for the hand-over.
 * The 64→64→32→10 sample MLP's runs take ~0.03 ms; through lanes its inference took 8.6 ms
 * against a bare loop's 4.2. Lanes start only then, so a light model never starts any.
 */
function worthLanes(runsHere: number, fastestHere: number): boolean {
  return runsHere >= RUNS_BEFORE_LANES && fastestHere >= MIN_LANE_RUN_MS;
}

function runFailure(model: string, meta: DatasetMeta, batch: FeedBatch, err: unknown): OnnxLensError {
  return new OnnxLensError(model, `failed to run on ${sampleRange(meta, batch)}: ${ortMessage(err)}`);
}

/** A batch's failure, here or in a lane, as one sentence (a lane's ORT error reads as one here would). */
function passFailure(models: PassModel[], meta: DatasetMeta, batch: FeedBatch, err: unknown): Error {
  if (err instanceof OnnxLensError) return err;
  if (err instanceof LaneRunError) return runFailure(models[err.model].model, meta, batch, err);
  return new OnnxLensError(models[0].model, `could not be evaluated on ${sampleRange(meta, batch)}: ${(err as Error)?.message ?? String(err)}.`);
}

/** 'rows 2–65 of digits.csv' / 'samples 1–64 of x.npz', for an ORT failure on a batch. */
function sampleRange(meta: DatasetMeta, batch: FeedBatch): string {
  const file = path.basename(meta.file);
  if (batch.sources instanceof Float64Array && batch.sources.length > 0) {
    return `rows ${batch.sources[0]}–${batch.sources[batch.sources.length - 1]} of ${file}`;
  }
  return `samples ${batch.rowIndex + 1}–${batch.rowIndex + batch.count} of ${file}`;
}

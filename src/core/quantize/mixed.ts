/**
 * Mixed precision: a precision per node (int8 = dynamic int8, int4 = weight-only int4 blocks,
 * fp16, or fp32 = untouched), set by hand or chosen from a sensitivity scan: each candidate layer
 * is quantized alone and the output error on the samples measured; then the most sensitive layers
 * move one step up (int4 → int8 → fp32, int8 → fp32) until the whole model meets the budget
 * (relative output error, or top-1 accuracy drop on labelled samples). How many layers move is
 * found by bisection over the sensitivity order — O(log n) whole-model checks after the n
 * single-layer ones.
 *
 * The budget is checked on rows the scan does not see: the evaluation data when given, else the
 * last quarter of the calibration samples (the scan ranks layers on the rest), each at batch 1 and
 * at the batch size the model will run at (`evalBatch`, default 32): dynamic int8 quantizes
 * activations with one scale per tensor over the whole batch, so a batch's error is larger than
 * one row's (the 6 MB MLP within 2e-4 on its calibration rows was 1e-2 off on held-out rows run
 * as one batch). The larger of the two must meet the budget; the report shows both.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { OnnxModel } from '../onnx/reader';
import { writeModelFile } from '../onnx/write/writeModel';
import { dynamicQuantize } from './dynamic';
import { GraphRewriter } from './graphRewriter';
import { fp16Convert } from './fp16';
import { outputError } from './compare';
import { selectWeightOps, type WeightOp } from './select';
import type { RewriteResult } from './rewriteModel';
import type { ModelRunner } from './runner';
import { graphInputs, type SampleBatch, type SampleSet } from './samples';
import type { Feeds } from './runner';
import type { NodeChange, Precision, QuantizeSettings } from '../../shared/quantizeSettings';
import { weightOnlyQuantize } from './weightOnly';
import { ensureOpset } from './opsetUpgrade';
import { QuantizeError } from './errors';
import type { NdArray } from '../data/ndarray';
import { pushAll } from '../lists';
import type { SensitivityScan, SkippedNode } from '../../shared/quantReport';
import { CancelledError } from '../../shared/cancellation';

/** Applies a precision per source node index (nodes not listed stay float32). */
export function applyPrecisions(model: OnnxModel, precisions: ReadonlyMap<number, Precision>, s: QuantizeSettings): RewriteResult {
  const ed = new GraphRewriter(model);
  const all = selectWeightOps(ed, { ops: new Set(['MatMul', 'Gemm', 'Conv']) }).ops;
  const byIndex = new Map(all.map((op) => [op.index, op]));
  const pick = (p: Precision) => [...precisions].filter(([i, q]) => q === p && byIndex.has(i)).map(([i]) => byIndex.get(i)!);
  const int8 = pick('int8');
  const int4 = pick('int4').filter((op) => op.opType !== 'Conv');
  pushAll(int8, pick('int4').filter((op) => op.opType === 'Conv')); // no int4 Conv: int8 instead
  const fp16 = new Set([...precisions].filter(([, q]) => q === 'fp16').map(([i]) => i));
  if (int8.length) ensureOpset(ed, 11, (why) => new QuantizeError(model.file, `cannot use int8 layers: DynamicQuantizeLinear needs opset 11 and raising it is not safe: ${why}`));
  const changes: NodeChange[] = [];
  const warnings: string[] = [];
  if (fp16.size) {
    const r = fp16Convert(ed, { keepIoTypes: true, only: fp16, blockOps: s.fp16BlockOps });
    pushAll(changes, r.changes);
    pushAll(warnings, r.warnings);
  }
  if (int8.length) {
    pushAll(changes, dynamicQuantize(ed, int8, {
      format: 'integer', perChannel: s.perChannel ?? false, perChannelConv: s.perChannel ?? true, weightType: s.weightType ?? 'int8',
      symmetric: s.symmetric ?? (s.weightType ?? 'int8') === 'int8', reduceRange: s.reduceRange ?? false,
    }));
  }
  if (int4.length) {
    const r = weightOnlyQuantize(ed, int4, { bits: 4, blockSize: s.blockSize ?? 32, symmetric: s.symmetric ?? true, format: s.weightOnlyFormat ?? 'auto', accuracyLevel: s.accuracyLevel ?? 4 });
    pushAll(changes, r.changes);
    pushAll(warnings, r.warnings);
  }
  const order = new Map(model.info.graph.nodes.map((n, i) => [n.name || `${n.opType}_${i}`, i]));
  changes.sort((a, b) => (order.get(a.node) ?? 0) - (order.get(b.node) ?? 0));
  ed.setMetadata('onnx_lens.quantization', JSON.stringify({ mode: 'mixed', nodes: changes.length }));
  return { rewrite: ed.finish(), changes, skipped: [], warnings };
}

export interface MixedPlan {
  precisions: Map<number, Precision>;
  candidates: WeightOp[];
  skipped: SkippedNode[];
  scan: SensitivityScan | null;
}

export interface MixedContext {
  runner: ModelRunner | undefined;
  samples: SampleSet | null;
  /** Rows to check the budget on (the evaluation data), batched at `evalBatch`; else a quarter of `samples` is held out. */
  heldOut?: SampleSet | null;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, message: string) => void;
}

export async function planMixed(model: OnnxModel, s: QuantizeSettings, ctx: MixedContext): Promise<MixedPlan> {
  const ed = new GraphRewriter(model);
  const { ops: candidates, skipped } = selectWeightOps(ed, { ops: new Set(s.ops ?? ['MatMul', 'Gemm', 'Conv']), excludeOps: s.excludeOps, excludeNodes: s.excludeNodes });
  const target: Precision = s.bits === 4 ? 'int4' : 'int8';
  const byName = new Map(ed.graph.nodes.map((n) => [n.name, n.index]));
  const precisions = new Map<number, Precision>();
  for (const op of candidates) precisions.set(op.index, target);
  const manual = new Set<number>();
  for (const [name, p] of Object.entries(s.nodePrecision ?? {})) {
    const index = byName.get(name);
    if (index === undefined) throw new QuantizeError(model.file, `has no node named '${name}' (given a precision by hand)`);
    precisions.set(index, p);
    manual.add(index);
  }
  if (s.maxError === undefined && s.maxAccuracyDrop === undefined) return { precisions, candidates, skipped, scan: null };
  if (!ctx.runner) throw new QuantizeError(model.file, 'cannot be scanned for sensitivity here: no runtime to run it');
  if (!ctx.samples || ctx.samples.source !== 'data') throw new QuantizeError(model.file, 'needs calibration data (--calib) for a sensitivity scan');
  if (s.maxAccuracyDrop !== undefined && !ctx.samples.hasLabels) throw new QuantizeError(ctx.samples.file ?? model.file, 'has no labels, so an accuracy budget cannot be checked; give --max-error instead');
  const scanned = candidates.filter((op) => !manual.has(op.index));
  const metric = s.maxAccuracyDrop !== undefined ? 'accuracy-drop' : 'relative-error';
  const budget = s.maxAccuracyDrop ?? s.maxError!;
  const batch = s.evalBatch ?? 32;
  const split = ctx.heldOut ? null : splitSamples(ctx.samples, 0.75);
  const scanRows = split?.first ?? ctx.samples;
  const checkRows = ctx.heldOut ?? split?.second ?? null;
  const fixed = graphInputs(model).some((i) => typeof i.dims[0] === 'number');
  const checks = checkRows ? [rebatch(checkRows, 1, fixed), rebatch(checkRows, batch, fixed)] : [];
  const evaluator = await createEvaluator(model, ctx.runner, scanRows, metric);
  const checkers = await Promise.all(checks.map((c) => createEvaluator(model, ctx.runner!, c, metric)));
  /** The error the budget is held to: the worse of batch 1 and `batch` on the checked rows (the scan's rows when nothing is held out). */
  const checked = async (r: RewriteResult) => (checkers.length ? Math.max(...(await Promise.all(checkers.map((c) => c.error(r))))) : evaluator.error(r));
  try {
    const total = scanned.length + Math.ceil(Math.log2(scanned.length + 1)) + 1;
    let done = 0;
    const tick = (message: string) => ctx.onProgress?.(++done, total, message);
    const sensitivity: { op: WeightOp; error: number }[] = [];
    for (const op of scanned) {
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? new CancelledError();
      const only = new Map<number, Precision>([...[...manual].map((i) => [i, precisions.get(i)!] as const), [op.index, target]]);
      sensitivity.push({ op, error: await evaluator.error(applyPrecisions(model, only, s)) });
      tick(`sensitivity of ${op.node.name}`);
    }
    sensitivity.sort((a, b) => b.error - a.error);
    // The k most sensitive layers go one step up (int4 → int8, then → fp32; int8 → fp32), the
    // others stay a step below; the smallest k meeting the budget is found by bisection.
    const ladder: Precision[] = target === 'int4' ? ['int8', 'fp32'] : ['fp32'];
    let below: Precision = target;
    const assign = (k: number, up: Precision, rest: Precision) => {
      const p = new Map(precisions);
      sensitivity.forEach(({ op }, i) => p.set(op.index, i < k ? up : rest));
      return p;
    };
    const cache = new Map<string, number>();
    const errorOf = async (k: number, up: Precision, rest: Precision) => {
      const key = `${k}:${up}:${rest}`;
      if (!cache.has(key)) {
        cache.set(key, await checked(applyPrecisions(model, assign(k, up, rest), s)));
        tick(`whole model with ${k} layer${k === 1 ? '' : 's'} in ${up}, the rest in ${rest}`);
      }
      return cache.get(key)!;
    };
    const n = sensitivity.length;
    let chosen: { k: number; up: Precision; rest: Precision } = { k: 0, up: ladder[0], rest: below };
    let finalError = await errorOf(0, ladder[0], below);
    if (finalError > budget) {
      for (const up of ladder) {
        chosen = { k: n, up, rest: below };
        finalError = await errorOf(n, up, below);
        if (finalError > budget) {
          below = up; // even every layer one step up misses: climb the ladder
          continue;
        }
        let lo = 0;
        let hi = n;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if ((await errorOf(mid, up, below)) <= budget) hi = mid;
          else lo = mid;
        }
        chosen = { k: hi, up, rest: below };
        finalError = await errorOf(hi, up, below);
        break;
      }
    }
    const final = assign(chosen.k, chosen.up, chosen.rest);
    const kept = [...final.values()].filter((p) => p === 'fp32').length;
    const written = applyPrecisions(model, final, s);
    const [batch1, batchN] = await Promise.all(checkers.map((c) => c.error(written)));
    const check = {
      source: ctx.heldOut ? 'eval' as const : checkRows ? 'calibration-split' as const : 'calibration' as const,
      data: (ctx.heldOut ?? ctx.samples).file, samples: (checkRows ?? ctx.samples).samples, batch,
    };
    return {
      precisions: final, candidates, skipped,
      scan: {
        metric, budget, check, errors: { scan: await evaluator.error(written), batch1: batch1 ?? null, batch: batchN ?? null },
        kept, finalError, evaluations: cache.size, met: finalError <= budget,
        layers: sensitivity.map(({ op, error }) => ({ node: op.node.name, opType: op.opType, tried: target, error, chosen: final.get(op.index) ?? 'fp32' })),
      },
    };
  } finally {
    evaluator.dispose();
    for (const c of checkers) c.dispose();
  }
}

/** The first `share` of the samples and the rest (by rows, in order); null when either part would be empty. */
export function splitSamples(set: SampleSet, share: number): { first: SampleSet; second: SampleSet } | null {
  const cut = Math.floor(set.samples * share);
  if (cut < 1 || cut >= set.samples) return null;
  return { first: sliceRows(set, 0, cut), second: sliceRows(set, cut, set.samples) };
}

/** The same rows in batches of `size` (`fixed`: the model's batch dimension is fixed, its batches are kept). */
export function rebatch(set: SampleSet, size: number, fixed = false): SampleSet {
  if (fixed || size < 1) return set;
  const batches: SampleBatch[] = [];
  for (let start = 0; start < set.samples; start += size) batches.push(...sliceRows(set, start, Math.min(set.samples, start + size)).batches);
  return { ...set, batches };
}

/** Rows [from, to) of a sample set as one batch. */
function sliceRows(set: SampleSet, from: number, to: number): SampleSet {
  const feeds: Feeds = new Map();
  const labels: number[] = [];
  const parts = new Map<string, NdArray[]>();
  let row = 0;
  for (const b of set.batches) {
    const [a, z] = [Math.max(from, row), Math.min(to, row + b.count)];
    if (a < z) {
      for (const [name, x] of b.feeds) {
        const inner = x.shape.slice(1).reduce((p, q) => p * q, 1);
        const list = parts.get(name) ?? [];
        list.push({ ...x, shape: [z - a, ...x.shape.slice(1)], data: x.data.subarray((a - row) * inner, (z - row) * inner) } as NdArray);
        parts.set(name, list);
      }
      if (b.labels) pushAll(labels, b.labels.subarray(a - row, z - row));
    }
    row += b.count;
  }
  for (const [name, list] of parts) {
    const n = list.reduce((p, x) => p + x.shape[0], 0);
    const data = new (list[0].data.constructor as new (n: number) => NdArray['data'])(list.reduce((p, x) => p + x.data.length, 0));
    let at = 0;
    for (const x of list) {
      (data as Float32Array).set(x.data as Float32Array, at);
      at += x.data.length;
    }
    feeds.set(name, { ...list[0], shape: [n, ...list[0].shape.slice(1)], data } as NdArray);
  }
  return { ...set, batches: [{ feeds, count: to - from, labels: set.hasLabels ? Int32Array.from(labels) : null }], samples: to - from };
}

interface Evaluator {
  error(r: RewriteResult): Promise<number>;
  dispose(): void;
}

/** Runs rewritten copies of the model on the samples against the float32 outputs (computed once). */
async function createEvaluator(model: OnnxModel, runner: ModelRunner, samples: SampleSet, metric: 'relative-error' | 'accuracy-drop'): Promise<Evaluator> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-mixed-'));
  const reference: Map<string, NdArray>[] = [];
  const base = await runner.open(model.file);
  try {
    for (const b of samples.batches) reference.push(await base.run(b.feeds));
  } finally {
    await base.close();
  }
  const top1 = (outputs: Map<string, NdArray>[]): number => {
    let correct = 0;
    let n = 0;
    outputs.forEach((out, i) => {
      const batch = samples.batches[i];
      const scores = [...out.values()].find((a) => a.shape.length === 2 && a.shape[1] > 1 && a.data instanceof Float32Array);
      if (!scores || !batch.labels) return;
      const c = scores.shape[1];
      for (let r = 0; r < batch.count; r++) {
        let best = 0;
        for (let k = 1; k < c; k++) if ((scores.data as Float32Array)[r * c + k] > (scores.data as Float32Array)[r * c + best]) best = k;
        if (best === batch.labels[r]) correct++;
        n++;
      }
    });
    return n ? correct / n : 0;
  };
  const baseAccuracy = metric === 'accuracy-drop' ? top1(reference) : 0;
  let counter = 0;
  return {
    async error(r: RewriteResult): Promise<number> {
      const file = path.join(dir, `candidate-${counter++}.onnx`);
      writeModelFile(model, r.rewrite, file, { overwrite: true });
      const session = await runner.open(file);
      const outputs: Map<string, NdArray>[] = [];
      try {
        for (const b of samples.batches) outputs.push(await session.run(b.feeds));
      } finally {
        await session.close();
        fs.rmSync(file, { force: true });
        fs.rmSync(`${file}.data`, { force: true });
      }
      if (metric === 'accuracy-drop') return baseAccuracy - top1(outputs);
      let noise = 0;
      let signal = 0;
      outputs.forEach((out, i) => {
        const e = outputError(reference[i], out);
        noise += e.noise;
        signal += e.signal;
      });
      return signal ? Math.sqrt(noise / signal) : 0;
    },
    dispose: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * quantizeModelFile: one quantization run from settings to a written model and its report —
 * what the runtime process's `quantize` request runs for the CLI and the editor alike. Calibration,
 * the sensitivity scan and the comparison run the model through a ModelRunner (the runtime
 * process's, src/runtime/child/ort/modelRunner.ts); the rewrite modes that need no run work without one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkModelExternalData } from '../onnx/externalData';
import { readModelFile, type OnnxModel } from '../onnx/reader';
import { rawByteLength } from '../onnx/elemTypes';
import { elementCount } from '../onnx/tensorData';
import { dataInputs, modelInputs } from '../files/commandInputs';
import { checkOutput, type CommandInput } from '../files/outputFile';
import { writeModelFile } from '../onnx/write/writeModel';
import type { TensorRange } from '../../shared/quantReport';
import { compareModels } from './compare';
import { GraphRewriter } from './graphRewriter';
import { QuantizeError } from './errors';
import { applyPrecisions, planMixed } from './mixed';
import { QUANT_REPORT_SCHEMA, summarize, type QuantReport } from '../../shared/quantReport';
import { DEFAULT_OPS, rewriteModel, type RewriteResult } from './rewriteModel';
import type { ModelRunner } from './runner';
import { loadSamples, randomSamples, type SampleSet } from './samples';
import { selectWeightOps } from './select';
import { staticQuantizeModel } from './static';
import type { QuantizeSettings } from '../../shared/quantizeSettings';
import { version as TOOL_VERSION } from '../../../package.json';

export type QuantizeStage = 'read' | 'calibrate' | 'sensitivity' | 'rewrite' | 'write' | 'compare';

export interface QuantizeProgress {
  stage: QuantizeStage;
  done: number;
  total: number;
  message: string;
}

export interface QuantizeJob {
  input: string;
  output: string;
  settings: QuantizeSettings;
  /** Replace an existing output (never the input). */
  overwrite?: boolean;
  /** Samples to compare the two models on: this dataset, else the calibration data, else random inputs. */
  compareData?: string;
  compareLabelColumn?: string | null;
  /** Samples compared (default 1000). */
  compareSamples?: number;
  /** Skip the comparison (agreement and per-node error). */
  skipCompare?: boolean;
}

export interface QuantizeContext {
  runner?: ModelRunner;
  signal?: AbortSignal;
  onProgress?: (p: QuantizeProgress) => void;
}

/** What a quantization reads — the model with its data and labels, calibration and comparison data — never to be written over. */
export function quantizeInputs(job: Pick<QuantizeJob, 'input' | 'settings' | 'compareData'>): CommandInput[] {
  return [
    ...modelInputs(job.input),
    ...(job.settings.calibration ? dataInputs(job.settings.calibration.data, 'the calibration data') : []),
    ...(job.compareData ? dataInputs(job.compareData, 'the evaluation data') : []),
  ];
}

/**
 * Refuses, before any work is done, an output that is one of the inputs (however spelled), exists
 * without `overwrite`, or cannot be written (core/files/outputFile.ts); throws OutputRefusedError.
 */
export function checkQuantizeOutput(job: Pick<QuantizeJob, 'input' | 'output' | 'settings' | 'compareData' | 'overwrite'>, flag?: string): string {
  return checkOutput({ file: job.output, flag, replace: job.overwrite, inputs: quantizeInputs(job) });
}

/** File bytes plus the external data bytes the model's initializers use. */
export function modelBytes(model: OnnxModel): number {
  let external = 0;
  for (const t of model.info.graph.initializers) {
    if (t.data.kind === 'external') external += t.data.length ?? rawByteLength(t.elemType, elementCount(t.dims)) ?? 0;
  }
  return model.fileBytes + external;
}

const since = (t: number) => performance.now() - t;

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

/** Whether the float model itself runs on these samples (random inputs may not fit it at all). */
async function runsOnRandom(runner: ModelRunner, file: string, samples: SampleSet): Promise<boolean> {
  try {
    const session = await runner.open(file);
    try {
      await session.run(samples.batches[0].feeds);
    } finally {
      await session.close();
    }
    return true;
  } catch {
    return false;
  }
}

export async function quantizeModelFile(job: QuantizeJob, ctx: QuantizeContext = {}): Promise<QuantReport> {
  const started = performance.now();
  const s = job.settings;
  const progress = (stage: QuantizeStage, done: number, total: number, message: string) => ctx.onProgress?.({ stage, done, total, message });
  checkQuantizeOutput(job);
  progress('read', 0, 1, `reading ${path.basename(job.input)}`);
  const model = readModelFile(job.input);
  try {
    // Every external tensor checked up front (core/onnx/externalData.ts): a location outside the
    // model's folder is refused before anything is rewritten, compared or written.
    checkModelExternalData(model.file, model.dir, model.info);
    const needsCalibration = s.mode === 'static' || (s.mode === 'mixed' && (s.maxError !== undefined || s.maxAccuracyDrop !== undefined));
    if (needsCalibration && !s.calibration) throw new QuantizeError(job.input, `needs calibration data for ${s.mode} quantization (--calib <data>)`);
    if (needsCalibration && !ctx.runner) throw new QuantizeError(job.input, `cannot be calibrated here: no runtime to run it`);
    let samples: SampleSet | null = null;
    let calibrationMs: number | null = null;
    const tCal = performance.now();
    if (s.calibration) {
      samples = await loadSamples(model, s.calibration.data, { maxSamples: s.calibration.maxSamples ?? 256, batchSize: s.calibration.batchSize ?? 32, labelColumn: s.calibration.labelColumn, signal: ctx.signal });
    }
    let result: RewriteResult;
    let ranges: TensorRange[] | null = null;
    let sensitivity: QuantReport['sensitivity'] = null;
    let sensitivityMs: number | null = null;
    const tRewrite = performance.now();
    let rewriteMs = 0;
    if (s.mode === 'static') {
      const sel = selectWeightOps(new GraphRewriter(model), { ops: new Set(s.ops ?? DEFAULT_OPS.static), excludeOps: s.excludeOps, excludeNodes: s.excludeNodes, skipDepthwise: !s.depthwise });
      if (sel.ops.length === 0) throw new QuantizeError(job.input, `has no quantizable ops for static quantization: no ${(s.ops ?? DEFAULT_OPS.static).join('/')} node with a constant float32 weight`);
      progress('calibrate', 0, samples!.batches.length, 'calibrating');
      const q = await staticQuantizeModel(model, sel.ops, { perChannel: s.perChannel ?? false, perChannelConv: s.perChannel ?? true, reduceRange: s.reduceRange ?? (s.weightType ?? 'int8') === 'int8', weightType: s.weightType ?? 'int8' }, {
        runner: ctx.runner!, samples: samples!, calibration: { method: s.calibration!.method, percentile: s.calibration!.percentile }, signal: ctx.signal,
        onProgress: (pass, done, total) => progress('calibrate', done, total, `calibration pass ${pass}`),
      });
      calibrationMs = since(tCal);
      ranges = [...q.ranges.values()];
      const t = performance.now();
      q.ed.setMetadata('onnx_lens.quantization', JSON.stringify({ mode: 'static', method: s.calibration!.method, nodes: q.changes.length }));
      result = { rewrite: q.ed.finish(), changes: q.changes, skipped: sel.skipped, warnings: [] };
      rewriteMs = since(t);
    } else if (s.mode === 'mixed') {
      const t = performance.now();
      // The budget is checked on the evaluation data when there is some (else on held-out calibration rows).
      const scanned = s.maxError !== undefined || s.maxAccuracyDrop !== undefined;
      const heldOut = scanned && job.compareData && ctx.runner
        ? await loadSamples(model, job.compareData, { maxSamples: job.compareSamples ?? 1000, batchSize: s.evalBatch ?? 32, labelColumn: job.compareLabelColumn, signal: ctx.signal })
        : null;
      const plan = await planMixed(model, s, { runner: ctx.runner, samples, heldOut, signal: ctx.signal, onProgress: (d, n, m) => progress('sensitivity', d, n, m) });
      if (plan.scan) sensitivityMs = since(t);
      const t2 = performance.now();
      result = applyPrecisions(model, plan.precisions, s);
      result.skipped = plan.skipped;
      if (result.changes.length === 0) {
        const least = plan.scan?.layers[plan.scan.layers.length - 1];
        const why = plan.scan && least
          ? `: the budget (${plan.scan.metric} ≤ ${plan.scan.budget}) holds only with every layer in float32 (the least sensitive, ${least.node}, alone gives ${least.error.toPrecision(3)})`
          : '';
        throw new QuantizeError(job.input, `has no layer left to quantize${why || ': every candidate stays in float32'}`);
      }
      sensitivity = plan.scan;
      if (plan.scan && !plan.scan.met) result.warnings.push(`the budget (${plan.scan.metric} ≤ ${plan.scan.budget}) is not met even with every scanned layer in float32: the error is ${plan.scan.finalError.toFixed(4)}`);
      rewriteMs = since(t2);
    } else {
      result = rewriteModel(model, s);
      rewriteMs = since(tRewrite);
    }
    if (s.calibration && calibrationMs === null) calibrationMs = 0;
    // The comparison samples are read before anything is written: data that does not fit fails first.
    let cmp: SampleSet | null = null;
    if (ctx.runner && !job.skipCompare) {
      if (job.compareData) cmp = await loadSamples(model, job.compareData, { maxSamples: job.compareSamples ?? 1000, batchSize: 32, labelColumn: job.compareLabelColumn, signal: ctx.signal });
      else cmp = samples ?? randomSamples(model, 8);
    }
    progress('write', 0, 1, `writing ${path.basename(job.output)}`);
    const tWrite = performance.now();
    const written = writeModelFile(model, result.rewrite, job.output, { overwrite: job.overwrite, inputs: quantizeInputs(job) });
    const writeMs = since(tWrite);
    const before = modelBytes(model);
    const referenced = written.referencedData.reduce((n, r) => n + r.bytes, 0);
    const after = written.bytes + written.dataBytes + referenced;

    let comparison: QuantReport['comparison'] = null;
    let compareMs: number | null = null;
    if (ctx.runner && cmp) {
      const t = performance.now();
      try {
        progress('compare', 0, cmp.batches.length, 'comparing the two models');
        const c = await compareModels(ctx.runner, job.input, written.file, cmp, result.changes, { signal: ctx.signal, onBatch: (d, n) => progress('compare', d, n, 'comparing the two models') });
        comparison = { ...c, data: cmp.file, source: cmp.source };
      } catch (err) {
        if (cmp.source === 'random' && (await runsOnRandom(ctx.runner, job.input, cmp)) === false) {
          result.warnings.push(`the models were not compared: random inputs do not fit the model (${firstLine(err)}); give data to compare on`);
        } else {
          // The quantized model does not run: it is not left behind as if it were usable.
          for (const f of [written.file, written.dataFile]) if (f) fs.rmSync(f, { force: true });
          throw new QuantizeError(job.output, `was not kept: the quantized model does not run in onnxruntime: ${firstLine(err)}`);
        }
      }
      compareMs = since(t);
    }
    return {
      schema: QUANT_REPORT_SCHEMA,
      createdAt: new Date().toISOString(),
      tool: { name: 'onnx-lens', version: TOOL_VERSION },
      model: { path: path.resolve(job.input), bytes: before },
      output: { path: written.file, bytes: written.bytes, dataFile: written.dataFile, dataBytes: written.dataBytes, referencedDataBytes: referenced },
      settings: s,
      size: { before, after, ratio: after / before },
      nodes: result.changes,
      skipped: result.skipped,
      summary: summarize(result.changes, result.skipped),
      warnings: result.warnings,
      timing: { totalMs: since(started), rewriteMs, writeMs, calibrationMs, sensitivityMs, compareMs },
      calibration: ranges && s.calibration ? { data: path.resolve(s.calibration.data), samples: samples!.samples, method: s.calibration.method, ranges } : null,
      sensitivity,
      comparison,
      accuracy: null,
      latency: null,
    };
  } finally {
    model.close();
  }
}

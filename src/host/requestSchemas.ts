/**
 * Every webview → host request's parameters, checked on the host before a handler sees them
 * (docs/security.md). The webview is our own page under a strict CSP, but it shows text from
 * models and datasets; whatever reaches the host from it is treated as untrusted input: types,
 * ranges and sizes are checked here (zod), paths must be absolute, and nothing in a request can
 * name a file to write — writes go only to paths the user picks in a host dialog
 * (`FilePicker.pickToWrite`, src/host/ports.ts). A request that fails the check gets one sentence back, never a crash.
 */
import * as path from 'node:path';
import { z } from 'zod';
import type { HostMethod, HostMethods, ParamsOf } from '../shared/protocol';
import { EXECUTION_PROVIDERS } from '../shared/runtimeTypes';
import { EXPLAIN_METHODS } from '../shared/explainReport';

const MAX_PATH = 4096;
const MAX_NAME = 4096;
/** Elements of a generated input tensor: 2^31, far past any model a person runs here. */
const MAX_ELEMENTS = 2 ** 31;

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const name = z.string().max(MAX_NAME);

/** A file the user picked or typed: absolute, no NUL, a sane length. */
export const absolutePath = z.string().min(1).max(MAX_PATH)
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character')
  .refine((p) => path.isAbsolute(p), 'must be an absolute path');

const preprocess = z.object({
  width: int(1, 16384),
  height: int(1, 16384),
  resize: z.enum(['stretch', 'shorter-side']),
  crop: z.enum(['center', 'none']),
  layout: z.enum(['NCHW', 'NHWC']),
  channels: z.enum(['rgb', 'bgr', 'gray']),
  scale: finite,
  mean: z.array(finite).min(1).max(4),
  std: z.array(finite.refine((v) => v !== 0, 'a std of 0 divides by zero')).min(1).max(4),
});

const inputSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('random'), distribution: z.enum(['normal', 'uniform']), seed: int(0, 2 ** 32), low: finite.optional(), high: finite.optional() }),
  z.object({ kind: z.literal('zeros') }),
  z.object({ kind: z.literal('ones') }),
  z.object({ kind: z.literal('constant'), value: finite }),
  z.object({ kind: z.literal('npy'), path: absolutePath, key: name.optional() }),
  z.object({ kind: z.literal('json'), path: absolutePath, key: name.optional() }),
  z.object({ kind: z.literal('image'), path: absolutePath, preprocess }),
  z.object({ kind: z.literal('dataset'), path: absolutePath, row: int(0, Number.MAX_SAFE_INTEGER) }),
]);

const inputSpec = z.object({
  name,
  source: inputSource,
  dims: z.array(int(0, MAX_ELEMENTS)).max(16).refine((d) => d.reduce((a, b) => a * b, 1) <= MAX_ELEMENTS, `must have at most ${MAX_ELEMENTS} elements`),
});

const sessionOptions = z.object({
  intraOpThreads: int(0, 256),
  interOpThreads: int(0, 256),
  graphOptimization: z.enum(['disabled', 'basic', 'extended', 'all']),
  executionMode: z.enum(['sequential', 'parallel']),
  // The Run tab's provider choice wins over the setting (sessionSettings.ts); the log level and
  // labels-file switch come from the host, never from the webview.
  executionProvider: z.enum(EXECUTION_PROVIDERS).optional(),
});

const runSetup = z.object({ inputs: z.array(inputSpec).max(10_000), options: sessionOptions });

const benchSettings = z.object({
  warmupRuns: int(0, 100_000),
  runs: int(1, 1_000_000),
  budgetMs: int(0, 24 * 3600_000),
  threads: z.array(int(0, 256)).min(1).max(64),
  batches: z.array(int(1, 1 << 20)).max(64),
});

const page = { runId: int(0, Number.MAX_SAFE_INTEGER), name, offset: int(0, Number.MAX_SAFE_INTEGER), count: int(0, 1 << 24) };

const calibration = z.object({
  data: absolutePath,
  method: z.enum(['minmax', 'percentile', 'entropy']),
  percentile: z.number().gt(50).max(100).optional(),
  maxSamples: int(1, 1 << 24).optional(),
  batchSize: int(1, 1 << 16).optional(),
  labelColumn: name.nullable().optional(),
});

const quantizeSettings = z.object({
  mode: z.enum(['dynamic', 'static', 'weight-only', 'mixed', 'fp16', 'prune']),
  bits: z.union([z.literal(8), z.literal(4)]).optional(),
  perChannel: z.boolean().optional(),
  symmetric: z.boolean().optional(),
  reduceRange: z.boolean().optional(),
  ops: z.array(name).max(1000).optional(),
  excludeOps: z.array(name).max(1000).optional(),
  excludeNodes: z.array(name).max(1_000_000).optional(),
  depthwise: z.boolean().optional(),
  weightType: z.enum(['int8', 'uint8']).optional(),
  blockSize: int(16, 1 << 20).refine((n) => (n & (n - 1)) === 0, 'must be a power of two').optional(),
  format: z.enum(['integer', 'qdq']).optional(),
  weightOnlyFormat: z.enum(['auto', 'dequantize', 'matmulnbits']).optional(),
  calibration: calibration.optional(),
  sparsity: z.number().min(0).lt(1).optional(),
  pruneScope: z.enum(['layer', 'global']).optional(),
  keepIoTypes: z.boolean().optional(),
  fp16BlockOps: z.array(name).max(1000).optional(),
  nodePrecision: z.record(name, z.enum(['int8', 'int4', 'fp16', 'fp32'])).optional(),
  maxError: z.number().min(0).refine(Number.isFinite).optional(),
  maxAccuracyDrop: z.number().min(0).max(1).optional(),
});

const explainSubject = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('inputs'), inputs: z.array(inputSpec).max(10_000) }),
  z.object({ kind: z.literal('row'), data: absolutePath, row: int(0, Number.MAX_SAFE_INTEGER), labelColumn: name.nullable().optional() }),
]);

const explain = z.object({
  subject: explainSubject,
  options: sessionOptions.optional(),
  method: z.enum(EXPLAIN_METHODS),
  output: name.optional(),
  target: int(0, 1 << 24).nullable().optional(),
  samples: int(2, 1 << 20).optional(),
  seed: int(0, 2 ** 32).optional(),
  background: absolutePath.optional(),
  backgroundSize: int(1, 10_000).optional(),
  backgroundKind: z.enum(['kmeans', 'sample']).optional(),
  segments: int(2, 10_000).optional(),
  window: int(1, 16384).optional(),
  stride: int(1, 16384).optional(),
  baseline: finite.optional(),
  masks: int(1, 1 << 20).optional(),
  repeats: int(1, 1000).optional(),
  metric: name.optional(),
  labelColumn: name.nullable().optional(),
  sanity: z.boolean().optional(),
});

const empty = z.object({});

type Schemas = { [M in HostMethod]: z.ZodType<ParamsOf<M>> };

/** One schema per request method; the mapped type keeps this list complete and in step with protocol.ts. */
export const REQUEST_SCHEMAS: Schemas = {
  reload: empty as unknown as z.ZodType<Record<string, never>>,
  nodeDetails: z.object({ node: int(0, 2 ** 31) }),
  tensorStats: z.object({ value: name }),
  tensorPage: z.object({ value: name, offset: int(0, Number.MAX_SAFE_INTEGER), count: int(0, 1 << 24) }),
  runtimeSignature: empty as unknown as z.ZodType<Record<string, never>>,
  runModel: runSetup,
  captureActivations: runSetup.extend({ values: z.union([z.literal('all'), z.array(name).max(1_000_000)]) }),
  runTensorPage: z.object(page),
  runTensorHistogram: z.object({ runId: page.runId, name }),
  runTensorSlab: z.object({ runId: page.runId, name, leading: z.array(int(0, 2 ** 31)).max(16) }),
  saveTensor: z.object({ runId: page.runId, name, format: z.enum(['npy']) }),
  benchmark: runSetup.extend({ settings: benchSettings }),
  profile: runSetup.extend({ runs: int(1, 100_000) }),
  loadOverlay: empty as unknown as z.ZodType<Record<string, never>>,
  pickInputFile: z.object({ input: name, kind: z.enum(['npy', 'json', 'image', 'dataset']) }),
  saveRunSetup: runSetup,
  evaluate: z.object({
    data: absolutePath,
    labelColumn: name.nullable().optional(),
    task: z.enum(['auto', 'classification', 'regression']).optional(),
    batchSize: int(1, 1 << 16).optional(),
    compareData: absolutePath.optional(),
    bootstrap: int(0, 100_000).optional(),
    uncertainty: z.object({
      conformal: z.object({ alpha: z.number().gt(0).lt(1), score: z.enum(['lac', 'aps']).optional() }).optional(),
      temperature: z.boolean().optional(),
      calibrationFraction: z.number().gt(0).lt(1).optional(),
      seed: int(0, 2 ** 32).optional(),
    }).optional(),
  }),
  latestEvaluation: empty as unknown as z.ZodType<Record<string, never>>,
  // A saved report the Evaluate tab names (JSON or the standalone HTML page): opened, never written.
  openReport: z.object({ path: absolutePath.refine((p) => /\.(json|html?)$/i.test(p), 'a report is a .json or .html file') }),
  pickDataset: empty as unknown as z.ZodType<Record<string, never>>,
  datasetColumns: z.object({ data: absolutePath }),
  openSample: z.object({ data: absolutePath, source: z.union([int(0, Number.MAX_SAFE_INTEGER), absolutePath, z.null()]), index: int(0, Number.MAX_SAFE_INTEGER) }),
  evalSamples: z.object({
    data: absolutePath,
    samples: z.array(z.object({ index: int(0, Number.MAX_SAFE_INTEGER), source: z.union([int(0, Number.MAX_SAFE_INTEGER), z.string().max(MAX_PATH)]) })).max(1000),
  }),
  quantize: z.object({
    settings: quantizeSettings,
    output: absolutePath.optional(),
    overwrite: z.boolean().optional(),
    evalData: absolutePath.nullable().optional(),
    labelColumn: name.nullable().optional(),
  }),
  latestQuantization: empty as unknown as z.ZodType<Record<string, never>>,
  robust: z.object({
    data: absolutePath,
    labelColumn: name.nullable().optional(),
    perturbations: z.array(z.object({
      perturbation: z.enum(['noise', 'feature-noise', 'dropout', 'brightness', 'contrast', 'blur', 'jpeg', 'shift', 'rotate']),
      severities: z.array(z.number().min(0).max(1000)).min(1).max(32),
    })).max(16),
    attack: z.object({ eps: z.number().min(0).max(1), queries: int(1, 100_000), samples: int(1, 100_000).optional() }).optional(),
    maxSamples: int(1, Number.MAX_SAFE_INTEGER).optional(),
  }),
  latestRobustness: empty as unknown as z.ZodType<Record<string, never>>,
  drift: z.object({ reference: absolutePath, current: absolutePath, labelColumn: name.nullable().optional() }),
  latestDrift: empty as unknown as z.ZodType<Record<string, never>>,
  explain,
};

/** The request's parameters, checked and stripped of unknown fields; throws one sentence naming what is wrong. */
export function checkRequest<M extends HostMethod>(method: M, params: unknown): HostMethods[M]['params'] {
  const schema = Object.hasOwn(REQUEST_SCHEMAS, method) ? (REQUEST_SCHEMAS as Record<string, z.ZodType>)[method] : undefined;
  if (!schema) throw new Error(`unknown request method "${String(method).slice(0, 80)}"`);
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data as HostMethods[M]['params'];
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? `'${issue.path.join('.')}'` : 'its parameters';
  const why = issue.message.replace(/^Invalid input: /, '');
  throw new Error(`the '${method}' request was refused: ${where} ${why.charAt(0).toLowerCase()}${why.slice(1)}.`);
}

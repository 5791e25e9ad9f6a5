/**
 * What the runtime (onnxruntime-node in a forked child) is asked and answers: session options,
 * where input tensors come from, tensor summaries, benchmark and profile results. Shared by the
 * child, the extension host, the CLI and (as types only) the webview; keep it free of imports
 * with side effects.
 */
import type { PreprocessSpec } from './datasetTypes';

/** Execution providers ONNX Lens can ask onnxruntime for (src/runtime/child/ort/executionProviders.ts). */
export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'dml', 'coreml', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];
/** How people name each provider. */
export const PROVIDER_NAMES: Record<ExecutionProvider, string> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML', webgpu: 'WebGPU' };

/** onnxruntime's own log levels, most to least verbose. */
export const ORT_LOG_LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;
export type OrtLogLevel = (typeof ORT_LOG_LEVELS)[number];

/** ORT session options the user can set; part of the session cache key (except `labelsFile`). */
export interface SessionOptionsSpec {
  /** Threads inside one operator; 0 lets ORT choose (one per physical core). */
  intraOpThreads: number;
  /** Threads across operators (parallel execution mode only); 0 lets ORT choose. */
  interOpThreads: number;
  graphOptimization: 'disabled' | 'basic' | 'extended' | 'all';
  executionMode: 'sequential' | 'parallel';
  /** The execution provider asked for; default 'cpu'. One this machine lacks falls back to the CPU, said in one sentence. */
  executionProvider?: ExecutionProvider;
  /** onnxruntime's log on the process's stderr (the editor shows it in its log); default 'fatal' (quiet). */
  ortLogLevel?: OrtLogLevel;
  /** Class names may come from a labels file beside the model (setting onnxLens.useLabelsFile); default true. */
  labelsFile?: boolean;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptionsSpec = {
  intraOpThreads: 0,
  interOpThreads: 0,
  graphOptimization: 'all',
  executionMode: 'sequential',
};

/** Where one input tensor's values come from. Generated sources are seeded, so runs repeat. */
export type InputSource =
  | { kind: 'random'; distribution: 'normal' | 'uniform'; seed: number; low?: number; high?: number }
  | { kind: 'zeros' }
  | { kind: 'ones' }
  /** Every element the same number (e.g. a sample rate such as 16000 for an int64 scalar). */
  | { kind: 'constant'; value: number }
  | { kind: 'npy'; path: string; key?: string }
  | { kind: 'json'; path: string; key?: string }
  | { kind: 'image'; path: string; preprocess: PreprocessSpec }
  /** Row `row` (from 0) of a dataset file, mapped onto the inputs as Evaluate maps it. */
  | { kind: 'dataset'; path: string; row: number };

/** One model input as the user set it up: concrete dims (symbolic ones already given a value). */
export interface InputSpec {
  name: string;
  source: InputSource;
  /** Concrete dims for generated sources; for file sources the file's own shape is used and checked. */
  dims: number[];
}

/** A model input or output as the session declares it (symbolic dims are strings). */
export interface IoSignature {
  name: string;
  elemType: string;
  dims: (number | string)[];
}

export interface NumericSummary {
  min: number;
  max: number;
  mean: number;
  std: number;
  /** Fraction of exact zeros (sparsity). */
  zeros: number;
  nan: number;
  inf: number;
  /** 64 equal-width bins between min and max. Absent in activation captures (tens of millions of
   *  elements): ask `runTensorHistogram` for the value on screen. */
  histogram?: { edges: number[]; counts: number[] };
}

/** A tensor the model produced (or was fed), summarised in the child; values are paged on demand. */
export interface TensorSummary {
  name: string;
  elemType: string;
  dims: number[];
  elements: number;
  /** null for strings and non-numeric tensors. */
  numeric: NumericSummary | null;
  /** Up to 16 leading values for a quick look (strings included). */
  head: (number | string)[];
  /** For classifier-like outputs ([N, C] or [C] with C > 1): the k largest scores of the first row. */
  topK?: { index: number; score: number; label?: string }[];
  /** Where the top-k class names came from ('labels.txt', "metadata 'names'"), when they were applied. */
  labelSource?: string;
  /** Why class names were not applied (a list of the wrong length, a refused file), said beside the top-k. */
  labelNote?: string;
}

export interface RunResult {
  /** Names pages and slabs of this run's tensors; only the latest run per model is kept. */
  runId: number;
  /** Wall time of `session.run` in the child, ms. */
  runMs: number;
  /** Session creation time, ms, or 0 when the cached session was used. */
  sessionMs: number;
  inputs: TensorSummary[];
  outputs: TensorSummary[];
  /** The execution provider the session runs on ('cpu' after a fallback). */
  provider: ExecutionProvider;
  /** Why the session runs on the CPU instead of the provider asked for (one sentence), if it does. */
  providerNote?: string;
}

/** Activations: the chosen intermediate values, in graph (topological) order. */
export interface ActivationsResult extends RunResult {
  activations: TensorSummary[];
  /** Time to summarise the captured values (one pass over every element), ms; `runMs` is the capture itself. */
  statsMs: number;
  /** Values asked for that could not be captured, each with the reason. */
  skipped: { name: string; reason: string }[];
}

export interface LatencyStats {
  runs: number;
  mean: number;
  std: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  /** Samples per second (batch / mean latency). */
  throughput: number;
}

export interface BenchConfig {
  intraOpThreads: number;
  /** The value given to the symbolic batch dim, or null when the batch is fixed. */
  batch: number | null;
}

export interface BenchPoint {
  config: BenchConfig;
  /** All in milliseconds. */
  latency: LatencyStats;
  warmupRuns: number;
  sessionMs: number;
  /** Peak RSS growth of the runtime process during this configuration, bytes. */
  peakRssDeltaBytes: number;
}

export interface BenchSettings {
  warmupRuns: number;
  /** Timed runs per configuration (at most; the time budget may end it sooner). */
  runs: number;
  /** Stop a configuration after this many ms of timed runs (0 = no budget). */
  budgetMs: number;
  threads: number[];
  /** Values for the symbolic batch dim; empty = the inputs as given. */
  batches: number[];
}

export interface BenchReport {
  schema: 'onnx-lens.bench/1';
  createdAt: string;
  model: { path: string; bytes: number; mtimeMs: number };
  options: SessionOptionsSpec;
  settings: BenchSettings;
  inputs: { name: string; elemType: string; dims: number[]; source: InputSource['kind'] }[];
  points: BenchPoint[];
  host: { platform: string; arch: string; cpus: number; cpuModel: string; node: string; ort: string };
}

/** One kernel (or fused group of original nodes) in ORT's profile, averaged over the runs. */
export interface ProfileEntry {
  /** ORT's node name in the optimised graph. */
  ortName: string;
  opType: string;
  provider: string;
  meanUs: number;
  /** Share of the summed kernel time. */
  share: number;
  /** Original graph nodes this kernel covers (names), the one its time is charged to first; empty when it maps to none. */
  nodes: string[];
  /** True when ORT fused several original nodes into this kernel. */
  fused: boolean;
  /** How it was mapped: its own node, a transformed/fused kernel, a reorder or copy charged to its neighbour, or nothing. */
  mapping: 'node' | 'transformed' | 'neighbour' | 'unmapped';
}

export interface ProfileResult {
  runs: number;
  /** Mean wall time of one model run as ORT's profiler saw it, µs. */
  runUs: number;
  /** Sum of kernel times per run, µs (less than runUs: scheduling and copies are outside kernels). */
  kernelUs: number;
  entries: ProfileEntry[];
  byOpType: { opType: string; meanUs: number; kernels: number; share: number }[];
  /** Per original node name: µs per run. A kernel's time is on its first node only, so these add up to kernelUs less `unmapped`. */
  nodeUs: Record<string, number>;
  /** Original nodes folded into another node's kernel (no time of their own): name → that node's name. */
  fusedInto: Record<string, string>;
  /** Kernels that map to no original node, and their µs per run. */
  unmapped: { kernels: number; us: number };
  /** 'optimized-graph': through the optimised model the session saved; 'names': by kernel names alone. */
  mappedThrough: 'optimized-graph' | 'names';
  graphOptimization: SessionOptionsSpec['graphOptimization'];
}

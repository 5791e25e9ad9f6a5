/**
 * The model diff (schema onnx-lens.diff/1): what `onnx-lens diff --json` prints, what `--report`
 * writes and what the diff editor shows. Field names are a public contract (CI scripts read
 * them): add fields, never rename. docs/diff.md describes each field.
 *
 * "a" is the old side (the left of the editor, the first CLI argument), "b" the new one. Node
 * names are the names each side gives its node (`OpType_<index>` for an unnamed node).
 */
import type { Dim } from './tensorTypes';

export const DIFF_SCHEMA = 'onnx-lens.diff/1';

/** What changed in a matched node, most severe first (the change list sorts by this order). */
export const CHANGE_KINDS = ['op', 'attribute', 'input', 'dtype', 'shape', 'weight'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export interface Side<T> {
  a: T;
  b: T;
}

/** One weight (initializer, or a Constant's value) in both models. */
export interface WeightDelta {
  /** The tensor's name in each model. */
  a: string;
  b: string;
  elemType: Side<string>;
  shape: Side<number[]>;
  /** Same element type, shape and stored bytes (found by hashing the byte ranges, nothing decoded). */
  identical: boolean;
  /** Over every element, when both hold the same number of numeric elements; null otherwise. */
  maxAbsDiff: number | null;
  /** ‖b − a‖ / ‖a‖ (Infinity when a is all zeros and b is not). */
  relativeL2: number | null;
  cosine: number | null;
  /** Why the values could not be compared (unreadable external data, strings, a shape change). */
  note?: string;
}

export interface NodeChangeItem {
  kind: ChangeKind;
  /** The attribute, value or weight the change is about (the op type for 'op'). */
  name: string;
  /** Printable old and new values; null where the thing is absent on that side. */
  before: string | null;
  after: string | null;
  /** Weights: the numbers behind before/after. */
  weight?: WeightDelta;
}

export interface ChangedNode {
  a: string;
  b: string;
  opType: string;
  changes: NodeChangeItem[];
  /** How much it changed, for sorting within a kind: the largest relative L2 of its weights, else its change count. */
  size: number;
}

export interface NamedChange<T> {
  name: string;
  before: T;
  after: T;
}

export interface ListDiff<T> {
  added: T[];
  removed: T[];
  changed: NamedChange<T>[];
}

export interface SignatureValue {
  name: string;
  elemType: string;
  shape: Dim[] | null;
}

export interface SignatureDiff {
  inputs: ListDiff<SignatureValue>;
  outputs: ListDiff<SignatureValue>;
  /** Keyed by domain ('' is the default ONNX domain). */
  opsets: ListDiff<{ domain: string; version: number }>;
  irVersion: Side<number>;
  producer: Side<string>;
  metadata: ListDiff<{ key: string; value: string }>;
  /** True when nothing above differs. */
  same: boolean;
}

export interface NodesDiff {
  /** Nodes found in both models (by name, or by structure where names changed). */
  matched: number;
  matchedByName: number;
  matchedByStructure: number;
  /** Names in b with no counterpart in a. */
  added: string[];
  /** Names in a with no counterpart in b. */
  removed: string[];
  /** Matched nodes whose names differ, a → b. */
  renamed: { a: string; b: string }[];
  /** Matched nodes with at least one change, most severe kind first, then largest. */
  changed: ChangedNode[];
}

export interface WeightsDiff {
  /** Weights matched between the models with the same type, shape and bytes. */
  identical: number;
  changed: number;
  /** Weights only in b / only in a. */
  added: string[];
  removed: string[];
  /** The largest absolute element difference over every changed weight; null when none could be compared. */
  maxAbsDiff: number | null;
  /** Every changed weight, largest relative change first. */
  list: WeightDelta[];
}

export interface Totals {
  parameters: Side<number>;
  bytes: Side<number>;
  /** null where MACs are unknown. */
  macs: Side<number | null>;
  nodes: Side<number>;
}

/** Behaviour of both models on the same inputs (the runtime process; `--data`/`--runs`). */
export interface OutputAgreementDiff {
  /** The output's name in a and b. */
  a: string;
  b: string;
  kind: 'top1' | 'values';
  /** Share of rows whose arg-max (or label) agrees; null for value outputs. */
  top1: number | null;
  rows: number;
  maxAbsError: number;
  meanAbsError: number;
  relativeError: number;
}

export interface Divergence {
  /** The node in each model whose output first moved beyond the tolerance (topological order of a). */
  a: string;
  b: string;
  opType: string;
  value: Side<string>;
  sqnrDb: number;
  cosine: number;
  maxAbsError: number;
}

export interface NodeErrorDiff {
  a: string;
  b: string;
  opType: string;
  sqnrDb: number;
  cosine: number;
  maxAbsError: number;
}

export interface MetricsDiff {
  data: string;
  samples: number;
  /** Top-1 accuracy (classifiers) or R² (regressors) of each model. */
  metric: 'accuracy' | 'r2';
  a: number;
  b: number;
  delta: number;
  /** Paired bootstrap 95% interval of b − a. */
  ci95: { low: number; high: number } | null;
  /** McNemar's exact test on the discordant pairs (classifiers only). */
  mcnemar: { onlyA: number; onlyB: number; pValue: number } | null;
}

export interface LatencyDiff {
  /** Milliseconds, each model measured in the same run. */
  a: { mean: number; p50: number; p90: number; runs: number };
  b: { mean: number; p50: number; p90: number; runs: number };
  ratio: number;
}

export interface BehaviourDiff {
  /** 'random' (seeded inputs from each input's type) or the dataset's path. */
  source: string;
  samples: number;
  outputs: OutputAgreementDiff[];
  firstDivergence: Divergence | null;
  /** Every compared matched node, in a's topological order. */
  nodeErrors: NodeErrorDiff[];
  tolerance: { sqnrDb: number };
  metrics: MetricsDiff | null;
  latency: LatencyDiff | null;
  /** Why part of it could not be measured. */
  notes: string[];
}

export interface DiffReport {
  schema: typeof DIFF_SCHEMA;
  createdAt: string;
  tool: { name: 'onnx-lens'; version: string };
  /** The paths as given (or the URIs shown in the editor). */
  a: string;
  b: string;
  /** The report's subject for the reports folder: the new side. */
  model: { path: string };
  /** 2·matched / (nodes in a + nodes in b): 1 for the same graph, near 0 for unrelated models. */
  similarity: number;
  /** One sentence: what changed, or how little matched. */
  headline: string;
  signature: SignatureDiff;
  nodes: NodesDiff;
  weights: WeightsDiff;
  totals: Totals;
  /** With --data / --runs (the CLI) or "Compare behaviour" (the editor). */
  outputs?: OutputAgreementDiff[];
  firstDivergence?: Divergence | null;
  metrics?: MetricsDiff | null;
  latency?: LatencyDiff | null;
  behaviour?: BehaviourDiff;
  timing: { matchMs: number; weightsMs: number; totalMs: number };
}

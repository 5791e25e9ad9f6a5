/**
 * ModelSummary is what `onnx-lens inspect --json` prints and what the model editor shows.
 * Field names are a public contract (CI scripts read them): add fields, never rename.
 */
import type { Dim } from './tensorTypes';

export interface SummaryValue {
  name: string;
  /** 'float32', 'int64', ...; 'unknown' when not known; 'sequence<float32>' etc. for non-tensors. */
  elemType: string;
  shape: Dim[] | null;
}

export interface SummaryTensor {
  name: string;
  elemType: string;
  shape: number[];
  bytes: number;
  elements: number;
}

export interface SummaryProblem {
  severity: 'error' | 'warning';
  message: string;
}

export interface ModelSummary {
  /** The file's absolute path. */
  path: string;
  fileBytes: number;
  irVersion: number;
  producer: { name: string; version: string };
  domain: string;
  modelVersion: number;
  docString: string;
  /** Opset domain → version; the default domain is "". */
  opsets: Record<string, number>;
  metadata: Record<string, string>;
  inputs: SummaryValue[];
  outputs: SummaryValue[];
  nodeCount: number;
  nodeCountTotal: number;
  opCounts: Record<string, number>;
  parameterCount: number;
  parameterBytes: number;
  /** Multiply-accumulates per run; null when unknown. See macsSymbolicAsOne. */
  macs: number | null;
  /** True when the graph has symbolic dims and `macs` counts each of them as 1 (e.g. batch = 1). */
  macsSymbolicAsOne: boolean;
  initializerCount: number;
  functionCount: number;
  subgraphCount: number;
  usesExternalData: boolean;
  largestTensors: SummaryTensor[];
  values: SummaryValue[];
  problems: SummaryProblem[];
}

/** The summary as the editor shows it: the per-value list is left out (the graph payload carries types and shapes). */
export type ViewSummary = Omit<ModelSummary, 'values'>;

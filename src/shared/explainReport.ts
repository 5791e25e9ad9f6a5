/**
 * Explanations of a prediction, as the runtime process answers them and as reports are saved
 * (schema `onnx-lens.explain/1`, field by field in docs/explain-report-schema.md): KernelSHAP,
 * LIME, permutation importance, occlusion, RISE and attention rollout. The CLI's `--json` prints
 * the report itself. Types only: the webview imports it too.
 */
import type { InputSpec, SessionOptionsSpec } from './runtimeTypes';
import type { ReportBase } from './reportBase';

export const EXPLAIN_SCHEMA = 'onnx-lens.explain/1';
export const EXPLAIN_METHODS = ['kernelshap', 'lime', 'permutation', 'occlusion', 'rise', 'rollout'] as const;
export type ExplainMethod = (typeof EXPLAIN_METHODS)[number];
/** Methods for a tabular input ([batch, features]); the others (and KernelSHAP, LIME over superpixels) take images. */
export const TABULAR_METHODS: readonly ExplainMethod[] = ['kernelshap', 'lime', 'permutation'];
export const IMAGE_METHODS: readonly ExplainMethod[] = ['kernelshap', 'lime', 'occlusion', 'rise', 'rollout'];
export const METHOD_NAMES: Record<ExplainMethod, string> = {
  kernelshap: 'KernelSHAP', lime: 'LIME', permutation: 'Permutation importance', occlusion: 'Occlusion', rise: 'RISE', rollout: 'Attention rollout',
};

/** What is explained: the Run tab's inputs (or the CLI's --input), or one row of a dataset. */
export type ExplainSubject =
  | { kind: 'inputs'; inputs: InputSpec[] }
  | { kind: 'row'; data: string; row: number; labelColumn?: string | null };

export interface ExplainSettings {
  method: ExplainMethod;
  /** The output explained; default the first output with scores (a float output). */
  output?: string;
  /** The class (index into the output's last dim) explained; default the predicted one. */
  target?: number | null;
  /** KernelSHAP coalitions / LIME perturbations; default 2048 / 5000 (1000 for images). */
  samples?: number;
  seed?: number;
  /** Tabular background / permutation data (a dataset file); default the data of the row explained. */
  background?: string;
  /** Background rows kept: k-means centroids (default 50) or a sample. */
  backgroundSize?: number;
  backgroundKind?: 'kmeans' | 'sample';
  /** Superpixels for image KernelSHAP / LIME; default 50. */
  segments?: number;
  /** Occlusion window and stride (pixels), and the value occluded pixels and RISE's masked pixels take. */
  window?: number;
  stride?: number;
  baseline?: number;
  /** RISE masks; default 1000. */
  masks?: number;
  /** Permutation importance: repeats (default 5), the score (default accuracy or r2), the label column. */
  repeats?: number;
  metric?: string;
  labelColumn?: string | null;
  /** Saliency maps: also compute the map with the last layer randomised (default true). */
  sanity?: boolean;
}

export interface ExplainRequest extends ExplainSettings {
  model: string;
  options: SessionOptionsSpec;
  subject: ExplainSubject;
}

export interface FeatureAttribution {
  feature: string;
  /** The feature's value in the sample explained. */
  value: number;
  attribution: number;
  /** KernelSHAP sampled: the standard error; LIME: absent. */
  error?: number;
  /** LIME tabular: the sample's bin ("3 < f12 <= 8"). */
  condition?: string;
}

export interface ImageAttributions {
  /** [height, width] of the map. */
  shape: [number, number];
  /** height × width, row-major. */
  values: number[];
  /** KernelSHAP / LIME over superpixels: how many there were. */
  superpixels?: number;
}

export interface FeatureImportance {
  feature: string;
  mean: number;
  std: number;
}

export interface SanityCheck {
  /** Spearman rank correlation of the map with the randomised model's map (and of their absolute values). */
  rankCorrelation: number | null;
  rankCorrelationAbs: number | null;
  /** The node whose weights were randomised. */
  randomizedNode: string;
  /** The randomised model's map, for showing beside the original. */
  randomizedValues: number[];
}

export interface ExplainReport extends ReportBase {
  schema: typeof EXPLAIN_SCHEMA;
  tool: { name: 'onnx-lens'; version: string; ortVersion: string };
  model: { path: string; bytes: number; mtimeMs: number };
  method: ExplainMethod;
  kind: 'tabular' | 'image' | 'tokens';
  /** The model input explained and the output whose score is explained. */
  input: string;
  output: string;
  /** Class index explained (null for a single-score output such as a regressor), and its name. */
  target: number | null;
  targetLabel: string | null;
  /** Per class: its name (from the model's labels), for a class picker. */
  classes: string[];
  /** The model's score for the target on the sample (null for permutation importance). */
  prediction: number | null;
  /** E[f] over the background (KernelSHAP), LIME's intercept; null otherwise. */
  expected: number | null;
  attributions: FeatureAttribution[] | ImageAttributions | null;
  /** Efficiency: Σ attributions − (prediction − expected), and KernelSHAP's exactness. */
  efficiency: { sum: number; gap: number; exact: boolean } | null;
  /** LIME's local model: weighted R² and its prediction at the sample. */
  localModel: { score: number; prediction: number; intercept: number } | null;
  /** Permutation importance. */
  importances: FeatureImportance[] | null;
  metric: string | null;
  baseline: number | null;
  /** Saliency maps: the sanity check, or the sentence why there is none. */
  sanity: SanityCheck | { unavailable: string } | null;
  /** Attention rollout: the token-to-token flow and the maps used. */
  rollout: { tokens: number; values: number[]; layers: string[] } | null;
  /** The image explained as 8-bit RGB (base64), for drawing the heatmap over it. */
  picture: { width: number; height: number; rgbBase64: string } | null;
  /** Where the sample came from: a dataset row, or the input files. */
  sample: { data?: string; row?: number; label?: number | null; inputs?: string[] };
  budget: { samples: number; evaluations: number; seed: number };
  settings: ExplainSettings;
  timeMs: number;
  /** Phases of the time: session, reading data, model evaluations, fitting. */
  phases: { name: string; ms: number }[];
  notes: string[];
}

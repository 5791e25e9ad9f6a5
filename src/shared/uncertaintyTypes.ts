/**
 * How far to trust a model's answers: per-sample confidence distributions, selective prediction,
 * temperature scaling and split conformal prediction (src/core/uncertainty/). Types only; part of
 * the evaluation report (`uncertainty`, docs/eval-report-schema.md) and of `eval --json`.
 */
import type { ReliabilityBin } from './metricTypes';

/** One per-sample quantity binned on fixed edges, split by right and wrong predictions. */
export interface UncertaintyHistogram {
  /** bins + 1 edges, equal width. */
  edges: number[];
  correct: number[];
  incorrect: number[];
  meanCorrect: number | null;
  meanIncorrect: number | null;
}

export interface UncertaintyDistributions {
  /** Top probability, on [0, 1]. */
  confidence: UncertaintyHistogram;
  /** Top minus second probability, on [0, 1]. */
  margin: UncertaintyHistogram;
  /** −Σ p ln p in nats, on [0, ln k]. */
  entropy: UncertaintyHistogram;
}

/** Risk–coverage: answer only the most confident share of samples. */
export interface SelectivePrediction {
  /** Area under the risk–coverage curve: the mean error rate over every coverage k/n. */
  aurc: number;
  /** AURC minus that of a perfect confidence ranking with the same error rate. */
  eaurc: number;
  /** Error rate at full coverage. */
  risk: number;
  /** Display points (at most 200): coverage, error rate among the answered, the confidence threshold. */
  curve: { coverage: number[]; risk: number[]; threshold: number[] };
}

export interface TemperatureResult {
  /** The fitted temperature: softmax(logits / T). */
  T: number;
  calibrationSize: number;
  testSize: number;
  nllBefore: number;
  nllAfter: number;
  /** ECE on the test split (10 equal-width bins on the top probability). */
  eceBefore: number;
  eceAfter: number;
  reliabilityBefore: ReliabilityBin[];
  reliabilityAfter: ReliabilityBin[];
}

export type ConformalScore = 'lac' | 'aps';

export interface ConformalResult {
  alpha: number;
  score: ConformalScore | 'absolute-residual';
  calibrationSize: number;
  testSize: number;
  /** The score threshold q̂; null when infinite (too few calibration samples for α: every set is every label). */
  qHat: number | null;
  /** Share of test samples whose label (value) is in its set (interval). */
  coverage: number;
  /** Wilson 95% interval of `coverage`. */
  coverageCi95: [number, number];
  /** The finite-sample guarantee [1 − α, 1 − α + 1/(n+1)], n = calibrationSize. */
  guarantee: [number, number];
}

export interface ClassificationConformal extends ConformalResult {
  score: ConformalScore;
  meanSetSize: number;
  /** `setSizes[s]`: test samples whose set has s labels (0 … numClasses). */
  setSizes: number[];
  /** Per true class present in the test split: samples and how many were covered. */
  perClass: { label: number; count: number; covered: number }[];
}

export interface RegressionConformal extends ConformalResult {
  score: 'absolute-residual';
  /** Every interval is ŷ ± q̂: width 2 q̂ (null when q̂ is infinite). */
  intervalWidth: number | null;
}

/** The `uncertainty` part of an evaluation report. */
export interface EvalUncertainty {
  /** Classification: confidence, margin and entropy split by right/wrong. */
  distributions?: UncertaintyDistributions;
  selective?: SelectivePrediction;
  /** `--temperature`: fitted on the calibration split, measured on the test split. */
  temperature?: TemperatureResult;
  /** `--conformal α`. */
  conformal?: ClassificationConformal | RegressionConformal;
  /** The split used by temperature and conformal: the share calibrating and the seed. */
  split?: { calibrationFraction: number; seed: number; calibrationSize: number; testSize: number };
}

/** What an evaluation is asked to add about trust (`eval --conformal α --temperature`, the Uncertainty view). */
export interface UncertaintyOptions {
  /** Split conformal prediction at miscoverage α (0 < α < 1), with the LAC or APS score (default LAC). */
  conformal?: { alpha: number; score?: ConformalScore };
  /** Fit a temperature on the calibration split. */
  temperature?: boolean;
  /** Share of the samples that calibrate (default 0.5); the rest measure. */
  calibrationFraction?: number;
  /** Seeds the split and APS's draws (default 0). */
  seed?: number;
}

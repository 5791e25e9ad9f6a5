/**
 * The `uncertainty` part of an evaluation report from a model's scores on a labelled dataset:
 * confidence/margin/entropy distributions and selective prediction for every classification, and
 * on request temperature scaling and split conformal prediction on one seeded calibration/test
 * split of the data. Conformal uses the model's own probabilities (not the temperature-scaled
 * ones): a score fitted on the calibration split would break the exchangeability its guarantee
 * rests on.
 */
import type { ProbabilitySource } from '../../shared/metricTypes';
import type { EvalUncertainty, UncertaintyOptions } from '../../shared/uncertaintyTypes';
import { conformalClassification, conformalRegression } from './conformal';
import { perSampleUncertainty, uncertaintyDistributions } from './distributions';
import { selectivePrediction } from './selective';
import { calibrationSplit } from './split';
import { logitsFromProbabilities, temperatureScaling } from './temperature';

export const DEFAULT_CALIBRATION_FRACTION = 0.5;

export interface ScoredClassifier {
  /** The model's raw scores, n × columns. */
  scores: Float64Array;
  columns: number;
  /** n × k probabilities as the metrics read them. */
  probabilities: Float64Array;
  k: number;
  yTrue: Int32Array;
  source: ProbabilitySource | 'one-hot';
}

/** Logits whose softmax is the probabilities: the scores themselves when softmax made them, [0, z] for a sigmoid's logit, else log p. */
export function logitsOf(s: ScoredClassifier): Float64Array {
  if (s.source === 'softmax') return s.scores;
  if (s.source === 'sigmoid') {
    const out = new Float64Array(2 * s.yTrue.length);
    for (let i = 0; i < s.yTrue.length; i++) out[2 * i + 1] = s.scores[i];
    return out;
  }
  return logitsFromProbabilities(s.probabilities);
}

function split(n: number, options: UncertaintyOptions) {
  const fraction = options.calibrationFraction ?? DEFAULT_CALIBRATION_FRACTION;
  const seed = options.seed ?? 0;
  const s = calibrationSplit(n, fraction, seed);
  return { s, info: { calibrationFraction: fraction, seed, calibrationSize: s.calibration.length, testSize: s.test.length } };
}

export function classificationUncertainty(c: ScoredClassifier, options: UncertaintyOptions, warnings: string[]): EvalUncertainty {
  const per = perSampleUncertainty(c.probabilities, c.k, c.yTrue);
  const out: EvalUncertainty = { distributions: uncertaintyDistributions(per, c.k), selective: selectivePrediction(per.confidence, per.correct) };
  if (!options.temperature && !options.conformal) return out;
  const { s, info } = split(c.yTrue.length, options);
  out.split = info;
  if (s.calibration.length === 0 || s.test.length === 0) {
    warnings.push(`Temperature scaling and conformal prediction need samples on both sides of the calibration split; ${c.yTrue.length} sample${c.yTrue.length === 1 ? ' is' : 's are'} too few.`);
    return out;
  }
  if (options.temperature) {
    if (c.source === 'one-hot') warnings.push('The output holds predicted classes only, so there are no scores to scale: no temperature was fitted.');
    else out.temperature = temperatureScaling(logitsOf(c), c.k, c.yTrue, s.calibration, s.test);
  }
  if (options.conformal) {
    out.conformal = conformalClassification({
      probabilities: c.probabilities, k: c.k, yTrue: c.yTrue, calibration: s.calibration, test: s.test,
      alpha: options.conformal.alpha, score: options.conformal.score ?? 'lac', seed: info.seed,
    });
  }
  return out;
}

export function regressionUncertainty(yTrue: Float64Array, yPred: Float64Array, options: UncertaintyOptions, warnings: string[]): EvalUncertainty | undefined {
  if (options.temperature) warnings.push('Temperature scaling applies to classifiers; this is a regression, so none was fitted.');
  if (!options.conformal) return undefined;
  const { s, info } = split(yTrue.length, options);
  if (s.calibration.length === 0 || s.test.length === 0) {
    warnings.push(`Conformal intervals need samples on both sides of the calibration split; ${yTrue.length} are too few.`);
    return { split: info };
  }
  return { split: info, conformal: conformalRegression(yTrue, yPred, s.calibration, s.test, options.conformal.alpha) };
}

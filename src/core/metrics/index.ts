/**
 * The metrics core of model evaluation: pure functions from labels and scores to JSON-ready
 * results, each metric equal to its scikit-learn counterpart (see the module of each metric).
 * No vscode, no I/O; the CLI, the analysis process and tests share it.
 */
export { evaluateClassification, evaluateRegression } from './evaluate';
export { evaluateMultilabel } from './multilabel';
export { compareClassifiers, compareRegressors, compareSplits } from './compare';
export { toProbabilities, PROBABILITY_SUM_TOLERANCE, type ProbabilityMatrix } from './probabilities';
export { classificationHeadlines, regressionHeadlines, HEADLINE_INFO, type HeadlineInfo } from './headline';
export { MetricsInputError } from './errors';
export type * from '../../shared/metricTypes';

/**
 * Binary models: a decision-threshold slider over the positive class's probability, with
 * precision, recall, F1, accuracy, false positive rate and the 2 × 2 counts recomputed live from
 * every sample's score (`report.binary`), and the operating point passed on to the ROC/PR curves
 * and the score histogram.
 */
import type { EvalBinaryScores } from '../../src/shared/evalReport';
import { h } from '../ui/dom';
import { numberInput } from '../ui/controls';
import { formatMetric } from './metricInfo';
import { bestF1Threshold, DEFAULT_THRESHOLD, thresholdMetrics, type ThresholdMetrics } from './threshold';

export interface ThresholdView {
  readonly element: HTMLElement;
  set(threshold: number): void;
  /** Reports the current threshold's metrics again (to views created after this one). */
  refresh(): void;
}

export function thresholdView(binary: EvalBinaryScores, positiveName: string, onChange: (m: ThresholdMetrics) => void): ThresholdView {
  const slider = h('input', {
    type: 'range', min: 0, max: 1, step: 'any', value: DEFAULT_THRESHOLD, class: 'eval-slider', 'data-testid': 'threshold-slider',
    'aria-label': `Decision threshold on the probability of ${positiveName}`,
  });
  const number = numberInput(DEFAULT_THRESHOLD, { min: 0, max: 1, step: 0.01, class: 'run-input eval-threshold-number', 'aria-label': 'Threshold value', 'data-testid': 'threshold-value' });
  const metrics = h('div', { class: 'eval-threshold-metrics', 'data-testid': 'threshold-metrics', 'aria-live': 'polite' });
  const reset = h('button', { class: 'link', type: 'button', title: 'The argmax decision the report’s metrics use' }, '0.5');
  const best = h('button', { class: 'link', type: 'button', title: 'The threshold with the highest F1 on this data' }, 'best F1');
  const stat = (name: string, label: string, value: string) => h('div', { class: 'eval-tm', 'data-metric': name }, h('span', { class: 'muted' }, label), h('span', { class: 'eval-tm-value mono' }, value));
  const cell = (label: string, n: number, cls: string) => h('div', { class: `eval-tc ${cls}` }, h('span', { class: 'muted' }, label), h('span', { class: 'mono' }, n.toLocaleString('en-US')));

  const render = (m: ThresholdMetrics) => {
    metrics.dataset.threshold = String(m.threshold);
    metrics.replaceChildren(
      h('div', { class: 'eval-tm-grid' },
        stat('precision', 'precision', formatMetric('accuracy', m.precision)),
        stat('recall', 'recall', formatMetric('accuracy', m.recall)),
        stat('f1', 'F1', formatMetric('accuracy', m.f1)),
        stat('accuracy', 'accuracy', formatMetric('accuracy', m.accuracy)),
        stat('fpr', 'false positive rate', formatMetric('accuracy', m.fpr))),
      h('div', { class: 'eval-tc-grid', role: 'group', 'aria-label': 'Counts at this threshold' },
        cell('true positives', m.tp, 'right'), cell('false negatives', m.fn, 'wrong'),
        cell('false positives', m.fp, 'wrong'), cell('true negatives', m.tn, 'right')));
    onChange(m);
  };
  const set = (t: number, from?: HTMLElement) => {
    const value = Math.min(1, Math.max(0, t));
    if (from !== slider) slider.value = String(value);
    if (from !== number) number.value = value.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
    render(thresholdMetrics(binary, value));
  };
  // Rendering is O(n); a frame at a time keeps dragging smooth on a million samples.
  let queued = false;
  slider.addEventListener('input', () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      set(Number(slider.value), slider);
    });
  });
  number.addEventListener('change', () => {
    const v = Number(number.value);
    if (Number.isFinite(v)) set(v, number);
  });
  reset.addEventListener('click', () => set(DEFAULT_THRESHOLD));
  best.addEventListener('click', () => set(bestF1Threshold(binary).threshold));

  const positives = binary.truth.reduce((a, t) => a + t, 0);
  const element = h('div', { class: 'eval-threshold', 'data-testid': 'eval-threshold' },
    h('div', { class: 'eval-threshold-row' },
      h('label', { class: 'run-field eval-threshold-label' }, h('span', { class: 'run-field-label' }, `Predict ${positiveName} when P(${positiveName}) ${binary.positiveClass === 0 ? '≥' : '>'}`), number),
      slider,
      h('span', { class: 'muted' }, 'set to ', reset, ' · ', best)),
    metrics,
    h('p', { class: 'muted run-hint' },
      `${binary.score.length.toLocaleString('en-US')} samples, ${positives.toLocaleString('en-US')} of them ${positiveName}`,
      binary.truncated ? ' (the first million; the report kept no more)' : '',
      '. At 0.5 these are the argmax decisions of the report’s metrics.'));
  set(DEFAULT_THRESHOLD);
  return { element, set: (t) => set(t), refresh: () => set(Number(slider.value), slider) };
}

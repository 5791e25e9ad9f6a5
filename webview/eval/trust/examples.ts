/**
 * Drill-down of a robustness report: each example's original beside its perturbed (or adversarial)
 * copy — image thumbnails, or the values with the changed ones marked — and the predictions on
 * both. The report carries them whole, so the standalone page shows them too.
 */
import type { RobustExample, SampleView } from '../../../src/shared/robustReport';
import { h } from '../../ui/dom';
import { sourceLabel } from '../drilldown';

/** Values listed of a vector sample; the ones that changed most come first when they differ. */
const SHOWN_VALUES = 8;

function valuesList(view: SampleView, other: SampleView | null): HTMLElement | null {
  if (!view.values) return null;
  const order = view.values.map((_, i) => i);
  if (other?.values) order.sort((a, b) => Math.abs(view.values![b] - other.values![b]) - Math.abs(view.values![a] - other.values![a]) || a - b);
  const rows = order.slice(0, SHOWN_VALUES).map((i) => {
    const changed = other?.values ? Math.abs(view.values![i] - other.values[i]) > 1e-9 : false;
    return h('li', { class: changed ? 'trust-changed' : '' }, h('span', { class: 'muted' }, `${view.columns?.[i] ?? i} `), h('span', { class: 'mono' }, Number(view.values![i].toPrecision(4)).toString()));
  });
  return h('ul', { class: 'trust-values' }, ...rows, view.values.length > SHOWN_VALUES ? h('li', { class: 'muted' }, `${view.values.length - SHOWN_VALUES} more`) : null);
}

function sampleBox(view: SampleView, title: string, other: SampleView | null): HTMLElement {
  return h('figure', { class: 'trust-sample' },
    view.thumbnail ? h('img', { class: 'trust-thumb', src: view.thumbnail, alt: title }) : valuesList(view, other),
    h('figcaption', { class: 'muted' }, title));
}

export function exampleCard(e: RobustExample, name: (c: number) => string, classification: boolean, sourceKind: 'line' | 'path' | 'index'): HTMLElement {
  const fmt = (v: number, p: number | null) => (classification ? `${name(v)}${p === null ? '' : ` (${(100 * p).toFixed(0)}%)`}` : Number(v.toPrecision(4)).toString());
  const changed = e.cleanPrediction !== e.perturbedPrediction;
  const what = e.perturbation === 'attack' ? 'adversarial' : `${e.perturbation} ${e.severity}`;
  return h('div', { class: 'trust-example', 'data-testid': 'robust-example', 'data-perturbation': e.perturbation },
    h('div', { class: 'trust-pair' }, sampleBox(e.original, 'original', e.perturbed.values ? e.perturbed : null), sampleBox(e.perturbed, what, e.original.values ? e.original : null)),
    h('div', { class: 'trust-example-text' },
      h('span', { class: 'muted' }, sourceLabel(sourceKind, e.source)),
      h('span', {}, classification ? `true ${name(e.yTrue)}` : `true ${Number(e.yTrue.toPrecision(4))}`),
      h('span', { class: changed ? 'eval-wrong' : '' }, `${fmt(e.cleanPrediction, e.cleanConfidence)} → ${fmt(e.perturbedPrediction, e.perturbedConfidence)}`)));
}

export function exampleGrid(examples: readonly RobustExample[], name: (c: number) => string, classification: boolean, sourceKind: 'line' | 'path' | 'index', empty: string): HTMLElement {
  if (examples.length === 0) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'trust-examples' }, ...examples.map((e) => exampleCard(e, name, classification, sourceKind)));
}

/**
 * One evaluation report, drawn: facts, saved paths, warnings, headline cards, the splits and model
 * comparisons when present, then per task — classification: confusion matrix with its samples,
 * the threshold slider (binary), ROC and PR curves, reliability and confidence histograms, per-class
 * bars and table; regression: residual histogram, predicted-vs-true scatter, largest errors.
 *
 * Shared by the Evaluate tab and the standalone HTML report; the only difference is `fetch` (the
 * host's `evalSamples`, or null in the report). Charts are created once the element is in the page
 * (`mount()`), re-coloured by `retheme()` and released by `destroy()`.
 */
import type { EvalReport } from '../../src/shared/evalReport';
import type { EvaluationResult } from '../../src/shared/protocol';
import { h, icon } from '../ui/dom';
import { baseName } from '../format';
import type { ThemedChart } from '../ui/charts';
import { comparisonView, splitsView } from './compareViews';
import { confusionView, type ConfusionView } from './confusionView';
import { prChart, reliabilityChart, rocChart, type CurveChart } from './curveCharts';
import { histogramPairChart, perClassChart, residualChart, scatterChart, type HistogramPairChart } from './distributionCharts';
import { cellSamples, classMistakes, confidenceHistograms, largestErrors, positionsOf, scoreHistograms } from './drilldown';
import { formatPercent } from '../ui/numbers';
import { className, formatMetric } from './metricInfo';
import { SamplesView, type SampleFetcher, type SampleOpener, type SampleWhy } from './samplesView';
import { headlineCards, reportFacts, thresholdChecks, warningsList } from './reportHeader';
import { savedPaths } from '../ui/reportLinks';
import { thresholdView, type ThresholdView } from './thresholdView';

/** Classes the per-class bar chart shows at most. */
const MAX_BAR_CLASSES = 40;

export interface Section {
  id: string;
  title: string;
}

/** A results section: heading with a codicon, a muted one-line explanation, then content. */
function evalSection(id: string, title: string, codicon: string, blurb: string, ...content: (HTMLElement | null)[]): HTMLElement {
  return h('section', { class: 'run-section eval-section', id: `eval-${id}`, 'data-section': id },
    h('h2', { class: 'run-section-title' }, icon(codicon), title),
    blurb ? h('p', { class: 'muted run-blurb' }, blurb) : null,
    ...content);
}

/** A chart's box: CSS gives it its height; the chart is created in `mount()`. */
function chartBox(testid: string, className = 'eval-chart'): HTMLElement {
  return h('div', { class: className, 'data-testid': testid });
}

export class ResultsView {
  readonly element: HTMLElement;
  readonly sections: Section[] = [];
  private readonly charts: ThemedChart[] = [];
  private readonly mounts: (() => void)[] = [];
  private confusion: ConfusionView | null = null;
  private samples: SamplesView;
  private mounted = false;

  /**
   * @param fetch the samples' contents (the host's `evalSamples`), or null when there is no host
   * @param standalone the HTML report: no "saved to" line (the page is the saved report)
   */
  constructor(private readonly result: EvaluationResult, fetch: SampleFetcher | null, standalone = false, open: SampleOpener | null = null, why: SampleWhy | null = null) {
    const report = result.report;
    this.samples = new SamplesView(report, fetch, open, why);
    const parts: (HTMLElement | null)[] = [
      h('div', { class: 'eval-overview' }, reportFacts(report), standalone ? null : savedPaths(result.savedTo), thresholdChecks(report), warningsList(report), headlineCards(report)),
    ];
    if (report.splits) parts.push(this.add('splits', `${report.splits.names[0]} vs ${report.splits.names[1]}`, 'split-horizontal', 'The same model on a second dataset: a large gap means it does much better on one (over-fitting when that is the training data).', splitsView(report, report.splits)));
    if (report.comparison) {
      const c = report.comparison;
      parts.push(this.add('comparison', 'Compared with another model', 'git-compare', 'Both models on the same samples.', comparisonView(report, c, () => this.showDisagreeing())));
    }
    if (report.classification) parts.push(...this.classification(report));
    if (report.regression) parts.push(...this.regression(report));
    this.element = h('div', { class: 'eval-results', 'data-testid': 'eval-results', 'data-task': report.task, 'data-binary': report.binary ? 'true' : 'false' }, ...parts);
  }

  get report(): EvalReport {
    return this.result.report;
  }

  /** Creates the charts; call once the element is in the page (Chart.js measures its box). */
  mount(): void {
    if (this.mounted) return;
    this.mounted = true;
    for (const m of this.mounts) m();
  }

  retheme(): void {
    for (const c of this.charts) c.retheme();
    this.confusion?.retheme();
  }

  destroy(): void {
    for (const c of this.charts) c.destroy();
    this.charts.length = 0;
  }

  private add(id: string, title: string, codicon: string, blurb: string, ...content: (HTMLElement | null)[]): HTMLElement {
    this.sections.push({ id, title });
    return evalSection(id, title, codicon, blurb, ...content);
  }

  private chart<T extends ThemedChart>(make: () => T, then?: (chart: T) => void): void {
    this.mounts.push(() => {
      const chart = make();
      this.charts.push(chart);
      then?.(chart);
    });
  }

  private name = (c: number) => className(this.report.data.classNames, c);

  private classification(report: EvalReport): HTMLElement[] {
    const m = report.classification!;
    const d = report.drilldown;
    const out: HTMLElement[] = [];

    this.confusion = confusionView(m.confusionMatrix, this.name, (t, p) => {
      const label = t === p ? `${this.name(t)} predicted correctly` : `true ${this.name(t)}, predicted ${this.name(p)}`;
      const order = t === p ? 'least confident first' : 'most confident first';
      this.samples.show(label, cellSamples(d, t, p), [order]);
    });
    out.push(this.add('confusion', 'Confusion matrix', 'table', 'Rows are true classes, columns predicted ones (the most probable class).',
      h('div', { class: 'eval-confusion-split' }, this.confusion.element, this.samples.element)));

    const binary = report.binary;
    const positive = m.positiveClass ?? 1;
    let roc: CurveChart | null = null;
    let pr: CurveChart | null = null;
    let scores: HistogramPairChart | null = null;
    let threshold: ThresholdView | null = null;
    if (binary) {
      const scoreBox = chartBox('score-histogram');
      const view = (threshold = thresholdView(binary, this.name(positive), (tm) => {
        roc?.mark({ x: tm.fpr, y: tm.recall });
        pr?.mark({ x: tm.recall, y: tm.precision });
        scores?.mark(tm.threshold);
      }));
      out.push(this.add('threshold', 'Decision threshold', 'settings', `Move the threshold on P(${this.name(positive)}) to trade precision for recall; the curves mark the operating point.`,
        h('div', { class: 'eval-two' }, view.element, h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head muted' }, 'Score by true class'), scoreBox))));
      this.chart(() => histogramPairChart(scoreBox, scoreHistograms(binary), [this.name(positive), `not ${this.name(positive)}`], `P(${this.name(positive)})`, 'Positive-class score of positive and negative samples', 'classes'), (c) => (scores = c));
    }

    // Binary curves show the positive class only (the other class's are its mirror image).
    const rocCurves = binary ? m.curves.roc.filter((c) => c.label === positive) : m.curves.roc;
    const prCurves = binary ? m.curves.pr.filter((c) => c.label === positive) : m.curves.pr;
    const rocSlot = h('div', { class: 'eval-chart-slot' });
    const prSlot = h('div', { class: 'eval-chart-slot' });
    const rocHead = binary ? `AUC ${formatMetric('rocAucBinary', m.rocAuc.binary ?? null)} for ${this.name(positive)}` : `one-vs-rest · macro AUC ${formatMetric('rocAucMacro', m.rocAuc.macro)}`;
    const prHead = binary ? `AP ${formatMetric('averagePrecisionBinary', m.averagePrecision.binary ?? null)} for ${this.name(positive)}` : `one-vs-rest · macro AP ${formatMetric('averagePrecisionMacro', m.averagePrecision.macro)}`;
    const prevalence = binary ? m.perClass[positive].support / m.n : null;
    out.push(this.add('curves', 'ROC and precision–recall', 'graph-line', report.output.role === 'labels'
      ? 'The model outputs predicted classes only: these curves are of one-hot scores and say little.'
      : 'How well the scores rank each class above the rest; click a class in a legend to hide or show it.',
    h('div', { class: 'eval-two' }, rocSlot, prSlot)));
    this.chart(() => {
      const c = rocChart(rocCurves, this.name, rocHead);
      rocSlot.append(c.element);
      return c;
    }, (c) => (roc = c));
    this.chart(() => {
      const c = prChart(prCurves, this.name, prHead, prevalence);
      prSlot.append(c.element);
      return c;
    }, (c) => (pr = c));
    // The operating point goes on the curves once they exist.
    if (threshold) this.mounts.push(() => threshold!.refresh());

    const relBox = chartBox('reliability-chart');
    const confBox = chartBox('confidence-histogram');
    const conf = confidenceHistograms(d);
    out.push(this.add('calibration', 'Calibration', 'pulse', 'Do the probabilities mean what they say? A calibrated model is right 80 % of the time when 80 % sure.',
      h('div', { class: 'eval-two' },
        h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head muted', 'data-testid': 'eval-ece' }, `ECE ${formatMetric('ece', m.ece)} · ${m.reliability.length} bins`), relBox),
        h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head muted' }, d.samplesTruncated ? `Confidence of the ${d.count.toLocaleString('en-US')} kept samples` : 'Confidence of correct and wrong predictions'), confBox))));
    this.chart(() => reliabilityChart(relBox, m.reliability));
    if (conf) this.chart(() => histogramPairChart(confBox, conf, ['correct', 'wrong'], 'Confidence', 'Confidence of correct and of wrong predictions', 'outcome'));

    // Bars for up to MAX_BAR_CLASSES classes; beyond that only the table is readable.
    const barsBox = m.numClasses <= MAX_BAR_CLASSES ? chartBox('per-class-chart', 'eval-chart eval-chart-wide') : null;
    out.push(this.add('per-class', 'Per class', 'list-unordered', 'Precision, recall and F1 of each class against the rest, with its support (samples of the class).',
      barsBox, this.perClassTable(report)));
    if (barsBox) this.chart(() => perClassChart(barsBox, m.perClass, this.name));
    return out;
  }

  private perClassTable(report: EvalReport): HTMLElement {
    const m = report.classification!;
    const d = report.drilldown;
    const head = ['class', 'precision', 'recall', 'F1', 'support', 'predicted', 'ROC AUC', 'AP', ''];
    const rows = m.perClass.map((r) => {
      const mistakes = r.support - m.confusionMatrix[r.label][r.label];
      const show = h('button', { class: 'link', type: 'button', disabled: mistakes === 0, 'data-testid': 'per-class-mistakes' }, mistakes ? `${mistakes} mistaken` : 'no mistakes');
      show.addEventListener('click', () => this.samples.show(`true ${this.name(r.label)}, predicted otherwise`, classMistakes(d, r.label), ['most confident first']));
      return h('tr', { 'data-class': r.label },
        h('th', { scope: 'row' }, this.name(r.label)),
        ...[r.precision, r.recall, r.f1].map((v) => h('td', { class: 'num mono' }, formatMetric('accuracy', v))),
        h('td', { class: 'num mono' }, r.support.toLocaleString('en-US')),
        h('td', { class: 'num mono' }, r.predicted.toLocaleString('en-US')),
        h('td', { class: 'num mono' }, formatMetric('rocAucMacro', r.rocAuc)),
        h('td', { class: 'num mono' }, formatMetric('averagePrecisionMacro', r.averagePrecision)),
        h('td', { class: 'num' }, show));
    });
    const avg = (label: string, key: 'macro' | 'weighted') => h('tr', { class: 'eval-avg-row' },
      h('th', { scope: 'row' }, label),
      ...[m.precision[key], m.recall[key], m.f1[key]].map((v) => h('td', { class: 'num mono' }, formatMetric('accuracy', v))),
      h('td', { class: 'num mono' }, m.n.toLocaleString('en-US')), h('td', {}), h('td', { class: 'num mono' }, formatMetric('rocAucMacro', m.rocAuc[key])),
      h('td', { class: 'num mono' }, formatMetric('averagePrecisionMacro', m.averagePrecision[key])), h('td', {}));
    const topK = m.topK ? Object.entries(m.topK).map(([k, v]) => `top-${k} ${formatPercent(v)}`).join(' · ') : '';
    return h('div', { class: 'eval-per-class' },
      h('div', { class: `run-table-scroll${m.numClasses > 30 ? ' eval-tall-table' : ''}` },
        h('table', { class: 'run-table eval-per-class-table', 'data-testid': 'per-class-table' },
          h('thead', {}, h('tr', {}, ...head.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : '' }, t)))),
          h('tbody', {}, rows, avg('macro avg', 'macro'), avg('weighted avg', 'weighted')))),
      h('p', { class: 'muted run-hint' }, `MCC ${formatMetric('mcc', m.mcc)} · Cohen’s κ ${formatMetric('kappa', m.kappa)} · log loss ${formatMetric('logLoss', m.logLoss)} · Brier ${formatMetric('brier', m.brier)}${topK ? ` · ${topK}` : ''}`));
  }

  private regression(report: EvalReport): HTMLElement[] {
    const r = report.regression!;
    const residualBox = chartBox('residual-chart');
    const scatterBox = chartBox('scatter-chart');
    this.chart(() => residualChart(residualBox, r.residualHistogram));
    this.chart(() => scatterChart(scatterBox, r.scatter));
    const sampled = r.scatter.sampledFrom !== null ? `${r.scatter.yTrue.length.toLocaleString('en-US')} of ${r.scatter.sampledFrom.toLocaleString('en-US')} samples` : `${r.n.toLocaleString('en-US')} samples`;
    const errors = largestErrors(report.drilldown);
    queueMicrotask(() => this.samples.show('Samples by absolute error', errors, ['largest first']));
    return [
      this.add('errors', 'Errors', 'graph-line', 'Where the predictions miss: the residuals’ spread and the predictions against the truth.',
        h('div', { class: 'eval-two' },
          h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head muted' }, `Residuals · ${r.residualHistogram.counts.length} bins`), residualBox),
          h('div', { class: 'eval-chart-card' }, h('div', { class: 'eval-chart-head muted' }, `Predicted vs true · ${sampled}`), scatterBox))),
      this.add('samples', 'Largest errors', 'list-ordered', 'The samples the model misses most, with what they hold.', this.samples.element),
    ];
  }

  private showDisagreeing(): void {
    const c = this.report.comparison;
    if (!c) return;
    const { positions, missing } = positionsOf(this.report.drilldown, c.disagreeing);
    this.samples.show('Samples the two models disagree on', positions, [`predictions of A (${baseName(this.report.model.path)})`, ...(missing ? [`${missing} not kept in the report`] : [])]);
    this.samples.element.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }
}

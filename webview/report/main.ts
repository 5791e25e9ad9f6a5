/**
 * The standalone HTML report's script (bundled to dist/report/report.js and inlined into each
 * report by src/core/report/evalHtml.ts and quantHtml.ts): reads the embedded report JSON and, by
 * its `schema`, draws it with the Evaluate tab's own views (onnx-lens.eval/…) or the Quantize
 * tab's (onnx-lens.quant/…, webview/report/quantPage.ts). There is no host, so the drill-down lists
 * the samples the report kept without their contents, and the Quantize tab's actions are absent. The page carries VS Code's variable names with its own light and dark
 * values (report.css): light unless the system prefers dark, light again when printed; inside
 * VS Code's report panel, VS Code's own theme.
 */
import css from 'report-css';
import type { QuantReport } from '../../src/shared/quantReport';
import type { EvalReport } from '../../src/shared/evalReport';
import { h, icon } from '../ui/dom';
import { baseName } from '../format';
import { ResultsView } from '../eval/resultsView';
import { observeTheme } from '../ui/theme';
import { quantPage } from './quantPage';
import type { RobustReport } from '../../src/shared/robustReport';
import type { DriftReport } from '../../src/shared/driftReport';
import { RobustnessResults } from '../eval/trust/robustnessResults';
import { DriftResults } from '../eval/trust/driftResults';
import { UncertaintyView } from '../eval/trust/uncertaintyView';
import type { ExplainReport } from '../../src/shared/explainReport';
import { METHOD_NAMES } from '../../src/shared/explainReport';
import { explainResult } from '../explain/explainResult';

/** Same id as REPORT_DATA_ID in src/core/report/evalHtml.ts (the page's data element). */
const DATA_ID = 'eval-report';

type AnyReport = { kind: 'eval'; report: EvalReport } | { kind: 'quant'; report: QuantReport } | { kind: 'explain'; report: ExplainReport }
  | { kind: 'robust'; report: RobustReport } | { kind: 'drift'; report: DriftReport };

function readReport(): AnyReport {
  const text = document.getElementById(DATA_ID)?.textContent;
  if (!text) throw new Error('This page holds no report.');
  const report = JSON.parse(text) as { schema?: unknown };
  if (typeof report.schema === 'string' && report.schema.startsWith('onnx-lens.eval/')) return { kind: 'eval', report: report as EvalReport };
  if (typeof report.schema === 'string' && report.schema.startsWith('onnx-lens.quant/')) return { kind: 'quant', report: report as QuantReport };
  if (typeof report.schema === 'string' && report.schema.startsWith('onnx-lens.explain/')) return { kind: 'explain', report: report as ExplainReport };
  if (typeof report.schema === 'string' && report.schema.startsWith('onnx-lens.robust/')) return { kind: 'robust', report: report as RobustReport };
  if (typeof report.schema === 'string' && report.schema.startsWith('onnx-lens.drift/')) return { kind: 'drift', report: report as DriftReport };
  throw new Error(`This page holds a "${String(report.schema)}" document, not an evaluation, quantization, explanation, robustness or drift report.`);
}

function header(title: HTMLElement, meta: string, modelPath: string, sections: { id: string; title: string }[], prefix: string): HTMLElement {
  const nav = h('nav', { class: 'run-nav report-nav', 'aria-label': 'Report sections' }, ...sections.map(({ id, title: label }) => {
    const b = h('button', { class: 'chip', type: 'button' }, label);
    b.addEventListener('click', () => document.getElementById(`${prefix}-${id}`)?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
    return b;
  }));
  const print = h('button', { class: 'chip report-print', type: 'button', title: 'Print or save as PDF' }, icon('file-pdf'), ' Print');
  print.addEventListener('click', () => window.print());
  return h('header', { class: 'report-header' },
    title,
    h('p', { class: 'muted report-meta' }, `${meta} · `, h('span', { class: 'mono', title: modelPath }, modelPath)),
    h('div', { class: 'report-bar' }, nav, print));
}

function evalHeader(report: EvalReport, view: ResultsView): HTMLElement {
  return header(h('h1', { class: 'report-title' }, icon('checklist'), `Evaluation of ${baseName(report.model.path)}`),
    `${report.tool.name} ${report.tool.version} · onnxruntime ${report.tool.ortVersion} · ${new Date(report.createdAt).toLocaleString()}`,
    report.model.path, view.sections.filter((s) => s.id !== 'samples'), 'eval');
}

function main(): void {
  document.head.append(h('style', {}, css));
  const root = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  let view: { retheme(): void } | null = null;
  const theme = (kind: 'light' | 'dark') => {
    document.body.classList.remove('vscode-light', 'vscode-dark');
    document.body.classList.add(`vscode-${kind}`);
    document.documentElement.dataset.theme = kind;
    view?.retheme();
  };
  if ('acquireVsCodeApi' in window) {
    // In ONNX Lens's report panel (src/extension/reports/reportPanel.ts): VS Code sets the theme's
    // variables and body classes, and changes them live; the charts follow.
    observeTheme(() => view?.retheme());
  } else {
    theme(dark.matches ? 'dark' : 'light');
    dark.addEventListener('change', () => theme(dark.matches ? 'dark' : 'light'));
    // Printed on paper: the light theme, charts re-coloured before the page is laid out for print.
    window.addEventListener('beforeprint', () => theme('light'));
    window.addEventListener('afterprint', () => theme(dark.matches ? 'dark' : 'light'));
  }
  try {
    const found = readReport();
    if (found.kind === 'eval') {
      const report = found.report;
      const results = new ResultsView({ report, savedTo: null }, null, true);
      view = results;
      const uncertainty = report.uncertainty ? new UncertaintyView(null) : null;
      uncertainty?.show(report);
      root.replaceChildren(evalHeader(report, results), results.element, ...(uncertainty ? [h('h2', { class: 'report-title' }, icon('shield'), 'Uncertainty'), uncertainty.element] : []));
      view = { retheme: () => { results.retheme(); uncertainty?.retheme(); } };
      requestAnimationFrame(() => {
        results.mount();
        uncertainty?.mount();
      });
    } else if (found.kind === 'robust') {
      const report = found.report;
      const results = new RobustnessResults(report, null);
      view = results;
      root.replaceChildren(header(h('h1', { class: 'report-title' }, icon('pulse'), `Robustness of ${baseName(report.model.path)}`),
        `${report.tool.name} ${report.tool.version} · onnxruntime ${report.tool.ortVersion} · ${new Date(report.createdAt).toLocaleString()}`, report.model.path, [], 'trust'), results.element);
      requestAnimationFrame(() => results.mount());
    } else if (found.kind === 'drift') {
      const report = found.report;
      const results = new DriftResults(report, null);
      view = results;
      root.replaceChildren(header(h('h1', { class: 'report-title' }, icon('graph-line'), `Drift of ${baseName(report.current.path)}`),
        `${report.tool.name} ${report.tool.version} · ${new Date(report.createdAt).toLocaleString()}`, report.reference.path, [], 'trust'), results.element);
      requestAnimationFrame(() => results.mount());
    } else if (found.kind === 'explain') {
      const report = found.report;
      const result = explainResult(report);
      view = result;
      root.replaceChildren(header(h('h1', { class: 'report-title' }, icon('lightbulb'), `${METHOD_NAMES[report.method]} of ${baseName(report.model.path)}`),
        `${report.tool.name} ${report.tool.version} · onnxruntime ${report.tool.ortVersion} · ${new Date(report.createdAt).toLocaleString()}`,
        report.model.path, [], 'explain'), result.element);
    } else {
      const report = found.report;
      const page = quantPage(report);
      root.replaceChildren(header(h('h1', { class: 'report-title' }, icon('package'), `Quantization of ${baseName(report.model.path)}`),
        `${report.tool.name} ${report.tool.version} · ${report.settings.mode} · ${new Date(report.createdAt).toLocaleString()}`,
        report.model.path, page.sections, 'quant'), page.element);
    }
    document.body.dataset.state = 'ready';
  } catch (error) {
    root.replaceChildren(h('div', { class: 'banner error', role: 'alert' }, icon('error'), h('span', { class: 'banner-text' }, error instanceof Error ? error.message : String(error))));
    document.body.dataset.state = 'error';
  }
}

main();

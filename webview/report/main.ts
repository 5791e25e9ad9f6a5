/**
 * The standalone HTML report's script (bundled to dist/report/report.js and inlined into each
 * report by src/core/report/evalHtml.ts): reads the embedded report JSON and draws it with the
 * Evaluate tab's own views. There is no host, so the drill-down lists the samples the report kept
 * without their contents. The page carries VS Code's variable names with its own light and dark
 * values (report.css): light unless the system prefers dark, light again when printed.
 */
import css from 'report-css';
import type { EvalReport } from '../../src/core/report/evalReport';
import { h, icon } from '../dom';
import { baseName } from '../format';
import { ResultsView } from '../eval/resultsView';

/** Same id as REPORT_DATA_ID in src/core/report/evalHtml.ts (the page's data element). */
const DATA_ID = 'eval-report';

function readReport(): EvalReport {
  const text = document.getElementById(DATA_ID)?.textContent;
  if (!text) throw new Error('This page holds no evaluation report.');
  const report = JSON.parse(text) as EvalReport;
  if (typeof report.schema !== 'string' || !report.schema.startsWith('onnx-lens.eval/')) throw new Error(`This page holds a "${String(report.schema)}" document, not an evaluation report.`);
  return report;
}

function header(report: EvalReport, view: ResultsView): HTMLElement {
  const nav = h('nav', { class: 'run-nav report-nav', 'aria-label': 'Report sections' }, ...view.sections.filter((s) => s.id !== 'samples').map(({ id, title }) => {
    const b = h('button', { class: 'chip', type: 'button' }, title);
    b.addEventListener('click', () => document.getElementById(`eval-${id}`)?.scrollIntoView({ block: 'start', behavior: 'smooth' }));
    return b;
  }));
  const print = h('button', { class: 'chip report-print', type: 'button', title: 'Print or save as PDF' }, icon('file-pdf'), ' Print');
  print.addEventListener('click', () => window.print());
  return h('header', { class: 'report-header' },
    h('h1', { class: 'report-title' }, icon('checklist'), `Evaluation of ${baseName(report.model.path)}`),
    h('p', { class: 'muted report-meta' },
      `${report.tool.name} ${report.tool.version} · onnxruntime ${report.tool.ortVersion} · ${new Date(report.createdAt).toLocaleString()} · `,
      h('span', { class: 'mono', title: report.model.path }, report.model.path)),
    h('div', { class: 'report-bar' }, nav, print));
}

function main(): void {
  document.head.append(h('style', {}, css));
  const root = document.getElementById('app') ?? document.body.appendChild(h('div', { id: 'app' }));
  const dark = window.matchMedia('(prefers-color-scheme: dark)');
  let view: ResultsView | null = null;
  const theme = (kind: 'light' | 'dark') => {
    document.body.classList.remove('vscode-light', 'vscode-dark');
    document.body.classList.add(`vscode-${kind}`);
    document.documentElement.dataset.theme = kind;
    view?.retheme();
  };
  theme(dark.matches ? 'dark' : 'light');
  dark.addEventListener('change', () => theme(dark.matches ? 'dark' : 'light'));
  // Printed on paper: the light theme, charts re-coloured before the page is laid out for print.
  window.addEventListener('beforeprint', () => theme('light'));
  window.addEventListener('afterprint', () => theme(dark.matches ? 'dark' : 'light'));
  try {
    const report = readReport();
    view = new ResultsView({ report, savedTo: null }, null, true);
    root.replaceChildren(header(report, view), view.element);
    document.body.dataset.state = 'ready';
    requestAnimationFrame(() => view?.mount());
  } catch (error) {
    root.replaceChildren(h('div', { class: 'banner error', role: 'alert' }, icon('error'), h('span', { class: 'banner-text' }, error instanceof Error ? error.message : String(error))));
    document.body.dataset.state = 'error';
  }
}

main();

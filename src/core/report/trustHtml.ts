/**
 * The standalone HTML pages of robustness and drift reports (onnx-lens.robust/1,
 * onnx-lens.drift/1): the same page as the evaluation's (renderReportHtml: the report embedded as
 * data, the report script inlined, nothing fetched); the script sees the schema and draws the
 * Evaluate tab's Robustness or Drift view without its actions.
 */
import type { RobustReport } from '../../shared/robustReport';
import type { DriftReport } from '../../shared/driftReport';
import { baseName, escapeHtml, renderReportHtml } from './evalHtml';
import { saveReport, saveReportPage } from './reportFiles';

const num = (x: number | null) => (x === null ? '–' : String(Number(x.toPrecision(4))));

export function renderRobustHtml(report: RobustReport, script: string): string {
  const rows = report.curves.map((p) => `<tr><th>${escapeHtml(`${p.perturbation} ${p.severity}`)}</th><td>${escapeHtml(`${report.metricName} ${num(p.metric)}`)}</td></tr>`);
  if (report.attack) rows.push(`<tr><th>attack ε ${escapeHtml(String(report.attack.eps))}</th><td>${escapeHtml(`success rate ${num(report.attack.successRate)}`)}</td></tr>`);
  return renderReportHtml({
    title: `${baseName(report.model.path)} on ${baseName(report.data.path)} — ONNX Lens robustness`, testid: 'robust-report-page', report,
    fallback: `<p>The charts of this report need JavaScript. The curves:</p><table>${rows.join('')}</table>`,
  }, script);
}

export function saveRobustness(folder: string, report: RobustReport, reportScript: string): { json: string; html: string } {
  const json = saveReport(folder, 'robust', report);
  return { json, html: saveReportPage(json, renderRobustHtml(report, reportScript)) };
}

export function renderDriftHtml(report: DriftReport, script: string): string {
  const rows = report.features.map((f) => `<tr><th>${escapeHtml(f.name)}</th><td>${escapeHtml(`PSI ${num(f.psi)}, p ${num(f.pValue)}${f.drifted ? ', drifted' : ''}`)}</td></tr>`);
  return renderReportHtml({
    title: `${baseName(report.current.path)} against ${baseName(report.reference.path)} — ONNX Lens drift`, testid: 'drift-report-page', report,
    fallback: `<p>The charts of this report need JavaScript. The features:</p><table>${rows.join('')}</table>`,
  }, script);
}

/** Saved beside the model's other reports; a drift report without a model has no model to be filed under. */
export function saveDrift(folder: string, report: DriftReport & { model: NonNullable<DriftReport['model']> }, reportScript: string): { json: string; html: string } {
  const json = saveReport(folder, 'drift', report);
  return { json, html: saveReportPage(json, renderDriftHtml(report, reportScript)) };
}

/**
 * The standalone HTML page of an explanation report (onnx-lens.explain/1): the same page as the
 * evaluation's (renderReportHtml: the report embedded as data, the report script inlined, nothing
 * fetched); the script sees the schema and draws the Run tab's Explain view without its controls.
 */
import type { ExplainReport } from '../../shared/explainReport';
import { METHOD_NAMES } from '../../shared/explainReport';
import { baseName, escapeHtml, renderReportHtml } from './evalHtml';
import { saveReport, saveReportPage } from './reportFiles';

function fallbackTable(r: ExplainReport): string {
  const rows: [string, string][] = [['Method', METHOD_NAMES[r.method]], ['Output', r.output], ['Class', r.targetLabel ?? String(r.target ?? '—')]];
  if (r.prediction !== null) rows.push(['Prediction', String(r.prediction)]);
  if (Array.isArray(r.attributions)) {
    for (const a of [...r.attributions].sort((x, y) => Math.abs(y.attribution) - Math.abs(x.attribution)).slice(0, 10)) rows.push([a.feature, String(a.attribution)]);
  }
  for (const i of (r.importances ?? []).slice(0, 10)) rows.push([i.feature, `${i.mean} ± ${i.std}`]);
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

export function renderExplainHtml(report: ExplainReport, script: string): string {
  const title = `${METHOD_NAMES[report.method]} of ${baseName(report.model.path)} — ONNX Lens explanation`;
  return renderReportHtml({
    title, testid: 'explain-report-page', report,
    fallback: `<p>The charts of this report need JavaScript. The largest figures:</p>${fallbackTable(report)}`,
  }, script);
}

/** The JSON report and its HTML page side by side in a reports folder. */
export function saveExplanation(folder: string, report: ExplainReport, reportScript: string): { json: string; html: string } {
  const json = saveReport(folder, 'explain', report);
  const html = saveReportPage(json, renderExplainHtml(report, reportScript));
  return { json, html };
}

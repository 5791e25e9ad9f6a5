/**
 * The standalone HTML page of a quantization report (onnx-lens.quant/1): the same page as the
 * evaluation's (renderReportHtml: the report embedded as data, the report script inlined, nothing
 * fetched); the script sees the schema and draws the Quantize tab's views without their actions.
 */
import type { QuantReport } from '../../shared/quantReport';
import { baseName, escapeHtml, renderReportHtml } from './evalHtml';
import { saveReport, saveReportPage } from './reportFiles';

function fallbackTable(r: QuantReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const rows: [string, string][] = [
    ['Mode', r.settings.mode],
    ['Output', r.output.path],
    ['Size', `${r.size.before} → ${r.size.after} bytes (${r.size.ratio.toFixed(3)}×)`],
    ['Nodes rewritten', String(r.summary.rewritten)],
  ];
  if (r.latency) rows.push(['Latency p50', `${r.latency.before.p50.toFixed(3)} → ${r.latency.after.p50.toFixed(3)} ms (${r.latency.ratio.toFixed(2)}×)`]);
  if (r.accuracy) rows.push(['Accuracy', `${pct(r.accuracy.before)} → ${pct(r.accuracy.after)}`]);
  const hl = r.comparison?.headline;
  if (hl) rows.push(['Agreement', hl.kind === 'top1' && hl.top1 !== null ? `top-1 ${pct(hl.top1)}` : `max abs error ${hl.maxAbsError.toPrecision(3)}`]);
  return `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

export function renderQuantHtml(report: QuantReport, script: string): string {
  const title = `${baseName(report.model.path)} → ${baseName(report.output.path)} — ONNX Lens quantization`;
  return renderReportHtml({
    title, testid: 'quant-report-page', report,
    fallback: `<p>The tables of this report need JavaScript. The headline numbers:</p>${fallbackTable(report)}`,
  }, script);
}

/** The JSON report and its HTML page side by side in a reports folder. */
export function saveQuantization(folder: string, report: QuantReport, reportScript: string): { json: string; html: string } {
  const json = saveReport(folder, 'quant', report);
  const html = saveReportPage(json, renderQuantHtml(report, reportScript));
  return { json, html };
}


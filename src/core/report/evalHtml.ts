/**
 * The standalone HTML page of an evaluation report: ONE self-contained file that opens in any
 * browser with no network — the report JSON embedded as data, the bundled report script
 * (dist/report/report.js, built from webview/report/main.ts with its CSS and the codicon font
 * inside) inlined, and a Content-Security-Policy that forbids fetching anything. The script draws
 * the same charts as the Evaluate tab; light by default, dark when the system prefers it, printable.
 *
 * Pure (no vscode, no I/O): the caller reads the script once (`reportScriptPath`) and passes it in.
 *
 * Embedding safely: an HTML parser ends a <script> element at the first `</script` in its text,
 * whatever JavaScript or JSON thinks, and `<!--` can switch it into an escaped state. So every `<`
 * of the JSON is written as `\u003c` (the same string to JSON.parse), and in the script `</script`
 * becomes `<\/script` and `<!--` becomes `<\!--` (the same characters in JS strings and regexes).
 */
import * as path from 'node:path';
import type { EvalReport } from '../../shared/evalReport';

/** The id of the <script type="application/json"> element holding the report (evaluation or quantization). */
export const REPORT_DATA_ID = 'eval-report';

/** Where the build puts the report script, given the folder of the running bundle (dist/). */
export function reportScriptPath(distDir: string): string {
  return path.join(distDir, 'report', 'report.js');
}

/** Text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that can sit inside a <script> element: no `<` at all (so no `</script` and no `<!--`). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** JavaScript that can sit inside a <script> element unchanged in meaning. */
export function scriptSafeJs(script: string): string {
  return script.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() || p;
}

/** The headline numbers as a plain table, for readers without JavaScript (and text search of the file). */
function fallbackTable(report: EvalReport): string {
  const rows = Object.entries(report.headline).map(([metric, hv]) => {
    const value = hv?.value === null || hv?.value === undefined ? '–' : String(Number(hv.value.toPrecision(4)));
    const ci = hv?.ci ? ` (${Math.round(hv.ci.level * 100)}% CI ${Number(hv.ci.low.toPrecision(4))}–${Number(hv.ci.high.toPrecision(4))})` : '';
    return `<tr><th>${escapeHtml(metric)}</th><td>${escapeHtml(value + ci)}</td></tr>`;
  });
  return `<table>${rows.join('')}</table>`;
}

/** What differs between the report pages: the title, a test id and the no-JavaScript fallback. */
export interface ReportPage {
  title: string;
  /** data-testid of the page's root element. */
  testid: string;
  /** HTML shown without JavaScript (already escaped). */
  fallback: string;
  /** The report, embedded as JSON; its `schema` tells the script which view to draw. */
  report: { tool: { name: string; version: string } };
}

/** One self-contained page: the report embedded as data, the report script inlined, nothing fetched. */
export function renderReportHtml(page: ReportPage, script: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="${escapeHtml(`${page.report.tool.name} ${page.report.tool.version}`)}">
<title>${escapeHtml(page.title)}</title>
</head>
<body class="vscode-light">
<div id="app" data-testid="${escapeHtml(page.testid)}"><noscript><h1>${escapeHtml(page.title)}</h1>${page.fallback}</noscript></div>
<script type="application/json" id="${REPORT_DATA_ID}">${scriptSafeJson(page.report)}</script>
<script>${scriptSafeJs(script)}</script>
</body>
</html>
`;
}

export function renderEvalHtml(report: EvalReport, script: string): string {
  const title = `${baseName(report.model.path)} on ${baseName(report.data.path)} — ONNX Lens evaluation`;
  return renderReportHtml({
    title, testid: 'eval-report-page', report,
    fallback: `<p>The charts of this report need JavaScript. The headline metrics:</p>${fallbackTable(report)}`,
  }, script);
}

/**
 * The standalone HTML page of a model diff (onnx-lens.diff/1): one self-contained file with no
 * script at all (tables are all it has), light by default and dark when the system prefers it,
 * with the report JSON embedded for tools that read the page.
 */
import type { DiffReport } from '../../shared/diffReport';
import { formatBytes, formatCompact } from '../../shared/format';
import { formatDiff } from '../diff/headline';
import { signaturePhrases } from '../diff/signature';
import { baseName, escapeHtml, scriptSafeJson } from './evalHtml';

const CSP = "default-src 'none'; style-src 'unsafe-inline'";
const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f1f1f;background:#fff}
h1{font-size:18px}h2{font-size:15px;margin-top:24px}table{border-collapse:collapse}
th,td{text-align:left;padding:3px 10px;border-bottom:1px solid #8884;vertical-align:top}
.added{color:#1a7f37}.removed{color:#cf222e}.changed{color:#9a6700}
@media (prefers-color-scheme:dark){body{color:#ddd;background:#1e1e1e}.added{color:#7ee787}.removed{color:#ff7b72}.changed{color:#e3b341}}`;

const cell = (x: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(x)}</td>`;
const row = (cells: string[]) => `<tr>${cells.join('')}</tr>`;
const head = (names: string[]) => `<tr>${names.map((n) => `<th>${escapeHtml(n)}</th>`).join('')}</tr>`;
const list = (items: readonly string[], cls: string) => `<ul class="${cls}">${items.slice(0, 500).map((x) => `<li>${escapeHtml(x)}</li>`).join('')}${items.length > 500 ? `<li>… and ${items.length - 500} more</li>` : ''}</ul>`;

export function renderDiffHtml(r: DiffReport): string {
  const parts: string[] = [`<h1>${escapeHtml(`${baseName(r.a)} → ${baseName(r.b)}`)}</h1>`, `<p data-testid="headline">${escapeHtml(r.headline)}</p>`];
  const sig = signaturePhrases(r.signature);
  if (sig.length) parts.push('<h2>Signature</h2>', list(sig, 'changed'));
  const t = r.totals;
  const total = (name: string, a: number | null, b: number | null, show: (x: number) => string) => row([cell(name), cell(a === null ? '?' : show(a)), cell(b === null ? '?' : show(b))]);
  parts.push('<h2>Totals</h2><table>', head(['', 'a', 'b']), total('nodes', t.nodes.a, t.nodes.b, String), total('parameters', t.parameters.a, t.parameters.b, formatCompact),
    total('bytes', t.bytes.a, t.bytes.b, formatBytes), total('MACs', t.macs.a, t.macs.b, formatCompact), '</table>');
  if (r.nodes.added.length) parts.push(`<h2>Added nodes (${r.nodes.added.length})</h2>`, list(r.nodes.added, 'added'));
  if (r.nodes.removed.length) parts.push(`<h2>Removed nodes (${r.nodes.removed.length})</h2>`, list(r.nodes.removed, 'removed'));
  if (r.nodes.changed.length) {
    parts.push(`<h2>Changed nodes (${r.nodes.changed.length})</h2><table>`, head(['node', 'op', 'change', 'before', 'after']));
    for (const c of r.nodes.changed.slice(0, 1000)) {
      for (const x of c.changes) parts.push(row([cell(c.a === c.b ? c.a : `${c.a} → ${c.b}`), cell(c.opType), cell(`${x.kind} ${x.name}`, 'changed'), cell(x.before ?? '—'), cell(x.after ?? '—')]));
    }
    parts.push('</table>');
  }
  if (r.weights.list.length) {
    parts.push(`<h2>Changed weights (${r.weights.changed} of ${r.weights.changed + r.weights.identical})</h2><table>`, head(['weight', 'max abs diff', 'relative L2', 'cosine']));
    for (const w of r.weights.list.slice(0, 1000)) {
      parts.push(row([cell(w.a === w.b ? w.a : `${w.a} → ${w.b}`), cell(w.maxAbsDiff === null ? w.note ?? '—' : formatDiff(w.maxAbsDiff)), cell(w.relativeL2 === null ? '' : formatDiff(w.relativeL2)), cell(w.cosine === null ? '' : w.cosine.toFixed(6))]));
    }
    parts.push('</table>');
  }
  const b = r.behaviour;
  if (b) {
    parts.push(`<h2>Behaviour (${escapeHtml(b.source === 'random' ? `${b.samples} random samples` : `${b.samples} samples of ${baseName(b.source)}`)})</h2><table>`, head(['output', 'top-1 agreement', 'max abs error', 'mean abs error']));
    for (const o of b.outputs) parts.push(row([cell(o.b), cell(o.top1 === null ? '' : `${(100 * o.top1).toFixed(2)}%`), cell(formatDiff(o.maxAbsError)), cell(formatDiff(o.meanAbsError))]));
    parts.push('</table>');
    const f = b.firstDivergence;
    parts.push(`<p>${escapeHtml(f ? `First divergence: ${f.a} (${f.opType}), SQNR ${f.sqnrDb.toFixed(1)} dB, cosine ${f.cosine.toFixed(5)}` : `No matched node diverges (SQNR ≥ ${b.tolerance.sqnrDb} dB)`)}</p>`);
    if (b.metrics) parts.push(`<p>${escapeHtml(`${b.metrics.metric}: ${b.metrics.a.toFixed(4)} → ${b.metrics.b.toFixed(4)}${b.metrics.ci95 ? `, change 95% CI [${b.metrics.ci95.low.toFixed(4)}, ${b.metrics.ci95.high.toFixed(4)}]` : ''}${b.metrics.mcnemar ? `, McNemar p = ${b.metrics.mcnemar.pValue.toPrecision(3)}` : ''}`)}</p>`);
    if (b.latency) parts.push(`<p>${escapeHtml(`Latency p50: ${b.latency.a.p50.toFixed(3)} ms → ${b.latency.b.p50.toFixed(3)} ms (${b.latency.ratio.toFixed(2)}×)`)}</p>`);
  }
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="color-scheme" content="light dark">
<meta name="generator" content="${escapeHtml(`${r.tool.name} ${r.tool.version}`)}">
<title>${escapeHtml(`${baseName(r.a)} → ${baseName(r.b)} — ONNX Lens diff`)}</title><style>${STYLE}</style></head>
<body data-testid="diff-report-page">${parts.join('\n')}
<script type="application/json" id="diff-report">${scriptSafeJson(r)}</script>
</body></html>
`;
}

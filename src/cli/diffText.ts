/** `onnx-lens diff` for a person: the headline, then each part of the diff that has something to say. */
import { formatDiff } from '../core/diff/headline';
import { signaturePhrases } from '../core/diff/signature';
import { oneLine } from '../core/text/terminalText';
import type { BehaviourDiff, DiffReport, Side } from '../shared/diffReport';
import { formatBytes, formatCompact } from '../shared/format';
import type { GateResult } from './diffGates';
import { table } from './format';

/** Lists longer than this print their first entries and a count. */
const SHOWN = 20;

function listed(items: readonly string[]): string[] {
  const lines = items.slice(0, SHOWN).map((x) => `  ${oneLine(x)}`);
  if (items.length > SHOWN) lines.push(`  … and ${items.length - SHOWN} more`);
  return lines;
}

function totalRow(name: string, t: Side<number | null>, show: (x: number) => string): string[] {
  if (t.a === null || t.b === null) return [name, t.a === null ? '?' : show(t.a), t.b === null ? '?' : show(t.b), ''];
  const d = t.b - t.a;
  const pct = t.a ? ` (${d >= 0 ? '+' : ''}${((100 * d) / t.a).toFixed(1)}%)` : '';
  return [name, show(t.a), show(t.b), d === 0 ? 'same' : `${d > 0 ? '+' : '−'}${show(Math.abs(d))}${pct}`];
}

export function renderDiff(r: DiffReport, gates: readonly GateResult[]): string {
  const lines = [oneLine(`${r.a} → ${r.b}`), `  ${oneLine(r.headline)}`];
  const sig = signaturePhrases(r.signature);
  if (sig.length) lines.push('', 'Signature', ...listed(sig));
  lines.push('', 'Totals', table([
    ['', 'a', 'b', 'change'],
    totalRow('nodes', r.totals.nodes, String),
    totalRow('parameters', r.totals.parameters, formatCompact),
    totalRow('bytes', r.totals.bytes, formatBytes),
    totalRow('MACs', r.totals.macs, formatCompact),
  ]));
  const n = r.nodes;
  if (n.added.length) lines.push('', `Added nodes (${n.added.length})`, ...listed(n.added));
  if (n.removed.length) lines.push('', `Removed nodes (${n.removed.length})`, ...listed(n.removed));
  if (n.changed.length) {
    lines.push('', `Changed nodes (${n.changed.length})`);
    for (const c of n.changed.slice(0, SHOWN)) {
      lines.push(`  ${oneLine(c.a === c.b ? c.a : `${c.a} → ${c.b}`)} (${oneLine(c.opType)})`);
      for (const x of c.changes.slice(0, 6)) {
        const stats = x.weight?.maxAbsDiff !== undefined && x.weight.maxAbsDiff !== null ? `  max abs diff ${formatDiff(x.weight.maxAbsDiff)}, rel L2 ${formatDiff(x.weight.relativeL2 ?? 0)}` : '';
        lines.push(`    ${x.kind} ${oneLine(x.name)}: ${oneLine(x.before ?? '—')} → ${oneLine(x.after ?? '—')}${stats}`);
      }
      if (c.changes.length > 6) lines.push(`    … and ${c.changes.length - 6} more`);
    }
    if (n.changed.length > SHOWN) lines.push(`  … and ${n.changed.length - SHOWN} more`);
  }
  const w = r.weights;
  if (w.list.length) {
    lines.push('', `Changed weights (${w.changed} of ${w.changed + w.identical})`, table([
      ['weight', 'max abs diff', 'relative L2', 'cosine'],
      ...w.list.slice(0, SHOWN).map((d) => [oneLine(d.a === d.b ? d.a : `${d.a} → ${d.b}`), d.maxAbsDiff === null ? oneLine(d.note ?? '—') : formatDiff(d.maxAbsDiff), d.relativeL2 === null ? '' : formatDiff(d.relativeL2), d.cosine === null ? '' : d.cosine.toFixed(6)]),
    ]));
  }
  if (w.added.length) lines.push('', `Added weights (${w.added.length})`, ...listed(w.added));
  if (w.removed.length) lines.push('', `Removed weights (${w.removed.length})`, ...listed(w.removed));
  if (r.behaviour) lines.push(...behaviourLines(r.behaviour));
  if (gates.length) lines.push('', 'Checks', table(gates.map((g) => [g.passed ? 'pass' : 'FAIL', g.gate, oneLine(g.detail)])));
  return lines.join('\n');
}

function behaviourLines(b: BehaviourDiff): string[] {
  const lines = ['', oneLine(`Behaviour on ${b.source === 'random' ? `${b.samples} random samples` : `${b.samples} samples of ${b.source}`}`)];
  lines.push(table([
    ['output', 'agreement', 'max abs error', 'mean abs error'],
    ...b.outputs.map((o) => [oneLine(o.a === o.b ? o.a : `${o.a} → ${o.b}`), o.top1 === null ? '' : `${(100 * o.top1).toFixed(2)}% top-1`, formatDiff(o.maxAbsError), formatDiff(o.meanAbsError)]),
  ]));
  const f = b.firstDivergence;
  lines.push(f ? oneLine(`  first divergence: ${f.a} (${f.opType}), SQNR ${f.sqnrDb.toFixed(1)} dB < ${b.tolerance.sqnrDb} dB, cosine ${f.cosine.toFixed(5)}`) : `  no matched node diverges (SQNR ≥ ${b.tolerance.sqnrDb} dB everywhere)`);
  const m = b.metrics;
  if (m) {
    const ci = m.ci95 ? ` [${m.ci95.low.toFixed(4)}, ${m.ci95.high.toFixed(4)}]` : '';
    lines.push(`  ${m.metric}: ${m.a.toFixed(4)} → ${m.b.toFixed(4)}, change ${m.delta >= 0 ? '+' : ''}${m.delta.toFixed(4)}${ci} (paired bootstrap 95%)${m.mcnemar ? `; McNemar p = ${m.mcnemar.pValue.toPrecision(3)} (only a right ${m.mcnemar.onlyA}, only b right ${m.mcnemar.onlyB})` : ''}`);
  }
  const l = b.latency;
  if (l) lines.push(`  latency p50: ${l.a.p50.toFixed(3)} ms → ${l.b.p50.toFixed(3)} ms (${l.ratio.toFixed(2)}x)`);
  for (const note of b.notes) lines.push(`  note: ${oneLine(note)}`);
  return lines;
}

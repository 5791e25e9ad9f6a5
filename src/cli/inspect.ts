/** `onnx-lens inspect <model> [--json]`: every string from the model made one terminal-safe line (core/text/terminalText.ts). */
import type { ModelSummary } from '../shared/modelSummary';
import { oneLine } from '../core/text/terminalText';
import { formatBytes, formatCompact, formatInteger, formatOpsets } from '../shared/format';
import { formatShape, table } from './format';

export function renderSummary(s: ModelSummary): string {
  const lines: string[] = [];
  const producer = oneLine([s.producer.name, s.producer.version].filter(Boolean).join(' ') || 'unknown producer');
  lines.push(oneLine(s.path));
  lines.push(`  ${formatBytes(s.fileBytes)} · IR ${s.irVersion} · ${producer} · opsets ${oneLine(formatOpsets(s.opsets).join(', ')) || 'none'}`);
  if (s.docString) lines.push(`  ${oneLine(s.docString.split('\n')[0])}`);
  lines.push('', 'Inputs');
  lines.push(table(s.inputs.map((v) => [v.name, v.elemType, formatShape(v.shape)])) || '  (none)');
  lines.push('', 'Outputs');
  lines.push(table(s.outputs.map((v) => [v.name, v.elemType, formatShape(v.shape)])) || '  (none)');
  lines.push('', 'Totals');
  lines.push(table([
    ['nodes', `${s.nodeCount}${s.nodeCountTotal !== s.nodeCount ? ` (${s.nodeCountTotal} with ${s.subgraphCount} subgraph${s.subgraphCount === 1 ? '' : 's'})` : ''}`],
    ['parameters', `${formatCompact(s.parameterCount)} (${formatInteger(s.parameterCount)}) in ${formatBytes(s.parameterBytes)}`],
    ['MACs', s.macs === null ? 'unknown' : `${formatCompact(s.macs)}${s.macsSymbolicAsOne ? ' per sample (symbolic dims counted as 1)' : ''}`],
    ['initializers', String(s.initializerCount)],
    ...(s.functionCount ? [['functions', String(s.functionCount)]] : []),
    ...(s.usesExternalData ? [['external data', 'yes']] : []),
  ]));
  const ops = Object.entries(s.opCounts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  lines.push('', `Operators (${ops.length} types)`);
  lines.push(table(ops.map(([op, n]) => [op, String(n)])) || '  (none)');
  if (s.largestTensors.length) {
    lines.push('', 'Largest tensors');
    lines.push(table(s.largestTensors.map((t) => [t.name, t.elemType, formatShape(t.shape), formatBytes(t.bytes)])));
  }
  const meta = Object.entries(s.metadata);
  if (meta.length) {
    lines.push('', 'Metadata');
    lines.push(table(meta.map(([k, v]) => [k, v.length > 80 ? `${v.slice(0, 77)}...` : v])));
  }
  const problems = s.problems;
  if (problems.length) {
    lines.push('', 'Problems');
    for (const p of problems) lines.push(`  ${p.severity}: ${oneLine(p.message)}`);
  }
  return lines.join('\n');
}

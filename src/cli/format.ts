/** Tables and shapes for the CLI's text output (numbers: src/shared/format.ts, shared with the editor). */
import { oneLine } from '../core/text/terminalText';

export { formatShape } from '../core/graph/payload';

/**
 * Left-aligned columns with two spaces between them. Cells are made one line (a newline in a
 * model's name must not start a fake row; core/text/terminalText.ts). Widths are found in one
 * loop, not `Math.max(...column)`: a model with a million inputs has a million rows.
 */
export function table(rows: string[][], indent = '  '): string {
  if (rows.length === 0) return '';
  const safe = rows.map((r) => r.map((cell) => oneLine(cell ?? '')));
  const widths: number[] = [];
  for (const r of safe) for (let c = 0; c < r.length; c++) widths[c] = Math.max(widths[c] ?? 0, r[c].length);
  const lines: string[] = [];
  for (const r of safe) lines.push(indent + r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  '));
  return lines.join('\n');
}

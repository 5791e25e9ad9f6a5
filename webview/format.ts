/** Shape and unit formatting for the webview (numbers come from src/shared/format.ts). Pure functions, no DOM. */
import type { Dim } from '../src/shared/tensorTypes';

// The numbers are the shared formatter's, so the header and the status bar print a model alike.
export { formatBytes, formatCompact, formatInteger, formatMs, formatOpsets, formatUs } from '../src/shared/format';
import { formatBytes, formatCompact, formatUs } from '../src/shared/format';

/** One dimension as ONNX tools print it: fixed size, symbolic name, or "?" when unknown. */
export function formatDim(dim: Dim): string {
  if (dim === null) return '?';
  return typeof dim === 'number' ? String(dim) : dim;
}

/** `[batch, 3, 224, 224]`; a scalar is `[]`; an unknown rank is "unknown rank". */
export function formatShape(shape: readonly Dim[] | null): string {
  if (shape === null) return 'unknown rank';
  return `[${shape.map(formatDim).join(', ')}]`;
}

/** The last path segment, for both / and \ separators. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/**
 * A value with its unit, as an overlay or a legend shows it: times in µs/ms/s scale to the
 * readable unit ("2.85 ms", never "2.85 k µs"), bytes use binary units, anything else is compact
 * ("1.2 M params").
 */
export function formatWithUnit(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '–';
  switch (unit) {
    case 'µs':
    case 'us':
      return formatUs(value);
    case 'ms':
      return formatUs(value * 1000);
    case 's':
      return formatUs(value * 1e6);
    case 'B':
    case 'bytes':
      return formatBytes(value);
    case '':
      return Math.abs(value) < 1000 && !Number.isInteger(value) ? String(Number(value.toPrecision(3))) : formatCompact(value);
    default:
      return `${Math.abs(value) < 1000 && !Number.isInteger(value) ? String(Number(value.toPrecision(3))) : formatCompact(value)} ${unit}`;
  }
}

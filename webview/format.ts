/** Number and shape formatting for the summary page. Pure functions, no DOM. */
import type { Dim } from '../src/shared/tensorTypes';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". */
export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

const SI_UNITS: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** 1234567 → "1.23 M"; below 1000 the exact integer. Three significant digits. */
export function formatCompact(value: number): string {
  for (const [scale, unit] of SI_UNITS) {
    if (Math.abs(value) >= scale) return `${toSignificant(value / scale)} ${unit}`;
  }
  return formatInteger(value);
}

export { formatBytes } from '../src/shared/formatBytes';
import { formatBytes } from '../src/shared/formatBytes';

function toSignificant(value: number): string {
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

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

/** Opsets as "ai.onnx 17", "com.microsoft 1" sorted with the default domain first. */
export function formatOpsets(opsets: Record<string, number>): string[] {
  return Object.entries(opsets)
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
    .map(([domain, version]) => `${domain === '' || domain === 'ai.onnx' ? 'ai.onnx' : domain} ${version}`);
}

/** Milliseconds at a precision that suits the size: "0.142 ms", "1.94 ms", "23.4 ms", "1,204 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const a = Math.abs(ms);
  if (a >= 1000) return `${Math.round(ms).toLocaleString('en-US')} ms`;
  return `${a >= 100 ? ms.toFixed(0) : a >= 10 ? ms.toFixed(1) : a >= 1 ? ms.toFixed(2) : ms.toFixed(3)} ms`;
}

/** Microseconds: "12.4 µs", "512 µs"; from a millisecond up in ms ("2.85 ms"), from 10 s up in s. */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return '–';
  const a = Math.abs(us);
  if (a >= 1e7) return `${toSignificant(us / 1e6)} s`;
  if (a >= 1000) return formatMs(us / 1000);
  return `${a >= 100 ? us.toFixed(0) : us.toFixed(1)} µs`;
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

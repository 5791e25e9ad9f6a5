/** Number and shape formatting for the summary page. Pure functions, no DOM. */
import type { Dim } from '../src/core/onnx/types';

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

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 → "1.5 KiB", 2.5 * 2^20 → "2.5 MiB"; below 1 KiB the bytes ("512 B"). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatInteger(bytes)} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of BYTE_UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${toSignificant(value)} ${unit}`;
}

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

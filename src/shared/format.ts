/**
 * Numbers for people, the one formatter the CLI, the extension host and the webview share, so
 * the status bar, the hover, `onnx-lens inspect` and the editor's header print the same model
 * the same way ("6.7 k params · 1.5 KiB · opset 17"). Pure, no imports.
 */

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 1234567 → "1,234,567". */
export function formatInteger(value: number): string {
  return integerFormat.format(value);
}

/** Three significant digits, trailing zeros dropped: 6.7, 28.1, 512. */
function toSignificant(value: number): string {
  const a = Math.abs(value);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 2;
  return String(Number(value.toFixed(digits)));
}

const SI_UNITS: [number, string][] = [
  [1e12, 'T'],
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Counts (parameters, MACs): 1234567 → "1.23 M", 6700 → "6.7 k"; below 1000 the exact integer. */
export function formatCompact(value: number): string {
  if (!Number.isFinite(value)) return '–';
  for (const [scale, unit] of SI_UNITS) {
    if (Math.abs(value) >= scale) return `${toSignificant(value / scale)} ${unit}`;
  }
  return formatInteger(value);
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** Byte sizes in binary units: 512 → "512 B", 1536 → "1.5 KiB", 2.5 × 2^20 → "2.5 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (Math.abs(bytes) < 1024) return `${formatInteger(bytes)} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of BYTE_UNITS) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${toSignificant(value)} ${unit}`;
}

/** Milliseconds at a precision that suits the size: "0.142 ms", "1.94 ms", "23.4 ms", "1,204 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const a = Math.abs(ms);
  if (a >= 1000) return `${formatInteger(ms)} ms`;
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
 * Opset imports as "ai.onnx 17", "com.microsoft 1", the default domain first. The reader stores
 * the default domain as '' (core/onnx/domain.ts), so '' is the only spelling to expect here.
 */
export function formatOpsets(opsets: Record<string, number>): string[] {
  return Object.entries(opsets)
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)))
    .map(([domain, version]) => `${domain === '' ? 'ai.onnx' : domain} ${version}`);
}

/** The short form for one line (status bar, hover): "opset 17", then other domains: "opset 17, com.microsoft 1". */
export function formatOpsetsShort(opsets: Record<string, number>): string {
  const entries = formatOpsets(opsets);
  if (entries.length === 0) return 'no opset';
  if (opsets[''] !== undefined) entries[0] = `opset ${opsets['']}`;
  return entries.join(', ');
}

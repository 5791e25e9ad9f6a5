/**
 * Byte sizes for people, the one formatter the CLI, the extension host and the webview share:
 * binary units everywhere (KiB, MiB, …), three significant digits. Pure, no imports.
 */
const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** 512 → "512 B", 1536 → "1.5 KiB", 2.5 × 2^20 → "2.5 MiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (Math.abs(bytes) < 1024) return `${Math.round(bytes).toLocaleString('en-US')} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of BYTE_UNITS) {
    if (Math.abs(value) < 1024) break;
    value /= 1024;
    unit = next;
  }
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${Number(value.toFixed(digits))} ${unit}`;
}

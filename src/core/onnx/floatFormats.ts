/**
 * Decoding of the small float formats ONNX stores (float16, bfloat16, float8 variants, float4),
 * following the ONNX spec's "Float stored in 8 bits" tables (docs/Float8.md in onnx/onnx).
 */

export function float16ToFloat32(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function bfloat16ToFloat32(b: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (b & 0xffff) << 16);
  return view.getFloat32(0);
}

type Float8Kind = 'e4m3fn' | 'e4m3fnuz' | 'e5m2' | 'e5m2fnuz';

export function float8ToFloat32(v: number, kind: Float8Kind): number {
  const e4 = kind === 'e4m3fn' || kind === 'e4m3fnuz';
  const uz = kind.endsWith('uz');
  if (uz && v === 0x80) return NaN;
  const manBits = e4 ? 3 : 2;
  const expMask = e4 ? 0xf : 0x1f;
  const bias = (e4 ? 7 : 15) + (uz ? 1 : 0);
  const s = v & 0x80 ? -1 : 1;
  const e = (v >> manBits) & expMask;
  const m = v & ((1 << manBits) - 1);
  if (kind === 'e4m3fn' && e === 0xf && m === 0x7) return NaN;
  if (kind === 'e5m2' && e === 0x1f) return m ? NaN : s * Infinity;
  if (e === 0) return s * (m / (1 << manBits)) * 2 ** (1 - bias);
  return s * (1 + m / (1 << manBits)) * 2 ** (e - bias);
}

export function float4e2m1ToFloat32(nibble: number): number {
  const s = nibble & 0x8 ? -1 : 1;
  const e = (nibble >> 1) & 0x3;
  const m = nibble & 0x1;
  return e === 0 ? s * m * 0.5 : s * (1 + m / 2) * 2 ** (e - 1);
}

export function float8e8m0ToFloat32(v: number): number {
  return v === 0xff ? NaN : 2 ** (v - 127);
}

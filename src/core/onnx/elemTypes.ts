/** TensorProto.DataType: codes, the names ONNX Lens prints, and storage sizes. */

export interface ElemTypeInfo {
  code: number;
  /** The name used in CLI output and the UI: numpy-like ('float32', 'int64', 'float8e4m3fn'). */
  name: string;
  /** Storage bits per element in raw_data; 0 for strings (variable length). */
  bits: number;
}

const TABLE: ElemTypeInfo[] = [
  { code: 1, name: 'float32', bits: 32 },
  { code: 2, name: 'uint8', bits: 8 },
  { code: 3, name: 'int8', bits: 8 },
  { code: 4, name: 'uint16', bits: 16 },
  { code: 5, name: 'int16', bits: 16 },
  { code: 6, name: 'int32', bits: 32 },
  { code: 7, name: 'int64', bits: 64 },
  { code: 8, name: 'string', bits: 0 },
  { code: 9, name: 'bool', bits: 8 },
  { code: 10, name: 'float16', bits: 16 },
  { code: 11, name: 'float64', bits: 64 },
  { code: 12, name: 'uint32', bits: 32 },
  { code: 13, name: 'uint64', bits: 64 },
  { code: 14, name: 'complex64', bits: 64 },
  { code: 15, name: 'complex128', bits: 128 },
  { code: 16, name: 'bfloat16', bits: 16 },
  { code: 17, name: 'float8e4m3fn', bits: 8 },
  { code: 18, name: 'float8e4m3fnuz', bits: 8 },
  { code: 19, name: 'float8e5m2', bits: 8 },
  { code: 20, name: 'float8e5m2fnuz', bits: 8 },
  { code: 21, name: 'uint4', bits: 4 },
  { code: 22, name: 'int4', bits: 4 },
  { code: 23, name: 'float4e2m1', bits: 4 },
  { code: 24, name: 'float8e8m0', bits: 8 },
  { code: 25, name: 'uint2', bits: 2 },
  { code: 26, name: 'int2', bits: 2 },
];

const BY_CODE = new Map(TABLE.map((t) => [t.code, t]));
const BY_NAME = new Map(TABLE.map((t) => [t.name, t]));

export const ElemType = {
  FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, STRING: 8, BOOL: 9,
  FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13, COMPLEX64: 14, COMPLEX128: 15, BFLOAT16: 16,
  FLOAT8E4M3FN: 17, FLOAT8E4M3FNUZ: 18, FLOAT8E5M2: 19, FLOAT8E5M2FNUZ: 20, UINT4: 21, INT4: 22,
  FLOAT4E2M1: 23, FLOAT8E8M0: 24, UINT2: 25, INT2: 26,
} as const;

export function elemTypeInfo(code: number): ElemTypeInfo | undefined {
  return BY_CODE.get(code);
}

export function elemTypeName(code: number): string {
  return BY_CODE.get(code)?.name ?? (code === 0 ? 'unknown' : `type${code}`);
}

export function elemTypeCode(name: string): number | undefined {
  return BY_NAME.get(name)?.code;
}

/** Bytes that `count` elements occupy in raw_data (sub-byte types are packed, rounded up). */
export function rawByteLength(code: number, count: number): number | undefined {
  const info = BY_CODE.get(code);
  if (!info || info.bits === 0) return undefined;
  return Math.ceil((count * info.bits) / 8);
}

export function isFloatType(code: number): boolean {
  return [1, 10, 11, 16, 17, 18, 19, 20, 23, 24].includes(code);
}

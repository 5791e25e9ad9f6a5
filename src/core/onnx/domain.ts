/**
 * ONNX spells the default operator set two ways: '' and 'ai.onnx' (onnx.proto: "The empty
 * string ('') or absence of this field implies the operator set that is defined as part of the
 * ONNX specification"; exporters also write it out). The reader (decodeModel.ts) stores every
 * opset import, node and function domain through {@link normalizeDomain}, so the rest of the
 * code compares against '' only and never repeats the two-spelling check.
 */
export function normalizeDomain(domain: string): string {
  return domain === 'ai.onnx' ? '' : domain;
}

/**
 * Turning a quantized weight into initializers: the integer tensor (packed when 4-bit), its scale
 * and zero point, named after the weight.
 */
import { ElemType } from '../onnx/elemTypes';
import type { GraphRewriter } from './graphRewriter';
import { float32Bytes } from './graphRewriter';
import { packQuantized, QUANT_ELEM_TYPE, type QuantizedTensor } from './math';

export interface WeightInitializers {
  values: string;
  scale: string;
  /** Omitted (undefined) when every zero point is 0 and the op's default is 0. */
  zeroPoint: string | undefined;
  bytes: number;
}

export interface WeightNaming {
  /** Base name, usually the weight's. */
  base: string;
  /** Write a zero point even when all are zero (MatMulInteger/ConvInteger inputs are positional). */
  alwaysZeroPoint?: boolean;
  /** A scalar zero point is enough (all equal), e.g. symmetric per-channel weights. */
  scalarZeroPoint?: boolean;
  /** Shape for the scale tensor instead of q.scaleDims (e.g. [M, 1, 1] to broadcast over NCHW). */
  scaleDims?: number[];
}

export function addQuantizedWeight(ed: GraphRewriter, q: QuantizedTensor, naming: WeightNaming): WeightInitializers {
  const values = ed.addInitializer({ name: `${naming.base}_quantized`, elemType: QUANT_ELEM_TYPE[q.type], dims: q.dims, data: packQuantized(q.values, q.type) });
  const scaleDims = naming.scaleDims ?? q.scaleDims;
  const scale = ed.addInitializer({ name: `${naming.base}_scale`, elemType: ElemType.FLOAT, dims: scaleDims, data: float32Bytes(q.scales) });
  let bytes = packQuantized(q.values, q.type).byteLength + q.scales.byteLength;
  const allZero = q.zeroPoints.every((z) => z === 0);
  let zeroPoint: string | undefined;
  if (!allZero || naming.alwaysZeroPoint) {
    const same = q.zeroPoints.every((z) => z === q.zeroPoints[0]);
    const scalar = naming.scalarZeroPoint && same;
    const zps = scalar ? q.zeroPoints.subarray(0, 1) : q.zeroPoints;
    const data = packQuantized(zps, q.type);
    zeroPoint = ed.addInitializer({ name: `${naming.base}_zero_point`, elemType: QUANT_ELEM_TYPE[q.type], dims: scalar ? [] : scaleDims, data });
    bytes += data.byteLength;
  }
  return { values, scale, zeroPoint, bytes };
}

export function tensorBytes(ed: GraphRewriter, name: string | undefined): number {
  if (!name) return 0;
  const t = ed.initializer(name);
  if (!t) return 0;
  return t.dims.reduce((a, b) => a * b, 1) * (t.elemType === ElemType.FLOAT ? 4 : 1);
}

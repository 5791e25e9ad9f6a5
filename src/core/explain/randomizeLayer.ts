/**
 * The model of Adebayo et al.'s sanity check ("Sanity Checks for Saliency Maps", 2018): the same
 * model with its last layer's weights replaced by random ones. The last layer is the last
 * MatMul/Gemm/Conv in graph order whose weight is a float32 initializer; its new weights are
 * seeded normal numbers with the original's mean and standard deviation (the paper re-initialises
 * from the training initialiser, which a file does not record). The copy lives in memory only.
 */
import { ElemType } from '../onnx/elemTypes';
import type { OnnxModel } from '../onnx/reader';
import { encodeModel } from '../onnx/write/writeModel';
import { fillNormals, mulberry32 } from '../random';
import { float32Bytes, GraphRewriter } from '../quantize/graphRewriter';
import { selectWeightOps } from '../quantize/select';

export interface RandomizedModel {
  bytes: Uint8Array;
  /** The node whose weight was randomised, and the weight. */
  node: string;
  weight: string;
}

/** The randomised copy, or the reason there is none (one phrase). */
export function randomizeLastLayer(model: OnnxModel, seed = 0): RandomizedModel | string {
  const ed = new GraphRewriter(model);
  const { ops, skipped } = selectWeightOps(ed, { ops: new Set(['MatMul', 'Gemm', 'Conv']) });
  const last = ops.reduce<(typeof ops)[number] | undefined>((a, op) => (!a || op.index > a.index ? op : a), undefined);
  const lastSkipped = skipped[skipped.length - 1];
  if (!last) return lastSkipped ? `its last layer (${lastSkipped.node}) cannot be randomised: ${lastSkipped.reason}` : 'it has no MatMul, Gemm or Conv layer with constant weights';
  const original = ed.floatWeight(last.weight)!;
  let mean = 0;
  for (const v of original) mean += v / original.length;
  let variance = 0;
  for (const v of original) variance += (v - mean) ** 2 / original.length;
  const values = new Float32Array(original.length);
  fillNormals(values, mulberry32(seed), Math.sqrt(variance) || 1);
  for (let i = 0; i < values.length; i++) values[i] += mean;
  ed.replaceInitializer(last.weight, { elemType: ElemType.FLOAT, dims: [...last.weightInfo.dims], data: float32Bytes(values) });
  return { bytes: encodeModel(model, ed.finish()), node: last.node.name, weight: last.weight };
}

/** Running models in-process for the quantization tests, and comparing their outputs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readModelFile } from '../../../src/core/onnx/reader';
import { writeModelFile } from '../../../src/core/onnx/write/writeModel';
import { rewriteModel, type RewriteResult } from '../../../src/core/quantize/rewriteModel';
import type { QuantizeSettings } from '../../../src/shared/quantizeSettings';
import { oracle, requireOracle } from '../../fixtures/oracle';

/** One run in-process; `exact` turns graph optimisation off (onnxruntime's own fusions may compute differently, e.g. int8 activations in MatMulNBits). */
export async function run(file: string, feeds: Record<string, ort.Tensor>, exact = false): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(file, { logSeverityLevel: 3, ...(exact ? { graphOptimizationLevel: 'disabled' as const } : {}) });
  try {
    return await session.run(feeds);
  } finally {
    await session.release();
  }
}

/** Rewrites `input` with `settings` into `dir/<name>.onnx`. */
export function quantizeTo(input: string, dir: string, name: string, settings: QuantizeSettings): RewriteResult & { file: string; ratio: number } {
  const model = readModelFile(input);
  try {
    const result = rewriteModel(model, settings);
    const file = path.join(dir, `${name}.onnx`);
    const written = writeModelFile(model, result.rewrite, file, { overwrite: true });
    return { ...result, file, ratio: (written.bytes + written.dataBytes) / fs.statSync(input).size };
  } finally {
    model.close();
  }
}

export function share<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

export function relativeError(ref: Float32Array, got: Float32Array): number {
  let noise = 0;
  let signal = 0;
  for (let i = 0; i < ref.length; i++) {
    noise += (ref[i] - got[i]) ** 2;
    signal += ref[i] ** 2;
  }
  return Math.sqrt(noise / signal);
}

/** onnx.checker (python3-onnx 1.12) where its opset allows; null when it cannot judge (opset > 17). Throws without python3-onnx. */
export async function checkerVerdict(file: string): Promise<{ ok: boolean; error: string | null } | null> {
  requireOracle();
  const model = readModelFile(file);
  const opset = model.info.opsets.find((o) => o.domain === '')?.version ?? 0;
  model.close();
  if (opset > 17) return null;
  return oracle('check', file);
}

export const opCounts = (file: string): Record<string, number> => {
  const model = readModelFile(file);
  const counts: Record<string, number> = {};
  for (const n of model.info.graph.nodes) {
    const key = n.domain ? `${n.domain}:${n.opType}` : n.opType;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  model.close();
  return counts;
};

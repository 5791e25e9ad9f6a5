/**
 * ModelRunner on onnxruntime-node, in the calling process. Extra outputs are added to a copy of the
 * model bytes (write/extraOutputs.ts); external data is handed to ORT as bytes, since a model
 * loaded from a buffer cannot find its data files. Either way the external data is checked first. Only float values are ever made outputs: an
 * int4 graph output aborts ORT's Node binding (ENVIRONMENT.md §2).
 */
import * as fs from 'node:fs';
import type * as ort from 'onnxruntime-node';
import { loadOnnxRuntime } from '../nativeModules';
import { encodeFloat16 } from '../data/float16';
import type { NdArray } from '../data/ndarray';
import type { NumericDtype } from '../../shared/tensorTypes';
import { float16ToFloat32 } from '../onnx/floatFormats';
import { checkModelExternalData, readExternalFile } from '../onnx/externalData';
import { readModelFile } from '../onnx/reader';
import { withExtraOutputs } from '../onnx/write/extraOutputs';
import type { Feeds, ModelRunner, RunnerSession } from './runner';

export interface OrtRunnerOptions {
  /** Intra-op threads (0: ORT decides). */
  threads?: number;
  graphOptimization?: 'disabled' | 'basic' | 'extended' | 'all';
}

function toTensor(a: NdArray): ort.Tensor {
  const data = a.dtype === 'float16' ? encodeFloat16(a.data as Float32Array) : a.data;
  return new (loadOnnxRuntime().Tensor)(a.dtype as ort.Tensor.Type, data as ort.Tensor.DataType, a.shape);
}

function fromTensor(t: ort.Tensor): NdArray {
  const shape = [...t.dims];
  if (t.type === 'float16') return { dtype: 'float16', shape, data: Float32Array.from(t.data as Uint16Array, float16ToFloat32) };
  return { dtype: t.type as NumericDtype, shape, data: t.data as NdArray['data'] };
}

/**
 * The model's graph outputs and its external data, checked by the one resolver
 * (core/onnx/externalData.ts): inside the model's folder, regular files, every range in bounds.
 * Runs before every session, including the ones onnxruntime loads from the path (it resolves the
 * same locations itself); the bytes are read only when ORT gets the model from memory.
 */
function describe(file: string, withBytes: boolean): { outputs: string[]; externalData: { path: string; data: Uint8Array }[] } {
  const model = readModelFile(file);
  try {
    const files = checkModelExternalData(model.file, model.dir, model.info);
    return {
      outputs: model.info.graph.outputs.map((o) => o.name),
      externalData: withBytes ? [...files].map(([location, f]) => ({ path: location, data: readExternalFile(model.file, f) })) : [],
    };
  } finally {
    model.close();
  }
}

export function createOrtRunner(o: OrtRunnerOptions = {}): ModelRunner {
  return {
    async open(file: string, extraOutputs: readonly string[] = []): Promise<RunnerSession> {
      const options: ort.InferenceSession.SessionOptions = {
        logSeverityLevel: 3,
        intraOpNumThreads: o.threads ?? 0,
        graphOptimizationLevel: o.graphOptimization ?? 'all',
      };
      let session: ort.InferenceSession;
      let graphOutputs: string[];
      if (extraOutputs.length === 0) {
        describe(file, false);
        session = await loadOnnxRuntime().InferenceSession.create(file, options);
        graphOutputs = [...session.outputNames];
      } else {
        const d = describe(file, true);
        graphOutputs = d.outputs;
        const extra = [...new Set(extraOutputs)].filter((v) => !d.outputs.includes(v));
        const bytes = withExtraOutputs(fs.readFileSync(file), extra, file);
        session = await loadOnnxRuntime().InferenceSession.create(bytes, d.externalData.length ? { ...options, externalData: d.externalData } : options);
      }
      return {
        graphOutputs,
        outputNames: session.outputNames,
        async run(feeds: Feeds) {
          const input: Record<string, ort.Tensor> = {};
          for (const [name, a] of feeds) input[name] = toTensor(a);
          const out = await session.run(input);
          const result = new Map<string, NdArray>();
          for (const [name, t] of Object.entries(out)) {
            result.set(name, fromTensor(t));
            t.dispose?.();
          }
          return result;
        },
        close: () => session.release(),
      };
    },
  };
}

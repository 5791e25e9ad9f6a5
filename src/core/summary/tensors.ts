/**
 * Walks every stored tensor of a model (initializers, sparse initializers and Constant-node
 * values, in all graphs including subgraphs) for parameter counts and data-consistency checks.
 */
import { OnnxLensError } from '../errors';
import { elemTypeName, rawByteLength } from '../onnx/elemTypes';
import { checkExternalRange, resolveExternalFile } from '../onnx/externalData';
import type { OnnxModel } from '../onnx/reader';
import { elementCount } from '../onnx/tensorData';
import type { GraphInfo, NodeInfo, TensorInfo } from '../onnx/types';

export interface StoredTensor {
  name: string;
  elemType: number;
  dims: number[];
  elements: number;
  bytes: number;
  source: 'initializer' | 'sparse' | 'constant';
  tensor: TensorInfo | null;
}

export function storedTensors(graph: GraphInfo, out: StoredTensor[] = []): StoredTensor[] {
  for (const t of graph.initializers) out.push(stored(t.name, t, 'initializer'));
  for (const s of graph.sparseInitializers) out.push(stored(s.values.name, s.values, 'sparse'));
  for (const n of graph.nodes) {
    if (n.opType === 'Constant' && n.domain === '') {
      const c = constantTensor(n);
      if (c) out.push(c);
    }
    for (const a of n.attributes) {
      if (a.g) storedTensors(a.g, out);
      for (const sg of a.graphs ?? []) storedTensors(sg, out);
    }
  }
  return out;
}

function stored(name: string, t: TensorInfo, source: StoredTensor['source']): StoredTensor {
  const elements = elementCount(t.dims);
  return { name, elemType: t.elemType, dims: t.dims, elements, bytes: tensorBytes(t, elements), source, tensor: t };
}

/** Bytes the tensor occupies when stored (strings: their stored lengths). */
function tensorBytes(t: TensorInfo, elements: number): number {
  if (t.data.kind === 'strings') return t.data.ranges.reduce((a, r) => a + r.length, 0);
  return rawByteLength(t.elemType, elements) ?? 0;
}

/** The value a Constant node holds, from whichever value* attribute it uses. */
function constantTensor(n: NodeInfo): StoredTensor | null {
  const name = n.outputs[0] ?? n.name;
  for (const a of n.attributes) {
    const scalar = (elemType: number, count: number, dims: number[]): StoredTensor => ({
      name, elemType, dims, elements: count, bytes: rawByteLength(elemType, count) ?? 0, source: 'constant', tensor: null,
    });
    switch (a.name) {
      case 'value': if (a.t) return { ...stored(name, a.t, 'constant') }; break;
      case 'sparse_value': if (a.sparseTensor) return stored(name, a.sparseTensor.values, 'constant'); break;
      case 'value_float': return scalar(1, 1, []);
      case 'value_int': return scalar(7, 1, []);
      case 'value_floats': return scalar(1, a.floats?.length ?? 0, [a.floats?.length ?? 0]);
      case 'value_ints': return scalar(7, a.ints?.length ?? 0, [a.ints?.length ?? 0]);
      case 'value_string': return { name, elemType: 8, dims: [], elements: 1, bytes: a.s?.length ?? 0, source: 'constant', tensor: null };
      case 'value_strings': {
        const count = a.strings?.length ?? 0;
        return { name, elemType: 8, dims: [count], elements: count, bytes: (a.strings ?? []).reduce((s, x) => s + x.length, 0), source: 'constant', tensor: null };
      }
    }
  }
  return null;
}

/**
 * One sentence per tensor whose stored data cannot match its declared shape, or whose
 * external file is missing or outside the model folder. Checks sizes only; reads no data.
 */
export function checkTensorData(model: OnnxModel, tensors: StoredTensor[]): string[] {
  const problems: string[] = [];
  for (const s of tensors) {
    const t = s.tensor;
    if (!t) continue;
    const describe = `tensor '${s.name}' (${elemTypeName(s.elemType)} ${JSON.stringify(s.dims)})`;
    if (!Number.isSafeInteger(s.elements)) {
      problems.push(`${describe} declares an impossible number of elements`);
      continue;
    }
    const d = t.data;
    if (d.kind === 'raw' && d.range.length !== s.bytes) {
      problems.push(`${describe} holds ${d.range.length} bytes of data but its shape needs ${s.bytes}`);
    } else if (d.kind === 'empty' && s.elements !== 0 && s.source !== 'sparse') {
      problems.push(`${describe} has no data`);
    } else if (d.kind === 'typed' && (d.field === 'float_data' || d.field === 'double_data')) {
      const width = d.field === 'float_data' ? 4 : 8;
      const perElement = s.elemType === 14 || s.elemType === 15 ? 2 : 1;
      const have = d.ranges.reduce((a, r) => a + r.length, 0) / width;
      if (have !== s.elements * perElement) problems.push(`${describe} holds ${have} values but its shape needs ${s.elements * perElement}`);
    } else if (d.kind === 'external') {
      try {
        const file = resolveExternalFile(model.file, model.dir, t.name, d.location);
        checkExternalRange(model.file, t.name, file, d.offset, d.length, rawByteLength(t.elemType, s.elements));
      } catch (err) {
        if (!(err instanceof OnnxLensError)) throw err;
        problems.push(err.reason);
      }
    }
  }
  return problems;
}

/**
 * External tensor data: the one resolver for every path into a model's data files — the reader,
 * the summary's checks, the writer, the quantizer's in-process onnxruntime and the runtime
 * process all come through here (core/files/folderFile.ts holds the rules: inside the model's
 * folder, regular files only). `checkModelExternalData` validates every external tensor of a
 * model (initializers, sparse tensors, Constant and other attribute tensors, subgraphs and
 * functions) with its offset and length; it runs before a model is handed to onnxruntime, which
 * resolves the same locations against the model's folder on its own. A model file must not be
 * able to make ONNX Lens read arbitrary files such as ~/.ssh keys or /dev/zero.
 */
import { TensorDataError } from '../errors';
import { FolderFileRefused, readFolderFileRange, resolveFolderFile, type FolderFile } from '../files/folderFile';
import { rawByteLength } from './elemTypes';
import type { AttributeInfo, GraphInfo, ModelInfo, NodeInfo, TensorInfo } from './types';

export type ExternalFile = FolderFile;

/**
 * onnxruntime reads a location of this form as a raw memory address (its in-memory external
 * data): never a file, and never something a model on disk may ask for.
 */
const ORT_MEMORY_MARKER = '_ORT_MEM_ADDR_';

function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** Resolves `location` inside `modelDir`; throws TensorDataError naming the model file otherwise. */
export function resolveExternalFile(modelFile: string, modelDir: string | undefined, tensor: string, location: string): ExternalFile {
  const refuse = (why: string) => new TensorDataError(modelFile, `external data of tensor '${tensor}' ${why}`);
  if (modelDir === undefined) throw refuse(`at '${location}' cannot be read: the model was not loaded from a folder`);
  if (location.includes(ORT_MEMORY_MARKER)) throw refuse(`has an invalid location '${location}' (an in-memory address), which is refused`);
  try {
    return resolveFolderFile(modelDir, location);
  } catch (err) {
    if (!(err instanceof FolderFileRefused)) throw err;
    throw refuse(err.missing ? `is missing: '${location}' does not exist next to the model` : err.why.replace(/the folder/g, "the model's folder"));
  }
}

/** Checks that an external range fits its file and the tensor's shape, without reading it; returns the length. */
export function checkExternalRange(modelFile: string, tensor: string, file: ExternalFile, offset: number, length: number | undefined, expected: number | undefined): number {
  const len = length ?? expected ?? file.size - offset;
  if (offset > file.size || offset + len > file.size) {
    throw new TensorDataError(modelFile, `external data of tensor '${tensor}' needs bytes ${offset}..${offset + len} of '${file.relative}', which has only ${file.size} bytes`);
  }
  if (expected !== undefined && len !== expected) {
    throw new TensorDataError(modelFile, `external data of tensor '${tensor}' has ${len} bytes in '${file.relative}' but its shape needs ${expected}`);
  }
  return len;
}

/** A tensor's external range, checked (containment, regular file, range) but not read: for readers that take it in windows. */
export function externalTensorRange(modelFile: string, modelDir: string | undefined, t: TensorInfo): { file: ExternalFile; offset: number; length: number } {
  if (t.data.kind !== 'external') throw new TensorDataError(modelFile, `tensor '${t.name}' is not stored externally`);
  const file = resolveExternalFile(modelFile, modelDir, t.name, t.data.location);
  const length = checkExternalRange(modelFile, t.name, file, t.data.offset, t.data.length, rawByteLength(t.elemType, elementCount(t.dims)));
  return { file, offset: t.data.offset, length };
}

/** Bytes [offset, offset + length) of a checked external file, refusals named after the tensor. */
export function readExternalRange(modelFile: string, tensor: string, file: ExternalFile, offset: number, length: number): Uint8Array {
  try {
    return readFolderFileRange(file, offset, length);
  } catch (err) {
    if (err instanceof FolderFileRefused) throw new TensorDataError(modelFile, `external data of tensor '${tensor}' ${err.why}`);
    throw err;
  }
}

/** A tensor's external bytes, checked (containment, regular file, range) and read. */
export function readExternalTensor(modelFile: string, modelDir: string | undefined, t: TensorInfo): Uint8Array {
  const { file, offset, length } = externalTensorRange(modelFile, modelDir, t);
  return readExternalRange(modelFile, t.name, file, offset, length);
}

/** Every external tensor of a model, wherever it sits (main graph, subgraphs, attributes, functions). */
export function externalTensors(info: ModelInfo): TensorInfo[] {
  const out: TensorInfo[] = [];
  const tensor = (t: TensorInfo | undefined) => {
    if (t?.data.kind === 'external') out.push(t);
  };
  const attributes = (attrs: readonly AttributeInfo[], graphs: GraphInfo[]) => {
    for (const a of attrs) {
      tensor(a.t);
      for (const t of a.tensors ?? []) tensor(t);
      for (const s of [...(a.sparseTensor ? [a.sparseTensor] : []), ...(a.sparseTensors ?? [])]) {
        tensor(s.values);
        tensor(s.indices);
      }
      if (a.g) graphs.push(a.g);
      for (const g of a.graphs ?? []) graphs.push(g);
    }
  };
  // An explicit stack, not recursion: subgraph nesting is bounded by the reader, but a walk
  // over model-sized structures stays iterative everywhere.
  const graphs: GraphInfo[] = [info.graph];
  const nodes = (ns: readonly NodeInfo[]) => {
    for (const n of ns) attributes(n.attributes, graphs);
  };
  for (const f of info.functions) {
    nodes(f.nodes);
    attributes(f.attributeProtos, graphs);
  }
  while (graphs.length) {
    const g = graphs.pop()!;
    for (const t of g.initializers) tensor(t);
    for (const s of g.sparseInitializers) {
      tensor(s.values);
      tensor(s.indices);
    }
    nodes(g.nodes);
  }
  return out;
}

/**
 * Validates every external tensor of a model — before onnxruntime (which reads the same
 * locations itself) or a writer gets it. Returns location → file for the callers that hand
 * ORT the bytes themselves; throws the first problem as a TensorDataError.
 */
export function checkModelExternalData(modelFile: string, modelDir: string | undefined, info: ModelInfo): Map<string, ExternalFile> {
  const files = new Map<string, ExternalFile>();
  for (const t of externalTensors(info)) {
    if (t.data.kind !== 'external') continue;
    const file = files.get(t.data.location) ?? resolveExternalFile(modelFile, modelDir, t.name, t.data.location);
    files.set(t.data.location, file);
    checkExternalRange(modelFile, t.name, file, t.data.offset, t.data.length, rawByteLength(t.elemType, elementCount(t.dims)));
  }
  return files;
}

/** A whole external data file's bytes (for onnxruntime's `externalData` option), through the same checks. */
export function readExternalFile(modelFile: string, file: ExternalFile): Uint8Array {
  try {
    return readFolderFileRange(file, 0, file.size);
  } catch (err) {
    if (err instanceof FolderFileRefused) throw new TensorDataError(modelFile, `external data ${err.why}`);
    throw err;
  }
}

/**
 * Entry point for reading ONNX files: sniff, decode the structure lazily, and hand out a
 * model object that reads tensor data on demand.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxFormatError } from '../errors';
import { BufferSource, FileSource, type ByteSource } from './byteSource';
import { decodeModel } from './decodeModel';
import { sniffNonOnnx } from './sniff';
import { decodeTensor, tensorToNumbers, type DecodedTensor, type TensorContext } from './tensorData';
import type { ModelInfo, TensorInfo } from './types';
import { Cursor, WireError } from './wire';

export class OnnxModel {
  private readonly ctx: TensorContext;

  constructor(
    readonly info: ModelInfo,
    /** The path as given (used in messages), or a display name for in-memory models. */
    readonly file: string,
    readonly fileBytes: number,
    /** Folder that external data is resolved against; undefined for in-memory models. */
    readonly dir: string | undefined,
    private readonly source: ByteSource,
  ) {
    this.ctx = { file, dir, source };
  }

  /** Decodes a tensor's elements (reads raw/typed/external bytes now). */
  readTensor(t: TensorInfo): DecodedTensor {
    return decodeTensor(this.ctx, t);
  }

  /** Elements of a small tensor as numbers, or null if it has more than `max` elements or cannot be read. */
  tensorNumbers(t: TensorInfo, max: number): number[] | null {
    return tensorToNumbers(this.ctx, t, max);
  }

  get tensorContext(): TensorContext {
    return this.ctx;
  }

  close(): void {
    this.source.close();
  }
}

export function readModelFile(file: string): OnnxModel {
  let size: number;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new OnnxFormatError(file, 'is a folder, not an ONNX file');
    size = st.size;
  } catch (err) {
    if (err instanceof OnnxFormatError) throw err;
    throw new OnnxFormatError(file, `cannot be read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let source: ByteSource;
  try {
    source = new FileSource(file, size);
  } catch (err) {
    throw new OnnxFormatError(file, `cannot be opened: ${(err as Error).message}`);
  }
  try {
    return readModelSource(source, file, path.dirname(path.resolve(file)));
  } catch (err) {
    source.close();
    throw err;
  }
}

export function readModelBytes(bytes: Uint8Array, name = '<memory>', dir?: string): OnnxModel {
  return readModelSource(new BufferSource(bytes), name, dir);
}

export function readModelSource(source: ByteSource, file: string, dir?: string): OnnxModel {
  if (source.size === 0) throw new OnnxFormatError(file, 'is empty (0 bytes), not an ONNX model');
  const other = sniffNonOnnx(source.read(0, Math.min(512, source.size)));
  if (other) throw new OnnxFormatError(file, `is not an ONNX model: it looks like ${other}`);
  let info;
  try {
    info = decodeModel(new Cursor(source), source.size);
  } catch (err) {
    if (err instanceof WireError) {
      throw new OnnxFormatError(file, `is not a valid ONNX model: ${err.message}`, err.offset);
    }
    if (err instanceof RangeError) {
      throw new OnnxFormatError(file, `is not a valid ONNX model: structure too large or too deeply nested (${err.message})`);
    }
    throw err;
  }
  if (!info.hasGraph) {
    throw new OnnxFormatError(file, 'is not an ONNX model: it has no graph (ModelProto.graph is missing)');
  }
  const { hasGraph: _g, hasIrVersion: _i, ...model } = info;
  return new OnnxModel(model, file, source.size, dir, source);
}

/**
 * Writing a rewritten model (see rewrite.ts). Untouched parts are spans of the source file, copied
 * when the output is written; new tensors are raw_data, or go to an external data file next to the
 * output when the source keeps its weights externally (or the model would pass protobuf's 2 GB).
 *
 * The output is written to temporary files in the output's folder and renamed into place at the
 * end, so a failure never leaves a partial model behind, and the source is never written to.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxLensError } from '../../errors';
import { rawByteLength } from '../elemTypes';
import { modelInputs } from '../../files/commandInputs';
import { openFolderFile } from '../../files/folderFile';
import {
  checkOutput, describeFsError, finishTemp, inputAt, isSameFile, openTempBeside, OutputRefusedError, publishTemp, type CommandInput, type TempFile,
} from '../../files/outputFile';
import { checkExternalRange, resolveExternalFile } from '../externalData';
import type { OnnxModel } from '../reader';
import { elementCount } from '../tensorData';
import type { AttributeInfo, GraphInfo, TensorInfo } from '../types';
import { WireType } from '../wire';
import {
  encodeAttribute, encodeNode, encodeOpset, encodeStringEntry, encodeTensor, encodeValueInfo, externalDataEntries, NODE, TENSOR,
} from './encode';
import { scanFields, lastMessageField, type FieldSpan } from './fieldSpans';
import { ProtoWriter, pieceLength, type Piece, type Span } from './protoWriter';
import { isSourceItem, isSourceNode, type ModelRewrite, type NewTensor, type SourceNode, type ValueSpec } from './rewrite';

/** The output could not be written (or would overwrite something it must not). */
export class OnnxWriteError extends OnnxLensError {}

export interface WriteOptions {
  /**
   * 'auto' (default): new tensors of `externalThreshold` bytes or more go to an external data file
   * when the source model uses external data, or when the model would otherwise pass 1.5 GiB.
   */
  externalData?: 'auto' | 'always' | 'never';
  /** Smallest tensor (bytes) written externally; default 1024. */
  externalThreshold?: number;
  /** Replace an existing output (never the source model, its data files or another input). */
  overwrite?: boolean;
  /** Other inputs of the command (datasets, calibration data) the output must not be written over. */
  inputs?: readonly CommandInput[];
}

export interface WrittenModel {
  /** Absolute path of the model file. */
  file: string;
  /** Bytes of the model file. */
  bytes: number;
  /** The external data file written next to it (absolute), or null. */
  dataFile: string | null;
  dataBytes: number;
  /** Source data files the output still refers to (same folder): absolute path → bytes referenced. */
  referencedData: { file: string; bytes: number }[];
}

const MODEL = { irVersion: 1, graph: 7, opsetImport: 8, metadata: 14 } as const;
const GRAPH = { node: 1, initializer: 5, input: 11, output: 12, valueInfo: 13 } as const;
const INLINE_LIMIT = 1.5 * 1024 ** 3;
const DATA_ALIGN = 64;

interface DataSink {
  location: string;
  pieces: Piece[];
  size: number;
}

function addToSink(sink: DataSink, data: Piece): number {
  const pad = (DATA_ALIGN - (sink.size % DATA_ALIGN)) % DATA_ALIGN;
  if (pad) sink.pieces.push(new Uint8Array(pad));
  const offset = sink.size + pad;
  sink.pieces.push(data);
  sink.size = offset + pieceLength(data);
  return offset;
}

interface Plan {
  model: OnnxModel;
  rewrite: ModelRewrite;
  sink: DataSink | null;
  threshold: number;
  /** Source external tensors are re-pointed into the sink (the output is in another folder). */
  relocate: boolean;
}

/** The whole model as pieces (the data file's pieces collect in plan.sink). */
function modelPieces(plan: Plan): Piece[] {
  const { model, rewrite } = plan;
  const source = model.tensorContext.source;
  const top = scanFields(source, 0, source.size, model.file);
  const graphField = lastMessageField(top, MODEL.graph);
  if (!graphField) throw new OnnxWriteError(model.file, 'cannot be rewritten: it has no graph');
  const out = new ProtoWriter();
  const metaKeys = new Set((rewrite.metadata ?? []).map((m) => m.key));
  let opsetsDone = false;
  const lastMeta = top.reduce((last, f, i) => (f.field === MODEL.metadata ? i : last), -1);
  const emitMetadata = () => {
    for (const m of rewrite.metadata ?? []) out.message(MODEL.metadata, encodeStringEntry(m.key, m.value));
  };
  top.forEach((f, i) => {
    if (f.field === MODEL.irVersion && f.wire === WireType.VARINT && rewrite.irVersion !== undefined) out.uint(MODEL.irVersion, rewrite.irVersion);
    else if (f.field === MODEL.graph && f.wire === WireType.LEN) {
      if (f === graphField) out.message(MODEL.graph, graphPieces(plan, f));
    } else if (f.field === MODEL.opsetImport && rewrite.opsets) {
      if (!opsetsDone) for (const o of rewrite.opsets) out.message(MODEL.opsetImport, encodeOpset(o));
      opsetsDone = true;
    } else if (f.field === MODEL.metadata && f.wire === WireType.LEN && metaKeys.has(entryKey(model, f))) {
      // replaced below
    } else out.raw(span(f));
    if (i === lastMeta) emitMetadata();
  });
  if (rewrite.opsets && !opsetsDone) for (const o of rewrite.opsets) out.message(MODEL.opsetImport, encodeOpset(o));
  if (lastMeta < 0) emitMetadata();
  if (rewrite.irVersion !== undefined && !top.some((f) => f.field === MODEL.irVersion)) {
    const withIr = new ProtoWriter().uint(MODEL.irVersion, rewrite.irVersion);
    return [...withIr.pieces, ...out.pieces];
  }
  return out.pieces;
}

const span = (f: FieldSpan): Span => ({ offset: f.start, length: f.end - f.start });

function entryKey(model: OnnxModel, f: FieldSpan): string {
  const source = model.tensorContext.source;
  const key = scanFields(source, f.payloadStart, f.end, model.file).find((e) => e.field === 1 && e.wire === WireType.LEN);
  return key ? new TextDecoder().decode(source.read(key.payloadStart, key.end - key.payloadStart)) : '';
}

function graphPieces(plan: Plan, graphField: FieldSpan): ProtoWriter {
  const { model, rewrite } = plan;
  const g = rewrite.graph;
  const info = model.info.graph;
  const fields = scanFields(model.tensorContext.source, graphField.payloadStart, graphField.end, model.file);
  const sections = new Map<number, FieldSpan[]>();
  for (const f of fields) {
    if ((Object.values(GRAPH) as number[]).includes(f.field) && f.wire === WireType.LEN) {
      const list = sections.get(f.field) ?? [];
      list.push(f);
      sections.set(f.field, list);
    }
  }
  const spansOf = (field: number) => sections.get(field) ?? [];
  const check = (field: number, expected: number, what: string) => {
    if (spansOf(field).length !== expected) throw new OnnxWriteError(model.file, `cannot be rewritten: found ${spansOf(field).length} ${what} in the file but decoded ${expected}`);
  };
  check(GRAPH.node, info.nodes.length, 'nodes');
  check(GRAPH.initializer, info.initializers.length, 'initializers');
  const out = new ProtoWriter();
  const emit = (field: number) => {
    const spans = spansOf(field);
    switch (field) {
      case GRAPH.node:
        for (const n of g.nodes) {
          if (!isSourceNode(n)) out.message(field, encodeNode(n));
          else if (isPlainCopy(n)) out.raw(span(at(spans, n.source, 'node')));
          else out.message(field, editedNode(plan, at(spans, n.source, 'node'), n));
        }
        return;
      case GRAPH.initializer:
        for (const t of g.initializers) {
          if (isSourceItem(t)) rawAll(out, sourceInitializer(plan, at(spans, t.source, 'initializer'), info.initializers[t.source]));
          else out.message(field, newTensor(plan, t));
        }
        return;
      default: {
        const list: ValueSpec[] = field === GRAPH.input ? g.inputs : field === GRAPH.output ? g.outputs : g.valueInfo;
        for (const v of list) {
          if (isSourceItem(v)) out.raw(span(at(spans, v.source, 'value')));
          else out.message(field, encodeValueInfo(v));
        }
      }
    }
  };
  const done = new Set<number>();
  for (const f of fields) {
    if (sections.has(f.field) && f.wire === WireType.LEN) {
      if (!done.has(f.field)) emit(f.field);
      done.add(f.field);
    } else out.raw(span(f));
  }
  for (const field of Object.values(GRAPH)) if (!done.has(field)) emit(field);
  return out;
}

function at(spans: FieldSpan[], i: number, what: string): FieldSpan {
  const s = spans[i];
  if (!s) throw new RangeError(`rewrite refers to source ${what} ${i}, which does not exist`);
  return s;
}

function isPlainCopy(n: SourceNode): boolean {
  return n.name === undefined && n.opType === undefined && n.domain === undefined && n.inputs === undefined && n.outputs === undefined &&
    !n.setAttributes?.length && !n.removeAttributes?.length;
}

/** A source node with some fields replaced; the rest (attributes, subgraphs, unknown fields) copied. */
function editedNode(plan: Plan, nodeField: FieldSpan, n: SourceNode): ProtoWriter {
  const source = plan.model.tensorContext.source;
  const info = plan.model.info.graph.nodes[n.source];
  const fields = scanFields(source, nodeField.payloadStart, nodeField.end, plan.model.file);
  const replaced = new Set([...(n.removeAttributes ?? []), ...(n.setAttributes ?? []).map((a) => a.name)]);
  const w = new ProtoWriter();
  let attrIndex = 0;
  const emitted = new Set<number>();
  const emitList = (field: number, list: readonly string[]) => {
    if (!emitted.has(field)) for (const s of list) w.string(field, s);
    emitted.add(field);
  };
  for (const f of fields) {
    const len = f.wire === WireType.LEN;
    if (len && f.field === NODE.input && n.inputs) emitList(NODE.input, n.inputs);
    else if (len && f.field === NODE.output && n.outputs) emitList(NODE.output, n.outputs);
    else if (len && f.field === NODE.name && n.name !== undefined) emitList(NODE.name, [n.name]);
    else if (len && f.field === NODE.opType && n.opType !== undefined) emitList(NODE.opType, [n.opType]);
    else if (len && f.field === NODE.domain && n.domain !== undefined) emitList(NODE.domain, n.domain ? [n.domain] : []);
    else if (len && f.field === NODE.attribute) {
      const a: AttributeInfo | undefined = info.attributes[attrIndex++];
      if (!a || !replaced.has(a.name)) w.raw(span(f));
    } else w.raw(span(f));
  }
  if (n.inputs) emitList(NODE.input, n.inputs);
  if (n.outputs) emitList(NODE.output, n.outputs);
  if (n.name !== undefined) emitList(NODE.name, [n.name]);
  if (n.opType !== undefined) emitList(NODE.opType, [n.opType]);
  if (n.domain) emitList(NODE.domain, [n.domain]);
  for (const a of n.setAttributes ?? []) w.message(NODE.attribute, encodeAttribute(a));
  return w;
}

function newTensor(plan: Plan, t: NewTensor): ProtoWriter {
  if (plan.sink && t.data.byteLength >= plan.threshold) {
    const offset = addToSink(plan.sink, t.data);
    return encodeTensor(t, { location: plan.sink.location, offset, length: t.data.byteLength });
  }
  return encodeTensor(t);
}

/** A source initializer: its bytes, or (external data, output elsewhere) the same tensor re-pointed into the output's data file. */
function sourceInitializer(plan: Plan, f: FieldSpan, t: TensorInfo): Piece[] | Span {
  if (t.data.kind !== 'external' || !plan.relocate) return span(f);
  const { model } = plan;
  const sink = plan.sink!;
  const resolved = resolveExternalFile(model.file, model.dir, t.name, t.data.location);
  const length = checkExternalRange(model.file, t.name, resolved, t.data.offset, t.data.length, rawByteLength(t.elemType, elementCount(t.dims)));
  const offset = addToSink(sink, { file: resolved, offset: t.data.offset, length });
  const w = new ProtoWriter();
  for (const e of scanFields(model.tensorContext.source, f.payloadStart, f.end, model.file)) {
    if (e.field !== TENSOR.externalData && e.field !== TENSOR.dataLocation) w.raw(span(e));
  }
  externalDataEntries(w, { location: sink.location, offset, length });
  return new ProtoWriter().message(GRAPH.initializer, w).pieces;
}

const rawAll = (w: ProtoWriter, p: Piece[] | Span): void => {
  if (Array.isArray(p)) for (const x of p) w.raw(x);
  else w.raw(p);
};

/** External data inside subgraphs or Constant attributes cannot be re-pointed by this writer. */
function attributeUsesExternalData(g: GraphInfo): boolean {
  const attrExternal = (a: AttributeInfo): boolean =>
    a.t?.data.kind === 'external' || (a.tensors ?? []).some((t) => t.data.kind === 'external') ||
    (a.g !== undefined && graphUsesExternal(a.g)) || (a.graphs ?? []).some(graphUsesExternal);
  const graphUsesExternal = (sub: GraphInfo): boolean =>
    sub.initializers.some((t) => t.data.kind === 'external') || sub.nodes.some((n) => n.attributes.some(attrExternal));
  return g.nodes.some((n) => n.attributes.some(attrExternal));
}

function sourceDataLocations(model: OnnxModel): Set<string> {
  return new Set(model.info.graph.initializers.flatMap((t) => (t.data.kind === 'external' ? [t.data.location] : [])));
}

/** The model in memory: new tensors inline, source external references kept as they are. */
export function encodeModel(model: OnnxModel, rewrite: ModelRewrite): Uint8Array {
  const pieces = modelPieces({ model, rewrite, sink: null, threshold: Infinity, relocate: false });
  const out = new Uint8Array(pieces.reduce((n, p) => n + pieceLength(p), 0));
  let at = 0;
  for (const p of pieces) {
    const bytes = p instanceof Uint8Array ? p : readSpan(model, p, new Map());
    out.set(bytes, at);
    at += bytes.byteLength;
  }
  return out;
}

function readSpan(model: OnnxModel, s: Span, fds: Map<string, number>): Uint8Array {
  if (s.file === undefined) return model.tensorContext.source.read(s.offset, s.length);
  let fd = fds.get(s.file.path);
  if (fd === undefined) {
    fd = openFolderFile(s.file);
    fds.set(s.file.path, fd);
  }
  const out = Buffer.allocUnsafe(s.length);
  let done = 0;
  while (done < s.length) {
    const n = fs.readSync(fd, out, done, s.length - done, s.offset + done);
    if (n === 0) throw new Error(`${s.file.relative} ended before byte ${s.offset + s.length}`);
    done += n;
  }
  return out;
}

const CHUNK = 8 << 20;

function writePieces(model: OnnxModel, fd: number, pieces: Piece[], fds: Map<string, number>): number {
  let total = 0;
  const write = (b: Uint8Array) => {
    let done = 0;
    while (done < b.byteLength) done += fs.writeSync(fd, b, done, b.byteLength - done);
    total += b.byteLength;
  };
  for (const p of pieces) {
    if (p instanceof Uint8Array) write(p);
    else for (let o = 0; o < p.length; o += CHUNK) write(readSpan(model, { ...p, offset: p.offset + o, length: Math.min(CHUNK, p.length - o) }, fds));
  }
  return total;
}

/**
 * Writes the rewritten model to `outFile` (and `<outFile>.data` when data goes external) through
 * core/files/outputFile.ts: never over the source model, its data files or any other input of the
 * command (`options.inputs`), an existing output only with `overwrite`, temporary files opened
 * exclusively, fsynced and published at the end (the data file first, so the model never points
 * at missing bytes).
 */
export function writeModelFile(model: OnnxModel, rewrite: ModelRewrite, outFile: string, options: WriteOptions = {}): WrittenModel {
  const inputs = [...modelInputs(model.file), ...(options.inputs ?? [])];
  const check = (file: string) => {
    try {
      return checkOutput({ file, replace: options.overwrite, inputs });
    } catch (err) {
      if (err instanceof OutputRefusedError) throw new OnnxWriteError(outFile, err.reason);
      throw err;
    }
  };
  const out = check(outFile);
  const outDir = path.dirname(out);
  const fail = (why: string) => new OnnxWriteError(outFile, why);

  const locations = sourceDataLocations(model);
  const usesExternal = locations.size > 0;
  const sameDir = model.dir !== undefined && isSameFile(model.dir, outDir);
  const mode = options.externalData ?? 'auto';
  const newBytes = rewrite.graph.initializers.reduce((n, t) => n + (isSourceItem(t) ? 0 : t.data.byteLength), 0);
  const wantSink = mode === 'always' || (mode === 'auto' && (usesExternal || newBytes + model.fileBytes > INLINE_LIMIT));
  const relocate = usesExternal && !sameDir;
  if (relocate && attributeUsesExternalData(model.info.graph)) {
    throw fail('cannot be written in another folder than the input: the input keeps Constant or subgraph tensors in external data; write the output next to the input');
  }
  let sink: DataSink | null = null;
  let dataFile: string | null = null;
  if (wantSink || relocate) {
    // A data file name the source does not use (by name or, through links, by identity).
    let location = `${path.basename(out)}.data`;
    for (let n = 1; locations.has(location) || inputAt(path.join(outDir, location), inputs); n++) location = `${path.basename(out)}.${n}.data`;
    dataFile = path.join(outDir, location);
    try {
      checkOutput({ file: dataFile, replace: options.overwrite, inputs });
    } catch (err) {
      if (err instanceof OutputRefusedError) throw fail(`needs the external data file ${location} next to it, which ${err.reason}`);
      throw err;
    }
    sink = { location, pieces: [], size: 0 };
  }
  const plan: Plan = { model, rewrite, sink, threshold: options.externalThreshold ?? 1024, relocate };
  const pieces = modelPieces(plan);

  const fds = new Map<string, number>();
  const temps: TempFile[] = [];
  let bytes = 0;
  let dataBytes = 0;
  let renamedData = false;
  const writeTemp = (target: string, what: Piece[]): TempFile => {
    const t = openTempBeside(target);
    temps.push(t);
    let n = 0;
    try {
      n = writePieces(model, t.fd, what, fds);
    } finally {
      finishTemp(t);
    }
    if (target === out) bytes = n;
    else dataBytes = n;
    return t;
  };
  try {
    const tmpData = dataFile && sink && sink.size > 0 ? writeTemp(dataFile, sink.pieces) : null;
    const tmpModel = writeTemp(out, pieces);
    if (tmpData && dataFile) {
      publishTemp(tmpData.path, dataFile, options.overwrite ?? false);
      renamedData = true;
    }
    publishTemp(tmpModel.path, out, options.overwrite ?? false);
  } catch (err) {
    for (const t of temps) fs.rmSync(t.path, { force: true });
    if (renamedData && dataFile) fs.rmSync(dataFile, { force: true });
    if (err instanceof OnnxLensError) throw err;
    throw fail(`cannot be written: ${describeFsError(err)}`);
  } finally {
    for (const fd of fds.values()) fs.closeSync(fd);
  }
  const referencedData = referencedSourceData(model, rewrite, relocate);
  return { file: out, bytes, dataFile: dataBytes > 0 ? dataFile : null, dataBytes, referencedData };
}

/** Source data files the output keeps pointing at (only when written in the input's folder). */
function referencedSourceData(model: OnnxModel, rewrite: ModelRewrite, relocated: boolean): { file: string; bytes: number }[] {
  if (relocated || model.dir === undefined) return [];
  const byFile = new Map<string, number>();
  for (const t of rewrite.graph.initializers) {
    if (!isSourceItem(t)) continue;
    const info = model.info.graph.initializers[t.source];
    if (info.data.kind !== 'external') continue;
    const file = path.resolve(model.dir, info.data.location);
    byFile.set(file, (byFile.get(file) ?? 0) + (info.data.length ?? rawByteLength(info.elemType, elementCount(info.dims)) ?? 0));
  }
  return [...byFile].map(([file, bytes]) => ({ file, bytes }));
}

/**
 * What a rewrite of a model's main graph says: the new lists of nodes, initializers, inputs,
 * outputs and value_info, each item either an index into the source model's list (copied byte for
 * byte, unknown fields and external-data references included) or something new. Everything else
 * in the file (functions, metadata, training info, sparse initializers, unknown fields) is copied.
 */
import type { OnnxModel } from '../reader';
import type { OpsetImport } from '../types';
import type { Dim } from '../../../shared/tensorTypes';

/** A new tensor: raw little-endian bytes in `data` (sub-byte types packed, low nibble first). */
export interface NewTensor {
  name: string;
  /** TensorProto.DataType code (ElemType). */
  elemType: number;
  dims: number[];
  data: Uint8Array;
  docString?: string;
}

export type AttributeSpec =
  | { name: string; type: 'int'; value: number | bigint }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'ints'; value: readonly (number | bigint)[] }
  | { name: string; type: 'floats'; value: readonly number[] }
  | { name: string; type: 'strings'; value: readonly string[] }
  | { name: string; type: 'tensor'; value: NewTensor };

export interface NewNode {
  opType: string;
  domain?: string;
  name?: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: readonly AttributeSpec[];
  docString?: string;
}

/** A node of the source graph, copied with optional changes; fields not changed are copied byte for byte. */
export interface SourceNode {
  source: number;
  name?: string;
  /** A different operator with the same attributes (e.g. Conv → ConvInteger). */
  opType?: string;
  domain?: string;
  inputs?: readonly string[];
  outputs?: readonly string[];
  /** Added, or replacing the source attribute of the same name. */
  setAttributes?: readonly AttributeSpec[];
  removeAttributes?: readonly string[];
}

export type NodeSpec = SourceNode | NewNode;

/** An initializer of the source graph, by index, or a new one. */
export type TensorSpec = { source: number } | NewTensor;

/** A value declaration (graph input/output/value_info): an index into the same list of the source, or a new one. */
export type ValueSpec = { source: number } | NewValue;

export interface NewValue {
  name: string;
  /** Tensor element type; undefined writes a ValueInfoProto with only a name (the runtime infers the rest). */
  elemType?: number;
  /** null or undefined: no shape (rank unknown). */
  shape?: readonly Dim[] | null;
  docString?: string;
}

export interface GraphRewrite {
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  valueInfo: ValueSpec[];
}

export interface ModelRewrite {
  graph: GraphRewrite;
  /** Replaces opset_import (default: copied). */
  opsets?: OpsetImport[];
  irVersion?: number;
  /** Set (replacing an entry with the same key) or added metadata_props entries. */
  metadata?: { key: string; value: string }[];
}

export function isSourceNode(n: NodeSpec): n is SourceNode {
  return (n as SourceNode).source !== undefined;
}

export function isSourceItem<T extends object>(x: { source: number } | T): x is { source: number } {
  return typeof (x as { source?: unknown }).source === 'number';
}

/** A rewrite that changes nothing: writing it gives back the source model. */
export function identityRewrite(model: OnnxModel): ModelRewrite {
  const g = model.info.graph;
  const indices = (n: number) => Array.from({ length: n }, (_, source) => ({ source }));
  return {
    graph: {
      nodes: indices(g.nodes.length),
      initializers: indices(g.initializers.length),
      inputs: indices(g.inputs.length),
      outputs: indices(g.outputs.length),
      valueInfo: indices(g.valueInfo.length),
    },
  };
}

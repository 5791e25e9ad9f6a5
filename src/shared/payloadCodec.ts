/**
 * The graph payload as bytes (src/shared/binarySections.ts), in two parts that travel separately:
 *  - the structure (nodes, ops, edges, groups, names): everything the first frame needs, sent as
 *    soon as the graph is built;
 *  - the details (inferred element types and shapes per value, parameters and MACs per node),
 *    sent when shape inference is done and merged into the payload with {@link applyGraphDetails}.
 * Types and shapes repeat a lot (a transformer has a handful of distinct shapes), so each is sent
 * as a table of distinct strings plus an index per value.
 *
 * Encoded by the analysis process, forwarded untouched by the host, decoded by the webview (and,
 * lazily, by the host when a command needs node names).
 */
import { decodeSections, defineLazy, encodeSections, type SectionValue } from './binarySections';
import type { GraphPayload } from './graphPayload';

/** The part of a GraphPayload that shape inference provides. */
export interface GraphDetails {
  valueElemTypes: string[];
  valueShapes: string[];
  nodeParams: Float64Array;
  nodeMacs: Float64Array;
}

type StructureHeader = Pick<GraphPayload, 'modelHash' | 'fileName' | 'nodeCount' | 'valueCount' | 'groupCount' | 'ops' | 'subgraphs' | 'graphInputs' | 'graphOutputs' | 'problems'>;

/**
 * Distinct strings and the index of each element's string among them, in the narrowest integer
 * type the table needs (a transformer's 100k values have a dozen distinct shapes: one byte each).
 */
function intern(list: readonly string[]): { table: string[]; index: Uint8Array | Uint16Array | Uint32Array } {
  const ids = new Map<string, number>();
  const table: string[] = [];
  const wide = new Uint32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    let id = ids.get(list[i]);
    if (id === undefined) {
      id = table.length;
      ids.set(list[i], id);
      table.push(list[i]);
    }
    wide[i] = id;
  }
  const index = table.length <= 0x100 ? Uint8Array.from(wide) : table.length <= 0x10000 ? Uint16Array.from(wide) : wide;
  return { table, index };
}

function expand(table: readonly string[], index: ArrayLike<number>): string[] {
  const out = new Array<string>(index.length);
  for (let i = 0; i < index.length; i++) out[i] = table[index[i]];
  return out;
}

function typesSections(valueElemTypes: readonly string[], valueShapes: readonly string[]): Record<string, SectionValue> {
  const types = intern(valueElemTypes);
  const shapes = intern(valueShapes);
  return { typeTable: types.table, typeIndex: types.index, shapeTable: shapes.table, shapeIndex: shapes.index };
}

/**
 * Sections a structure leaves out when they hold only their default (see {@link decodeGraphPayload}):
 * before shape inference every node has 0 parameters and unknown MACs, and most files list their
 * nodes in topological order already. At 100k nodes that is 2 of the 10 MB the webview waits for.
 */
const isIdentity = (order: Uint32Array) => order.every((position, node) => position === node);
const allZero = (values: Float64Array) => values.every((v) => v === 0);
const allNaN = (values: Float64Array) => values.every((v) => Number.isNaN(v));

export function encodeGraphPayload(p: GraphPayload): ArrayBuffer {
  const header: StructureHeader = {
    modelHash: p.modelHash, fileName: p.fileName, nodeCount: p.nodeCount, valueCount: p.valueCount, groupCount: p.groupCount,
    ops: p.ops, subgraphs: p.subgraphs, graphInputs: p.graphInputs, graphOutputs: p.graphOutputs, problems: p.problems,
  };
  return encodeSections(header, {
    nodeNames: p.nodeNames, nodeOp: p.nodeOp, nodeGroup: p.nodeGroup,
    ...(allZero(p.nodeParams) ? {} : { nodeParams: p.nodeParams }),
    ...(allNaN(p.nodeMacs) ? {} : { nodeMacs: p.nodeMacs }),
    ...(isIdentity(p.nodeOrder) ? {} : { nodeOrder: p.nodeOrder }),
    nodeInputStart: p.nodeInputStart, nodeInputs: p.nodeInputs, nodeOutputStart: p.nodeOutputStart, nodeOutputs: p.nodeOutputs,
    valueNames: p.valueNames, valueKind: p.valueKind, valueProducer: p.valueProducer,
    ...typesSections(p.valueElemTypes, p.valueShapes),
    groupNames: p.groupNames, groupParent: p.groupParent, groupNodeCount: p.groupNodeCount,
  });
}

/**
 * The payload in `buffer`; its typed arrays are views on `buffer` (do not transfer it afterwards).
 * Sections the encoder left out get their defaults: no parameters, unknown MACs, file order.
 * `lazyNames`: node and value names are decoded when first read (the layout worker reads a few of
 * them, or none when the first view's layout was saved: at 100k nodes they are most of the decoding).
 */
export function decodeGraphPayload(buffer: ArrayBuffer, { lazyNames = false } = {}): GraphPayload {
  const { header, sections: s, stringCounts, stringAt } = decodeSections<StructureHeader>(buffer, { lazyStrings: lazyNames });
  const n = header.nodeCount;
  const payload = {
    ...header,
    nodeOp: s.nodeOp as Uint32Array,
    nodeGroup: s.nodeGroup as Uint32Array,
    nodeParams: (s.nodeParams as Float64Array | undefined) ?? new Float64Array(n),
    nodeMacs: (s.nodeMacs as Float64Array | undefined) ?? new Float64Array(n).fill(NaN),
    nodeOrder: (s.nodeOrder as Uint32Array | undefined) ?? Uint32Array.from({ length: n }, (_, i) => i),
    nodeInputStart: s.nodeInputStart as Uint32Array,
    nodeInputs: s.nodeInputs as Int32Array,
    nodeOutputStart: s.nodeOutputStart as Uint32Array,
    nodeOutputs: s.nodeOutputs as Int32Array,
    valueKind: s.valueKind as Uint8Array,
    valueProducer: s.valueProducer as Int32Array,
    valueElemTypes: expand(s.typeTable as string[], s.typeIndex as Uint8Array | Uint16Array | Uint32Array),
    valueShapes: expand(s.shapeTable as string[], s.shapeIndex as Uint8Array | Uint16Array | Uint32Array),
    groupNames: s.groupNames as string[],
    groupParent: s.groupParent as Int32Array,
    groupNodeCount: s.groupNodeCount as Uint32Array,
  } as GraphPayload;
  for (const names of ['nodeNames', 'valueNames'] as const) {
    if (lazyNames) defineLazy(payload, names, () => s[names]);
    else payload[names] = s[names] as string[];
  }
  if (lazyNames) nameReaders.set(payload, { node: stringAt.nodeNames, value: stringAt.valueNames });
  if (stringCounts.nodeNames !== payload.nodeCount || stringCounts.valueNames !== payload.valueCount || payload.groupNames.length !== payload.groupCount
    || payload.nodeParams.length !== n || payload.nodeMacs.length !== n || payload.nodeOrder.length !== n) {
    throw new Error('graph payload corrupt (counts do not match)');
  }
  return payload;
}

/** Payloads decoded with lazy names: one name without decoding them all. */
const nameReaders = new WeakMap<object, { node(i: number): string; value(i: number): string }>();

/**
 * Node n's name. For a payload decoded with `lazyNames`, read from its block of the encoded names
 * without decoding the others (a first view needs a few dozen; all 200k names of a 100k-node graph
 * took 100–250 ms in a cold webview worker). Hot paths over every node read `nodeNames` instead.
 */
export function nodeName(p: Pick<GraphPayload, 'nodeNames'>, n: number): string {
  return nameReaders.get(p)?.node(n) ?? p.nodeNames[n];
}

/** Value v's name; see {@link nodeName}. */
export function valueName(p: Pick<GraphPayload, 'valueNames'>, v: number): string {
  return nameReaders.get(p)?.value(v) ?? p.valueNames[v];
}

export function encodeGraphDetails(d: GraphDetails): ArrayBuffer {
  return encodeSections({}, { ...typesSections(d.valueElemTypes, d.valueShapes), nodeParams: d.nodeParams, nodeMacs: d.nodeMacs });
}

export function decodeGraphDetails(buffer: ArrayBuffer): GraphDetails {
  const { sections: s } = decodeSections<Record<string, never>>(buffer);
  return {
    valueElemTypes: expand(s.typeTable as string[], s.typeIndex as Uint8Array | Uint16Array | Uint32Array),
    valueShapes: expand(s.shapeTable as string[], s.shapeIndex as Uint8Array | Uint16Array | Uint32Array),
    nodeParams: s.nodeParams as Float64Array,
    nodeMacs: s.nodeMacs as Float64Array,
  };
}

/** Merges inferred details into a payload (in place: every reader sees them on its next look). */
export function applyGraphDetails(p: GraphPayload, d: GraphDetails): void {
  if (d.valueShapes.length !== p.valueCount || d.nodeParams.length !== p.nodeCount) throw new Error('graph details do not match the graph');
  p.valueElemTypes = d.valueElemTypes;
  p.valueShapes = d.valueShapes;
  p.nodeParams = d.nodeParams;
  p.nodeMacs = d.nodeMacs;
}

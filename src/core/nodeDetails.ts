/**
 * What the graph view's details panel shows for one node: the operator schema in force for the
 * model's opset, attributes as printable text, inputs/outputs named by the schema, and costs.
 * Pure: reads only small attribute tensors (to print their first values), never weights.
 */
import type { NodeDetails, SchemaParam } from '../shared/protocol';
import { elementCount } from './onnx/tensorData';
import { elemTypeName } from './onnx/elemTypes';
import type { OnnxModel } from './onnx/reader';
import { resolveSchemaDetailed, type FormalParameter } from './onnx/schemas';
import { AttrType, type AttributeInfo, type GraphInfo, type SparseTensorInfo, type TensorInfo } from './onnx/types';
import type { Graph } from './graph/types';
import { valueTypeText } from './graph/payload';
import { totalNodeCount } from './graph/walk';
import type { InferenceResult } from './shapes/types';
import { describeType } from './summary/summarize';

export interface DetailsSource {
  model: OnnxModel;
  graph: Graph;
  inference: InferenceResult;
}

/** How many elements of a list or tensor attribute are printed before '…'. */
const PRINT_ELEMENTS = 16;
/** Attribute tensors larger than this are described without reading their values. */
const MAX_TENSOR_READ = 1 << 20;

/** The opset version the model imports for a (normalised, core/onnx/domain.ts) domain. */
export function opsetFor(model: OnnxModel, domain: string): number | undefined {
  return model.info.opsets.find((o) => o.domain === domain)?.version;
}

/**
 * Details of main-graph node `index`. `valueIds` maps value names to GraphPayload value indices
 * (-1 when a name is unknown there).
 */
export function nodeDetails(source: DetailsSource, index: number, valueIds: ReadonlyMap<string, number>): NodeDetails {
  const { model, graph, inference } = source;
  const node = graph.nodes[index];
  if (!Number.isInteger(index) || !node) throw new RangeError(`the model has no node #${index} (it has ${graph.nodes.length})`);
  const opset = opsetFor(model, node.domain);
  const resolved = opset === undefined ? undefined : resolveSchemaDetailed(node.domain, node.opType, opset);
  const schema = resolved?.schema;
  const typeOf = (name: string) => valueTypeText(name, graph.values.get(name), inference);
  const cost = inference.costs[index];

  return {
    node: index,
    name: node.name,
    opType: node.opType,
    domain: node.domain,
    docString: node.info.docString,
    schema: schema
      ? {
          sinceVersion: schema.sinceVersion,
          doc: schema.doc,
          inputs: schema.inputs.map(schemaParam),
          outputs: schema.outputs.map(schemaParam),
          attributes: schema.attributes.map((a) => ({
            name: a.name,
            type: a.type,
            required: a.required,
            description: a.description,
            ...(a.default === undefined ? {} : { default: Array.isArray(a.default) ? `[${a.default.join(', ')}]` : String(a.default) }),
          })),
          beyondKnownOpset: resolved.beyondKnownOpset,
        }
      : null,
    attributes: node.attributes.map((a) => ({ name: a.name, type: attributeTypeName(a.type), value: attributeText(model, a) })),
    inputs: node.info.inputs.map((name, k) => ({
      valueId: name === '' ? -1 : valueIds.get(name) ?? -1,
      name,
      param: paramName(schema?.inputs, k, node.info.inputs.length),
      ...(name === '' ? { elemType: '', shape: '' } : typeOf(name)),
      isInitializer: name !== '' && graph.values.get(name)?.kind === 'initializer',
    })),
    outputs: node.info.outputs.map((name, k) => ({
      valueId: name === '' ? -1 : valueIds.get(name) ?? -1,
      name,
      param: paramName(schema?.outputs, k, node.info.outputs.length),
      ...(name === '' ? { elemType: '', shape: '' } : typeOf(name)),
    })),
    parameters: cost?.parameters ?? 0,
    macs: cost ? cost.macs ?? cost.macsBatch1 : null,
    subgraphs: node.subgraphs.map((s) => ({ attribute: s.attribute, nodeCount: totalNodeCount(s.graph) })),
  };
}

function schemaParam(p: FormalParameter): SchemaParam {
  return { name: p.name, description: p.description, typeStr: p.typeStr, option: p.option };
}

/**
 * The schema's name for position `k` of `count` actual inputs/outputs. A variadic parameter is
 * always last and takes every remaining position; those are numbered (`inputs[0]`, `inputs[1]`).
 */
export function paramName(params: readonly FormalParameter[] | undefined, k: number, count: number): string {
  if (!params || params.length === 0) return '';
  const last = params.length - 1;
  if (params[last].option === 'variadic' && k >= last) {
    return count - last > 1 ? `${params[last].name}[${k - last}]` : params[last].name;
  }
  return k <= last ? params[k].name : '';
}

const ATTRIBUTE_TYPE_NAMES: Record<number, string> = {
  [AttrType.FLOAT]: 'float', [AttrType.INT]: 'int', [AttrType.STRING]: 'string', [AttrType.TENSOR]: 'tensor',
  [AttrType.GRAPH]: 'graph', [AttrType.SPARSE_TENSOR]: 'sparse_tensor', [AttrType.TYPE_PROTO]: 'type_proto',
  [AttrType.FLOATS]: 'floats', [AttrType.INTS]: 'ints', [AttrType.STRINGS]: 'strings', [AttrType.TENSORS]: 'tensors',
  [AttrType.GRAPHS]: 'graphs', [AttrType.SPARSE_TENSORS]: 'sparse_tensors', [AttrType.TYPE_PROTOS]: 'type_protos',
};

export function attributeTypeName(type: AttrType): string {
  return ATTRIBUTE_TYPE_NAMES[type] ?? 'undefined';
}

/** A float as people write it: float32 attributes print as 0.1, not 0.10000000149011612. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return String(x);
  return String(Number(x.toPrecision(Math.fround(x) === x ? 7 : 15)));
}

function list<T>(items: readonly T[], show: (x: T) => string): string {
  const shown = items.slice(0, PRINT_ELEMENTS).map(show);
  if (items.length > PRINT_ELEMENTS) shown.push(`… (${items.length} in all)`);
  return `[${shown.join(', ')}]`;
}

/** The printable value of an attribute. */
export function attributeText(model: OnnxModel, a: AttributeInfo): string {
  if (a.refAttrName) return `@${a.refAttrName} (the calling function's attribute)`;
  switch (a.type) {
    case AttrType.FLOAT: return formatNumber(a.f ?? 0);
    case AttrType.INT: return String(a.i ?? 0);
    case AttrType.STRING: return JSON.stringify(a.s ?? '');
    case AttrType.FLOATS: return list(a.floats ?? [], formatNumber);
    case AttrType.INTS: return list(a.ints ?? [], String);
    case AttrType.STRINGS: return list(a.strings ?? [], (s) => JSON.stringify(s));
    case AttrType.TENSOR: return a.t ? tensorText(model, a.t) : '(missing tensor)';
    case AttrType.TENSORS: return list(a.tensors ?? [], (t) => tensorText(model, t));
    case AttrType.GRAPH: return a.g ? graphText(a.g) : '(missing graph)';
    case AttrType.GRAPHS: return list(a.graphs ?? [], graphText);
    case AttrType.SPARSE_TENSOR: return a.sparseTensor ? sparseText(a.sparseTensor) : '(missing sparse tensor)';
    case AttrType.SPARSE_TENSORS: return list(a.sparseTensors ?? [], sparseText);
    case AttrType.TYPE_PROTO: return a.tp ? typeText(a.tp) : '(missing type)';
    case AttrType.TYPE_PROTOS: return list(a.typeProtos ?? [], typeText);
    default: return '(undefined attribute type)';
  }
}

/** `float32[3, 3] = [1, 2, 3, …]`: dtype, dims and the first values (small tensors only). */
export function tensorText(model: OnnxModel, t: TensorInfo): string {
  const head = `${elemTypeName(t.elemType)}[${t.dims.join(', ')}]`;
  const count = elementCount(t.dims);
  if (count > MAX_TENSOR_READ) return `${head} (${count} elements)`;
  try {
    const values = model.readTensor(t).values;
    const shown: string[] = [];
    const n = Math.min(values.length, PRINT_ELEMENTS);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      shown.push(typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? String(v) : formatNumber(v));
    }
    if (values.length > PRINT_ELEMENTS) shown.push('…');
    return count === 1 && t.dims.length === 0 ? `${head} = ${shown[0] ?? ''}` : `${head} = [${shown.join(', ')}]`;
  } catch (error) {
    return `${head} (unreadable: ${error instanceof Error ? error.message : String(error)})`;
  }
}

function graphText(g: GraphInfo): string {
  const nodes = countGraphInfoNodes(g);
  return `graph${g.name ? ` '${g.name}'` : ''} (${nodes} node${nodes === 1 ? '' : 's'})`;
}

function countGraphInfoNodes(g: GraphInfo): number {
  let total = g.nodes.length;
  for (const n of g.nodes) for (const a of n.attributes) {
    if (a.g) total += countGraphInfoNodes(a.g);
    for (const sg of a.graphs ?? []) total += countGraphInfoNodes(sg);
  }
  return total;
}

function sparseText(s: SparseTensorInfo): string {
  return `sparse ${elemTypeName(s.values.elemType)}[${s.dims.join(', ')}] (${elementCount(s.values.dims)} stored values)`;
}

function typeText(t: Parameters<typeof describeType>[0]): string {
  const d = describeType(t);
  return d.shape ? `${d.elemType}[${d.shape.map((x) => x ?? '?').join(', ')}]` : d.elemType;
}

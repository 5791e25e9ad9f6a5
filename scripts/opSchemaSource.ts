/**
 * Reads the hand-written operator schemas for opsets newer than Debian's python3-onnx knows
 * (src/core/onnx/schemas/op-schemas-18-23.txt) and expands them into the same JSON entries that
 * scripts/gen-op-schemas.py writes, so the registry can merge both files.
 *
 * The source is line-based data, one directive per line (see docs/op-schemas.md):
 *
 *   set NAME = item, item, …                 named type list; an item is a type, @OTHER, or wrap(@OTHER)
 *   op [DOMAIN:]Name VERSION [from [DOMAIN:]Name VERSION]
 *   doc TEXT                                  one or two sentences in our words (lines are joined)
 *   in NAME[?|*|*0][~] TYPESTR [: DESC]       ? optional, * variadic (min 1), *0 variadic (min 0), ~ heterogeneous
 *   out … (as in)
 *   attr NAME TYPE [required | =DEFAULT] [: DESC]
 *   type PARAM ITEMS [: DESC]
 *   drop in|out|attr|type NAME
 *
 * `from` starts from another schema (a bundled one or one defined earlier in the file) and the
 * lines that follow replace parameters of the same name, add new ones, or drop them. Facts
 * (names, types, defaults, versions) come from the ONNX spec (docs/Changelog.md, Changelog-ml.md);
 * the prose is ours, and every doc ends with a link to the operator's page on onnx.ai.
 */
import type { AttributeSchema, FormalParameter, OpSchema, TypeConstraint } from '../src/core/onnx/schemas/types';

export class SourceError extends Error {}

interface Pending {
  schema: OpSchema;
  docLines: string[];
  ioChanged: boolean;
  line: number;
}

const ATTR_TYPES = new Set(['float', 'int', 'string', 'tensor', 'graph', 'floats', 'ints', 'strings', 'tensors', 'graphs',
  'sparse_tensor', 'sparse_tensors', 'type_proto', 'type_protos']);

/** The operator's page on onnx.ai, at the heading of this version. */
export function onnxAiUrl(domain: string, name: string, version: number): string {
  const page = domain === 'ai.onnx.ml' ? `onnx_aionnxml_${name}` : `onnx__${name}`;
  return `https://onnx.ai/onnx/operators/${page}.html#${name.toLowerCase()}-${version}`;
}

function splitDesc(rest: string): [string, string] {
  const at = rest.indexOf(' : ');
  return at < 0 ? [rest.trim(), ''] : [rest.slice(0, at).trim(), rest.slice(at + 3).trim()];
}

function splitTop(text: string): string[] {
  // Split on commas that are not inside parentheses.
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

function parseDefault(text: string): number | string | (number | string)[] {
  const t = text.trim();
  if (t.startsWith('[') || t.startsWith('"')) return JSON.parse(t) as number | string | (number | string)[];
  if (/^-?\d+$/.test(t)) return Number.parseInt(t, 10);
  if (/^-?(\d+\.?\d*|\.\d+)(e-?\d+)?$/i.test(t)) return Number.parseFloat(t);
  return t;
}

/** min/max arity as onnx computes them: singles raise both, optionals only the max, a variadic ends the list. */
function arity(params: readonly FormalParameter[], minArity: readonly number[]): [number, number | null] {
  let min = 0;
  let max: number | null = 0;
  params.forEach((p, i) => {
    if (max === null) return;
    if (p.option === 'single') min = max = max + 1;
    else if (p.option === 'optional') max += 1;
    else {
      min = max + minArity[i];
      max = null;
    }
  });
  return [min, max];
}

export interface BuildResult {
  schemas: OpSchema[];
}

/**
 * Expand the source text. `bundled` are the schemas already in op-schemas.json (bases for `from`);
 * every entry defined here must be new (a version the bundled file does not have).
 */
export function buildSchemas(source: string, bundled: readonly OpSchema[]): BuildResult {
  const sets = new Map<string, string[]>();
  const known = new Map<string, OpSchema>();
  for (const s of bundled) known.set(`${s.domain}\0${s.name}\0${s.sinceVersion}`, s);
  const out: OpSchema[] = [];
  const minArity = new WeakMap<FormalParameter, number>();
  let cur: Pending | null = null;

  const fail = (line: number, msg: string): never => {
    throw new SourceError(`op-schemas source line ${line}: ${msg}`);
  };

  const expand = (items: string, line: number): string[] => {
    const result: string[] = [];
    for (const item of splitTop(items)) {
      const wrapped = /^(\w+)\((.*)\)$/.exec(item);
      if (item.startsWith('@')) {
        const set = sets.get(item.slice(1)) ?? fail(line, `unknown set ${item}`);
        result.push(...set);
      } else if (wrapped && wrapped[2].includes('@')) {
        for (const inner of expand(wrapped[2], line)) result.push(`${wrapped[1]}(${inner})`);
      } else if (/^[a-z0-9]+$/.test(item)) result.push(`tensor(${item})`);
      else result.push(item);
    }
    return result;
  };

  const finish = () => {
    if (!cur) return;
    const s = cur.schema;
    if (cur.docLines.length === 0) fail(cur.line, `${s.name}-${s.sinceVersion} has no doc`);
    s.doc = `${cur.docLines.join(' ')}\n\n[${s.name}-${s.sinceVersion} on onnx.ai](${onnxAiUrl(s.domain, s.name, s.sinceVersion)})`;
    if (cur.ioChanged) {
      const ma = (list: FormalParameter[]) => list.map((p) => minArity.get(p) ?? 1);
      [s.minInput, s.maxInput] = arity(s.inputs, ma(s.inputs));
      [s.minOutput, s.maxOutput] = arity(s.outputs, ma(s.outputs));
    }
    s.attributes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const params = new Set(s.typeConstraints.map((t) => t.typeParam));
    const used = new Set<string>();
    for (const p of [...s.inputs, ...s.outputs]) {
      used.add(p.typeStr);
      if (!params.has(p.typeStr) && !p.typeStr.includes('(')) fail(cur.line, `${s.name}-${s.sinceVersion}: ${p.name} uses undeclared type ${p.typeStr}`);
    }
    for (const p of params) if (!used.has(p)) fail(cur.line, `${s.name}-${s.sinceVersion}: type ${p} is not used by any input or output`);
    known.set(`${s.domain}\0${s.name}\0${s.sinceVersion}`, s);
    out.push(s);
    cur = null;
  };

  const parseRef = (ref: string, line: number): [string, string] => {
    const at = ref.lastIndexOf(':');
    const [domain, name] = at < 0 ? ['', ref] : [ref.slice(0, at), ref.slice(at + 1)];
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) fail(line, `bad operator name '${ref}'`);
    return [domain === 'ai.onnx' ? '' : domain, name];
  };

  const replaceOrAdd = <T extends { name?: string; typeParam?: string }>(list: T[], item: T, key: (x: T) => string) => {
    const i = list.findIndex((x) => key(x) === key(item));
    if (i >= 0) list[i] = item;
    else list.push(item);
  };

  source.split('\n').forEach((raw, idx) => {
    const line = idx + 1;
    const text = raw.trim();
    if (!text || text.startsWith('#')) return;
    const space = text.indexOf(' ');
    const word = space < 0 ? text : text.slice(0, space);
    const rest = space < 0 ? '' : text.slice(space + 1).trim();
    if (word === 'set') {
      const m = /^(\w+)\s*=\s*(.+)$/.exec(rest) ?? fail(line, 'set NAME = items');
      sets.set(m[1], expand(m[2], line));
      return;
    }
    if (word === 'op') {
      finish();
      const m = /^(\S+)\s+(\d+)(?:\s+from\s+(\S+)\s+(\d+))?$/.exec(rest) ?? fail(line, 'op [DOMAIN:]Name VERSION [from [DOMAIN:]Name VERSION]');
      const [domain, name] = parseRef(m[1], line);
      const version = Number(m[2]);
      if (known.has(`${domain}\0${name}\0${version}`)) fail(line, `${name}-${version} is already defined`);
      let schema: OpSchema = {
        domain, name, sinceVersion: version, deprecated: false, supportLevel: 'common', doc: '',
        minInput: 0, maxInput: 0, minOutput: 0, maxOutput: 0, inputs: [], outputs: [], attributes: [], typeConstraints: [],
      };
      let ioChanged = true;
      if (m[3]) {
        const [bd, bn] = parseRef(m[3], line);
        const base = known.get(`${bd}\0${bn}\0${m[4]}`) ?? fail(line, `no schema ${m[3]}-${m[4]} to start from`);
        schema = { ...structuredClone(base), domain, name, sinceVersion: version, deprecated: false, doc: '' };
        ioChanged = false;
      }
      cur = { schema, docLines: [], ioChanged, line };
      return;
    }
    const c = cur ?? fail(line, `'${word}' outside an op`);
    const s = c.schema;
    switch (word) {
      case 'doc':
        c.docLines.push(rest);
        break;
      case 'in':
      case 'out': {
        const [head, description] = splitDesc(rest);
        const m = /^([A-Za-z_][A-Za-z0-9_]*)(\?|\*0|\*)?(~)?\s+(\S+)$/.exec(head) ?? fail(line, `${word} NAME[?|*|*0][~] TYPE [: DESC]`);
        const option = m[2] === '?' ? 'optional' : m[2] ? 'variadic' : 'single';
        const p: FormalParameter = { name: m[1], description, typeStr: m[4], option, homogeneous: !m[3] };
        if (m[2] === '*0') minArity.set(p, 0);
        replaceOrAdd(word === 'in' ? s.inputs : s.outputs, p, (x) => x.name);
        c.ioChanged = true;
        break;
      }
      case 'attr': {
        const [head, description] = splitDesc(rest);
        const m = /^(\w+)\s+(\w+)(?:\s+(required|=.+))?$/.exec(head) ?? fail(line, 'attr NAME TYPE [required | =DEFAULT] [: DESC]');
        if (!ATTR_TYPES.has(m[2])) fail(line, `unknown attribute type ${m[2]}`);
        const a: AttributeSchema = { name: m[1], type: m[2], required: m[3] === 'required', description };
        if (m[3] && m[3] !== 'required') a.default = parseDefault(m[3].slice(1));
        replaceOrAdd(s.attributes, a, (x) => x.name);
        break;
      }
      case 'type': {
        const [head, description] = splitDesc(rest);
        const m = /^(\w+)\s+(.+)$/.exec(head) ?? fail(line, 'type PARAM ITEMS [: DESC]');
        const old = s.typeConstraints.find((t) => t.typeParam === m[1]);
        const t: TypeConstraint = { typeParam: m[1], allowedTypes: expand(m[2], line), description: description || old?.description || '' };
        replaceOrAdd(s.typeConstraints, t, (x) => x.typeParam);
        break;
      }
      case 'drop': {
        const m = /^(in|out|attr|type)\s+(\w+)$/.exec(rest) ?? fail(line, 'drop in|out|attr|type NAME');
        const list: { name?: string; typeParam?: string }[] = m[1] === 'in' ? s.inputs : m[1] === 'out' ? s.outputs : m[1] === 'attr' ? s.attributes : s.typeConstraints;
        const i = list.findIndex((x) => (x.name ?? x.typeParam) === m[2]);
        if (i < 0) fail(line, `${s.name}-${s.sinceVersion} has no ${m[1]} ${m[2]} to drop`);
        list.splice(i, 1);
        if (m[1] === 'in' || m[1] === 'out') c.ioChanged = true;
        break;
      }
      default:
        fail(line, `unknown directive '${word}'`);
    }
  });
  finish();
  return { schemas: out };
}

/** The highest since-version per domain among `schemas`. */
export function maxOpsets(schemas: readonly OpSchema[]): Record<string, number> {
  const max: Record<string, number> = {};
  for (const s of schemas) max[s.domain] = Math.max(max[s.domain] ?? 0, s.sinceVersion);
  return max;
}

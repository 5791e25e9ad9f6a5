/**
 * The test fixtures are themselves tested: what the builder writes must be what onnx-proto
 * decodes and what the official onnx package (python3-onnx, via the oracle) reads back.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import {
  ELEM_TYPES, ELEM_TYPE_NAMES, type ElemTypeName, attr, buildModel, decodeModel, decodeModelPlain, fn, graph,
  makeTempDir, model, node, onnx, sparseTensor, tensor, tensorType, tensorValue, valueInfo, writeModel, sequenceType,
  mapType, optionalType, type ModelSpec,
} from '../fixtures/onnxBuilder';
import {
  bfloat16Bits, bfloat16Value, float16Bits, float16Value, float8Bits, float8Value, pack4,
} from '../fixtures/elemEncoding';
import {
  TRANSFORMER_NODES_OUTSIDE_LAYERS, TRANSFORMER_NODES_PER_LAYER, transformerLayersFor, transformerLike, weightHeavy,
} from '../fixtures/bigModels';
import {
  absurdDims, danglingInput, externalDataFixtures, flipBits, graphCycle, hugeLengthPrefix, randomBytes, truncate,
  varintOverflow,
} from '../fixtures/corrupt';
import { oracle, requireOracle } from '../fixtures/oracle';

const REPO = path.resolve(__dirname, '..', '..');

/** Writes `spec` to a temp dir, runs `body`, removes the dir. */
async function withModel<T>(spec: ModelSpec, body: (modelPath: string) => Promise<T>): Promise<T> {
  const w = writeModel(spec);
  try {
    return await body(w.modelPath);
  } finally {
    w.cleanup();
  }
}

/** Sample values every type can hold exactly (float16 etc. round-trip these). */
function sampleValues(type: ElemTypeName): (number | bigint | string)[] {
  switch (type) {
    case 'string': return ['a', 'ü', ''];
    case 'bool': return [1, 0, 1];
    case 'uint4': return [0, 15, 7];
    case 'int4': return [-8, 7, -1];
    case 'uint8': case 'uint16': case 'uint32': return [0, 3, 255];
    case 'int64': return [-(2n ** 62n), 3n, 9007199254740993n];
    case 'uint64': return [0n, 2n ** 63n + 5n, 7n];
    case 'complex64': case 'complex128': return [1, -2, 0.5, 4, 0, -0.25];
    case 'int8': case 'int16': case 'int32': return [1, -2, 100];
    default: return [1, -2, 0.5]; // float types: exact in every format down to float8
  }
}

describe('test fixtures: element encodings', () => {
  it('rounds float16 to nearest even, with subnormals, overflow to inf and NaN', () => {
    assert.equal(float16Bits(1), 0x3c00);
    assert.equal(float16Bits(-2), 0xc000);
    assert.equal(float16Bits(65504), 0x7bff);
    assert.equal(float16Bits(65520), 0x7c00);
    assert.equal(float16Bits(2 ** -24), 0x0001);
    assert.equal(float16Bits(2 ** -26), 0x0000);
    assert.equal(float16Bits(1 + 2 ** -11), 0x3c00, 'a tie rounds to the even mantissa');
    assert.equal(float16Bits(1 + 3 * 2 ** -11), 0x3c02);
    assert.equal(float16Bits(-0), 0x8000);
    assert.ok(Number.isNaN(float16Value(float16Bits(NaN))));
    for (const x of [0.1, 3.14159, -1000.5, 6e-5]) assert.ok(Math.abs(float16Value(float16Bits(x)) - x) <= Math.abs(x) * 2 ** -11);
  });

  it('takes the top half of float32 for bfloat16, rounding to nearest even', () => {
    assert.equal(bfloat16Bits(1), 0x3f80);
    assert.equal(bfloat16Bits(-2), 0xc000);
    assert.equal(bfloat16Value(0x3f80), 1);
    assert.equal(bfloat16Bits(1 + 2 ** -8), 0x3f80, 'tie to even');
    assert.equal(bfloat16Bits(1 + 3 * 2 ** -8), 0x3f82);
    assert.equal(bfloat16Bits(Infinity), 0x7f80);
    assert.ok(Number.isNaN(bfloat16Value(bfloat16Bits(NaN))));
  });

  it('encodes the four float8 formats like the ONNX float8 spec tables', () => {
    // https://onnx.ai/onnx/technical/float8.html
    assert.equal(float8Bits('float8e4m3fn', 1), 0x38);
    assert.equal(float8Bits('float8e4m3fn', 448), 0x7e);
    assert.equal(float8Bits('float8e4m3fn', 1e6), 0x7e, 'saturates');
    assert.equal(float8Bits('float8e4m3fn', NaN), 0x7f);
    assert.equal(float8Bits('float8e4m3fn', -0), 0x80);
    assert.equal(float8Value('float8e4m3fn', 0x01), 2 ** -9);
    assert.equal(float8Bits('float8e4m3fnuz', 1), 0x40);
    assert.equal(float8Bits('float8e4m3fnuz', 240), 0x7f);
    assert.ok(Number.isNaN(float8Value('float8e4m3fnuz', 0x80)));
    assert.equal(float8Bits('float8e4m3fnuz', -0), 0x00, 'no negative zero');
    assert.equal(float8Bits('float8e5m2', 1), 0x3c);
    assert.equal(float8Bits('float8e5m2', 57344), 0x7b);
    assert.equal(float8Bits('float8e5m2', Infinity), 0x7c);
    assert.equal(float8Value('float8e5m2', 0x7c), Infinity);
    assert.equal(float8Bits('float8e5m2fnuz', 1), 0x40);
    assert.equal(float8Value('float8e5m2fnuz', 0x7f), 57344);
    for (const t of ['float8e4m3fn', 'float8e4m3fnuz', 'float8e5m2', 'float8e5m2fnuz'] as const) {
      for (let c = 0; c < 256; c++) {
        const v = float8Value(t, c);
        if (Number.isFinite(v) && !(v === 0 && c !== 0 && t.endsWith('uz'))) {
          assert.equal(float8Value(t, float8Bits(t, v)), v, `${t} code ${c} round-trips`);
        }
      }
    }
  });

  it('packs int4 and uint4 two per byte, first element in the low nibble', () => {
    assert.deepEqual([...pack4('int4', [1, -1, 7])], [0xf1, 0x07]);
    assert.deepEqual([...pack4('uint4', [15, 0, 3, 12])], [0x0f, 0xc3]);
    assert.throws(() => pack4('int4', [8]), RangeError);
  });
});

describe('test fixtures: onnxBuilder', () => {
  it('knows all 22 element types by name with the onnx.proto codes', () => {
    assert.equal(ELEM_TYPE_NAMES.length, 22);
    assert.deepEqual(ELEM_TYPE_NAMES.map((n) => ELEM_TYPES[n]), Array.from({ length: 22 }, (_, i) => i + 1));
  });

  it('stores each element type in raw_data or in the typed field onnx.proto assigns it', () => {
    const expectField: Record<string, string> = {
      float32: 'floatData', complex64: 'floatData', float64: 'doubleData', complex128: 'doubleData',
      int64: 'int64Data', uint32: 'uint64Data', uint64: 'uint64Data', string: 'stringData',
    };
    const inits = ELEM_TYPE_NAMES.flatMap((t) => [
      ...(t === 'string' ? [] : [tensor(`${t}_raw`, t, [3], sampleValues(t) as never, { storage: 'raw' })]),
      tensor(`${t}_typed`, t, [3], sampleValues(t) as never, { storage: 'typed' }),
    ]);
    const decoded = decodeModel(model({ graph: graph({ initializers: inits }) }));
    for (const t of decoded.graph!.initializer) {
      const [name, storage] = t.name.split('_') as [ElemTypeName, string];
      assert.equal(t.dataType, ELEM_TYPES[name], t.name);
      assert.deepEqual(t.dims.map(Number), [3]);
      const field = expectField[name] ?? 'int32Data';
      if (storage === 'raw') {
        const bits = { uint4: 4, int4: 4, bool: 8, uint8: 8, int8: 8, int16: 16, uint16: 16, float16: 16, bfloat16: 16 }[name as string];
        const expected = name.startsWith('float8') ? 3 : bits ? Math.ceil((3 * bits) / 8) : undefined;
        if (expected !== undefined) assert.equal(t.rawData.length, expected, t.name);
        assert.equal((t as unknown as Record<string, unknown[]>)[field]!.length, 0);
      } else {
        assert.equal(t.rawData.length, 0, t.name);
        const data = (t as unknown as Record<string, unknown[]>)[field]!;
        const count = name === 'int4' || name === 'uint4' ? 2 : name.startsWith('complex') ? 6 : 3;
        assert.equal(data.length, count, `${t.name} has ${count} entries in ${field}`);
      }
    }
    const byName = new Map(decoded.graph!.initializer.map((t) => [t.name, t]));
    assert.deepEqual(byName.get('float16_typed')!.int32Data, [0x3c00, 0xc000, 0x3800]);
    assert.deepEqual(byName.get('int4_typed')!.int32Data, [0x78, 0x0f]);
    assert.deepEqual(byName.get('float8e4m3fn_typed')!.int32Data, [0x38, 0xc0, 0x30]);
    assert.deepEqual([...byName.get('int4_raw')!.rawData], [0x78, 0x0f]);
    assert.equal(String(byName.get('int64_typed')!.int64Data[2]), '9007199254740993');
    assert.equal(String(byName.get('uint64_typed')!.uint64Data[1]), String(2n ** 63n + 5n));
  });

  it('writes tensors onnx.numpy_helper decodes to the same values, raw, typed and external', async function () {
    requireOracle();
    // python onnx 1.12 knows the types up to bfloat16 (code 16); the newer ones are checked above.
    const types = ELEM_TYPE_NAMES.filter((t) => ELEM_TYPES[t] <= 16);
    const inits = types.flatMap((t) => [
      tensor(`${t}.typed`, t, [3], sampleValues(t) as never, { storage: 'typed' }),
      ...(t === 'string' ? [] : [
        tensor(`${t}.raw`, t, [3], sampleValues(t) as never, { storage: 'raw' }),
        tensor(`${t}.external`, t, [3], sampleValues(t) as never, { storage: 'external', location: 'data/weights.bin' }),
      ]),
    ]);
    const result = await withModel({ graph: graph({ initializers: inits }) }, (p) => oracle('tensors', p));
    assert.equal(result.tensors.length, inits.length);
    for (const t of result.tensors) {
      const type = t.name.split('.')[0] as ElemTypeName;
      assert.equal(t.error, undefined, `${t.name}: ${t.error}`);
      const expected = sampleValues(type).map((v) => {
        if (type === 'bool') return Boolean(v);
        if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
        return v;
      });
      assert.deepEqual(t.values, expected, t.name);
    }
  });

  it('lays out external data with location, offset and length, appending or at a given offset', () => {
    const built = buildModel({
      graph: graph({
        initializers: [
          tensor('a', 'float32', [2], [1, 2], { storage: 'external' }),
          tensor('b', 'int64', [1], [7], { storage: 'external' }),
          tensor('c', 'uint8', [2], [9, 9], { storage: 'external', location: 'c.bin', offset: 4096, writeLength: false }),
        ],
      }),
    });
    const plain = decodeModelPlain(built.bytes) as { graph: { initializer: { name: string; dataLocation: number; externalData: { key: string; value: string }[] }[] } };
    const ext = Object.fromEntries(plain.graph.initializer.map((t) => [t.name, Object.fromEntries(t.externalData.map((e) => [e.key, e.value]))]));
    assert.deepEqual(ext, {
      a: { location: 'weights.bin', offset: '0', length: '8' },
      b: { location: 'weights.bin', offset: '8', length: '8' },
      c: { location: 'c.bin', offset: '4096' },
    });
    assert.ok(plain.graph.initializer.every((t) => t.dataLocation === 1));
    assert.equal(built.external.get('weights.bin')!.length, 16);
    assert.equal(built.external.get('c.bin')!.length, 4098);
    const w = writeModel(built);
    try {
      assert.deepEqual(fs.readdirSync(w.dir).sort(), ['c.bin', 'model.onnx', 'weights.bin']);
    } finally {
      w.cleanup();
    }
    assert.ok(!fs.existsSync(w.dir));
  });

  it('refuses to write external data outside the model folder', () => {
    const spec = { graph: graph({ initializers: [tensor('a', 'float32', [1], [1], { storage: 'external', location: '../x.bin' })] }) };
    const tmp = makeTempDir();
    try {
      assert.throws(() => writeModel(spec, { dir: tmp.dir }), /outside/);
    } finally {
      tmp.cleanup();
    }
  });

  it('checks values against dims unless told not to', () => {
    assert.throws(() => tensor('w', 'float32', [2, 2], [1, 2, 3]), /3 values for dims \[2, 2\]/);
    assert.equal(tensor('w', 'float32', [2, 2], [1], { unchecked: true }).rawData.length, 4);
    assert.throws(() => tensor('s', 'string', [1], ['x'], { storage: 'raw' }), /raw_data/);
  });

  it('encodes attributes of every kind with the right AttributeType', () => {
    const T = onnx.AttributeProto.AttributeType;
    const body = graph({ name: 'body', outputs: [tensorValue('o', 'float32', [])] });
    const n = node('AllKinds', [], ['y'], {
      domain: 'test.domain',
      attrs: {
        f: 0.5, fInt: attr.float(1), i: 3, iBig: 2n ** 60n, s: 'hello', t: tensor('t', 'int32', [2], [1, 2]), g: body,
        floats: [0.5, 1], ints: [1, 2, 3], strings: ['a', 'b'], tensors: [tensor('t0', 'float32', [], [1])], graphs: [body, body],
        sparse: sparseTensor('sp', 'float32', [4], { indices: [1], values: [2] }),
        tp: attr.typeProto(tensorType('float32', [1])), empty: [],
      },
    });
    const types = Object.fromEntries(n.attribute.map((a) => [a.name, a.type]));
    assert.deepEqual(types, {
      f: T.FLOAT, fInt: T.FLOAT, i: T.INT, iBig: T.INT, s: T.STRING, t: T.TENSOR, g: T.GRAPH, floats: T.FLOATS,
      ints: T.INTS, strings: T.STRINGS, tensors: T.TENSORS, graphs: T.GRAPHS, sparse: T.SPARSE_TENSOR,
      tp: T.TYPE_PROTO, empty: T.INTS,
    });
    const back = decodeModel(model({ opsets: { 'test.domain': 1 }, graph: graph({ nodes: [n], outputs: [tensorValue('y', 'float32', null)] }) }));
    const a = Object.fromEntries(back.graph!.node[0]!.attribute.map((x) => [x.name, x]));
    assert.equal(String(a.iBig!.i), String(2n ** 60n));
    assert.equal(new TextDecoder().decode(a.s!.s), 'hello');
    assert.equal(a.graphs!.graphs.length, 2);
    assert.equal(a.fInt!.f, 1);
  });

  it('builds If, Loop and Scan subgraphs onnx.checker accepts, counted by the oracle', async function () {
    requireOracle();
    const branch = (name: string, v: number) => graph({
      name, nodes: [node('Constant', [], [`${name}_out`], { name: `/${name}/Constant`, attrs: { value: tensor(`${name}_v`, 'float32', [1], [v]) } })],
      outputs: [tensorValue(`${name}_out`, 'float32', [1])],
    });
    const loopBody = graph({
      name: 'loop_body',
      inputs: [tensorValue('iter', 'int64', []), tensorValue('cond_in', 'bool', []), tensorValue('acc_in', 'float32', [1])],
      nodes: [
        node('Identity', ['cond_in'], ['cond_out'], { name: '/loop/Identity' }),
        node('Add', ['acc_in', 'x'], ['acc_out'], { name: '/loop/Add' }),
      ],
      outputs: [tensorValue('cond_out', 'bool', []), tensorValue('acc_out', 'float32', [1])],
    });
    const scanBody = graph({
      name: 'scan_body',
      inputs: [tensorValue('s_in', 'float32', [1]), tensorValue('elem', 'float32', [1])],
      nodes: [node('Add', ['s_in', 'elem'], ['s_out'], { name: '/scan/Add' }), node('Identity', ['s_out'], ['scan_y'], { name: '/scan/Identity' })],
      outputs: [tensorValue('s_out', 'float32', [1]), tensorValue('scan_y', 'float32', [1])],
    });
    const spec: ModelSpec = {
      graph: graph({
        inputs: [tensorValue('cond', 'bool', []), tensorValue('x', 'float32', [1]), tensorValue('trips', 'int64', []), tensorValue('seq', 'float32', [5, 1])],
        nodes: [
          node('If', ['cond'], ['if_out'], { name: '/If', attrs: { then_branch: branch('then', 1), else_branch: branch('else', 2) } }),
          node('Loop', ['trips', 'cond', 'x'], ['loop_out'], { name: '/Loop', attrs: { body: loopBody } }),
          node('Scan', ['x', 'seq'], ['scan_state', 'scan_out'], { name: '/Scan', attrs: { body: scanBody, num_scan_inputs: 1 } }),
        ],
        outputs: [tensorValue('if_out', 'float32', [1]), tensorValue('loop_out', 'float32', [1]), tensorValue('scan_state', 'float32', [1]), tensorValue('scan_out', 'float32', [5, 1])],
      }),
    };
    await withModel(spec, async (p) => {
      const check = await oracle('check', p);
      assert.ok(check.fullOk, check.fullError ?? check.error ?? '');
      const s = await oracle('summary', p);
      assert.equal(s.nodeCount, 3);
      assert.equal(s.subgraphCount, 4);
      assert.equal(s.nodeCountTotal, 3 + 1 + 1 + 2 + 2);
      assert.equal(s.parameterCount, 2, 'the Constant nodes inside the If branches');
    });
  });

  it('builds model-local functions with their own opset imports and attribute references', async function () {
    requireOracle();
    const scaledRelu = fn({
      name: 'ScaledRelu', domain: 'custom', inputs: ['X'], outputs: ['Y'], attributes: ['alpha'],
      opsets: { '': 17 },
      nodes: [
        node('Constant', [], ['A'], { attrs: { value_float: attr.ref('alpha', 'float') } }),
        node('Relu', ['X'], ['R']),
        node('Mul', ['R', 'A'], ['Y']),
      ],
      docString: 'relu(x) * alpha',
    });
    const spec: ModelSpec = {
      opsets: { custom: 1 },
      functions: [scaledRelu],
      graph: graph({
        inputs: [tensorValue('x', 'float32', ['n'])],
        nodes: [node('ScaledRelu', ['x'], ['y'], { domain: 'custom', name: '/act/ScaledRelu', attrs: { alpha: attr.float(2) } })],
        outputs: [tensorValue('y', 'float32', ['n'])],
      }),
    };
    const decoded = decodeModel(model(spec));
    assert.equal(Number(decoded.functions[0]!.opsetImport[0]!.version), 17);
    assert.equal(decoded.functions[0]!.node[0]!.attribute[0]!.refAttrName, 'alpha');
    await withModel(spec, async (p) => {
      const check = await oracle('check', p);
      assert.ok(check.ok, check.error ?? '');
      const s = await oracle('summary', p);
      assert.deepEqual(s.functions, [{ domain: 'custom', name: 'ScaledRelu', nodeCount: 3 }]);
      assert.deepEqual(s.opsets, { '': 17, custom: 1 });
      assert.equal(s.nodeCountTotal, 1, 'function bodies are not graph nodes');
    });
    // onnxruntime inlines the function and runs it.
    const session = await ort.InferenceSession.create(model(spec));
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([-1, 3]), [2]) });
    assert.deepEqual([...(out.y!.data as Float32Array)], [0, 6]);
  });

  it('carries metadata, doc strings, value_info, sparse initializers, symbolic and unknown dims', async function () {
    requireOracle();
    const spec: ModelSpec = {
      producer: { name: 'builder-test', version: '1.2' },
      docString: 'model doc',
      domain: 'ai.onnx-lens.test',
      modelVersion: 3,
      metadata: { labels: '["a","b"]', author: 'tests' },
      graph: graph({
        docString: 'graph doc',
        inputs: [tensorValue('x', 'float32', ['batch', null, 4], 'the input')],
        nodes: [
          node('Relu', ['x'], ['r'], { name: '/Relu', docString: 'node doc' }),
          node('MatMul', ['r', 'W'], ['y'], { name: '/MatMul' }),
        ],
        sparseInitializers: [sparseTensor('W', 'float32', [4, 2], { indices: [0, 1, 3, 0], values: [1, 2], layout: 'coordinate' })],
        valueInfo: [tensorValue('r', 'float32', ['batch', null, 4])],
        // python onnx 1.12's checker insists on a shape for graph outputs; unknown rank is tested below.
        outputs: [tensorValue('y', 'float32', ['batch', null, 2])],
      }),
    };
    await withModel(spec, async (p) => {
      const check = await oracle('check', p);
      assert.ok(check.ok, check.error ?? '');
      const s = await oracle('summary', p);
      assert.deepEqual(s.producer, { name: 'builder-test', version: '1.2' });
      assert.equal(s.docString, 'model doc');
      assert.equal(s.modelVersion, 3);
      assert.deepEqual(s.metadata, { labels: '["a","b"]', author: 'tests' });
      assert.deepEqual(s.inputs, [{ name: 'x', elemType: 'float32', shape: ['batch', null, 4] }]);
      assert.deepEqual(s.outputs, [{ name: 'y', elemType: 'float32', shape: ['batch', null, 2] }]);
      assert.equal(s.sparseInitializerCount, 1);
      assert.equal(s.parameterCount, 2);
      const shapes = await oracle('shapes', p);
      const r = shapes.values.find((v) => v.name === 'r');
      // Shape inference names the unknown dim itself ('unk__0').
      assert.equal(r?.shape?.[0], 'batch');
      assert.equal(r?.shape?.[2], 4);
    });
  });

  it('leaves out the shape for unknown rank and the value for an unknown dim', () => {
    const g = decodeModel(model({ graph: graph({ valueInfo: [tensorValue('u', 'float32', null), tensorValue('d', 'float32', [null, 'n', 2])] }) })).graph!;
    assert.equal(g.valueInfo[0]!.type!.tensorType!.shape, null);
    const dims = g.valueInfo[1]!.type!.tensorType!.shape!.dim;
    // protobufjs sets only the fields present on the wire as own properties.
    assert.deepEqual(dims.map((d) => Object.keys(d)), [[], ['dimParam'], ['dimValue']]);
  });

  it('writes sequence, map and optional value types', () => {
    const vi = [
      valueInfo('seq', sequenceType(tensorType('float32', [2]))),
      valueInfo('map', mapType('int64', tensorType('float32', null))),
      valueInfo('opt', optionalType(tensorType('int32', []))),
    ];
    const g = decodeModel(model({ graph: graph({ valueInfo: vi }) })).graph!;
    assert.equal(g.valueInfo[0]!.type!.sequenceType!.elemType!.tensorType!.elemType, 1);
    assert.equal(g.valueInfo[1]!.type!.mapType!.keyType, 7);
    assert.equal(g.valueInfo[2]!.type!.optionalType!.elemType!.tensorType!.shape!.dim.length, 0);
  });
});

describe('test fixtures: generated big models', () => {
  it('builds a BERT-like graph that onnx.checker and onnxruntime accept', async function () {
    const spec = transformerLike({ layers: 2 });
    const nodes = spec.graph.node!;
    assert.equal(nodes.length, TRANSFORMER_NODES_OUTSIDE_LAYERS + 2 * TRANSFORMER_NODES_PER_LAYER);
    const names = new Set(nodes.map((n) => n.name));
    assert.ok(names.has('/encoder/layer.1/attention/self/MatMul'));
    assert.ok(names.has('/encoder/layer.0/attention/self/Reshape'));
    assert.equal(names.size, nodes.length, 'node names are unique');
    for (const op of ['Shape', 'Gather', 'Unsqueeze', 'Concat', 'Reshape']) assert.ok(nodes.some((n) => n.opType === op), op);
    const bytes = model(spec);
    const session = await ort.InferenceSession.create(bytes);
    const ids = new ort.Tensor('int64', BigInt64Array.from([1n, 2n, 3n, 4n, 5n, 6n]), [2, 3]);
    const mask = new ort.Tensor('int64', BigInt64Array.from([1n, 1n, 1n, 1n, 1n, 0n]), [2, 3]);
    const out = await session.run({ input_ids: ids, attention_mask: mask });
    assert.deepEqual(out.last_hidden_state!.dims, [2, 3, 8]);
    assert.deepEqual(out.pooler_output!.dims, [2, 8]);
    requireOracle();
    await withModel(spec, async (p) => {
      const check = await oracle('check', p);
      assert.ok(check.fullOk, check.fullError ?? '');
    });
  });

  it('generates 100k nodes and picks layers by node count', function () {
    this.timeout(60_000);
    assert.equal(transformerLayersFor(10_000), 128);
    const spec = transformerLike({ nodes: 100_000 });
    const bytes = model(spec);
    assert.ok(spec.graph.node!.length >= 100_000 && spec.graph.node!.length < 100_000 + TRANSFORMER_NODES_PER_LAYER);
    assert.ok(bytes.length < 40e6, `${bytes.length} bytes`);
  });

  it('streams a weight-heavy model that onnx-proto decodes and onnx.checker accepts', async function () {
    const tmp = makeTempDir();
    try {
      const p = path.join(tmp.dir, 'heavy.onnx');
      const r = weightHeavy({ bytes: 5e6, path: p, chunkBytes: 1 << 16 });
      const file = fs.readFileSync(p);
      assert.equal(file.length, r.fileBytes);
      const m = decodeModel(file);
      assert.equal(m.graph!.initializer.length, 4);
      for (const [i, t] of m.graph!.initializer.entries()) {
        assert.deepEqual(t.dims.map(Number), [r.d, r.d]);
        assert.equal(t.rawData.length, r.d * r.d * 4);
        assert.equal(t.name, r.tensorNames[i]);
        // The payload offsets point at the tensor's bytes in the file.
        assert.deepEqual(file.subarray(r.payloadOffsets[i]!, r.payloadOffsets[i]! + 16), Buffer.from(t.rawData.subarray(0, 16)));
      }
      assert.ok(Math.abs(r.fileBytes - 5e6) < 5e6 * 0.01);
      requireOracle();
      const check = await oracle('check', p);
      assert.ok(check.fullOk, check.fullError ?? check.error ?? '');
    } finally {
      tmp.cleanup();
    }
  });
});

describe('test fixtures: corrupt inputs', () => {
  const good = () => model({ graph: graph({ initializers: [tensor('w', 'float32', [64], new Float32Array(64).fill(1))] }) });

  it('truncates, flips bits and makes random bytes deterministically', () => {
    const g = good();
    assert.equal(truncate(g, 10).length, 10);
    const a = flipBits(g, { count: 5, seed: 1 });
    assert.deepEqual(a, flipBits(g, { count: 5, seed: 1 }));
    assert.notDeepEqual(a, g);
    assert.deepEqual(randomBytes(32, 3), randomBytes(32, 3));
    assert.notDeepEqual(randomBytes(32, 3), randomBytes(32, 4));
  });

  it('makes byte streams onnx-proto rejects: varint overflow, truncation, huge length', () => {
    assert.equal(varintOverflow().length, 13);
    assert.throws(() => decodeModel(varintOverflow()));
    assert.throws(() => decodeModel(truncate(good(), good().length - 3)));
    assert.throws(() => decodeModel(hugeLengthPrefix()));
  });

  it('makes structurally invalid models that decode but onnx rejects', async function () {
    requireOracle();
    const tmp = makeTempDir();
    try {
      for (const [name, bytes, reason] of [
        ['cycle', graphCycle(), /topologically sorted.*'z'/s],
        ['dangling', danglingInput(), /'nowhere'/],
      ] as const) {
        assert.doesNotThrow(() => decodeModel(bytes), name);
        const p = path.join(tmp.dir, `${name}.onnx`);
        fs.writeFileSync(p, bytes);
        const check = await oracle('check', p);
        assert.equal(check.ok, false, name);
        assert.match(check.error ?? '', reason, name);
      }
      // onnx 1.12's checker does not compare raw_data with dims; numpy_helper does.
      const absurdPath = path.join(tmp.dir, 'absurd.onnx');
      fs.writeFileSync(absurdPath, absurdDims());
      assert.match((await oracle('tensors', absurdPath)).tensors[0]!.error ?? '', /cannot reshape/);
      const absurd = decodeModel(absurdDims()).graph!.initializer[0]!;
      assert.deepEqual(absurd.dims.map(Number), [1e15, 1e15]);
      assert.equal(absurd.rawData.length, 8);
    } finally {
      tmp.cleanup();
    }
  });

  it('lays out external data that escapes the model folder or is missing', async function () {
    const fx = externalDataFixtures();
    try {
      const loc = (p: string) => decodeModel(fs.readFileSync(p)).graph!.initializer[0]!.externalData.find((e) => e.key === 'location')!.value;
      assert.equal(loc(fx.models.dotdot), '../secret.bin');
      assert.equal(loc(fx.models.absolute), '/etc/passwd');
      assert.ok(fs.lstatSync(path.join(path.dirname(fx.models.symlink), 'link.bin')).isSymbolicLink());
      assert.equal(fs.realpathSync(path.join(path.dirname(fx.models.symlink), 'link.bin')), fs.realpathSync(fx.secretPath));
      assert.ok(!fs.existsSync(path.join(path.dirname(fx.models.missing), 'missing.bin')));
      requireOracle();
      const valid = await oracle('tensors', fx.models.valid);
      assert.deepEqual(valid.tensors[0]!.values, [1, 2, 3, 4]);
      const missing = await oracle('tensors', fx.models.missing);
      assert.ok(missing.tensors[0]!.error);
    } finally {
      fx.cleanup();
    }
  });
});

describe('sample model (media/sample)', () => {
  const sampleDir = path.join(REPO, 'media', 'sample');

  function readCsv(file: string): { x: Float32Array; y: number[] } {
    const lines = fs.readFileSync(path.join(sampleDir, file), 'utf8').trim().split('\n');
    assert.equal(lines[0], [...Array.from({ length: 64 }, (_, i) => `f${i}`), 'label'].join(','));
    const rows = lines.slice(1).map((l) => l.split(',').map(Number));
    const x = new Float32Array(rows.length * 64);
    rows.forEach((r, i) => x.set(r.slice(0, 64), i * 64));
    return { x, y: rows.map((r) => r[64]!) };
  }

  it('gets in onnxruntime exactly the accuracies the training script recorded', async () => {
    const modelPath = path.join(sampleDir, 'digits-mlp.onnx');
    const m = decodeModel(fs.readFileSync(modelPath));
    const meta = Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value]));
    assert.deepEqual(JSON.parse(meta.labels!), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    assert.equal(Number(m.irVersion), 8);
    assert.ok(m.graph!.initializer.every((t) => t.rawData.length > 0));
    const session = await ort.InferenceSession.create(modelPath);
    for (const [file, key] of [['digits-test.csv', 'test_accuracy'], ['digits-train.csv', 'train_accuracy']] as const) {
      const { x, y } = readCsv(file);
      const out = await session.run({ input: new ort.Tensor('float32', x, [y.length, 64]) });
      const labels = out.label!.data as BigInt64Array;
      const correct = y.filter((t, i) => BigInt(t) === labels[i]).length;
      assert.equal((correct / y.length).toFixed(6), meta[key], file);
    }
  });
});

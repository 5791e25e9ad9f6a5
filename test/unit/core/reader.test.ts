import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OnnxFormatError, TensorDataError } from '../../../src/core/errors';
import { BufferSource } from '../../../src/core/onnx/byteSource';
import { readModelBytes, readModelFile, readModelSource } from '../../../src/core/onnx/reader';
import {
  ELEM_TYPES, attr, buildModel, externalRef, graph, makeTempDir, model, node, sparseTensor, tensor, tensorValue,
  valueInfo, sequenceType, mapType, fn, writeModel, type ElemTypeName,
} from '../../fixtures/onnxBuilder';

const tiny = (initializers: ReturnType<typeof tensor>[]) =>
  model({ graph: graph({ inputs: [tensorValue('x', 'float32', [1])], nodes: [node('Identity', ['x'], ['y'])], outputs: [tensorValue('y', 'float32', [1])], initializers }) });

/** Values every storage of the type represents exactly (so decoded == written). */
const EXACT: Partial<Record<ElemTypeName, (number | bigint | string)[]>> = {
  float32: [0, 1.5, -2, 0.125], float64: [0, 1.5, -2, 1e-300], float16: [0, 1.5, -2, 65504], bfloat16: [0, 1.5, -2, 256],
  float8e4m3fn: [0, 1.5, -2, 448], float8e4m3fnuz: [0, 1.5, -2, 240], float8e5m2: [0, 1.5, -2, 57344], float8e5m2fnuz: [0, 1.5, -2, 57344],
  int8: [0, 127, -128, 5], uint8: [0, 255, 1, 7], int16: [0, 32767, -32768, 3], uint16: [0, 65535, 1, 2],
  int32: [0, 2147483647, -2147483648, 9], uint32: [0, 4294967295, 1, 2], bool: [1, 0, 1, 1],
  int64: [0n, 9223372036854775807n, -9223372036854775808n, -1n], uint64: [0n, 18446744073709551615n, 1n, 2n],
  int4: [-8, 7, 0, -1], uint4: [0, 15, 3, 8], complex64: [1, 2, -3, 4, 0.5, 0, 0, -1], complex128: [1, 2, -3, 4, 0.5, 0, 0, -1],
  string: ['a', 'héllo', '', 'z'],
};

describe('reading ONNX models', () => {
  for (const [type, values] of Object.entries(EXACT) as [ElemTypeName, (number | bigint | string)[]][]) {
    for (const storage of ['raw', 'typed'] as const) {
      if (type === 'string' && storage === 'raw') continue;
      it(`decodes ${type} initializers stored as ${storage === 'raw' ? 'raw_data' : 'typed fields'}`, () => {
        const dims = type.startsWith('complex') ? [2, 2] : [4];
        const m = readModelBytes(tiny([tensor('w', type, dims, values as never, { storage })]));
        const t = m.info.graph.initializers[0];
        assert.equal(t.elemType, ELEM_TYPES[type]);
        assert.deepEqual(t.dims, dims);
        assert.equal(t.data.kind, type === 'string' ? 'strings' : storage === 'raw' ? 'raw' : 'typed');
        assert.deepEqual(Array.from(m.readTensor(t).values as ArrayLike<unknown>), values);
      });
    }
  }

  it('keeps only byte ranges for tensor data and reads far less than the file while parsing', () => {
    const big = new Float32Array(8 * 1024 * 1024).fill(0.25);
    const bytes = tiny([tensor('big', 'float32', [big.length], big)]);
    let read = 0;
    const inner = new BufferSource(bytes);
    const counting = { size: inner.size, read: (o: number, l: number) => { const v = inner.read(o, l); read += v.length; return v; }, close() {} };
    const m = readModelSource(counting, 'big.onnx');
    assert.equal(m.info.graph.initializers[0].data.kind, 'raw');
    assert.ok(read < bytes.length / 8, `read ${read} of ${bytes.length} bytes while parsing`);
    const values = m.readTensor(m.info.graph.initializers[0]).values as Float32Array;
    assert.equal(values[values.length - 1], 0.25);
  });

  it('reads metadata, doc strings, value_info, opsets, sequence and map types', () => {
    const m = readModelBytes(model({
      opsets: { 'ai.onnx.ml': 3 }, docString: 'the model', metadata: { author: 'me', labels: '["a"]' }, producer: { name: 'p', version: '1.2' },
      graph: graph({
        docString: 'the graph', inputs: [tensorValue('x', 'float32', ['batch', null, 3])],
        nodes: [node('Relu', ['x'], ['y'], { name: '/blk/Relu', docString: 'relu node' })],
        outputs: [valueInfo('s', sequenceType({ tensorType: { elemType: 1 } })), valueInfo('m', mapType('int64', { tensorType: { elemType: 1 } }))],
        valueInfo: [tensorValue('y', 'float32', ['batch', null, 3])],
      }),
    }));
    const i = m.info;
    assert.equal(i.docString, 'the model');
    assert.equal(i.producerVersion, '1.2');
    assert.deepEqual(i.metadata, [{ key: 'author', value: 'me' }, { key: 'labels', value: '["a"]' }]);
    assert.deepEqual(i.opsets, [{ domain: '', version: 17 }, { domain: 'ai.onnx.ml', version: 3 }]);
    assert.deepEqual(i.graph.inputs[0].type, { kind: 'tensor', elemType: 1, shape: ['batch', null, 3] });
    assert.equal(i.graph.nodes[0].docString, 'relu node');
    assert.equal(i.graph.valueInfo[0].name, 'y');
    assert.equal(i.graph.outputs[0].type.kind, 'sequence');
    assert.deepEqual(i.graph.outputs[1].type, { kind: 'map', keyType: 7, value: { kind: 'tensor', elemType: 1, shape: null } });
  });

  it('reads every attribute kind, If subgraphs, sparse initializers and model-local functions', () => {
    const branch = (v: number) => graph({ name: `b${v}`, nodes: [node('Constant', [], [`c${v}`], { attrs: { value_float: attr.float(v) } })], outputs: [tensorValue(`c${v}`, 'float32', [])] });
    const m = readModelBytes(model({
      opsets: { 'my.domain': 1 },
      functions: [fn({ name: 'Twice', domain: 'my.domain', inputs: ['a'], outputs: ['b'], nodes: [node('Add', ['a', 'a'], ['b'])], opsets: { '': 17 } })],
      graph: graph({
        inputs: [tensorValue('cond', 'bool', [])],
        nodes: [
          node('If', ['cond'], ['r'], { attrs: { then_branch: branch(1), else_branch: branch(2) } }),
          node('Twice', ['r'], ['r2'], { domain: 'my.domain', attrs: { f: attr.float(0.5), i: 3, s: 'txt', fs: [0.5, 1.5], is: [1, -2], ss: ['a', 'b'], t: tensor('tt', 'int64', [2], [1n, 2n]) } }),
        ],
        sparseInitializers: [sparseTensor('sp', 'float32', [3, 3], { indices: [0, 4], values: [1, 2] })],
        outputs: [tensorValue('r2', 'float32', [])],
      }),
    }));
    const [ifNode, call] = m.info.graph.nodes;
    assert.deepEqual(ifNode.attributes.map((a) => [a.name, a.g?.nodes.length]), [['then_branch', 1], ['else_branch', 1]]);
    const byName = Object.fromEntries(call.attributes.map((a) => [a.name, a]));
    assert.equal(byName.f.f, 0.5);
    assert.equal(byName.i.i, 3);
    assert.equal(byName.s.s, 'txt');
    assert.deepEqual(byName.fs.floats, [0.5, 1.5]);
    assert.deepEqual(byName.is.ints, [1, -2]);
    assert.deepEqual(byName.ss.strings, ['a', 'b']);
    assert.deepEqual(byName.t.t?.dims, [2]);
    assert.equal(m.info.functions[0].name, 'Twice');
    assert.deepEqual(m.info.functions[0].opsets, [{ domain: '', version: 17 }]);
    assert.deepEqual(m.info.graph.sparseInitializers[0].dims, [3, 3]);
  });

  describe('external data', () => {
    const withExternal = (location = 'weights.bin') => buildModel({
      graph: graph({
        inputs: [tensorValue('x', 'float32', [4])], nodes: [node('Add', ['x', 'w'], ['y'])], outputs: [tensorValue('y', 'float32', [4])],
        initializers: [tensor('w', 'float32', [4], [1, 2, 3, 4], { storage: 'external', location })],
      }),
    });

    it('opens the external file only when the tensor is read, relative to the model folder', () => {
      const w = writeModel(withExternal());
      try {
        const m = readModelFile(w.modelPath);
        assert.equal(m.info.graph.initializers[0].data.kind, 'external');
        assert.deepEqual(Array.from(m.readTensor(m.info.graph.initializers[0]).values as Float32Array), [1, 2, 3, 4]);
        fs.rmSync(w.externalPaths[0]);
        assert.throws(() => m.readTensor(m.info.graph.initializers[0]), (e: Error) => e instanceof TensorDataError && /is missing/.test(e.message));
        m.close();
      } finally {
        w.cleanup();
      }
    });

    for (const [label, location] of [['a parent path', '../outside.bin'], ['an absolute path', '/etc/passwd'], ['a nested parent path', 'sub/../../x.bin']] as const) {
      it(`refuses an external location that escapes the model folder through ${label}`, () => {
        const { dir, cleanup } = makeTempDir();
        try {
          const bytes = model({ graph: graph({ initializers: [externalRef('w', 'float32', [4], { location, offset: 0, length: 16 })], outputs: [tensorValue('w', 'float32', [4])] }) });
          const file = path.join(dir, 'm.onnx');
          fs.writeFileSync(file, bytes);
          const m = readModelFile(file);
          assert.throws(() => m.readTensor(m.info.graph.initializers[0]), (e: Error) => e instanceof TensorDataError && /refused/.test(e.message) && e.message.startsWith(file));
          m.close();
        } finally {
          cleanup();
        }
      });
    }

    it('refuses an external file that is a symlink leading outside the model folder', () => {
      const outside = makeTempDir();
      const w = writeModel(withExternal('link.bin'));
      try {
        fs.writeFileSync(path.join(outside.dir, 'secret.bin'), Buffer.alloc(16));
        fs.rmSync(path.join(w.dir, 'link.bin'));
        fs.symlinkSync(path.join(outside.dir, 'secret.bin'), path.join(w.dir, 'link.bin'));
        const m = readModelFile(w.modelPath);
        assert.throws(() => m.readTensor(m.info.graph.initializers[0]), /link that leads outside/);
        m.close();
      } finally {
        w.cleanup();
        outside.cleanup();
      }
    });
  });

  describe('bad input gets one typed sentence naming the file', () => {
    const expectFormatError = (bytes: Uint8Array, pattern: RegExp) =>
      assert.throws(() => readModelBytes(bytes, 'bad.onnx'), (e: Error) => e instanceof OnnxFormatError && e.message.startsWith('bad.onnx: ') && pattern.test(e.message) && !e.message.includes('\n'));

    it('rejects an empty file', () => expectFormatError(new Uint8Array(0), /is empty/));
    it('recognises JSON, ZIP (PyTorch) and text files', () => {
      expectFormatError(new TextEncoder().encode('{"model": "not really", "layers": [1, 2, 3]}'), /JSON/);
      expectFormatError(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), /ZIP archive/);
      expectFormatError(new TextEncoder().encode('this is just some text in a file named model.onnx\n'), /text file/);
    });
    it('recognises a Git LFS pointer (what a git: URI holds for a model kept in LFS)', () => {
      const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n';
      expectFormatError(new TextEncoder().encode(pointer), /is not an ONNX model: it looks like a Git LFS pointer \(the model itself is in LFS storage: `git lfs pull` fetches it\)$/);
    });
    it('rejects a truncated model', () => {
      const full = tiny([tensor('w', 'float32', [64], new Float32Array(64))]);
      expectFormatError(full.subarray(0, full.length - 20), /truncated|not an ONNX model/);
    });
    it('rejects a varint longer than 10 bytes', () => expectFormatError(Uint8Array.from([0x08, ...new Array(12).fill(0xff), 0x01]), /malformed varint/));
    it('rejects random bytes', () => {
      let seed = 7;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
      expectFormatError(Uint8Array.from({ length: 4096 }, rnd), /not (a valid|an) ONNX model/);
    });
    it('rejects a protobuf that is not a ModelProto (no graph)', () => expectFormatError(Uint8Array.from([0x08, 0x07, 0x12, 0x01, 0x41]), /has no graph/));
    it('rejects a negative dimension in a tensor', () => {
      expectFormatError(tiny([tensor('w', 'float32', [-3], [], { unchecked: true })]), /invalid dimension -3/);
    });
  });
});

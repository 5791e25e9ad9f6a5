import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readModelFile } from '../../../src/core/onnx/reader';
import { ElemType } from '../../../src/core/onnx/elemTypes';
import { identityRewrite, type ModelRewrite } from '../../../src/core/onnx/write/rewrite';
import { encodeModel, OnnxWriteError, writeModelFile } from '../../../src/core/onnx/write/writeModel';
import {
  decodeModelPlain, fn, graph, makeTempDir, node, tensor, tensorValue, writeModel,
} from '../../fixtures/onnxBuilder';
import { npmModel, PP_OCR } from '../../fixtures/npmModels';
import { oracle, requireOracle } from '../../fixtures/oracle';
import { LIGHT_MODEL_FILES, lightModel } from '../../fixtures/prerequisites';

const SAMPLE = path.resolve(__dirname, '../../../media/sample/digits-mlp.onnx');

const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);

/** A model with everything a rewrite must carry over: docs, metadata, a function, an If with a subgraph, value_info. */
function richModel(dir: string, storage: 'raw' | 'external' = 'raw') {
  const w = Array.from({ length: 12 }, (_, i) => (i - 6) / 4);
  const branch = (op: string) => graph({ name: op, nodes: [node(op, ['h'], [`${op}_out`])], outputs: [tensorValue(`${op}_out`, 'float32', null)] });
  return writeModel({
    docString: 'model doc',
    metadata: { author: 'tests', labels: '["a","b","c"]' },
    opsets: { 'local.fn': 1 },
    functions: [fn({ name: 'Twice', domain: 'local.fn', inputs: ['a'], outputs: ['b'], nodes: [node('Add', ['a', 'a'], ['b'])], opsets: { '': 17 } })],
    graph: graph({
      docString: 'graph doc',
      inputs: [tensorValue('x', 'float32', ['batch', 4]), tensorValue('flag', 'bool', [])],
      nodes: [
        node('MatMul', ['x', 'W'], ['h'], { name: '/mm/MatMul', docString: 'the matmul' }),
        node('If', ['flag'], ['branch'], { name: '/if', attrs: { then_branch: branch('Relu'), else_branch: branch('Neg') } }),
        node('Twice', ['branch'], ['y'], { name: '/twice', domain: 'local.fn' }),
      ],
      initializers: [tensor('W', 'float32', [4, 3], w, { storage, location: 'weights.bin' })],
      valueInfo: [tensorValue('h', 'float32', ['batch', 3])],
      outputs: [tensorValue('y', 'float32', ['batch', 3])],
    }),
  }, { dir });
}

async function runModel(file: string, feeds: Record<string, ort.Tensor>): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(file, { logSeverityLevel: 3 });
  try {
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await session.release();
  }
}

const feeds = () => ({
  x: new ort.Tensor('float32', Float32Array.from({ length: 8 }, (_, i) => i - 3), [2, 4]),
  flag: new ort.Tensor('bool', [1], []),
});

describe('ONNX writer', () => {
  let tmp: { dir: string; cleanup(): void };
  beforeEach(() => {
    tmp = makeTempDir('onnx-lens-writer-');
  });
  afterEach(() => tmp.cleanup());

  it('writes the sample model back byte for byte when nothing changes', () => {
    const model = readModelFile(SAMPLE);
    const out = path.join(tmp.dir, 'same.onnx');
    const written = writeModelFile(model, identityRewrite(model), out);
    model.close();
    assert.deepEqual(fs.readFileSync(out), fs.readFileSync(SAMPLE));
    assert.equal(written.bytes, fs.statSync(SAMPLE).size);
    assert.equal(written.dataFile, null);
  });

  it('writes real models back byte for byte (onnx-light, PP-OCRv4, Silero VAD with If subgraphs)', function () {
    this.timeout(300_000);
    const files = [
      ...LIGHT_MODEL_FILES.map(lightModel),
      PP_OCR.det(), PP_OCR.rec(), npmModel('@ricky0123/vad-web', '0.0.31', 'dist/silero_vad_v5.onnx'),
    ];
    for (const file of files) {
      const model = readModelFile(file);
      const bytes = encodeModel(model, identityRewrite(model));
      model.close();
      assert.ok(Buffer.from(bytes).equals(fs.readFileSync(file)), `${path.basename(file)} changed`);
    }
  });

  it('round-trips functions, subgraphs, docs and metadata byte for byte, in memory too', () => {
    const { modelPath } = richModel(tmp.dir);
    const model = readModelFile(modelPath);
    assert.deepEqual(Buffer.from(encodeModel(model, identityRewrite(model))), fs.readFileSync(modelPath));
    model.close();
  });

  it('rewrites nodes, initializers, value_info and opsets, copying the untouched parts', async () => {
    const { modelPath } = richModel(tmp.dir);
    const model = readModelFile(modelPath);
    const rw: ModelRewrite = identityRewrite(model);
    // h = MatMul(x, W) * 2: the MatMul now writes h0 and a new Mul node makes h from it with a new
    // initializer, so the If's branches (which read h from the outer scope) see the doubled value.
    rw.graph.nodes = [
      { source: 0, outputs: ['h0'] },
      { opType: 'Mul', name: '/scale/Mul', inputs: ['h0', 'two'], outputs: ['h'] },
      { source: 1, name: '/if_renamed' },
      { source: 2 },
    ];
    rw.graph.initializers.push({ name: 'two', elemType: ElemType.FLOAT, dims: [], data: f32([2]) });
    rw.graph.valueInfo.push({ name: 'h0', elemType: ElemType.FLOAT, shape: ['batch', 3] });
    rw.metadata = [{ key: 'author', value: 'onnx-lens' }, { key: 'quantization', value: '{}' }];
    rw.opsets = [...model.info.opsets.map((o) => ({ ...o })), { domain: 'com.microsoft', version: 1 }];
    const out = path.join(tmp.dir, 'edited.onnx');
    writeModelFile(model, rw, out);
    const before = decodeModelPlain(fs.readFileSync(modelPath)) as any;
    const after = decodeModelPlain(fs.readFileSync(out)) as any;
    assert.deepEqual(after.functions, before.functions);
    assert.equal(after.docString, 'model doc');
    assert.equal(after.graph.docString, 'graph doc');
    assert.deepEqual(after.metadataProps, [{ key: 'labels', value: '["a","b","c"]' }, { key: 'author', value: 'onnx-lens' }, { key: 'quantization', value: '{}' }]);
    assert.deepEqual(after.opsetImport.map((o: any) => o.domain ?? ''), ['', 'local.fn', 'com.microsoft']);
    assert.deepEqual(after.graph.node.map((n: any) => n.name), ['/mm/MatMul', '/scale/Mul', '/if_renamed', '/twice']);
    assert.equal(after.graph.node[0].docString, 'the matmul');
    assert.deepEqual(after.graph.valueInfo.map((v: any) => v.name), ['h', 'h0']);
    assert.deepEqual(after.graph.node[0].output, ['h0']);
    assert.deepEqual(after.graph.node[2].attribute, before.graph.node[1].attribute);
    const [a, b] = [await runModel(modelPath, feeds()), await runModel(out, feeds())];
    assert.deepEqual(Array.from(b.y), Array.from(a.y, (v) => 2 * v));
    model.close();
  });

  it('sets and removes attributes of a copied node', () => {
    const { modelPath } = writeModel({
      graph: graph({
        inputs: [tensorValue('x', 'float32', [2, 3])],
        nodes: [node('Softmax', ['x'], ['y'], { attrs: { axis: 0 } }), node('Cast', ['y'], ['z'], { attrs: { to: 1, saturate: 1 } })],
        outputs: [tensorValue('z', 'float32', [2, 3])],
      }),
      opset: 19,
    }, { dir: tmp.dir });
    const model = readModelFile(modelPath);
    const rw = identityRewrite(model);
    rw.graph.nodes[0] = { source: 0, setAttributes: [{ name: 'axis', type: 'int', value: -1 }] };
    rw.graph.nodes[1] = { source: 1, removeAttributes: ['saturate'], setAttributes: [{ name: 'to', type: 'int', value: 10 }] };
    rw.graph.outputs = [{ name: 'z', elemType: ElemType.FLOAT16, shape: [2, 3] }];
    const after = decodeModelPlain(encodeModel(model, rw)) as any;
    assert.deepEqual(after.graph.node[0].attribute, [{ name: 'axis', i: -1, type: 2 }]);
    assert.deepEqual(after.graph.node[1].attribute, [{ name: 'to', i: 10, type: 2 }]);
    assert.equal(after.graph.output[0].type.tensorType.elemType, 10);
    model.close();
  });

  it('passes onnx.checker and gives onnxruntime the same outputs after a round trip with new tensors', async function () {
    const { modelPath } = richModel(tmp.dir);
    const model = readModelFile(modelPath);
    const rw = identityRewrite(model);
    rw.graph.nodes.push({ opType: 'Add', inputs: ['y', 'bias'], outputs: ['y2'], name: '/bias/Add' });
    rw.graph.initializers.push({ name: 'bias', elemType: ElemType.FLOAT, dims: [3], data: f32([1, 2, 3]) });
    rw.graph.outputs = [{ source: 0 }, { name: 'y2', elemType: ElemType.FLOAT, shape: ['batch', 3] }];
    const out = path.join(tmp.dir, 'plus.onnx');
    writeModelFile(model, rw, out);
    const [a, b] = [await runModel(modelPath, feeds()), await runModel(out, feeds())];
    assert.deepEqual(b.y, a.y);
    assert.deepEqual(Array.from(b.y2), Array.from(a.y, (v, i) => v + [1, 2, 3][i % 3]));
    requireOracle();
    const check = await oracle('check', out);
    assert.ok(check.ok, check.error ?? '');
    model.close();
  });

  describe('external data', () => {
    it('keeps references to the input data file when writing next to it, and puts new large tensors in a data file of its own', async () => {
      const { modelPath } = richModel(tmp.dir, 'external');
      const model = readModelFile(modelPath);
      const rw = identityRewrite(model);
      const big = new Float32Array(3000).fill(0.5);
      rw.graph.initializers.push({ name: 'big', elemType: ElemType.FLOAT, dims: [3000], data: new Uint8Array(big.buffer) });
      const out = path.join(tmp.dir, 'out.onnx');
      const written = writeModelFile(model, rw, out);
      assert.equal(written.dataFile, path.join(tmp.dir, 'out.onnx.data'));
      assert.deepEqual(written.referencedData, [{ file: path.join(tmp.dir, 'weights.bin'), bytes: 48 }]);
      const after = readModelFile(out);
      const [w, b] = after.info.graph.initializers;
      assert.deepEqual(w.data, model.info.graph.initializers[0].data);
      assert.equal(b.data.kind, 'external');
      assert.deepEqual(after.readTensor(b).values, big);
      assert.deepEqual((await runModel(out, feeds())).y, (await runModel(modelPath, feeds())).y);
      after.close();
      model.close();
    });

    it('copies the data it still uses into its own data file when written in another folder', async () => {
      const { modelPath } = richModel(tmp.dir, 'external');
      const model = readModelFile(modelPath);
      fs.mkdirSync(path.join(tmp.dir, 'elsewhere'));
      const out = path.join(tmp.dir, 'elsewhere', 'copy.onnx');
      const written = writeModelFile(model, identityRewrite(model), out);
      assert.deepEqual(fs.readdirSync(path.dirname(out)).sort(), ['copy.onnx', 'copy.onnx.data']);
      assert.deepEqual(written.referencedData, []);
      const after = readModelFile(out);
      assert.deepEqual(after.readTensor(after.info.graph.initializers[0]).values, model.readTensor(model.info.graph.initializers[0]).values);
      assert.deepEqual((await runModel(out, feeds())).y, (await runModel(modelPath, feeds())).y);
      after.close();
      model.close();
    });
  });

  describe('refusals', () => {
    it('never writes over the input, however its path is spelled', () => {
      const { modelPath } = richModel(tmp.dir);
      const before = fs.readFileSync(modelPath);
      fs.mkdirSync(path.join(tmp.dir, 'sub'));
      fs.symlinkSync(modelPath, path.join(tmp.dir, 'link.onnx'));
      const model = readModelFile(modelPath);
      for (const spelling of [modelPath, path.join(tmp.dir, 'sub', '..', 'model.onnx'), path.join(tmp.dir, '.', 'model.onnx'), path.join(tmp.dir, 'link.onnx')]) {
        assert.throws(() => writeModelFile(model, identityRewrite(model), spelling, { overwrite: true }), (err: Error) => err instanceof OnnxWriteError && /is the model, an input of this command/.test(err.message));
      }
      model.close();
      assert.deepEqual(fs.readFileSync(modelPath), before);
      assert.deepEqual(fs.readdirSync(tmp.dir).sort(), ['link.onnx', 'model.onnx', 'sub']);
    });

    it('refuses an existing output unless asked to overwrite it', () => {
      const { modelPath } = richModel(tmp.dir);
      const model = readModelFile(modelPath);
      const out = path.join(tmp.dir, 'exists.onnx');
      fs.writeFileSync(out, 'keep me');
      assert.throws(() => writeModelFile(model, identityRewrite(model), out), /exists\.onnx: already exists; use --force to replace it/);
      assert.equal(fs.readFileSync(out, 'utf8'), 'keep me');
      writeModelFile(model, identityRewrite(model), out, { overwrite: true });
      assert.deepEqual(fs.readFileSync(out), fs.readFileSync(modelPath));
      model.close();
    });

    it('says a read-only folder cannot be written and leaves nothing behind', function () {
      if (process.getuid?.() === 0) this.skip(); // root writes anywhere
      const { modelPath } = richModel(tmp.dir);
      const model = readModelFile(modelPath);
      const ro = path.join(tmp.dir, 'ro');
      fs.mkdirSync(ro);
      fs.chmodSync(ro, 0o555);
      try {
        assert.throws(() => writeModelFile(model, identityRewrite(model), path.join(ro, 'out.onnx')), /out\.onnx: cannot be written: permission denied/);
        assert.deepEqual(fs.readdirSync(ro), []);
      } finally {
        fs.chmodSync(ro, 0o755);
        model.close();
      }
    });
  });
});

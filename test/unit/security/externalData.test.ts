/**
 * Issue 13, item 1: one external-data resolver for every path into a model's bytes — the reader,
 * the runtime process (and onnxruntime, which reads the same locations on its own) and the
 * quantizer's in-process onnxruntime. Inside the model's folder, regular files only, every range
 * inside its file; anything else is one refusal naming the model, and nothing outside is read.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { TensorDataError } from '../../../src/core/errors';
import { FolderFileRefused, resolveFolderFile } from '../../../src/core/files/folderFile';
import { checkModelExternalData, externalTensors } from '../../../src/core/onnx/externalData';
import { readModelFile } from '../../../src/core/onnx/reader';
import { externalRef, graph, makeTempDir, model, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { OPTIONS, ROOT, useRuntime } from '../../fixtures/runtimeModels';
import { createModelRunner } from '../../../src/runtime/child/ort/modelRunner';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const cli = (args: string[], timeout = 120_000) => {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), signal: r.signal };
};

/** y = MatMul(x, W) + b: W inline (what dynamic quantization rewrites), b external at `location`. */
function addExternalBias(dir: string, location: string, fileName = 'm.onnx'): string {
  const bytes = model({
    graph: graph({
      inputs: [tensorValue('x', 'float32', [1, 4])],
      initializers: [
        tensor('W', 'float32', [4, 4], Float32Array.from({ length: 16 }, (_, i) => (i % 5 === 0 ? 1 : 0.25))),
        externalRef('b', 'float32', [4], { location, offset: 0, length: 16 }),
      ],
      nodes: [node('MatMul', ['x', 'W'], ['h'], { name: 'matmul' }), node('Add', ['h', 'b'], ['y'], { name: 'add' })],
      outputs: [tensorValue('y', 'float32', [1, 4])],
    }),
  });
  const file = path.join(dir, fileName);
  fs.writeFileSync(file, bytes);
  return file;
}

describe('security: external data stays inside the model folder (issue 13, item 1)', function () {
  this.timeout(180_000);
  let tmp: ReturnType<typeof makeTempDir>;
  let outside: ReturnType<typeof makeTempDir>;
  before(() => {
    tmp = makeTempDir('onnx-lens-sec-ext-');
    outside = makeTempDir('onnx-lens-sec-outside-');
    fs.writeFileSync(path.join(outside.dir, 'secret.bin'), Buffer.from(new Float32Array([7, 7, 7, 7]).buffer));
  });
  after(() => {
    tmp.cleanup();
    outside.cleanup();
  });

  describe('the folder-file rules', () => {
    const refused = (folder: string, rel: string, why: RegExp) =>
      assert.throws(() => resolveFolderFile(folder, rel), (e: Error) => e instanceof FolderFileRefused && why.test(e.message), rel);

    it('accepts a regular file, also through a link that stays inside the folder', () => {
      const dir = fs.mkdtempSync(path.join(tmp.dir, 'rules-'));
      fs.writeFileSync(path.join(dir, 'w.bin'), Buffer.alloc(8));
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.symlinkSync(path.join(dir, 'w.bin'), path.join(dir, 'sub', 'alias.bin'));
      assert.equal(resolveFolderFile(dir, 'w.bin').size, 8);
      assert.equal(resolveFolderFile(dir, 'sub/alias.bin').path, fs.realpathSync(path.join(dir, 'w.bin')));
    });

    it('refuses absolute paths, parent paths, links out, folders, devices and FIFOs', () => {
      const dir = fs.mkdtempSync(path.join(tmp.dir, 'rules-'));
      fs.symlinkSync(path.join(outside.dir, 'secret.bin'), path.join(dir, 'out.bin'));
      fs.symlinkSync('/dev/zero', path.join(dir, 'zero.bin'));
      fs.mkdirSync(path.join(dir, 'folder'));
      spawnSync('mkfifo', [path.join(dir, 'fifo.bin')]);
      refused(dir, '/etc/passwd', /absolute/);
      refused(dir, 'C:\\Windows\\win.ini', /absolute/);
      refused(dir, '../../etc/passwd', /outside the folder/);
      refused(dir, 'sub/../../x.bin', /outside the folder/);
      refused(dir, 'out.bin', /link that leads outside/);
      refused(dir, 'zero.bin', /link that leads outside/);
      refused(dir, 'folder', /a folder, not a regular file/);
      refused(dir, 'fifo.bin', /device, pipe or socket/);
      refused(dir, 'a\0b', /invalid location/);
    });
  });

  it('finds external tensors everywhere onnxruntime would read them: attributes, sparse tensors, subgraphs, functions', () => {
    const ext = (name: string) => externalRef(name, 'float32', [1], { location: `${name}.bin`, offset: 0, length: 4 });
    const body = graph({ name: 'then', nodes: [node('Constant', [], ['c_then'], { attrs: { value: ext('in_then') } })], outputs: [tensorValue('c_then', 'float32', [1])] });
    const bytes = model({
      graph: graph({
        inputs: [tensorValue('flag', 'bool', [])],
        initializers: [ext('init')],
        nodes: [
          node('Constant', [], ['c'], { attrs: { value: ext('constant') } }),
          node('If', ['flag'], ['r'], { attrs: { then_branch: body, else_branch: body } }),
        ],
        outputs: [tensorValue('r', 'float32', [1])],
      }),
    });
    const m = readModelFile(writeRaw(bytes, 'everywhere.onnx'));
    try {
      assert.deepEqual(new Set(externalTensors(m.info).map((t) => (t.data.kind === 'external' ? t.data.location : ''))), new Set(['init.bin', 'constant.bin', 'in_then.bin']));
      assert.throws(() => checkModelExternalData(m.file, m.dir, m.info), (e: Error) => e instanceof TensorDataError && /is missing/.test(e.message));
    } finally {
      m.close();
    }
  });

  function writeRaw(bytes: Uint8Array, name: string): string {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  }

  it("refuses onnxruntime's in-memory address marker and offsets that are not plain decimals", () => {
    const marker = readModelFile(addExternalBias(tmp.dir, '*/_ORT_MEM_ADDR_/*', 'marker.onnx'));
    try {
      assert.throws(() => checkModelExternalData(marker.file, marker.dir, marker.info), /in-memory address/);
    } finally {
      marker.close();
    }
    fs.writeFileSync(path.join(tmp.dir, 'hex.bin'), Buffer.alloc(64));
    const t = new onnx.TensorProto({
      name: 'b', dataType: 1, dims: [4], dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [{ key: 'location', value: 'hex.bin' }, { key: 'offset', value: '0x10' }],
    });
    const file = writeRaw(model({ graph: graph({ initializers: [t], outputs: [tensorValue('b', 'float32', [4])] }) }), 'hex.onnx');
    assert.throws(() => readModelFile(file), /invalid external offset/);
  });

  it('checks every range against its file before onnxruntime gets the model', () => {
    const dir = fs.mkdtempSync(path.join(tmp.dir, 'range-'));
    fs.writeFileSync(path.join(dir, 'short.bin'), Buffer.alloc(8));
    const m = readModelFile(addExternalBias(dir, 'short.bin'));
    try {
      assert.throws(() => checkModelExternalData(m.file, m.dir, m.info), /needs bytes 0\.\.16 of 'short\.bin', which has only 8 bytes/);
    } finally {
      m.close();
    }
  });

  for (const [label, location, prepare] of [
    ['a parent path', '../secret.bin', (dir: string) => fs.copyFileSync(path.join(outside.dir, 'secret.bin'), path.join(path.dirname(dir), 'secret.bin'))],
    ['an absolute path', '/etc/passwd', () => undefined],
    ['a link out of the folder', 'link.bin', (dir: string) => fs.symlinkSync(path.join(outside.dir, 'secret.bin'), path.join(dir, 'link.bin'))],
  ] as const) {
    it(`quantize refuses a model whose external data is at ${label}, and writes nothing`, () => {
      const dir = fs.mkdtempSync(path.join(tmp.dir, 'quant-'));
      prepare(dir);
      const input = addExternalBias(dir, location);
      const out = path.join(dir, 'out.onnx');
      const r = cli(['quantize', input, '--mode', 'dynamic', '-o', out, '--no-bench']);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /^onnx-lens: .*m\.onnx: external data of tensor 'b' .*refused[^\n]*\n$/);
      assert.ok(!fs.existsSync(out), 'no output is left');
    });
  }

  it("quantization's runner (the runtime process's sessions) checks the data again before each session it opens", async () => {
    const dir = fs.mkdtempSync(path.join(tmp.dir, 'runner-'));
    fs.writeFileSync(path.join(dir, 'b.bin'), Buffer.alloc(16));
    const file = addExternalBias(dir, 'b.bin');
    const runner = createModelRunner();
    const session = await runner.open(file, ['h']);
    assert.deepEqual([...session.outputNames], ['y', 'h']);
    await session.close();
    fs.rmSync(path.join(dir, 'b.bin'));
    fs.symlinkSync(path.join(outside.dir, 'secret.bin'), path.join(dir, 'b.bin'));
    await assert.rejects(runner.open(file, ['h']), /m\.onnx: external data of tensor 'b' .*refused/);
    await assert.rejects(runner.open(file), /m\.onnx: external data of tensor 'b' .*refused/);
  });

  describe('in the runtime process', () => {
    const env = useRuntime('sec-ext');
    it('refuses a FIFO as external data instead of handing it to onnxruntime (which would block on it)', async () => {
      const dir = fs.mkdtempSync(path.join(env.dir, 'fifo-'));
      spawnSync('mkfifo', [path.join(dir, 'pipe.bin')]);
      const file = addExternalBias(dir, 'pipe.bin');
      await assert.rejects(env.rpc.request('signature', { model: file, options: OPTIONS }, { timeoutMs: 20_000 }), /pipe\.bin' is a device, pipe or socket, not a regular file, which is refused/);
    });

    it('checks again before a new session: a data file replaced by a link out is refused', async () => {
      const w = writeModel({
        graph: graph({
          inputs: [tensorValue('x', 'float32', [4])],
          initializers: [tensor('w', 'float32', [4], [1, 2, 3, 4], { storage: 'external', location: 'w.bin' })],
          nodes: [node('Add', ['x', 'w'], ['y'])],
          outputs: [tensorValue('y', 'float32', [4])],
        }),
      }, { dir: fs.mkdtempSync(path.join(env.dir, 'swap-')) });
      await env.rpc.request('signature', { model: w.modelPath, options: OPTIONS });
      fs.rmSync(w.externalPaths[0]);
      fs.symlinkSync(path.join(outside.dir, 'secret.bin'), w.externalPaths[0]);
      await assert.rejects(env.rpc.request('signature', { model: w.modelPath, options: { ...OPTIONS, intraOpThreads: 1 } }), /link that leads outside the model's folder/);
    });
  });
});

/**
 * Issue 13, items 17 and 18: `run` feeds string tensors (a .npy of unicode or bytes strings, a
 * JSON array of strings), and saves what it computed (`--save DIR`: one .npy per output; `--save
 * x.npz`: all of them) — files numpy reads back as the same values, written under the writer rules.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseJsonTensors } from '../../../src/core/data/jsonTensor';
import { encodeNpyStrings, parseNpyAny } from '../../../src/core/data/npyStrings';
import { tensorFileNames } from '../../../src/core/files/tensorFileNames';
import { requireNumpy, runNumpy } from '../../fixtures/data/numpy';
import { graph, node, tensor, tensorValue, writeModel } from '../../fixtures/onnxBuilder';
import { OPTIONS, ROOT, SAMPLE, useRuntime } from '../../fixtures/runtimeModels';

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const cli = (args: string[]) => {
  const r = spawnSync(TSX, [path.join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? '') };
};

/** text[batch] (strings) → StringConcat(text, '!') → shout (opset 20); also Identity → same. */
function stringModel(dir: string): string {
  return writeModel({
    opset: 20,
    graph: graph({
      inputs: [tensorValue('text', 'string', ['batch'])],
      initializers: [tensor('bang', 'string', [1], ['!'])],
      nodes: [
        node('StringConcat', ['text', 'bang'], ['shout'], { name: 'concat' }),
        node('Identity', ['text'], ['same'], { name: 'id' }),
      ],
      outputs: [tensorValue('shout', 'string', ['batch']), tensorValue('same', 'string', ['batch'])],
    }),
  }, { dir, fileName: 'strings.onnx' }).modelPath;
}

describe('string inputs and saving outputs (issue 13, items 17, 18)', function () {
  this.timeout(180_000);
  const env = useRuntime('strings');

  it('reads numpy unicode (<U) and bytes (|S) arrays and JSON string arrays; writes <U that numpy reads back', function () {
    requireNumpy();
    const u = path.join(env.dir, 'u.npy');
    const b = path.join(env.dir, 'b.npy');
    runNumpy(`np.save(sys.argv[1], np.array([['héllo', 'wörld 🌍'], ['', 'x']])); np.save(sys.argv[2], np.array([b'ab', b'c']))`, [u, b]);
    assert.deepEqual(parseNpyAny(fs.readFileSync(u), u), { dtype: 'string', shape: [2, 2], data: ['héllo', 'wörld 🌍', '', 'x'] });
    assert.deepEqual(parseNpyAny(fs.readFileSync(b), b), { dtype: 'string', shape: [2], data: ['ab', 'c'] });
    const ours = path.join(env.dir, 'ours.npy');
    fs.writeFileSync(ours, encodeNpyStrings({ dtype: 'string', shape: [3], data: ['a', 'ßeta 🌍', ''] }));
    assert.equal(runNumpy(`a = np.load(sys.argv[1]); print(json.dumps([a.dtype.str, a.tolist()]))`, [ours]).trim(), '["<U6", ["a", "\\u00dfeta \\ud83c\\udf0d", ""]]');
    const obj = path.join(env.dir, 'obj.npy');
    runNumpy(`np.save(sys.argv[1], np.array(['a', 1], dtype=object), allow_pickle=True)`, [obj]);
    assert.throws(() => parseNpyAny(fs.readFileSync(obj), obj), /Python objects .* never loaded/);
    const json = parseJsonTensors('{"text": ["a", "b"], "n": [1, 2], "s": {"data": [["x"]], "dtype": "string"}}', 'x.json');
    assert.ok(json.kind === 'named');
    assert.deepEqual(json.tensors.get('text'), { dtype: 'string', shape: [2], data: ['a', 'b'] });
    assert.deepEqual(json.tensors.get('s'), { dtype: 'string', shape: [1, 1], data: ['x'] });
    assert.throws(() => parseJsonTensors('["a", 2]', 'mixed.json'), /2 is not a string/);
  });

  it('runs a model with a string input fed from .npy and JSON (and empty strings by default)', async function () {
    requireNumpy();
    const model = stringModel(env.dir);
    const npy = path.join(env.dir, 'words.npy');
    runNumpy(`np.save(sys.argv[1], np.array(['onnx', 'Lens']))`, [npy]);
    const fromNpy = await env.rpc.request('run', { model, options: OPTIONS, inputs: [{ name: 'text', dims: [2], source: { kind: 'npy', path: npy } }] });
    assert.deepEqual(fromNpy.outputs.find((o) => o.name === 'shout')?.head, ['onnx!', 'Lens!']);
    const json = path.join(env.dir, 'words.json');
    fs.writeFileSync(json, '["a", "b", "c"]');
    const fromJson = await env.rpc.request('run', { model, options: OPTIONS, inputs: [{ name: 'text', dims: [3], source: { kind: 'json', path: json } }] });
    assert.deepEqual(fromJson.outputs.find((o) => o.name === 'same')?.head, ['a', 'b', 'c']);
    const r = cli(['run', model, '--input', `text=${json}`, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).outputs[0].head, ['a!', 'b!', 'c!']);
    const empty = cli(['run', model, '--dim', 'batch=2', '--json']);
    assert.equal(empty.code, 0, empty.stderr);
    assert.deepEqual(JSON.parse(empty.stdout).outputs[1].head, ['', '']);
    const numbers = path.join(env.dir, 'numbers.json');
    fs.writeFileSync(numbers, '[1, 2]');
    await assert.rejects(env.rpc.request('run', { model, options: OPTIONS, inputs: [{ name: 'text', dims: [2], source: { kind: 'json', path: numbers } }] }), /input 'text' is a string tensor, but numbers\.json holds float64 numbers/);
  });

  it('run --save DIR writes one .npy per output that numpy loads as the same values; --save x.npz one archive', function () {
    requireNumpy();
    const dir = path.join(env.dir, 'saved');
    const r = cli(['run', SAMPLE, '--input', 'input=ones', '--save', dir, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { saved: string[]; outputs: { name: string; head: number[] }[] };
    assert.deepEqual(out.saved.map((f) => path.basename(f)), ['probabilities.npy', 'label.npy']);
    const loaded = JSON.parse(runNumpy(`print(json.dumps([np.load(f).tolist() for f in sys.argv[1:]]))`, out.saved)) as [number[][], number[]];
    loaded[0][0].forEach((p, i) => assert.ok(Math.abs(p - out.outputs[0].head[i]) < 1e-6));
    assert.deepEqual(loaded[1], [out.outputs[1].head[0]]);
    const again = cli(['run', SAMPLE, '--save', dir]);
    assert.equal(again.code, 2, 'existing files need --force');
    assert.match(again.stderr, /^onnx-lens: --save .*probabilities\.npy: already exists; use --force to replace it\n$/);
    assert.equal(cli(['run', SAMPLE, '--save', dir, '--force']).code, 0);
    const npz = path.join(env.dir, 'all.npz');
    assert.equal(cli(['run', SAMPLE, '--save', npz]).code, 0);
    assert.equal(runNumpy(`print(sorted(np.load(sys.argv[1]).keys()))`, [npz]).trim(), "['label', 'probabilities']");
    const strings = stringModel(fs.mkdtempSync(path.join(env.dir, 's-')));
    const words = path.join(env.dir, 'w.json');
    fs.writeFileSync(words, '["x", "yz"]');
    const sdir = path.join(env.dir, 'strings-out');
    assert.equal(cli(['run', strings, '--input', `text=${words}`, '--save', sdir]).code, 0);
    assert.equal(runNumpy(`print(json.dumps(np.load(sys.argv[1]).tolist()))`, [path.join(sdir, 'shout.npy')]).trim(), '["x!", "yz!"]');
  });

  it('never saves over the model or an input file, and makes tensor names safe file names', () => {
    const copy = path.join(env.dir, 'copy');
    fs.mkdirSync(copy);
    const model = path.join(copy, 'label.npy');
    fs.copyFileSync(SAMPLE, model); // a model whose file name is what an output would be saved as
    const r = cli(['run', model, '--save', copy, '--force']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /label\.npy: is the model, an input of this command/);
    assert.deepEqual(tensorFileNames(['/enc/layer.0/Add_output_0', '../../etc/passwd', 'a:b', 'a?b', '', '.hidden', 'A:B'], '.npy'),
      ['enc_layer.0_Add_output_0.npy', 'etc_passwd.npy', 'a_b.npy', 'a_b-2.npy', 'tensor.npy', 'hidden.npy', 'A_B-3.npy']);
  });
});

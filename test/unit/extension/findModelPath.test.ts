import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { findModelPathLiteral, modelPathCandidates, resolveModelPath } from '../../../src/extension/hover/findModelPath';

describe('finding a model path under the cursor', () => {
  const at = (line: string, marker: string) => findModelPathLiteral(line, line.indexOf(marker));

  it('finds double, single and backtick literals ending in .onnx', () => {
    assert.equal(at('sess = ort.InferenceSession("models/mlp.onnx")', 'mlp')?.path, 'models/mlp.onnx');
    assert.equal(at("load('a.ONNX')", 'a.')?.path, 'a.ONNX');
    assert.equal(at('const m = `nets/resnet.onnx`;', 'resnet')?.path, 'nets/resnet.onnx');
  });

  it('counts the quotes and Python prefixes as part of the literal', () => {
    const line = 'm = r"C:\\models\\a.onnx"';
    const found = findModelPathLiteral(line, line.indexOf('r"'));
    assert.deepEqual(found, { path: 'C:\\models\\a.onnx', start: 4, end: line.length });
    assert.equal(findModelPathLiteral(line, line.length)?.path, 'C:\\models\\a.onnx');
  });

  it('resolves escapes in normal strings and keeps them in raw strings', () => {
    assert.equal(at('p = "dir\\\\m.onnx"', 'dir')?.path, 'dir\\m.onnx');
    assert.equal(at("p = rb'dir\\m.onnx'", 'dir')?.path, 'dir\\m.onnx');
    assert.equal(at('p = f"{root}/m.onnx"', 'root')?.path, '{root}/m.onnx');
  });

  it('ignores other literals, text outside literals and paths not ending in .onnx', () => {
    assert.equal(at('open("data.csv"); load("m.onnx")', 'data'), undefined);
    assert.equal(at('open("data.csv"); load("m.onnx")', 'load'), undefined);
    assert.equal(at('open("data.csv"); load("m.onnx")', 'm.onnx')?.path, 'm.onnx');
    assert.equal(at('x = "model.onnx.bak"', 'model'), undefined);
  });

  it('does not end a literal at an escaped quote', () => {
    assert.equal(at('say("it\\"s m.onnx")', 'it')?.path, 'it"s m.onnx');
  });

  it('takes an unterminated literal up to the end of the line', () => {
    assert.equal(at('load("unfinished.onnx', 'unfinished')?.path, 'unfinished.onnx');
  });
});

describe('resolving a model path', () => {
  const root = path.resolve('/work/project');
  const ctx = { documentDir: path.join(root, 'src'), workspaceFolders: [root, path.resolve('/other')], homeDir: path.resolve('/home/me') };

  it('tries the document folder, then each workspace folder', () => {
    assert.deepEqual(modelPathCandidates('models/m.onnx', ctx), [
      path.join(root, 'src/models/m.onnx'), path.join(root, 'models/m.onnx'), path.resolve('/other/models/m.onnx'),
    ]);
    const exists = new Set([path.join(root, 'models/m.onnx')]);
    assert.equal(resolveModelPath('models/m.onnx', { ...ctx, isFile: (p) => exists.has(p) }), path.join(root, 'models/m.onnx'));
    assert.equal(resolveModelPath('models/none.onnx', { ...ctx, isFile: (p) => exists.has(p) }), undefined);
  });

  it('takes absolute, ~/ and file:// paths as they are', () => {
    assert.deepEqual(modelPathCandidates('/abs/m.onnx', ctx), [path.resolve('/abs/m.onnx')]);
    assert.deepEqual(modelPathCandidates('~/m.onnx', ctx), [path.resolve('/home/me/m.onnx')]);
    assert.deepEqual(modelPathCandidates('file:///abs/my%20m.onnx', ctx), [path.resolve('/abs/my m.onnx')]);
  });

  it('uses only workspace folders for untitled documents', () => {
    assert.deepEqual(modelPathCandidates('m.onnx', { ...ctx, documentDir: undefined }), [path.join(root, 'm.onnx'), path.resolve('/other/m.onnx')]);
  });
});

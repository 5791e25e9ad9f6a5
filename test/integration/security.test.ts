// Issue 13 inside a real VS Code: the hover escapes everything a model says and trusts only our
// own command (items 7, 8); webview requests are checked on the host before any handler runs,
// and a request can never name a file to write (item 9).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import { graph, node, tensorValue, writeModel } from '../fixtures/onnxBuilder';
import { activateApi, closeAllEditors, eventually, openInLens, rendered, sampleModel, tempDir } from './modelEditorHelpers';

const INJECT = '``]](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22id%22%7D) ![x](https://evil.example/p.png) <img src=x>';

/** A model whose every string tries to become markdown. */
function hostileModel(dir: string): string {
  return writeModel({
    producer: `evil](command:evil)${INJECT}`,
    opsets: { [`x.y](command:workbench.action.openSettings)${INJECT}`]: 1 },
    graph: graph({
      inputs: [tensorValue(`in${INJECT}`, 'float32', [1, `n${INJECT}`])],
      nodes: [node('Relu', [`in${INJECT}`], ['out`'])],
      outputs: [tensorValue('out`', 'float32', [1, `n${INJECT}`])],
    }),
  }, { dir, fileName: 'hostile.onnx' }).modelPath;
}

async function hovers(uri: vscode.Uri, position: vscode.Position): Promise<vscode.MarkdownString[]> {
  const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  return found.flatMap((h) => h.contents.filter((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c));
}

describe('ONNX Lens security in VS Code (issue 13)', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;
  before(async () => {
    ({ api, extension } = await activateApi());
  });
  afterEach(closeAllEditors);

  it('hover: a hostile model adds no link, image or HTML, and only onnxLens.openModel is trusted', async () => {
    const dir = tempDir();
    hostileModel(dir);
    const script = path.join(dir, 'use.py');
    fs.writeFileSync(script, 'm = load("hostile.onnx")\nshadow = load("file:///etc/passwd#x.onnx")\n');
    const doc = await vscode.workspace.openTextDocument(script);
    const md = (await hovers(doc.uri, new vscode.Position(0, 14))).find((m) => m.value.includes('hostile'));
    assert.ok(md, 'the hover shows');
    const trusted = md.isTrusted;
    assert.ok(typeof trusted === 'object' && trusted !== null, `isTrusted: ${JSON.stringify(trusted)}`);
    assert.deepStrictEqual((trusted as { enabledCommands: string[] }).enabledCommands, ['onnxLens.openModel']);
    // Outside inline code spans, every '[', '![', '<' and '$(' from the model is escaped; our open link is the only link.
    const outsideCode = md.value.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, '');
    const links = [...outsideCode.matchAll(/(?<!\\)\[/g)].length;
    assert.strictEqual(links, 1, md.value);
    assert.ok(!/(?<!\\)(!\[|<img)/.test(outsideCode), md.value);
    // Inside code spans a link is just text; outside them only our own link may point at a command.
    assert.deepStrictEqual([...outsideCode.matchAll(/\]\(command:([\w.]+)/g)].map((m) => m[1]), ['onnxLens.openModel'], md.value);
    assert.match(md.value, /\]\(command:onnxLens\.openModel\?/);
    assert.strictEqual(await api.hoverMarkdown(doc, new vscode.Position(1, 22)), undefined, 'file:///etc/passwd#x.onnx is not a model');
  });

  it('hover: the open link runs our command and opens the model in ONNX Lens', async () => {
    const dir = tempDir();
    fs.copyFileSync(sampleModel(extension).fsPath, path.join(dir, 'digits (copy).onnx'));
    const script = path.join(dir, 'use.py');
    fs.writeFileSync(script, 'm = load("digits (copy).onnx")\n');
    const doc = await vscode.workspace.openTextDocument(script);
    const markdown = (await api.hoverMarkdown(doc, new vscode.Position(0, 14))) ?? '';
    const link = /\]\(command:(onnxLens\.openModel)\?([^ )]+) "/.exec(markdown);
    assert.ok(link, markdown);
    const args = JSON.parse(decodeURIComponent(link[2])) as unknown[];
    await vscode.commands.executeCommand(link[1], ...args);
    const uri = vscode.Uri.file(path.join(dir, 'digits (copy).onnx'));
    await rendered(api, uri);
    await eventually(() => api.activeModel()?.uri.fsPath === uri.fsPath, 'the model to open in ONNX Lens');
  });

  it('webview requests: malformed parameters are refused with one sentence before any handler runs', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const options = { intraOpThreads: 0, interOpThreads: 0, graphOptimization: 'all', executionMode: 'sequential' } as const;
    const bad: [string, unknown, RegExp][] = [
      ['runModel', { inputs: [{ name: 'input', dims: [1, 64], source: { kind: 'npy', path: '../../etc/passwd' } }], options }, /'inputs\.0\.source\.path' must be an absolute path/],
      ['runTensorPage', { runId: 1, name: 'x', offset: -5, count: 10 }, /'offset'/],
      ['nodeDetails', { node: 'all' }, /'node'/],
      ['noSuchMethod', {}, /unknown request method/],
      ['evalSamples', { data: '/etc/passwd', samples: [{ index: 0, source: 1 }] }, /not a dataset this model was evaluated on/],
    ];
    for (const [method, params, pattern] of bad) {
      await assert.rejects(api.request(uri, method as never, params as never), (e: Error) => pattern.test(e.message) && !e.message.includes('\n'), method);
    }
  });
});

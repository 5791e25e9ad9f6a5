// Evaluation inside VS Code: the Evaluate tab's requests reach the runtime process, the report is
// saved as JSON + HTML in the workspace's reports folder, the hover and status bar show its
// headline, drill-down returns rows and thumbnails, bad data is one sentence with nothing written,
// onnxLens.intraOpThreads spreads an evaluation over parallel sessions with the metrics of one, and
// an unchanged CSV is evaluated again from memory.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { encodeNpy } from '../../src/core/data/npy';
import { unescapeMarkdown } from '../../src/extension/hover/hoverMarkdown';
import type { OnnxLensApi } from '../../src/extension/api';
import type { EvalReport } from '../../src/shared/evalReport';
import { mlpModel, npyPair } from '../unit/eval/models';
import { activateApi, closeAllEditors, csvWithBadCell, eventually, openInLens, rendered, sampleModel } from './modelEditorHelpers';

describe('ONNX Lens evaluation in the extension host', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;
  let testCsv: string;

  before(async () => {
    ({ api, extension } = await activateApi());
    testCsv = path.join(extension.extensionPath, 'media', 'sample', 'digits-test.csv');
  });

  afterEach(closeAllEditors);

  it('registers Evaluate Model… in the palette', async () => {
    assert.ok((await vscode.commands.getCommands(true)).includes('onnxLens.evaluateModel'));
  });

  it('evaluates the sample on its test split, saves JSON + HTML, and shows the accuracy in the status bar and hover', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const { report, savedTo } = await api.request(uri, 'evaluate', { data: testCsv });
    assert.strictEqual(report.schema, 'onnx-lens.eval/1');
    assert.strictEqual(report.task, 'classification');
    assert.strictEqual(report.data.samples, 450);
    // media/sample/README.md: 96.67% test accuracy (435 of 450).
    assert.ok(Math.abs((report.classification?.accuracy ?? 0) - 435 / 450) < 1e-12, String(report.classification?.accuracy));
    assert.strictEqual(report.classification?.confusionMatrix.length, 10);
    assert.ok(savedTo, 'a workspace folder is open, so the report is saved');
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    for (const file of [savedTo.json, savedTo.html]) {
      assert.ok(file.startsWith(path.join(workspace, '.onnx-lens', 'reports')), file);
      assert.ok(fs.statSync(file).size > 1000, file);
    }
    assert.match(fs.readFileSync(savedTo.html, 'utf8'), /<html[\s\S]*onnx-lens\.eval\/1/);
    await eventually(() => /accuracy 96\.7%/.test(api.statusBar()?.text ?? ''), 'the status bar to show the accuracy');
    const latest = await api.request(uri, 'latestEvaluation', {});
    assert.strictEqual(latest?.savedTo?.json, savedTo.json);

    const code = path.join(workspace, 'eval_hover.py');
    fs.writeFileSync(code, `session = ort.InferenceSession("${uri.fsPath}")\n`);
    const doc = await vscode.workspace.openTextDocument(code);
    assert.match(unescapeMarkdown((await api.hoverMarkdown(doc, new vscode.Position(0, 35))) ?? ''), /Last evaluation: accuracy 96\.7%/);
  });

  it('drills down into samples: the row values and an 8×8 thumbnail of the digit', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const { samples } = await api.request(uri, 'evalSamples', { data: testCsv, samples: [{ index: 0, source: 2 }, { index: 7, source: 9 }] });
    assert.deepStrictEqual(samples.map((s) => s.index), [0, 7]);
    for (const s of samples) {
      assert.strictEqual(s.values?.length, 64);
      assert.match(s.thumbnail ?? '', /^data:image\/png;base64,/);
    }
  });

  it('evaluates the same test split stored as x.npy + y.npy (read on the runtime process\'s main thread) to the same accuracy', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const rows = fs.readFileSync(testCsv, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map(Number));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-npy-'));
    const x = path.join(dir, 'x.npy');
    fs.writeFileSync(x, encodeNpy({ dtype: 'float32', shape: [rows.length, 64], data: Float32Array.from(rows.flatMap((r) => r.slice(0, 64))) }));
    fs.writeFileSync(path.join(dir, 'y.npy'), encodeNpy({ dtype: 'int64', shape: [rows.length], data: BigInt64Array.from(rows.map((r) => BigInt(r[64]))) }));
    try {
      const { report } = await api.request(uri, 'evaluate', { data: x });
      assert.strictEqual(report.data.format, 'npy');
      assert.strictEqual(report.data.samples, 450);
      assert.ok(Math.abs((report.classification?.accuracy ?? 0) - 435 / 450) < 1e-12, String(report.classification?.accuracy));
      assert.ok((report.timing.openMs ?? -1) >= 0, 'the report times opening the data');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('spreads an evaluation over parallel sessions of one thread each (onnxLens.intraOpThreads 2), with the metrics of one thread, and says so in the report', async () => {
    // A 784→512→10 MLP (~0.4 ms a batch of 64: worth a lane) on 4,000 images of 784 pixels (.npy).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-lanes-'));
    const uri = vscode.Uri.file(mlpModel(dir, [784, 512, 10], 'wide-mlp.onnx', 2));
    const x = npyPair(path.join(dir, 'pixels'), 4000, 784, 10, 255);
    const threads = (n: number | undefined) => vscode.workspace.getConfiguration('onnxLens').update('intraOpThreads', n, vscode.ConfigurationTarget.Global);
    try {
      await openInLens(uri);
      await rendered(api, uri);
      await threads(2);
      let spread: EvalReport | undefined;
      // The lane's session is built while the first evaluation runs on the main thread alone.
      for (let i = 0; i < 20 && !(spread?.timing.laneBatches); i++) spread = (await api.request(uri, 'evaluate', { data: x })).report;
      assert.strictEqual(spread?.timing.lanes, 2, JSON.stringify(spread?.timing));
      assert.ok(spread.timing.laneBatches! > 0 && spread.timing.laneBatches! < spread.timing.batches, JSON.stringify(spread.timing));
      await threads(1);
      const alone = (await api.request(uri, 'evaluate', { data: x })).report;
      assert.strictEqual(alone.timing.lanes, 1);
      assert.strictEqual(alone.timing.laneBatches, 0);
      assert.deepStrictEqual(spread.classification, alone.classification);
      assert.deepStrictEqual(spread.drilldown, alone.drilldown);
    } finally {
      await threads(undefined);
      await closeAllEditors();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('evaluates an unchanged CSV again from memory, with the same metrics, and reads it again once it changes', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-decoded-'));
    const data = path.join(dir, 'digits-test.csv');
    fs.copyFileSync(testCsv, data);
    try {
      const first = (await api.request(uri, 'evaluate', { data })).report;
      const again = (await api.request(uri, 'evaluate', { data })).report;
      assert.strictEqual(first.timing.dataFromMemory, undefined);
      assert.strictEqual(again.timing.dataFromMemory, true, JSON.stringify(again.timing));
      assert.deepStrictEqual(again.classification, first.classification);
      // Half the rows dropped: the file is read again and the report counts what it now holds.
      const lines = fs.readFileSync(data, 'utf8').trimEnd().split('\n');
      fs.writeFileSync(data, `${lines.slice(0, 226).join('\n')}\n`);
      const edited = (await api.request(uri, 'evaluate', { data })).report;
      assert.strictEqual(edited.timing.dataFromMemory, undefined);
      assert.strictEqual(edited.data.samples, 225);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers a non-numeric cell with one sentence naming the file, row and column, and writes nothing', async () => {
    const uri = sampleModel(extension);
    await openInLens(uri);
    await rendered(api, uri);
    const { dir, bad } = csvWithBadCell(testCsv);
    const before = fs.readdirSync(dir);
    await assert.rejects(api.request(uri, 'evaluate', { data: bad }), (e: Error) => /bad\.csv, row 3, column f3: 'abc' is not a number\./.test(e.message) && !e.message.includes('\n'));
    assert.deepStrictEqual(fs.readdirSync(dir), before);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

// Robustness, drift and uncertainty inside VS Code, on the bundled sample: the Evaluate tab's
// requests reach the runtime process, reports are saved as JSON + HTML in the reports folder and
// found again, the palette commands are registered, and bad data is one sentence naming the file,
// row and column with nothing written.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import { activateApi, closeAllEditors, csvWithBadCell, openInLens, rendered, sampleModel, tempDir } from './modelEditorHelpers';

describe('ONNX Lens robustness, drift and uncertainty in the extension host', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;
  let sampleDir: string;
  let uri: vscode.Uri;

  before(async () => {
    ({ api, extension } = await activateApi());
    sampleDir = path.join(extension.extensionPath, 'media', 'sample');
    uri = sampleModel(extension);
  });

  beforeEach(async () => {
    await openInLens(uri);
    await rendered(api, uri);
  });

  afterEach(closeAllEditors);

  const savedIn = (file: string) => {
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.ok(file.startsWith(path.join(workspace, '.onnx-lens', 'reports')), file);
    assert.ok(fs.statSync(file).size > 1000, file);
  };

  it('registers Test Robustness…, Compare Data Drift… and Show Uncertainty in the palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['onnxLens.testRobustness', 'onnxLens.compareDrift', 'onnxLens.showUncertainty']) assert.ok(commands.includes(c), c);
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.showUncertainty', uri), true);
  });

  it('sweeps noise and dropout over the sample\'s test split and attacks it: curves from the clean accuracy down, reports saved', async () => {
    const { report, savedTo } = await api.request(uri, 'robust', {
      data: path.join(sampleDir, 'digits-test.csv'),
      perturbations: [{ perturbation: 'feature-noise', severities: [0.5, 2] }, { perturbation: 'dropout', severities: [0.5] }],
      attack: { eps: 0.2, queries: 100, samples: 10 },
    });
    assert.strictEqual(report.schema, 'onnx-lens.robust/1');
    assert.strictEqual(report.metricName, 'accuracy');
    // media/sample/README.md: 96.67% test accuracy (435 of 450); severity 0 is the clean data.
    assert.ok(Math.abs((report.clean.metric ?? 0) - 435 / 450) < 1e-12, String(report.clean.metric));
    const noise = report.curves.filter((p) => p.perturbation === 'feature-noise');
    assert.deepStrictEqual(noise.map((p) => p.severity), [0, 0.5, 2]);
    assert.ok(noise[2].metric! < noise[0].metric!, `accuracy falls under noise: ${noise.map((p) => p.metric).join(' → ')}`);
    assert.ok(noise[2].flipRate! > 0);
    assert.ok(report.attack && report.attack.attacked + report.attack.alreadyWrong === 10 && (report.attack.successRate ?? 0) > 0, JSON.stringify(report.attack));
    assert.ok(report.examples.some((e) => e.perturbation === 'attack' && e.original.values?.length === 64 && e.perturbed.values?.length === 64));
    assert.ok(savedTo);
    savedIn(savedTo.json);
    savedIn(savedTo.html);
    assert.match(fs.readFileSync(savedTo.html, 'utf8'), /<html[\s\S]*onnx-lens\.robust\/1/);
    assert.strictEqual((await api.request(uri, 'latestRobustness', {}))?.savedTo?.json, savedTo.json);
  });

  it('compares the test split with the training split, then a drifted copy: the shifted feature first, the model\'s outputs compared', async () => {
    const reference = path.join(sampleDir, 'digits-train.csv');
    const same = await api.request(uri, 'drift', { reference, current: path.join(sampleDir, 'digits-test.csv') });
    assert.strictEqual(same.report.schema, 'onnx-lens.drift/1');
    assert.deepStrictEqual(same.report.drifted, []);

    const dir = tempDir();
    const lines = fs.readFileSync(path.join(sampleDir, 'digits-test.csv'), 'utf8').trim().split('\n');
    const col = lines[0].split(',').indexOf('f36');
    const shifted = lines.map((line, i) => (i === 0 ? line : line.split(',').map((c, j) => (j === col ? String(Math.min(16, Number(c) + 8)) : c)).join(',')));
    const current = path.join(dir, 'shifted.csv');
    fs.writeFileSync(current, `${shifted.join('\n')}\n`);
    const { report, savedTo } = await api.request(uri, 'drift', { reference, current });
    assert.strictEqual(report.features[0].name, 'f36');
    assert.ok(report.features[0].drifted && report.features[0].psi > 0.2, JSON.stringify(report.features[0]));
    assert.ok(report.outputs.length > 0, 'the model ran on both datasets');
    assert.ok(savedTo);
    savedIn(savedTo.html);
    assert.strictEqual((await api.request(uri, 'latestDrift', {}))?.savedTo?.json, savedTo.json);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('evaluates with conformal sets and temperature scaling: coverage near 1 − α, the fitted T reported', async () => {
    const { report } = await api.request(uri, 'evaluate', { data: path.join(sampleDir, 'digits-test.csv'), uncertainty: { conformal: { alpha: 0.1, score: 'lac' }, temperature: true } });
    const u = report.uncertainty;
    assert.ok(u, 'the evaluation carries its uncertainty');
    assert.ok(u.temperature && u.temperature.T > 0, JSON.stringify(u.temperature));
    const c = u.conformal;
    assert.ok(c && 'meanSetSize' in c, JSON.stringify(c));
    assert.ok(c.coverage > 0.8 && c.coverage <= 1, String(c.coverage));
    assert.ok(c.meanSetSize > 0.5 && c.meanSetSize < 10, String(c.meanSetSize));
  });

  it('answers a non-numeric cell with one sentence naming the file, row and column, and writes nothing', async () => {
    const { dir, bad } = csvWithBadCell(path.join(sampleDir, 'digits-test.csv'));
    const before = fs.readdirSync(dir);
    await assert.rejects(api.request(uri, 'robust', { data: bad, perturbations: [{ perturbation: 'noise', severities: [0.1] }] }),
      (e: Error) => /bad\.csv, row 3, column f3: 'abc' is not a number\./.test(e.message) && !e.message.includes('\n'));
    assert.deepStrictEqual(fs.readdirSync(dir), before);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

// The model diff inside VS Code: "Compare with…" on two files, and a changed model opened from
// Source Control (a vscode.diff of the committed version, a git: URI, and the working copy), which
// ONNX Lens turns into its own diff editor; the page reports what it coloured.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { OnnxLensApi } from '../../src/extension/api';
import type { DiffViewReport } from '../../src/extension/diff/diffPanel';
import { oneRemovedOneAdded, oneWeightChanged } from '../fixtures/diffPairs';
import { activateApi, closeAllEditors, committedSample, eventually, MemoryFs, sampleModel, tempDir } from './modelEditorHelpers';

/** The open tabs, for a failure's message: label and input kind (undefined for a diff of custom editors). */
function tabsNow(): string {
  const kind = (i: unknown) => (i === undefined ? 'unknown' : i instanceof vscode.TabInputTextDiff ? 'text diff' : i instanceof vscode.TabInputCustom ? `custom ${i.viewType}` : i instanceof vscode.TabInputWebview ? `webview ${i.viewType}` : 'other');
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => `${g.viewColumn}:${t.label} [${kind(t.input)}]`)).join('; ');
}

async function shownDiff(api: OnnxLensApi, match: (v: DiffViewReport) => boolean): Promise<DiffViewReport> {
  let found: DiffViewReport | undefined;
  try {
    await eventually(() => {
      found = api.diffViews().find((v) => match(v) && (v.shown !== undefined || v.error !== undefined));
      return found !== undefined;
    }, 'the diff editor to draw', 90_000);
  } catch (error) {
    throw new Error(`${(error as Error).message}; tabs: ${tabsNow()}; diffs: ${JSON.stringify(api.diffViews().map((v) => [v.a, v.b, v.error, v.shown?.headline]))}`);
  }
  return found!;
}

describe('model diff editor', () => {
  let api: OnnxLensApi;
  let extension: vscode.Extension<OnnxLensApi>;

  before(async () => {
    ({ api, extension } = await activateApi());
  });
  afterEach(closeAllEditors);

  it('compares the sample with a copy whose one weight changed, and colours that one node', async function () {
    this.timeout(180_000);
    const dir = tempDir();
    const changed = vscode.Uri.file(path.join(dir, 'changed.onnx'));
    const sample = sampleModel(extension);
    fs.writeFileSync(changed.fsPath, oneWeightChanged(0.5, sample.fsPath));
    await vscode.commands.executeCommand('onnxLens.compareWith', sample, changed);
    const view = await shownDiff(api, (v) => v.b === changed.toString(true));
    assert.strictEqual(view.error, undefined);
    assert.strictEqual(view.report?.weights.changed, 1);
    assert.deepStrictEqual(view.report?.nodes.changed.map((c) => c.a), ['/fc2/Gemm']);
    assert.strictEqual(view.shown?.colouredChanged, 1);
    assert.match(view.shown?.headline ?? '', /1 of 8 weights changed/);
  });

  it('switches to the overlay (one graph of both versions) and back: the removed node drawn as a ghost with its edges, the added one coloured added', async function () {
    this.timeout(180_000);
    const dir = tempDir();
    const pair = oneRemovedOneAdded(sampleModel(extension).fsPath);
    const [a, b] = ['a', 'b'].map((side) => vscode.Uri.file(path.join(dir, `${side}-version.onnx`)));
    fs.writeFileSync(a.fsPath, pair.a);
    fs.writeFileSync(b.fsPath, pair.b);
    await vscode.commands.executeCommand('onnxLens.compareWith', a, b);
    const sideBySide = await shownDiff(api, (v) => v.b === b.toString(true));
    assert.strictEqual(sideBySide.shown?.mode, 'sideBySide', 'side by side is the default');
    assert.strictEqual(sideBySide.shown?.overlay, null, 'the overlay is laid out only when shown');
    assert.deepStrictEqual([sideBySide.report?.nodes.removed, sideBySide.report?.nodes.added], [['inserted_Identity_0'], ['inserted_Relu_0']]);
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.toggleDiffOverlay'), true);
    const drawn = async () => {
      let o: DiffViewReport['shown'];
      await eventually(() => {
        o = api.diffViews().find((v) => v.b === b.toString(true))?.shown;
        return o?.mode === 'overlay' && o.overlay !== null;
      }, 'the overlay to draw', 90_000);
      return o!.overlay!;
    };
    const overlay = await drawn();
    // b's 10 nodes and a's removed one: 1 ghost (reads /fc1/Relu, fed /fc2/Gemm in a), 1 added, 2 changed (rewired).
    assert.deepStrictEqual({ ...overlay, fills: undefined }, { nodes: 11, same: 7, changed: 2, added: 1, ghosts: 1, ghostEdges: 2, fills: undefined });
    assert.notStrictEqual(overlay.fills.ghost, overlay.fills.added);
    assert.strictEqual(await vscode.commands.executeCommand('onnxLens.toggleDiffOverlay'), true);
    await eventually(() => api.diffViews().find((v) => v.b === b.toString(true))?.shown?.mode === 'sideBySide', 'back to side by side', 30_000);
  });

  it('opens the ONNX Lens diff for a changed model opened from Source Control (git: on the left)', async function () {
    this.timeout(240_000);
    const { model, head: left } = await committedSample(extension, oneWeightChanged(0.25, sampleModel(extension).fsPath));
    // What the Source Control view does for a modified file.
    await vscode.commands.executeCommand('vscode.diff', left, vscode.Uri.file(model), 'digits-mlp.onnx (Working Tree)');
    const view = await shownDiff(api, (v) => v.a.startsWith('git:'));
    assert.strictEqual(view.error, undefined);
    assert.strictEqual(view.b, vscode.Uri.file(model).toString(true));
    assert.strictEqual(view.report?.weights.changed, 1);
    assert.ok(Math.abs((view.report?.weights.maxAbsDiff ?? 0) - 0.25) < 1e-6);
    // The diff took the Source Control tab's place: no tab of the two custom editors is left.
    const leftover = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input === undefined && t.label.includes('digits-mlp.onnx') && !t.label.includes('↔'));
    assert.deepStrictEqual(leftover.map((t) => t.label), []);
  });

  it('opens the ONNX Lens diff for two committed versions (Timeline: git: on both sides)', async function () {
    this.timeout(240_000);
    const { version } = await committedSample(extension, oneWeightChanged(0.125, sampleModel(extension).fsPath), true);
    const [before, after] = [version('HEAD~1'), version('HEAD')];
    await vscode.commands.executeCommand('vscode.diff', before, after, 'digits-mlp.onnx (HEAD~1) ↔ digits-mlp.onnx (HEAD)');
    const view = await shownDiff(api, (v) => v.a.startsWith('git:') && v.b.startsWith('git:'));
    assert.strictEqual(view.error, undefined);
    assert.deepStrictEqual([view.a, view.b], [before.toString(true), after.toString(true)]);
    assert.strictEqual(view.report?.weights.changed, 1);
    assert.ok(Math.abs((view.report?.weights.maxAbsDiff ?? 0) - 0.125) < 1e-6);
  });

  it('says in one sentence that a side too large to read into memory (a big git blob) is not compared', async function () {
    this.timeout(120_000);
    const sample = fs.readFileSync(sampleModel(extension).fsPath);
    const registration = vscode.workspace.registerFileSystemProvider('onnxlens-diffmem', new MemoryFs(
      new Map([['/huge.onnx', sample]]), new Map([['/huge.onnx', 300 * 1024 * 1024]]),
    ), { isReadonly: true });
    try {
      const huge = vscode.Uri.from({ scheme: 'onnxlens-diffmem', path: '/huge.onnx' });
      await vscode.commands.executeCommand('onnxLens.compareWith', huge, sampleModel(extension));
      const view = await shownDiff(api, (v) => v.a === huge.toString(true));
      assert.strictEqual(view.error, 'huge.onnx: is 300 MiB, more than the 256 MiB ONNX Lens reads into memory from "onnxlens-diffmem:" resources; open a copy on disk instead.');
      assert.strictEqual(view.report, undefined);
    } finally {
      registration.dispose();
    }
  });
});

// Proves the integration harness is real: the tests run in an extension host that loaded THIS
// repo's extension, with the test workspace open, and the custom editor is registered.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'onnx-lens.onnx-lens';

describe('integration harness', () => {
  it('runs inside VS Code with the development copy of ONNX Lens activated', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not loaded`);
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
    assert.strictEqual(path.resolve(ext.extensionPath), path.resolve(process.env.ONNX_LENS_REPO ?? ''));
    assert.match(vscode.version, /^\d+\.\d+\.\d+/);
  });

  it('has the test workspace open, holding a copy of the sample model', async () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.strictEqual(folders.length, 1);
    assert.strictEqual(folders[0].uri.fsPath, process.env.ONNX_LENS_TEST_WORKSPACE);
    const found = await vscode.workspace.findFiles('*.onnx');
    assert.ok(found.some((u) => path.basename(u.fsPath) === 'digits-mlp.onnx'), `found: ${found.map((u) => u.fsPath)}`);
  });

  it('opens digits-mlp.onnx in the onnxLens.modelEditor custom editor', async () => {
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const uri = vscode.Uri.joinPath(folder, 'digits-mlp.onnx');
    await vscode.commands.executeCommand('vscode.openWith', uri, 'onnxLens.modelEditor');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom, `active tab input: ${tab?.input?.constructor.name}`);
    assert.strictEqual(tab.input.viewType, 'onnxLens.modelEditor');
    assert.strictEqual(tab.input.uri.fsPath, uri.fsPath);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});

// ONNX Lens where its native modules cannot load — here for real: a VS Code of its own whose
// installed extension has onnxruntime-node's binaries and sharp's prebuilt package removed, as on a
// platform the .vsix has no build for. The graph, the Model tab and the hover work; the Run,
// Evaluate and Quantize tabs say in one sentence why they cannot. Screenshots in both themes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openInCustomEditor } from '../../scripts/vscode/browser.mjs';
import { hoverModelPath, screenshot, showModelTab, startOwnServer, textField, useSession } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 120_000 };
const UNAVAILABLE = /^Running, evaluating and quantizing models is unavailable here because onnxruntime cannot load: this installation has no onnxruntime-node build for Linux x64; viewing and inspecting models works without it\.$/;

/** What a platform without builds looks like: no onnxruntime binaries, no sharp prebuilt. */
function removeNativeFiles(extensionDir) {
  const gone = ['node_modules/onnxruntime-node/bin', 'node_modules/@img/sharp-linux-x64', 'node_modules/@img/sharp-libvips-linux-x64'];
  for (const rel of gone) {
    assert.ok(fs.existsSync(path.join(extensionDir, rel)), `${rel} is not in the installed extension`);
    fs.rmSync(path.join(extensionDir, rel), { recursive: true });
  }
}

describe('without native modules (binaries removed from the installed extension)', function () {
  this.timeout(300_000);
  let server;
  before(async () => { server = await startOwnServer({ alterExtension: removeNativeFiles }); });
  after(async () => { await server?.stop(); });

  for (const [theme, short] of THEMES) {
    describe(theme, () => {
      const ctx = useSession(theme, () => server);

      it('shows the graph and the Model tab; the Run tab says in one sentence why it cannot run', async () => {
        const { page } = ctx.session;
        const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
        await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
        await showModelTab(webview);
        await webview.locator('[data-testid="tab-run"]').click();
        await webview.locator('[data-testid="run-panel"][data-state="error"]').waitFor(LONG);
        assert.match((await webview.locator('[data-testid="run-error"]').innerText()).trim(), UNAVAILABLE);
        await screenshot(page, `no-native-run-${short}`);
      });

      if (short === 'dark') {
        it('says the same in the Evaluate and Quantize tabs, and the hover still works', async () => {
          const { page } = ctx.session;
          const webview = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
          await webview.locator('body[data-graph-state="ready"]').waitFor(LONG);
          await webview.locator('[data-testid="tab-evaluate"]').click();
          await textField(webview, 'eval-data').fill(path.join(server.workspace, 'digits-test.csv'));
          await webview.locator('[data-testid="eval-run"]').click();
          await webview.locator('body[data-eval-state="error"]').waitFor(LONG);
          assert.match((await webview.locator('[data-testid="eval-error"]').innerText()).trim(), UNAVAILABLE);
          await webview.locator('[data-testid="tab-quantize"]').click();
          await webview.locator('[data-testid="quant-run"]').click();
          await webview.locator('[data-testid="quant-error"]').filter({ hasText: 'unavailable' }).waitFor(LONG);
          assert.match((await webview.locator('[data-testid="quant-error"]').innerText()).trim(), UNAVAILABLE);
          assert.deepEqual(fs.readdirSync(server.workspace).filter((f) => /int8/.test(f)), [], 'nothing was written');
          await screenshot(page, 'no-native-quantize-dark');
          const hover = await hoverModelPath(page);
          assert.match(hover, /float32\s*\[batch, 64\]/);
        });
      }
    });
  }
});

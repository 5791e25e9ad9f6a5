// The model diff as a user meets it: the workspace is a git repository with the sample committed
// and one of its weights changed in the working tree; opening the changed model from the Source
// Control view shows the ONNX Lens diff (not two unrelated editors) with the changed node listed
// and coloured, both graphs side by side, and "Compare behaviour" runs both versions; a model with
// a node removed and one added, switched to Overlay, shows one graph with the removed node as a
// ghost. Screenshots in both themes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { closeAllEditors, runCommand } from '../../scripts/vscode/browser.mjs';
import { REPO_ROOT } from '../../scripts/vscode/config.mjs';
import { frameWith, openSession, screenshot, screenshotOnFailure, startOwnServer } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 120_000 };

/**
 * A git repository of the workspace: the sample committed, then fc2.weight changed in the working
 * tree; and added-removed.onnx (listed first: the Changes list draws only what fits) committed
 * with one inserted node, changed to have another one instead (one node removed, one added:
 * test/fixtures/diffPairs.ts, oneRemovedOneAdded).
 */
function commitThenChange(workspace) {
  const git = (...args) => execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.com', ...args], { cwd: workspace });
  const fixtures = JSON.stringify(path.join(REPO_ROOT, 'test/fixtures/diffPairs.ts'));
  const write = (code) => execFileSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['-e', `const f = require(${fixtures}); const fs = require('fs'); ${code}`], { cwd: REPO_ROOT });
  const file = (name) => JSON.stringify(path.join(workspace, name));
  write(`fs.writeFileSync(${file('added-removed.onnx')}, f.oneRemovedOneAdded().a);`);
  git('init', '-q');
  git('add', 'digits-mlp.onnx', 'added-removed.onnx');
  git('commit', '-q', '-m', 'the sample model');
  write(`fs.writeFileSync(${file('digits-mlp.onnx')}, f.oneWeightChanged(0.5)); fs.writeFileSync(${file('added-removed.onnx')}, f.oneRemovedOneAdded().b);`);
}

describe('model diff from Source Control', function () {
  this.timeout(600_000);
  let server;
  before(async () => {
    server = await startOwnServer();
    commitThenChange(server.workspace);
  });
  after(async () => server?.stop());

  for (const [theme, short] of THEMES) {
    describe(theme, () => {
      let session;
      before(async () => { session = await openSession(theme, server); });
      afterEach(async function () {
        await screenshotOnFailure(this, session?.page);
        session?.console.assertHealthy();
      });
      after(async () => {
        if (session) await closeAllEditors(session.page).catch(() => {});
        await session?.close();
      });

      it('opens the ONNX Lens diff with the changed node listed and highlighted', async () => {
        const { page } = session;
        await runCommand(page, 'Source Control: Focus on Changes View');
        const change = page.locator('.scm-view .monaco-list-row', { hasText: 'digits-mlp.onnx' }).first();
        await change.waitFor(LONG);
        await change.click();
        const diff = await frameWith(page, '[data-testid="change-list"]', 120_000);
        const headline = await diff.locator('[data-testid="headline"]').innerText();
        assert.match(headline, /9 nodes matched, 0 added, 0 removed, 1 changed; 1 of 8 weights changed \(max abs diff 0\.5\)/);
        // The Source Control tab was replaced: the active tab is the ONNX Lens diff.
        assert.match(await page.locator('.tab.active').innerText(), /digits-mlp\.onnx \(HEAD\) ↔ digits-mlp\.onnx|digits-mlp\.onnx \(index\) ↔ digits-mlp\.onnx/);
        const entry = diff.locator('[data-testid="change"]', { hasText: '/fc2/Gemm' });
        assert.equal(await diff.locator('[data-testid="change"]').count(), 1);
        assert.equal(await entry.getAttribute('data-kind'), 'weight');
        // Both graphs drawn side by side.
        for (const side of ['a', 'b']) await diff.locator(`[data-testid="pane-${side}"] [data-testid="graph-canvas"]`).waitFor(LONG);
        await entry.click();
        await diff.locator('.diff-change.selected').waitFor(LONG);
        assert.match(await diff.locator('[data-testid="totals"]').innerText(), /parameters\s+6\.7 k\s+6\.7 k/);
        // Colours come from the theme: the changed swatch is the theme's "modified" git colour.
        const swatch = await diff.locator('.diff-key.changed .diff-swatch').evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.notEqual(swatch, 'rgba(0, 0, 0, 0)');
        // Behaviour too: the committed version (a git: blob) runs from a private copy beside the working file.
        await diff.locator('[data-testid="compare-behaviour"]').click();
        const divergence = diff.locator('[data-testid="first-divergence"]');
        await divergence.waitFor(LONG);
        assert.match(await divergence.innerText(), /First divergence: \/fc2\/Gemm \(Gemm\)/);
        await page.waitForTimeout(500); // the reveal's pan settles
        await screenshot(page, `diff-scm-${short}`);
      });

      it('overlays both versions: the removed node a dashed ghost, the added one coloured added; the title bar command switches back', async () => {
        const { page } = session;
        await closeAllEditors(page);
        await runCommand(page, 'Source Control: Focus on Changes View');
        const change = page.locator('.scm-view .monaco-list-row', { hasText: 'added-removed.onnx' }).first();
        await change.waitFor(LONG);
        await change.click();
        const diff = await frameWith(page, '[data-testid="mode-overlay"]', 120_000);
        assert.match(await diff.locator('[data-testid="headline"]').innerText(), /1 added, 1 removed/);
        assert.equal(await diff.locator('[data-testid="pane-overlay"]').isVisible(), false, 'side by side is the default');
        await diff.locator('[data-testid="mode-overlay"]').click();
        const overlay = diff.locator('[data-testid="pane-overlay"][data-ghosts]');
        await overlay.waitFor(LONG);
        assert.equal(await diff.locator('[data-testid="pane-a"]').isVisible(), false);
        const drawn = await overlay.evaluate((el) => ({ ...el.dataset }));
        assert.deepEqual([drawn.nodes, drawn.ghosts, drawn.ghostEdges, drawn.added], ['11', '1', '2', '1']);
        // The ghost's fill is the theme's deleted colour faded into the editor background: dark on dark, light on light.
        // Chromium resolves color-mix() as color(srgb r g b) in 0..1; rgb() is 0..255.
        const srgb = drawn.ghostFill.startsWith('color(srgb');
        const [r, g, b] = drawn.ghostFill.match(/[\d.]+/g).slice(0, 3).map((x) => Number(x) * (srgb ? 255 : 1));
        assert.ok(short === 'dark' ? r + g + b < 300 : r + g + b > 500, `ghost fill ${drawn.ghostFill} in the ${short} theme`);
        // The change list jumps to the ghost.
        const removed = diff.locator('[data-testid="change"][data-kind="removed"]');
        await removed.click();
        await diff.locator('.diff-change.selected[data-kind="removed"]').waitFor(LONG);
        await page.waitForTimeout(500);
        await screenshot(page, `diff-overlay-${short}`);
        await runCommand(page, 'ONNX Lens: Toggle Overlay in Diff');
        await diff.locator('[data-testid="pane-a"] [data-testid="graph-canvas"]').waitFor(LONG);
      });
    });
  }
});

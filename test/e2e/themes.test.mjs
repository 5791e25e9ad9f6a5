// The editor follows VS Code's theme. Each theme gets a fresh page: settings edits while a page is
// open take effect unreliably (docs/code-server.md), so the theme is written before the load.
import assert from 'node:assert/strict';
import { openInCustomEditor } from '../../scripts/vscode/browser.mjs';
import { openSession, screenshot, screenshotOnFailure, showModelTab } from './support.mjs';

for (const [theme, slug] of [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']]) {
  describe(`ONNX Lens in ${theme}`, function () {
    this.timeout(180_000);
    let session;

    before(async () => { session = await openSession(theme); });
    afterEach(async function () { await screenshotOnFailure(this, session?.page); });
    after(async () => { await session?.close(); });

    it('renders the sample model with the theme\'s colours', async () => {
      const webview = await openInCustomEditor(session.page, 'digits-mlp.onnx', { timeout: 90_000 });
      await webview.locator('body[data-state="ready"]').waitFor({ timeout: 90_000 });
      // VS Code marks the webview body with the theme kind; our CSS uses the --vscode-* variables.
      const kind = await webview.locator('body').getAttribute('data-vscode-theme-kind');
      assert.equal(kind, slug === 'light' ? 'vscode-light' : 'vscode-dark');
      // Text must be dark on the light theme and light on the dark one (relative luminance).
      const fg = await webview.locator('[data-testid="model-name"]').evaluate((el) => getComputedStyle(el).color);
      const [r, g, b] = fg.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
      if (slug === 'light') assert.ok(luminance < 0.5, `text colour ${fg} is too light for ${theme}`);
      else assert.ok(luminance > 0.5, `text colour ${fg} is too dark for ${theme}`);
      await showModelTab(webview);
      session.console.assertHealthy();
      await screenshot(session.page, `theme-${slug}`);
    });
  });
}

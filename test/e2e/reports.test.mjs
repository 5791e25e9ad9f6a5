// Reports in code-server: the browser is not where the files are, so "Open Report" must not hand a
// file:// URL to the browser (it opened nothing and the window stopped taking input). The report
// opens in a VS Code panel, themed like the workbench; its paths in the Evaluate tab open it too,
// and the window keeps working. Screenshots of the report panel in both themes.
import assert from 'node:assert/strict';
import { openInCustomEditor, runCommand, webviewFrame } from '../../scripts/vscode/browser.mjs';
import { clickNotificationButton, pickQuickItem, screenshot, useSession } from './support.mjs';

const THEMES = [['Default Dark Modern', 'dark'], ['Default Light Modern', 'light']];
const LONG = { timeout: 120_000 };

for (const [theme, short] of THEMES) {
  describe(`reports in a panel (${theme})`, function () {
    this.timeout(300_000);
    const ctx = useSession(theme);

    it('opens the evaluation report from the notification in a themed panel, and the window keeps taking input', async () => {
      const { page } = ctx.session;
      const editor = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
      await editor.locator('body[data-graph-state="ready"]').waitFor(LONG);
      await runCommand(page, 'ONNX Lens: Evaluate Model…');
      await pickQuickItem(page, 'digits-test.csv');
      await pickQuickItem(page, 'Evaluate');
      await clickNotificationButton(page, 'digits-mlp.onnx: accuracy', 'Open Report');
      const tab = page.locator('.tab.active', { hasText: 'ONNX Lens evaluation' });
      await tab.waitFor(LONG);
      const report = webviewFrame(page);
      await report.locator('body[data-state="ready"] [data-testid="eval-report-page"]').waitFor(LONG);
      await report.locator('[data-testid="confusion-matrix"]').waitFor(LONG);
      assert.match(await report.locator('[data-testid="eval-metric"][data-metric="accuracy"]').innerText(), /0\.967|96\.7/);
      // The panel follows VS Code's theme (its variables), not the system's.
      const background = await report.locator('body').evaluate((b) => getComputedStyle(b).getPropertyValue('--vscode-editor-background').trim().toLowerCase());
      assert.equal(background, short === 'dark' ? '#1f1f1f' : '#ffffff');
      await screenshot(page, `report-panel-${short}`);
      // Still taking input: the palette opens and runs a command.
      await runCommand(page, 'View: Close All Editors');
      await tab.waitFor({ state: 'detached', timeout: 30_000 });
    });

    it("opens the report from the path shown in the Evaluate tab", async () => {
      const { page } = ctx.session;
      const editor = await openInCustomEditor(page, 'digits-mlp.onnx', { timeout: 90_000 });
      await editor.locator('body[data-graph-state="ready"]').waitFor(LONG);
      await editor.locator('[data-testid="tab-evaluate"]').click();
      const link = editor.locator('[data-testid="eval-saved"] a.eval-saved-html');
      await link.waitFor(LONG);
      assert.match(await link.innerText(), /digits-mlp\.eval\.[^ ]*\.html$/);
      await link.click();
      await page.locator('.tab.active', { hasText: 'ONNX Lens evaluation' }).waitFor(LONG);
      await webviewFrame(page).locator('[data-testid="eval-report-page"]').waitFor(LONG);
    });
  });
}

// A fresh VS Code window where no model has been opened: ONNX Lens activates on the Python file
// (package.json activationEvents) and the hover on a model path works at once; VS Code's own
// figure for the activation (Developer: Show Running Extensions) stays small.
import assert from 'node:assert/strict';
import { runCommand } from '../../scripts/vscode/browser.mjs';
import { hoverModelPath, screenshot, useSession } from './support.mjs';

describe('a fresh window, before any model is opened', function () {
  this.timeout(180_000);
  const ctx = useSession('Default Dark Modern');

  it('hovers a model path in Python code: the signature, with no model opened first', async () => {
    const { page } = ctx.session;
    assert.equal(await page.locator('.tab', { hasText: '.onnx' }).count(), 0, 'no model is open');
    const text = await hoverModelPath(page);
    assert.match(text, /digits-mlp\.onnx/);
    assert.match(text, /float32\s*\[batch, 64\]/);
    await screenshot(page, 'fresh-window-hover-dark');
  });

  it("reports ONNX Lens's activation in Running Extensions no slower than the other extensions started with it", async () => {
    const { page } = ctx.session;
    await page.mouse.move(0, 0);
    await runCommand(page, 'Developer: Show Running Extensions');
    const rows = page.locator('.runtime-extensions-editor .monaco-list-row');
    await rows.filter({ hasText: 'ONNX Lens' }).first().waitFor({ timeout: 30_000 });
    const times = {};
    for (const text of await rows.allInnerTexts()) {
      const ms = /Activation:\s*(\d+)\s*ms/.exec(text)?.[1];
      if (ms) times[text.split('\n')[0].trim()] = Number(ms);
    }
    const ours = times['ONNX Lens'];
    const others = Object.entries(times).filter(([name]) => name !== 'ONNX Lens').map(([, ms]) => ms).sort((a, b) => a - b);
    console.log(`      Running Extensions: ${Object.entries(times).map(([n, ms]) => `${n} ${ms} ms`).join(', ')}`);
    assert.ok(Number.isFinite(ours), `no activation time for ONNX Lens in ${JSON.stringify(times)}`);
    // VS Code's figure is wall time on the extension host's one thread, which at start-up is busy
    // with every extension activating at once (ONNX Lens's own activate() takes ~3 ms, see the
    // integration test): on a quiet machine ~300 ms, among the others; under a load of 20 on two
    // cores any of them reaches a second or more. So the bound is relative to the slowest other
    // extension in the same window, with room for that noise: what it catches is activation doing
    // real work (a process forked and waited for, a model read), which costs seconds.
    const slowest = others[others.length - 1] ?? 0;
    assert.ok(ours <= Math.max(2000, 1.5 * slowest), `ONNX Lens took ${ours} ms to activate; the slowest other extension ${slowest} ms`);
    await screenshot(page, 'fresh-window-running-extensions-dark');
  });
});

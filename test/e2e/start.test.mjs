// The README's `npm start` really gives a working VS Code with ONNX Lens: run it with
// --headless-check, which opens the printed URL in Chromium and waits for the editor to be ready.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, RESULTS_DIR, VSIX } from '../../scripts/vscode/config.mjs';
import { freePort } from '../../scripts/vscode/server.mjs';
import { cliInspect } from './support.mjs';

describe('npm start', function () {
  this.timeout(240_000);

  it('serves VS Code with the sample model open in ONNX Lens (--headless-check)', async () => {
    const demoDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-demo-'));
    const shot = path.join(RESULTS_DIR, 'start.png');
    fs.rmSync(shot, { force: true });
    const port = await freePort();
    // --vsix: the runner just packaged the extension; packaging itself is covered by the other tests.
    const child = spawn('npm', ['start', '--', '--headless-check', '--port', String(port), '--vsix', VSIX], {
      cwd: REPO_ROOT, env: { ...process.env, ONNX_LENS_DEMO_DIR: demoDir }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
    });
    let output = '';
    child.stdout.on('data', (d) => { output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 200_000);
    const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)));
    clearTimeout(timer);
    fs.rmSync(demoDir, { recursive: true, force: true });
    // The check's own failure first: the head of the output is only npm's and the server's banner.
    const failedAt = output.indexOf('headless check FAILED');
    assert.equal(code, 0, failedAt >= 0 ? `${output.slice(failedAt)}\n--- whole output:\n${output}` : output);
    // The first URL printed is the sample model's (`openFile` in the payload names digits-mlp.onnx),
    // and it is the only one for the server (npm's own notices may add theirs after it).
    const urls = output.match(/https?:\/\/\S+/g) ?? [];
    assert.equal(urls.filter((u) => u.includes(`127.0.0.1:${port}`)).length, 1, `expected one server URL, got:\n${urls.join('\n')}`);
    assert.match(urls[0] ?? '', new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?folder=.*payload=.*digits-mlp\\.onnx`));
    const { nodeCount } = cliInspect(path.join(REPO_ROOT, 'media', 'sample', 'digits-mlp.onnx'));
    assert.match(output, new RegExp(`headless check OK: ONNX Lens shows digits-mlp\\.onnx \\(node count ${nodeCount}\\)`));
    assert.ok(fs.statSync(shot).size > 10_000, 'screenshot test-results/start.png is missing or empty');
  });
});

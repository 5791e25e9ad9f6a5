// `npm start`: a real VS Code (code-server) in your browser with ONNX Lens installed from the .vsix
// and the sample model open. Keeps running until Ctrl-C.
//
//   node scripts/vscode/start.mjs [--port N] [--headless-check] [--vsix file.vsix]
//     --port N          port on 127.0.0.1 (default: $PORT or 8950)
//     --headless-check  open the URL in headless Chromium, wait for the ONNX Lens webview to be
//                       ready, save test-results/start.png and exit 0 (also: ONNX_LENS_HEADLESS_CHECK=1)
//     --vsix FILE       install this .vsix instead of building and packaging the repo
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CACHE_DIR, RESULTS_DIR, SAMPLE_MODEL, VSIX, logger } from './config.mjs';
import { provision } from './provision.mjs';
import { createProfile } from './profile.mjs';
import { packageExtension, prepareWorkspace } from './project.mjs';
import { installVsix, startServer } from './server.mjs';

const log = logger('start');
const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT || '8950' },
    'headless-check': { type: 'boolean', default: process.env.ONNX_LENS_HEADLESS_CHECK === '1' },
    vsix: { type: 'string' },
  },
});
const port = Number(opts.port);
if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`Bad --port ${opts.port}`);

const t0 = Date.now();
await provision();
let vsix = opts.vsix ? path.resolve(opts.vsix) : VSIX;
if (!opts.vsix) await packageExtension();

// The demo profile is kept between runs (your theme, layout and open editors survive a restart);
// the workspace is re-created from media/sample/ each time, so the repo's files are never touched.
// ONNX_LENS_DEMO_DIR moves both elsewhere (the e2e test of this script uses a temp dir).
const demoDir = process.env.ONNX_LENS_DEMO_DIR || CACHE_DIR;
const profile = createProfile({ root: path.join(demoDir, 'demo-profile') });
log(await installVsix(profile, vsix));
const workspace = prepareWorkspace(path.join(demoDir, 'demo-workspace'));
const samplePath = path.join(workspace, SAMPLE_MODEL);

const server = await startServer({ profile, port, workspace });
// `openFile` opens the sample as soon as the window is up. It can race the extension's registration
// and show the file as binary text (docs/code-server.md): then click it in the Explorer instead.
const sampleUrl = server.folderUrl(workspace, [['openFile', `vscode-remote://127.0.0.1:${port}${samplePath}`]]);

// The one URL printed, and the first: the sample model open in ONNX Lens.
console.log(`
  Open ONNX Lens in your browser: ${sampleUrl}

  VS Code (code-server) took ${((Date.now() - t0) / 1000).toFixed(0)} s to start. Workspace ${workspace} (a copy of media/sample/)
  Server log ${profile.logFile}
  Press Ctrl-C to stop.
`);

if (opts['headless-check']) {
  const code = await headlessCheck(sampleUrl).then(() => 0, (err) => {
    console.error(`headless check FAILED: ${err.stack ?? err}`);
    return 1;
  });
  await server.stop();
  process.exit(code);
}
const exit = await server.exited;
log(`code-server exited (${JSON.stringify(exit)})`);
process.exit(exit.code ?? 1);

/** Proves the printed URL works: ONNX Lens shows the sample model as ready in a real browser. */
async function headlessCheck(url) {
  const { launchBrowser, watchConsole, webviewFrame, openWorkbench, openInCustomEditor, settleInCustomEditor } = await import('./browser.mjs');
  const browser = await launchBrowser();
  let page;
  let consoleLog;
  try {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    consoleLog = watchConsole(page);
    await openWorkbench(page, url);
    const webview = webviewFrame(page);
    // The URL's `openFile` opens the sample; if it showed as text and ONNX Lens is not in the picker
    // yet, the Explorer path (click, reopen, reload once) takes over.
    if (!(await settleInCustomEditor(page, SAMPLE_MODEL))) {
      await page.keyboard.press('Escape');
      await openInCustomEditor(page, SAMPLE_MODEL);
    }
    await webview.locator('body[data-state="ready"]').waitFor({ timeout: 60_000 });
    consoleLog.assertHealthy();
    const nodes = (await webview.locator('[data-testid="node-count"]').textContent())?.trim();
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const shot = path.join(RESULTS_DIR, 'start.png');
    await page.screenshot({ path: shot });
    console.log(`headless check OK: ONNX Lens shows ${SAMPLE_MODEL} (node count ${nodes}); screenshot ${shot}`);
  } catch (err) {
    throw new Error(`${err.message?.split('\n')[0] ?? err}\n${await failureContext(page, consoleLog)}`);
  } finally {
    await browser.close();
  }
}

/** What the page showed when the check failed: the webview's state, the last console lines, a screenshot. */
async function failureContext(page, consoleLog) {
  if (!page) return '(no page)';
  const { webviewFrame } = await import('./browser.mjs');
  const body = webviewFrame(page).locator('body');
  const state = await body.getAttribute('data-state', { timeout: 2000 }).catch(() => '(no webview)');
  const text = await body.innerText({ timeout: 2000 }).then((t) => t.replace(/\s+/g, ' ').slice(0, 200), () => '');
  const tabs = await page.locator('.editor-group-container .tab').allTextContents().catch(() => []);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const shot = path.join(RESULTS_DIR, 'start-failed.png');
  await page.screenshot({ path: shot }).catch(() => {});
  const lines = (consoleLog?.lines ?? []).slice(-15).map((l) => `    ${l.slice(0, 300)}`);
  return [`  webview body data-state: ${state} (${text}); editor tabs: ${tabs.join(' | ') || '(none)'}; screenshot ${shot}`,
    '  last console lines:', ...lines].join('\n');
}

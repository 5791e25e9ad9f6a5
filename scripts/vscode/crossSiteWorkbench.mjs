// The workbench with its webviews on a site of their own, so that Chromium gives them their own
// renderer process as desktop VS Code does (its webviews are vscode-webview:// documents). code-server
// serves webviews from the workbench's own origin, where the webview shares the workbench's
// renderer and its memory cannot be told apart (docs/opening-a-model.md). Used to measure the
// webview renderer's memory by the end-to-end benchmark (bench/openEndToEnd.bench.mjs) and its
// CI-sized e2e test (test/e2e/open-timing.test.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './config.mjs';
import { openWorkbench, waitForTheme } from './browser.mjs';
import { rendererProcesses, timeOpen } from './openTiming.mjs';

/**
 * Opens `folderUrl` (code-server at `origin`, http://127.0.0.1:PORT) with webviews served from
 * `http://<hash>.localhost:PORT` — the same server, another site (VS Code fills in `{{uuid}}` with a
 * hash of the workbench's origin, and the webview checks its host name starts with it). Three things
 * a cross-site webview needs that this Chromium does not give by default:
 *   - the workbench's CSP allows frames only from itself and *.vscode-cdn.net: bypassed (this
 *     browser's pages, the webview's included, run without CSP; it measures memory, not policy);
 *   - VS Code's webview runs a service worker, which a third-party frame may register only with
 *     third-party cookies allowed: a fresh profile that allows them;
 *   - the endpoint is set in the workbench's configuration before its script reads it.
 * Returns { page, close() }.
 */
export async function openCrossSiteWorkbench(origin, folderUrl) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-lens-xsite-'));
  fs.mkdirSync(path.join(profile, 'Default'));
  fs.writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    bypassCSP: true,
    // No spare renderer kept ready: the process a webview gets is then one that was not there before.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-features=SpareRendererForSitePerProcess'],
  });
  const webviewOrigin = origin.replace('://127.0.0.1', '://{{uuid}}.localhost');
  await context.addInitScript((endpointOrigin) => {
    new MutationObserver((_, observer) => {
      const meta = document.getElementById('vscode-workbench-web-configuration');
      if (!meta) return;
      observer.disconnect();
      const settings = JSON.parse(meta.getAttribute('data-settings'));
      settings.webviewEndpoint = new URL(settings.webviewEndpoint, location.href).href.replace(location.origin, endpointOrigin);
      meta.setAttribute('data-settings', JSON.stringify(settings));
    }).observe(document, { childList: true, subtree: true });
  }, webviewOrigin);
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  const page = context.pages()[0] ?? await context.newPage();
  try {
    await openWorkbench(page, folderUrl);
  } catch (error) {
    await close();
    throw error;
  }
  return { page, close };
}

/**
 * The webview renderer's memory with `file`'s graph drawn, measured alone: in a browser whose
 * webviews are on a site of their own and that keeps no spare renderer, the renderer processes that
 * appear once the workbench is up are the webview's. The sample model is opened first, as a user
 * who looked at one model. Returns RSS bytes { webview, webviewSample, workbench }.
 */
export async function webviewRendererMemory(origin, workspace, file) {
  const { page, close } = await openCrossSiteWorkbench(origin, `${origin}/?folder=${encodeURIComponent(workspace)}`);
  try {
    await waitForTheme(page, 'Default Dark Modern');
    await page.getByRole('treeitem').first().waitFor({ timeout: 30_000 });
    const before = new Set(rendererProcesses().map((p) => p.pid));
    const largest = (keep) => rendererProcesses().filter((p) => keep(before.has(p.pid))).reduce((a, p) => Math.max(a, p.rssBytes), 0);
    await timeOpen(page, 'digits-mlp.onnx');
    const webviewSample = largest((old) => !old);
    await timeOpen(page, file);
    const webview = largest((old) => !old);
    if (!(webview > 0)) throw new Error('the webview got no renderer process of its own');
    return { webview, webviewSample, workbench: largest((old) => old) };
  } finally {
    await close();
  }
}

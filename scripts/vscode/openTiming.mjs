// Times opening a model in the ONNX Lens editor the way a user does it, from the click in the
// Explorer to the first frame of the graph, with the phases in between (src/shared/openTimeline.ts).
// Used by the end-to-end benchmark (bench/openEndToEnd.bench.mjs) and its CI-sized e2e test.
import { execFileSync } from 'node:child_process';
import { closeAllEditors, openInCustomEditor, runCommand, webviewFrame } from './browser.mjs';

/** The phases in the order the timeline lists them, with the label the table prints. */
export const PHASE_LABELS = [
  ['documentOpened', 'custom editor: document opened'],
  ['editorResolved', 'custom editor resolved'],
  ['analysisRequested', 'analysis requested'],
  ['analysisStarted', 'host → analysis process IPC'],
  ['modelRead', 'model read'],
  ['graphBuilt', 'graph built'],
  ['firstViewLaidOut', 'first view laid out (a first open)'],
  ['payloadBuilt', 'payload built'],
  ['shapesInferred', 'shapes inferred'],
  ['resultEncoded', 'summary + encoding'],
  ['resultReceived', 'analysis → host IPC'],
  ['firstViewShown', 'first view\'s picture shown (a reopen)'],
  ['webviewReady', 'webview page written (ready)'],
  ['graphPosted', 'host: graph posted'],
  ['graphReceived', 'host → webview postMessage'],
  ['pageScript', 'webview script ran'],
  ['firstViewDrawn', 'first view drawn (a first open)'],
  ['previewFrame', 'saved view drawn (editor shown again)'],
  ['layoutDone', 'layout (worker)'],
  ['firstFrame', 'first frame drawn'],
  ['detailsShown', '(after) summary and shapes shown'],
];

/** Records the time of every pointer press in the workbench page, on the shared clock. */
export async function watchClicks(page) {
  await page.evaluate(() => {
    if (window.__onnxLensClicks) return;
    window.__onnxLensClicks = [];
    window.addEventListener('pointerdown', () => window.__onnxLensClicks.push(performance.timeOrigin + performance.now()), true);
  });
}

/**
 * Clicks `fileName` in the Explorer and waits for the graph's first frame. Returns
 * { total, clickAt, timeline, layouts } where `total` is click → first frame (ms) and `timeline`
 * holds every phase's mark relative to the click.
 *
 * Options: `details` (default true) also waits until the summary and shapes are shown, so that
 * the next open starts on an idle machine; false returns at the first frame (a user clicking on
 * to the next model). `closeOthers` (default true) closes every editor first; false keeps the
 * active one open (pinned, so the new one does not replace it as a preview), its analysis going on.
 */
export async function timeOpen(page, fileName, { timeout = 180_000, details = true, closeOthers = true } = {}) {
  if (closeOthers) await closeAllEditors(page);
  else await runCommand(page, 'View: Keep Editor');
  await watchClicks(page);
  const clicksBefore = await page.evaluate(() => window.__onnxLensClicks.length);
  const webview = await openInCustomEditor(page, fileName, { timeout });
  await webview.locator('body[data-graph-state="ready"]').waitFor({ timeout });
  const perf = await pollWebview(webview, (_body, withDetails) => {
    const p = window.__onnxLensPerf;
    return p?.timeline?.firstFrame && (!withDetails || p.timeline.detailsShown) ? { timeline: p.timeline, layouts: p.layouts } : null;
  }, details, timeout);
  const clicks = await page.evaluate(() => window.__onnxLensClicks);
  if (clicks[clicksBefore] === undefined) throw new Error(`no click on ${fileName} was recorded`);
  // The click is on the workbench page's clock, the timeline on the host's (as the webview keeps it):
  // read both, the webview's between two of the page's, and take the page's midpoint.
  const before = await page.evaluate(() => performance.timeOrigin + performance.now());
  const host = await webview.locator('body').evaluate(() => window.__onnxLensHostNow());
  const after = await page.evaluate(() => performance.timeOrigin + performance.now());
  const clickAt = clicks[clicksBefore] + host - (before + after) / 2;
  const timeline = Object.fromEntries(Object.entries(perf.timeline).map(([k, v]) => [k, v - clickAt]));
  return { total: timeline.firstFrame, clickAt, timeline, layouts: perf.layouts, webview };
}

async function pollWebview(webview, fn, arg, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await webview.locator('body').evaluate(fn, arg).catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error('the graph never reported its first frame');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The active webview's frame (re-exported for callers that only import this module). */
export { webviewFrame };

/**
 * Chromium renderer processes started by this process (its descendants: other programs on the
 * machine may run Chromium too), with their resident memory, largest first. The webview's page and
 * its layout worker live in one of them (with the workbench, when both are same-site).
 */
export function rendererProcesses() {
  return descendants(process.pid, '--type=renderer');
}

/** The extension host processes (code-server's, under `serverPid`), largest first. */
export function extensionHostProcesses(serverPid) {
  return descendants(serverPid, '--type=extensionHost');
}

function descendants(root, marker) {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,rss=,args='], { encoding: 'utf8' });
  const rows = out.split('\n').filter(Boolean).map((l) => {
    const [pid, ppid, rss, ...args] = l.trim().split(/\s+/);
    return { pid: Number(pid), ppid: Number(ppid), rssBytes: Number(rss) * 1024, args: args.join(' ') };
  });
  const parent = new Map(rows.map((r) => [r.pid, r.ppid]));
  const under = (pid) => {
    for (let at = pid, hops = 0; at > 1 && hops < 20; at = parent.get(at) ?? 0, hops++) if (at === root) return true;
    return false;
  };
  return rows.filter((r) => r.args.includes(marker) && under(r.pid)).sort((a, b) => b.rssBytes - a.rssBytes);
}

export { closeAllEditors };

/**
 * End to end: the time a user waits from the click on a model in VS Code's Explorer to the first
 * frame of its graph, in real VS Code (code-server) driven by Chromium, with the packaged extension,
 * broken into phases (src/shared/openTimeline.ts, one clock across the analysis process, the
 * extension host and the webview).
 *
 * Models: DenseNet-121 (1.7k nodes, shared public fixture), generated BERT-like transformers of 20k
 * and 100k nodes. VS Code is warmed first by opening the sample model (extension activated, analysis
 * process started, first webview created), as a user who already looked at one model. Each round
 * opens a fresh copy of each model (a new file, so no cache of an earlier round helps); the median
 * over rounds is reported. Then the next model opened right after the 100k (or 20k) model's first
 * frame, that editor kept open while its shape inference runs (DenseNet-121, or another copy: it must
 * not wait for that inference), and the reopen path: the same 100k model again right after closing its
 * editor, and after a window reload (the layout must come from IndexedDB both times).
 *
 * Baseline, same run: a flat d3-dag layout of the same 100k graph (bench/flatDag.bench.ts).
 *
 * Memory: the extension host's growth over the last 100k open; the webview renderer's, with a fresh
 * copy of the 100k model opened in a second browser whose webviews are on a site of their own
 * (scripts/vscode/crossSiteWorkbench.mjs): in code-server's own setup the webview shares the
 * workbench's renderer process, in desktop VS Code it has its own.
 *
 * Run by bench/run.mjs (`npm run bench`), or alone: `node bench/openEndToEnd.bench.mjs [--no-package]`.
 * Environment: BENCH_OPEN_ROUNDS (default 3), BENCH_OPEN_MODELS (comma list of densenet121,
 * transformer20k, transformer100k). Human lines on stderr; one JSON line { rows, results } on stdout.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import { launchBrowser, openWorkbench, waitForTheme } from '../scripts/vscode/browser.mjs';
import { webviewRendererMemory } from '../scripts/vscode/crossSiteWorkbench.mjs';
import { FIXTURES_LIGHT, REPO_ROOT, VSIX } from '../scripts/vscode/config.mjs';
import { extensionHostProcesses, PHASE_LABELS, rendererProcesses, timeOpen } from '../scripts/vscode/openTiming.mjs';
import { createProfile } from '../scripts/vscode/profile.mjs';
import { packageExtension, prepareWorkspace } from '../scripts/vscode/project.mjs';
import { provision } from '../scripts/vscode/provision.mjs';
import { freePort, installVsix, startServer } from '../scripts/vscode/server.mjs';

const { values: opts } = parseArgs({ options: { 'no-package': { type: 'boolean', default: false } } });
const ROUNDS = Number(process.env.BENCH_OPEN_ROUNDS ?? 3);
const MODELS = (process.env.BENCH_OPEN_MODELS ?? 'densenet121,transformer20k,transformer100k').split(',');
const DAG_CAP_S = Number(process.env.BENCH_DAG_CAP_S ?? 60);
const TARGETS = { densenet121: 500, transformer20k: 1000, transformer100k: 2000 };
const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
const log = (s) => process.stderr.write(`${s}\n`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => (ms === undefined ? '—' : `${ms.toFixed(0)} ms`);

function tsxJson(script, args) {
  const out = execFileSync(tsx, [path.join(REPO_ROOT, 'bench', script), ...args], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop());
}

/**
 * The baseline: bench/flatDag.bench.ts on the 100k model in a child process, capped (it cannot
 * finish: 41 M dummy nodes). Returns { ms, finished, dummies }; `ms` is the cap when it did not finish.
 */
function flatDag(file) {
  log(`  baseline: flat d3-dag layout of ${path.basename(file)} (capped at ${DAG_CAP_S} s) ...`);
  const started = Date.now();
  try {
    // Node itself with tsx's loader, not the tsx wrapper: the timeout's SIGKILL must reach the
    // process that computes (killing the wrapper left its child computing on a core through the
    // rest of the benchmark).
    const out = execFileSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bench', 'flatDag.bench.ts'), file], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: DAG_CAP_S * 1000 + 15_000, killSignal: 'SIGKILL' });
    const r = JSON.parse(out.trim().split('\n').pop());
    log(`  flat d3-dag: ${r.nodes} nodes, ${r.edges} edges, ${r.dummies} dummy nodes: ${fmt(r.ms)}`);
    return { ...r, finished: true };
  } catch (err) {
    const dummies = Number(/dummies (\d+)/.exec(String(err.stderr ?? ''))?.[1] ?? NaN);
    log(`  flat d3-dag: did not finish within ${DAG_CAP_S} s (${((Date.now() - started) / 1000).toFixed(0)} s with graph building; ${dummies} dummy nodes)`);
    return { ms: DAG_CAP_S * 1000, finished: false, dummies };
  }
}

/** Phase durations of one open: each phase from the mark before it (in timeline order). */
function phaseDurations(timeline) {
  const marks = PHASE_LABELS.filter(([k]) => timeline[k] !== undefined).map(([k]) => [k, timeline[k]]).sort((a, b) => a[1] - b[1]);
  let previous = 0;
  return Object.fromEntries(marks.map(([k, at]) => {
    const d = at - previous;
    previous = at;
    return [k, d];
  }));
}

/** A table: one row per phase (median end mark and median duration per model), then the totals. */
function printTable(rows) {
  const names = rows.map((r) => r.name);
  const head = `  ${'phase (ends at, ms after the click; +duration)'.padEnd(44)}${names.map((n) => n.padStart(22)).join('')}`;
  log(head);
  for (const [key, label] of PHASE_LABELS) {
    if (!rows.some((r) => r.marks[key] !== undefined)) continue;
    const cells = rows.map((r) => (r.marks[key] === undefined ? '—' : `${r.marks[key].toFixed(0)} (+${r.durations[key].toFixed(0)})`));
    log(`  ${label.padEnd(44)}${cells.map((c) => c.padStart(22)).join('')}`);
  }
  log(`  ${'click → first frame (median)'.padEnd(44)}${rows.map((r) => fmt(r.total).padStart(22)).join('')}`);
  if (rows.some((r) => r.previews > 0)) log(`  ${'click → first graphics (median)'.padEnd(44)}${rows.map((r) => fmt(r.graphics).padStart(22)).join('')}`);
}

const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;

function medianRow(name, opens) {
  const keys = PHASE_LABELS.map(([k]) => k);
  const marks = {};
  const durations = {};
  const perOpen = opens.map((o) => phaseDurations(o.timeline));
  for (const k of keys) {
    const at = opens.map((o) => o.timeline[k]).filter((v) => v !== undefined);
    if (at.length) marks[k] = median(at);
    const d = perOpen.map((p) => p[k]).filter((v) => v !== undefined);
    if (d.length) durations[k] = median(d);
  }
  // First graphics: a reopen's picture of its first view (firstViewShown: the same pixels as its
  // first frame, in the page's HTML), a first open's first view laid out by the analysis process
  // (firstViewDrawn: the same pixels, drawn before the structure is unpacked), else the first frame.
  const shown = (o) => o.timeline.firstViewShown ?? o.timeline.previewFrame ?? o.timeline.firstViewDrawn;
  const graphics = opens.map((o) => shown(o) ?? o.total);
  return { name, total: median(opens.map((o) => o.total)), totals: opens.map((o) => o.total), graphics: median(graphics), firstGraphics: graphics, previews: opens.filter((o) => shown(o) !== undefined).length, marks, durations, sources: opens.map((o) => o.layouts[0]?.source) };
}

async function main() {
  if (!opts['no-package']) await packageExtension();
  await provision();
  const profile = createProfile();
  await installVsix(profile, VSIX);
  const workspace = prepareWorkspace(path.join(profile.root, 'workspace'));
  const sources = {};
  if (MODELS.includes('densenet121')) sources.densenet121 = path.join(FIXTURES_LIGHT, 'light_densenet121.onnx');
  const generated = tsxJson('openModels.ts', [profile.root, ...MODELS.filter((m) => m.startsWith('transformer')).map((m) => String(Number(m.slice(11, -1)) * 1000))]);
  Object.assign(sources, generated);
  // One copy per round: a file never opened before, so neither layout cache nor any other helps.
  const copies = (name, tag) => Array.from({ length: ROUNDS }, (_, r) => {
    const file = `${name}-${tag}${r + 1}.onnx`;
    fs.copyFileSync(sources[name], path.join(workspace, file));
    return file;
  });
  const files = Object.fromEntries(Object.keys(sources).map((name) => [name, copies(name, 'r')]));
  // The next model opened while the previous one's shape inference runs (its editor kept open):
  // fresh copies of both, so the second open cannot come from a cache.
  const firstName = ['transformer100k', 'transformer20k'].find((n) => sources[n]);
  const nextName = sources.densenet121 ? 'densenet121' : Object.keys(sources)[0];
  const during = firstName ? { first: copies(firstName, 'q'), next: copies(nextName, 'n') } : null;

  // The webview's own renderer is measured in a second browser (webviewRendererMemory), on a copy
  // of its own: a first open there, as in the rounds.
  const memoryCopy = sources.transformer100k ? 'transformer100k-m1.onnx' : null;
  if (memoryCopy) fs.copyFileSync(sources.transformer100k, path.join(workspace, memoryCopy));

  const dag = MODELS.includes('transformer100k') ? flatDag(sources.transformer100k) : null;

  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const server = await startServer({ profile, port: await freePort(), workspace });
  const browser = await launchBrowser();
  const rows = [];
  const results = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await openWorkbench(page, `${server.origin}/?folder=${encodeURIComponent(workspace)}`);
    await waitForTheme(page, 'Default Dark Modern');
    await page.getByRole('treeitem').first().waitFor({ timeout: 30_000 });
    const warm = await timeOpen(page, 'digits-mlp.onnx');
    log(`  warm-up (sample model, activates the extension): ${fmt(warm.total)}`);
    const baseMemory = rendererProcesses();
    // The host's growth over the last 100k open alone (after the rounds before it, not since the
    // sample model: what many opens leave behind is not what opening one model costs).
    let hostBefore = NaN;
    let hostAfter = NaN;

    const opens = Object.fromEntries(Object.keys(files).map((n) => [n, []]));
    let memory = null;
    for (let r = 0; r < ROUNDS; r++) {
      for (const name of Object.keys(files)) {
        const last100k = name === 'transformer100k' && r === ROUNDS - 1;
        if (last100k) hostBefore = extensionHostProcesses(server.pid)[0]?.rssBytes ?? NaN;
        const o = await timeOpen(page, files[name][r]);
        opens[name].push(o);
        const drawn = o.timeline.firstViewDrawn ?? o.timeline.firstViewShown;
        log(`  round ${r + 1} ${name}: ${drawn === undefined ? '' : `first view ${fmt(drawn)}, `}first frame ${fmt(o.total)} (layout from ${o.layouts[0]?.source})`);
        if (last100k) {
          memory = rendererProcesses();
          hostAfter = extensionHostProcesses(server.pid)[0]?.rssBytes ?? NaN;
        }
      }
    }
    for (const name of Object.keys(files)) rows.push(medianRow(name, opens[name]));

    let next = null;
    if (during) {
      const seconds = [];
      for (let r = 0; r < ROUNDS; r++) {
        await timeOpen(page, during.first[r], { details: false });
        const o = await timeOpen(page, during.next[r], { closeOthers: false });
        seconds.push(o);
        log(`  round ${r + 1} ${nextName} right after the first frame of ${firstName} (its editor kept open, its details being computed): ${fmt(o.total)}`);
      }
      next = medianRow(`${nextName} during ${firstName.slice(11)} inference`, seconds);
      rows.push(next);
    }

    let reopen = null;
    if (files.transformer100k) {
      const again = [];
      // Each reopen right after the last one's first frame: a reopen must not wait for the details of the one before.
      for (let i = 0; i < ROUNDS; i++) again.push(await timeOpen(page, files.transformer100k[0], { details: false }));
      await page.reload();
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      await page.getByRole('treeitem').first().waitFor({ timeout: 30_000 });
      await timeOpen(page, 'digits-mlp.onnx'); // warm the new window the same way
      const afterReload = await timeOpen(page, files.transformer100k[0]);
      reopen = { closeReopen: medianRow('reopen 100k', again), afterReload: medianRow('after reload', [afterReload]) };
      rows.push(reopen.closeReopen, reopen.afterReload);
    }

    log(`\n  Click in the Explorer → first frame of the graph, warmed VS Code, median of ${ROUNDS} (load average at start: ${load})`);
    printTable(rows);
    // The targets are click → first graphics: the graph's first pixels, whether the first view the
    // analysis process laid out or the graph view's first frame (both are reported).
    const graphicsLine = (row) => `${fmt(row.graphics)} click → first graphics (the first view drawn in ${row.previews} of ${row.totals.length} opens; the graph view's first frame ${fmt(row.total)}; first graphics per run: ${row.firstGraphics.map((t) => t.toFixed(0)).join(', ')} ms)`;
    for (const row of rows.slice(0, Object.keys(files).length)) {
      const target = TARGETS[row.name];
      results.push({ name: `open ${row.name} end to end`, line: `${graphicsLine(row)}; target <= ${target} ms`, ok: row.graphics <= target });
    }
    if (next) {
      const alone = rows.find((r) => r.name === nextName);
      results.push({ name: `open ${nextName} during ${firstName}'s inference`, line: `${graphicsLine(next)} while ${firstName}'s details are computed; ${fmt(alone?.graphics)} alone: ${(next.graphics / alone.graphics).toFixed(2)}x (target: does not wait, <= 1.5x)`, ok: next.graphics <= 1.5 * alone.graphics });
    }
    const big = rows.find((r) => r.name === 'transformer100k');
    if (big && dag) {
      const ratio = big.graphics / dag.ms;
      const dagText = dag.finished ? fmt(dag.ms) : `> ${DAG_CAP_S} s (did not finish: ${dag.dummies.toLocaleString('en-US')} dummy nodes)`;
      results.push({ name: 'open 100k vs flat d3-dag layout', line: `${dag.finished ? '' : '< '}${ratio.toFixed(3)}x (${fmt(big.graphics)} end to end vs ${dagText} for d3-dag's layout alone; target <= 0.2x)`, ok: ratio <= 0.2 });
    }
    if (reopen) {
      // The issue's target is the reopen's time; a window reload is checked for the caches surviving
      // it (the layout from IndexedDB, the structure from the graph cache, the host's picture shown),
      // its time reported beside (VS Code itself takes longer to make a page after a reload).
      const { closeReopen, afterReload } = reopen;
      const fromCache = (row) => row.sources.every((s) => s === 'indexeddb' || s === 'client');
      const all = (row) => `${row.previews} of ${row.totals.length}`;
      results.push({
        name: 'reopen 100k (layout cache)',
        line: `first graphics ${fmt(closeReopen.graphics)} after closing the editor (the first view's picture, shown in ${all(closeReopen)} reopens; ` +
          `the graph view's first frame ${fmt(closeReopen.total)}); layout from ${closeReopen.sources.join(', ')} (target <= 500 ms, from the cache)`,
        ok: fromCache(closeReopen) && closeReopen.previews === closeReopen.totals.length && closeReopen.graphics <= 500,
      });
      results.push({
        name: 'reopen 100k after a window reload (the caches survive it)',
        line: `first graphics ${fmt(afterReload.graphics)} (the first view's picture, shown in ${all(afterReload)}; the graph view's first frame ${fmt(afterReload.total)}); ` +
          `layout from ${afterReload.sources.join(', ')}, structure from the graph cache: ${afterReload.marks.modelRead === undefined ? 'yes' : 'no'} (target: all three survive the reload)`,
        ok: fromCache(afterReload) && afterReload.previews === afterReload.totals.length && afterReload.marks.modelRead === undefined,
      });
    }
    if (memory) {
      log(`  this run's renderer processes (the webview's is the workbench's: same site) with the 100k graph open: ${memory.map((p) => mb(p.rssBytes)).join(', ')}; with the sample model: ${baseMemory.map((p) => mb(p.rssBytes)).join(', ')}`);
      rows.push({ name: 'memory', renderers: memory.map((p) => p.rssBytes), sampleRenderers: baseMemory.map((p) => p.rssBytes) });
      // The graph cache keeps each structure packed as the host posts it (src/analysisProcess/graphCache.ts).
      const graphFiles = fs.readdirSync(profile.root, { recursive: true }).filter((f) => String(f).endsWith('.graph')).map((f) => fs.readFileSync(path.join(profile.root, String(f))));
      const packed = graphFiles.reduce((a, b) => (b.byteLength > a.byteLength ? b : a));
      const payloadBytes = zlib.inflateRawSync(packed).byteLength;
      results.push({ name: 'extension host memory while opening 100k', line: `RSS ${mb(hostBefore)} before the last round's 100k open, ${mb(hostAfter)} with the 100k model open (+${mb(hostAfter - hostBefore)}; its encoded structure is ${mb(payloadBytes)}, ${(packed.byteLength / 1048576).toFixed(2)} MB packed as posted; target: growth <= the payload)`, ok: hostAfter - hostBefore <= payloadBytes });
    }
    if (memoryCopy) {
      await browser.close();
      const own = await webviewRendererMemory(server.origin, workspace, memoryCopy);
      log(`  webview on its own site: its renderer ${mb(own.webview)} with the 100k graph, ${mb(own.webviewSample)} with the sample model; the workbench's ${mb(own.workbench)}`);
      rows.push({ name: 'webview memory', ...own });
      results.push({ name: 'webview renderer memory 100k', line: `${mb(own.webview)} RSS in the webview's own renderer process with the 100k graph drawn (webviews on their own site, as in desktop VS Code; ${mb(own.webviewSample)} with the sample model; the workbench's renderer ${mb(own.workbench)}) (target <= 512 MB)`, ok: own.webview <= 512 * 1048576 });
    }
  } finally {
    await browser.close();
    await server.stop();
    profile.remove();
  }
  process.stdout.write(`${JSON.stringify({ rows, results, dagMs: dag?.ms ?? null })}\n`);
}

await main();

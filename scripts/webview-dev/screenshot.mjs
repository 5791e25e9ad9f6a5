#!/usr/bin/env node
/**
 * Dev harness: renders the built webview (dist/webview) outside VS Code with a fake
 * `acquireVsCodeApi`, real summaries of real models and VS Code theme variables, and
 * screenshots it with headless Chromium.
 *
 *   npm run build && npx tsx scripts/webview-dev/screenshot.mjs [out-dir]     (default: out/webview-shots)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { summarizeModelFile } from '../../src/core/modelAnalysis.ts';
import { pageHtml } from './harness.mjs';
import { themes } from './themes.mjs';
import { lightModel } from '../../test/fixtures/prerequisites.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = resolve(process.argv[2] ?? join(root, 'out/webview-shots'));
mkdirSync(outDir, { recursive: true });

const digits = await summarizeModelFile(join(root, 'media/sample/digits-mlp.onnx'));
const inception = await summarizeModelFile(lightModel('light_inception_v1.onnx'));
const withProblems = {
  ...digits,
  path: '/models/a-really-long-directory-name/another-level/resnet50-v1-12-int8-quantized-with-a-very-long-file-name.onnx',
  inputs: [{ name: 'input_ids_with_a_really_long_name_that_must_be_ellipsized_somewhere', elemType: 'int64', shape: ['batch_size', 'sequence_length'] }, ...digits.inputs],
  problems: [
    { severity: 'error', message: 'resnet50.onnx: the graph has a cycle through /layer1/Add → /layer1/Relu → /layer1/Add.' },
    { severity: 'warning', message: 'resnet50.onnx: value "x" has no producer.' },
  ],
};

/** Each scene: the pushes the fake host sends after `ready`. */
const scenes = {
  digits: [{ type: 'summary', summary: digits }],
  inception: [{ type: 'summary', summary: inception }],
  problems: [{ type: 'summary', summary: withProblems }],
  error: [{ type: 'error', fileName: 'broken.onnx', message: 'broken.onnx: not an ONNX model: protobuf wire type 7 is invalid (at byte 0).' }],
  loading: [],
};

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  // The page is an ES module read from file:// URLs: Chromium refuses those without this flag.
  args: ['--allow-file-access-from-files', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const only = process.env.SCENES?.split(',');
  for (const [sceneName, pushes] of Object.entries(scenes)) {
    if (only && !only.includes(sceneName)) continue;
    for (const [themeName, theme] of Object.entries(themes)) {
      for (const width of [1100, 500]) {
        const htmlPath = join(outDir, `${sceneName}-${themeName}.html`);
        writeFileSync(htmlPath, pageHtml(theme, { assetBase: pathToFileURL(join(root, 'dist')).href, pushesOnReady: pushes }));
        const tab = await browser.newPage({ viewport: { width, height: 900 } });
        const errors = [];
        tab.on('pageerror', (e) => errors.push(String(e)));
        tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
        await tab.goto(pathToFileURL(htmlPath).href);
        const expected = sceneName === 'error' ? 'error' : sceneName === 'loading' ? 'loading' : 'ready';
        await tab.waitForSelector(`body[data-state="${expected}"]`);
        await tab.waitForTimeout(150);
        const shot = join(outDir, `${sceneName}-${themeName}-${width}.png`);
        await tab.screenshot({ path: shot, fullPage: true });
        const posted = await tab.evaluate(() => window.__posted.filter((m) => m.type === 'rendered'));
        console.log(`${shot} ${JSON.stringify(posted.at(-1) ?? null)}${errors.length ? ' ERRORS: ' + errors.join(' | ') : ''}`);
        await tab.close();
      }
    }
  }
} finally {
  await browser.close();
}

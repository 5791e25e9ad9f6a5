#!/usr/bin/env node
/**
 * Screenshots of the graph view on real models in every theme (dark, light, high contrast), with a
 * node selected so the details panel and its histogram show; also times first paint and frames.
 *
 *   npm run build && npx tsx scripts/webview-dev/graphShot.mjs [out-dir]   (MODELS=mlp,densenet,t100k THEMES=dark,light)
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readModelBytes, readModelFile } from '../../src/core/onnx/reader.ts';
import { transformerLike } from '../../test/fixtures/bigModels.ts';
import { model as encodeModel } from '../../test/fixtures/onnxBuilder.ts';
import { p95, panAndZoom, root, startHarness } from './harness.mjs';
import { themes } from './themes.mjs';
import { lightModel } from '../../test/fixtures/prerequisites.ts';

const outDir = resolve(process.argv[2] ?? join(root, 'out/webview-shots'));
mkdirSync(outDir, { recursive: true });
const models = {
  mlp: () => readModelFile(join(root, 'media/sample/digits-mlp.onnx')),
  densenet: () => readModelFile(lightModel('light_densenet121.onnx')),
  t100k: () => readModelBytes(encodeModel(transformerLike({ nodes: 100000, shareWeights: true })), 'transformer-100k.onnx'),
};
const only = process.env.MODELS?.split(',') ?? Object.keys(models);
const themeNames = process.env.THEMES?.split(',') ?? Object.keys(themes);

const harness = await startHarness();
try {
  for (const name of only) {
    const model = models[name]();
    const prepared = { model, ...harness.prepare(model, name) };
    const { payload } = prepared;
    for (const themeName of themeNames) {
      const { page, errors, firstPaintMs } = await harness.openGraph(prepared, themeName);
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(outDir, `graph-${name}-${themeName}.png`) });
      // Select a Gemm (or an early node) so the details panel and a histogram show.
      const gemm = payload.ops.indexOf('Gemm');
      const nodeName = payload.nodeNames[gemm >= 0 ? [...payload.nodeOp].indexOf(gemm) : Math.min(3, payload.nodeCount - 1)];
      if (nodeName) {
        await page.evaluate((n) => window.__onnxLens.selectNode(n), nodeName);
        await page.waitForTimeout(700);
        await page.screenshot({ path: join(outDir, `graph-${name}-${themeName}-selected.png`) });
        const values = page.locator('[data-testid="tensor-values"]');
        if (await values.count()) {
          await values.scrollIntoViewIfNeeded();
          await page.screenshot({ path: join(outDir, `graph-${name}-${themeName}-values.png`) });
        }
      }
      let perf = '';
      if (themeName === themeNames[0]) {
        await page.evaluate(() => { window.__onnxLensPerf.frames.length = 0; window.__onnxLensPerf.intervals.length = 0; });
        await panAndZoom(page);
        const f = await page.evaluate(() => window.__onnxLensPerf);
        perf = ` frames=${f.frames.length} drawP95=${p95(f.frames).toFixed(2)}ms`;
      }
      const items = await page.evaluate(() => window.__onnxLens.sceneItems().length);
      console.log(`${name} ${themeName}: nodes=${payload.nodeCount} items=${items} firstPaint=${firstPaintMs.toFixed(0)}ms${perf}${errors.length ? ` ERRORS: ${errors.join(' | ')}` : ''}`);
      await page.close();
    }
  }
} finally {
  await harness.close();
}

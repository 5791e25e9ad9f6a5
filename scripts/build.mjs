#!/usr/bin/env node
/**
 * Bundles the extension host, the CLI and the webview with esbuild.
 *   node scripts/build.mjs               development build (sourcemaps)
 *   node scripts/build.mjs --production  minified, no sourcemaps (what the .vsix ships)
 *   node scripts/build.mjs --watch       rebuild on change
 */
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const watch = args.has('--watch');
const dist = join(root, 'dist');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  minify: production,
  // Error classes name themselves with `new.target.name`, and errors that cross a worker or process
  // boundary are rebuilt by that name (a DatasetError keeps its file, row and column): minifying
  // must not rename classes.
  keepNames: true,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
};

/** @type {Record<string, import('esbuild').BuildOptions>} */
const builds = {
  extension: {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // onnxruntime-node loads a native addon relative to its own files: ship it, never bundle it.
    external: ['vscode', 'onnxruntime-node'],
  },
  // The analysis process the extension forks: models are read and analysed there, not in the host.
  analysisChild: {
    ...common,
    entryPoints: ['src/analysisProcess/analysisChild.ts'],
    outfile: 'dist/analysisChild.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['onnxruntime-node'],
  },
  // The analysis process's model threads (src/analysisProcess/modelThreadPool.ts): one per open model.
  modelThread: {
    ...common,
    entryPoints: ['src/analysisProcess/modelThread.ts'],
    outfile: 'dist/modelThread.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  // The runtime process: onnxruntime-node sessions (and sharp for image inputs) live only here.
  ortChild: {
    ...common,
    entryPoints: ['src/runtime/child/ortChild.ts'],
    outfile: 'dist/ortChild.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['onnxruntime-node', 'sharp'],
  },
  // The evaluation's dataset reader, a worker_thread of the runtime process (src/runtime/eval/).
  datasetWorker: {
    ...common,
    entryPoints: ['src/runtime/child/eval/datasetWorker.ts'],
    outfile: 'dist/datasetWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['onnxruntime-node', 'sharp'],
  },
  // The evaluation's inference lanes, worker_threads of the runtime process running ORT (src/runtime/child/eval/lanes.ts).
  laneWorker: {
    ...common,
    entryPoints: ['src/runtime/child/eval/laneWorker.ts'],
    outfile: 'dist/laneWorker.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['onnxruntime-node', 'sharp'],
  },
  // The model editor's page: an ES module whose Run, Evaluate and Quantize tabs (with Chart.js) and
  // operator docs (markdown-it) are chunks loaded on first use, so the script VS Code loads before
  // the first frame is a third of the whole (docs/opening-a-model.md). It must import no chunk
  // statically: each file is one more round trip through the webview's resource loader.
  webview: {
    ...common,
    entryPoints: ['webview/main.ts'],
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'esm',
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    target: ['chrome120'],
    loader: { '.ttf': 'file', '.woff2': 'file', '.svg': 'file' },
    metafile: true,
    plugins: [pageManifest('dist/webview/main.js', 'dist/webview/main.assets.json')],
  },
  // The diff editor's page (src/extension/diff/diffPanel.ts): one module of its own, no chunks.
  diffWebview: {
    ...common,
    entryPoints: ['webview/diff/diffMain.ts'],
    outdir: 'dist/webview/diff',
    platform: 'browser',
    format: 'esm',
    target: ['chrome120'],
    loader: { '.ttf': 'file', '.woff2': 'file', '.svg': 'file' },
  },
  // The first-view loader, a classic script the host puts inline into every model page's HTML: it
  // adds the page's files and shows the model's first view before them (src/extension/webviewHtml.ts).
  // No source map.
  firstViewLoader: {
    ...common,
    entryPoints: ['webview/graph/firstViewLoader.ts'],
    outfile: 'dist/webview/firstViewLoader.js',
    platform: 'browser',
    format: 'iife',
    target: ['chrome120'],
    minify: true,
    sourcemap: false,
  },
  // The graph layout Web Worker: a classic script the webview fetches and starts from a Blob URL.
  layoutWorker: {
    ...common,
    entryPoints: ['webview/graph/layoutWorker.ts'],
    outfile: 'dist/webview/layoutWorker.js',
    platform: 'browser',
    format: 'iife',
    target: ['chrome120'],
  },
};

/**
 * Writes what the page's HTML must name besides its entry module (src/extension/webviewHtml.ts):
 * every stylesheet of the build (a chunk's CSS is not loaded by its `import()`), and the chunks the
 * entry imports statically, preloaded so they load beside it instead of after it. Paths are
 * relative to the entry's folder.
 */
function pageManifest(entry, manifest) {
  return {
    name: 'page-manifest',
    setup(build) {
      build.onEnd((result) => {
        if (!result.metafile) return;
        const { outputs } = result.metafile;
        const folder = dirname(entry);
        const preload = new Set();
        const visit = (file) => {
          for (const i of outputs[file]?.imports ?? []) {
            if (i.kind !== 'import-statement' || preload.has(i.path)) continue;
            preload.add(i.path);
            visit(i.path);
          }
        };
        visit(entry);
        const cssFirst = outputs[entry]?.cssBundle;
        const styles = [cssFirst, ...Object.keys(outputs).filter((f) => f.endsWith('.css') && f !== cssFirst)].filter(Boolean);
        const rel = (f) => relative(folder, f).split('\\').join('/');
        writeFileSync(join(root, manifest), `${JSON.stringify({ styles: styles.map(rel), preload: [...preload].map(rel) }, null, 2)}\n`);
      });
    },
  };
}

/**
 * `import css from '<name>'` → the stylesheet `file` bundled (its @imports, fonts as data: URLs,
 * minified) as a string, for a page that must be one self-contained file.
 */
function inlineCss(name, file) {
  return {
    name: 'inline-css',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${name}$`) }, () => ({ path: name, namespace: 'inline-css' }));
      build.onLoad({ filter: /.*/, namespace: 'inline-css' }, async () => {
        const out = await esbuild.build({
          entryPoints: [file], outfile: 'inline.css', absWorkingDir: root, bundle: true, write: false, minify: true, metafile: true,
          loader: { '.ttf': 'dataurl', '.woff2': 'dataurl' }, logLevel: 'silent',
        });
        return { contents: out.outputFiles[0].text, loader: 'text', watchFiles: Object.keys(out.metafile.inputs).map((f) => join(root, f)) };
      });
    },
  };
}

// The standalone HTML report's script, inlined into every evaluation and quantization report by
// src/core/report/evalHtml.ts and quantHtml.ts: a classic script carrying its stylesheet and the codicon font, so a
// report is one file that needs no network. Always minified, without a source map: it is copied
// into every report.
builds.report = {
  ...common,
  entryPoints: ['webview/report/main.ts'],
  outfile: 'dist/report/report.js',
  platform: 'browser',
  format: 'iife',
  target: ['chrome120'],
  sourcemap: false,
  minify: true,
  plugins: [inlineCss('report-css', 'webview/report/report.css')],
};

builds.cli = {
  ...common,
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/cli.js',
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  banner: { js: '#!/usr/bin/env node' },
  // The CLI forks dist/ortChild.js for onnxruntime; datasets of images need sharp in-process.
  external: ['onnxruntime-node', 'sharp'],
};

/**
 * The CLI is the package's bin. npm (and npx, which links a checkout into its cache) marks a bin
 * executable once, when it links it; each build writes a new file, which must stay executable or
 * `npx onnx-lens` fails with "Permission denied" after a rebuild.
 */
function keepCliExecutable() {
  chmodSync(join(root, builds.cli.outfile), 0o755);
}

/** Codicons are a font + stylesheet the webview links to; they are copied, not bundled. */
function copyCodicons() {
  const from = join(root, 'node_modules/@vscode/codicons/dist');
  const to = join(dist, 'codicons');
  mkdirSync(to, { recursive: true });
  for (const file of ['codicon.css', 'codicon.ttf']) copyFileSync(join(from, file), join(to, file));
}

async function main() {
  if (!watch) rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  copyCodicons();
  const started = Date.now();
  if (watch) {
    for (const [name, options] of Object.entries(builds)) {
      const ctx = await esbuild.context({
        ...options,
        plugins: [...(options.plugins ?? []), {
          name: 'report',
          setup(build) {
            build.onEnd((result) => {
              const status = result.errors.length ? `${result.errors.length} error(s)` : 'ok';
              if (name === 'cli' && !result.errors.length) keepCliExecutable();
              console.log(`[watch] ${name}: ${status}`);
            });
          },
        }],
      });
      await ctx.watch();
    }
    console.log('[watch] watching for changes (Ctrl+C to stop)');
    return;
  }
  const results = await Promise.allSettled(Object.values(builds).map((options) => esbuild.build(options)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) {
    // esbuild already printed the errors with locations.
    console.error(`build: ${failed.length} bundle(s) failed`);
    process.exit(1);
  }
  keepCliExecutable();
  const names = Object.keys(builds).join(', ');
  console.log(`build: ${names} → ${relative(process.cwd(), dist) || 'dist'}/ in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

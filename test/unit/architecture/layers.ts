/**
 * The layers of src/ and webview/ and which way they may import — the plan README.md's
 * "Architecture" section draws, as data for layering.test.ts. A file belongs to the layer with the
 * longest matching path prefix; a file may import its own layer and those in `mayImport`, nothing
 * else. Lower layers know nothing of the ones above them:
 *
 *   shared ← core ← rpc ← runtime client, runtime child (ORT), analysis process
 *                            runtime client ← host ← extension, cli
 *          core ← webview (shared and pure core only: it is bundled for the browser)
 *
 * A process's method table (`methods.ts`: what the child serves) is its own small layer, so the
 * host side can name requests without importing the child's code.
 */

export interface Layer {
  name: string;
  /** Path prefixes relative to the repository root ('src/core/'), or whole files. */
  paths: string[];
  mayImport: string[];
}

export const LAYERS: Layer[] = [
  { name: 'shared', paths: ['src/shared/'], mayImport: [] },
  { name: 'core', paths: ['src/core/'], mayImport: ['shared'] },
  { name: 'rpc', paths: ['src/rpc/'], mayImport: ['shared', 'core'] },
  { name: 'runtime methods', paths: ['src/runtime/methods.ts'], mayImport: ['shared', 'core', 'rpc'] },
  { name: 'runtime child', paths: ['src/runtime/child/'], mayImport: ['shared', 'core', 'rpc', 'runtime methods'] },
  { name: 'runtime client', paths: ['src/runtime/client/'], mayImport: ['shared', 'core', 'rpc', 'runtime methods'] },
  { name: 'analysis methods', paths: ['src/analysisProcess/methods.ts'], mayImport: ['shared', 'core'] },
  { name: 'analysis process', paths: ['src/analysisProcess/'], mayImport: ['shared', 'core', 'rpc', 'analysis methods'] },
  { name: 'host', paths: ['src/host/'], mayImport: ['shared', 'core', 'rpc', 'runtime methods', 'runtime client', 'analysis methods'] },
  { name: 'extension', paths: ['src/extension/'], mayImport: ['shared', 'core', 'rpc', 'runtime methods', 'runtime client', 'analysis methods', 'host'] },
  { name: 'cli', paths: ['src/cli/', 'src/cli.ts'], mayImport: ['shared', 'core', 'rpc', 'runtime methods', 'runtime client', 'host'] },
  { name: 'webview', paths: ['webview/'], mayImport: ['shared', 'core'] },
];

/**
 * Packages only some layers may import: `vscode` exists only in the extension host; onnxruntime
 * only in the runtime process; Node's built-ins do not exist in the webview (shared is bundled
 * into it too).
 */
export const PACKAGE_RULES: { packages: RegExp; only?: string[]; never?: string[]; why: string }[] = [
  { packages: /^vscode$/, only: ['extension'], why: 'only the extension runs inside VS Code' },
  { packages: /^onnxruntime-node$/, only: ['runtime child'], why: 'onnxruntime runs only in the runtime process (an ORT abort kills its whole process)' },
  { packages: /^node:/, never: ['shared', 'webview'], why: 'shared and webview code is bundled for the browser' },
];

/** Files outside every layer that any layer may read (the version in package.json). */
export const ANYONE_MAY_IMPORT = new Set(['package.json']);



export function layerOf(file: string): Layer | undefined {
  let best: Layer | undefined;
  let bestLength = -1;
  for (const layer of LAYERS) {
    for (const p of layer.paths) {
      const match = p.endsWith('/') ? file.startsWith(p) : file === p;
      if (match && p.length > bestLength) {
        best = layer;
        bestLength = p.length;
      }
    }
  }
  return best;
}

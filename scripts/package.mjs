#!/usr/bin/env node
/**
 * Builds the extension for production and packages it as out/onnx-lens.vsix, then prints
 * what went in (file count, sizes, the largest files) and checks that nothing unexpected
 * from node_modules was shipped (.vscodeignore is an allow-list; this proves it).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vsix = join(root, 'out/onnx-lens.vsix');

/** node_modules entries the .vsix may hold: the ORT runtime, sharp (image inputs) and their runtime dependencies. */
const ALLOWED_MODULES = ['onnxruntime-node', 'onnxruntime-common', 'sharp', '@img/sharp-linux-x64', '@img/sharp-libvips-linux-x64', '@img/colour', 'detect-libc', 'semver'];

function run(command, args) {
  execFileSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
}

function listVsix(file) {
  // `unzip -Z -l`-style listing: "-rw-r--r--  2.0 unx  12345 b- defN 24-Nov-23 12:00 extension/dist/extension.js"
  const out = execFileSync('zipinfo', ['-l', file], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 10 && /^[-d]/.test(cols[0]))
    .map((cols) => ({ size: Number(cols[3]), path: cols.slice(9).join(' ') }));
}

const MiB = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

run(process.execPath, [join(root, 'scripts/build.mjs'), '--production']);
mkdirSync(dirname(vsix), { recursive: true });
// No repository URL (yet): keep README links relative instead of rewriting them to a host.
// VS Code resolves them against the installed extension, which ships media/.
run(join(root, 'node_modules/.bin/vsce'), ['package', '--target', 'linux-x64', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '-o', vsix]);

const files = listVsix(vsix).filter((f) => !f.path.endsWith('/'));
const extensionFiles = files.filter((f) => f.path.startsWith('extension/'));
const unpacked = files.reduce((sum, f) => sum + f.size, 0);
console.log(`\npackage: ${vsix}`);
console.log(`package: ${extensionFiles.length} extension files (${files.length} entries), ${MiB(unpacked)} unpacked, ${MiB(statSync(vsix).size)} .vsix`);
for (const f of [...files].sort((a, b) => b.size - a.size).slice(0, 5)) console.log(`  ${MiB(f.size).padStart(9)}  ${f.path}`);

const strays = extensionFiles
  .map((f) => /^extension\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(f.path)?.[1])
  .filter((name) => name && !ALLOWED_MODULES.includes(name));
const foreignBinaries = extensionFiles.filter((f) => /napi-v6\/(?!linux\/x64\/)/.test(f.path));
if (strays.length || foreignBinaries.length) {
  console.error(`package: unexpected files in the .vsix: ${[...new Set(strays), ...foreignBinaries.map((f) => f.path)].join(', ')}`);
  process.exit(1);
}
const required = ['extension/dist/extension.js', 'extension/dist/analysisChild.js', 'extension/dist/ortChild.js', 'extension/dist/datasetWorker.js', 'extension/dist/report/report.js', 'extension/dist/webview/layoutWorker.js', 'extension/dist/webview/main.js', 'extension/dist/webview/main.css', 'extension/dist/codicons/codicon.css',
  'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node', 'extension/node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node'];
const missing = required.filter((p) => !files.some((f) => f.path === p));
if (missing.length) {
  console.error(`package: missing from the .vsix: ${missing.join(', ')}`);
  process.exit(1);
}

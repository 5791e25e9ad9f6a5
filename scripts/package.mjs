#!/usr/bin/env node
/**
 * Builds the extension for production and packages one .vsix per platform (vsce's platform-specific
 * extensions), each holding exactly that platform's native files, then checks each one
 * (scripts/package/checkVsix.mjs: file names and ELF/Mach-O/PE headers against the target).
 *
 *   npm run package                          out/onnx-lens-linux-x64.vsix, copied to out/onnx-lens.vsix
 *   npm run package -- --target darwin-arm64 out/onnx-lens-darwin-arm64.vsix
 *   npm run package -- --target all          all six targets (scripts/package/targets.mjs)
 *   --no-build                               package the dist/ that is there (a production build)
 *
 * With $ONNX_LENS_SUMMARY_FILE set (npm test), each target counts as one test.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { checkVsix } from './package/checkVsix.mjs';
import { stageTarget } from './package/stage.mjs';
import { DEFAULT_TARGET, TARGETS, targetContents } from './package/targets.mjs';
import { capture } from './vscode/exec.mjs';
import { writeSummary } from './vscode/results.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { target: { type: 'string', default: DEFAULT_TARGET }, 'no-build': { type: 'boolean', default: false } } });
const targets = opts.target === 'all' ? TARGETS : opts.target.split(',');
for (const t of targets) {
  if (!TARGETS.includes(t)) {
    console.error(`package: unknown target '${t}'; use one of ${TARGETS.join(', ')} or all`);
    process.exit(2);
  }
}

const MiB = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const env = { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' };

if (!opts['no-build']) execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--production'], { cwd: root, stdio: 'inherit', env });

/** Stages, packages and checks one target; resolves to its test entry (never rejects). */
async function packageTarget(target) {
  const started = Date.now();
  const vsix = join(root, 'out', `onnx-lens-${target}.vsix`);
  let problems;
  try {
    const contents = targetContents(root, target);
    const stage = join(root, 'out', 'stage', target);
    await stageTarget(root, stage, contents);
    mkdirSync(dirname(vsix), { recursive: true });
    // README links stay relative (docs/, media/ ship in the package; VS Code resolves them there).
    await capture(join(root, 'node_modules/.bin/vsce'), ['package', '--target', target, '--no-rewrite-relative-links', '-o', vsix], { cwd: stage, env, timeoutMs: 10 * 60_000 });
    const check = checkVsix(vsix, contents);
    problems = check.problems;
    const ort = contents.ortDir ? `onnxruntime ${contents.ortFiles.length} files` : 'NO onnxruntime build for this platform: viewing only';
    const sharp = contents.sharpPackages.map((p) => `${p.name}@${p.version}`).join(', ');
    console.log(`package: ${target}: ${MiB(statSync(vsix).size)} .vsix, ${check.files} files, ${MiB(check.bytes)} unpacked; ${check.natives.length} native files checked (${ort}; ${sharp}) in ${((Date.now() - started) / 1000).toFixed(1)} s → out/onnx-lens-${target}.vsix`);
  } catch (error) {
    problems = [String(error.message ?? error).split('\n').slice(0, 3).join(' ')];
  }
  for (const p of problems) console.error(`package: ${target}: ${p}`);
  if (target === DEFAULT_TARGET && !problems.length) copyFileSync(vsix, join(root, 'out', 'onnx-lens.vsix'));
  return { title: `the ${target} .vsix holds exactly ${target}'s native files`, state: problems.length ? 'failed' : 'passed', ...(problems.length ? { error: problems.join('; ') } : {}) };
}

// vsce spends its time deflating ~50 MB of binaries on one core: two targets at a time.
const queue = [...targets];
const tests = [];
await Promise.all(Array.from({ length: Math.min(2, availableParallelism(), queue.length) }, async () => {
  while (queue.length) tests.push(await packageTarget(queue.shift()));
}));

const failed = tests.filter((t) => t.state === 'failed').length;
writeSummary({ passed: tests.length - failed, failed, pending: 0, tests });
if (failed) process.exit(1);

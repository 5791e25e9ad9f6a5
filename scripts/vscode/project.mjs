// Steps on the repo itself: build, package, and test workspaces that hold COPIES of repo files
// (a run must never modify the repo's own media/ or fixtures).
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SAMPLE_DIR, VIEW_TYPE, logger } from './config.mjs';
import { run } from './exec.mjs';

const log = logger('project');

export async function npmRun(script, { timeoutMs = 10 * 60_000 } = {}) {
  const started = Date.now();
  log(`npm run ${script}`);
  // stdout of the build would otherwise mix into a runner's result output: send it to stderr.
  await run('bash', ['-c', `npm run --silent ${script} 1>&2`], { cwd: REPO_ROOT, timeoutMs });
  log(`npm run ${script}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** `npm run package` makes a production build (dist/) and writes out/onnx-lens.vsix. */
export async function packageExtension() {
  await npmRun('package');
}

/**
 * (Re)creates `dir` as a workspace: a copy of media/sample/ plus `files` ({ name: sourcePath | Buffer }),
 * and .vscode/settings.json that associates *.onnx with the ONNX Lens editor.
 */
export function prepareWorkspace(dir, { files = {}, clean = true } = {}) {
  if (clean) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  if (!fs.existsSync(SAMPLE_DIR)) throw new Error(`Missing ${SAMPLE_DIR}`);
  fs.cpSync(SAMPLE_DIR, dir, { recursive: true });
  for (const [name, src] of Object.entries(files)) {
    const target = path.join(dir, name);
    if (Buffer.isBuffer(src)) fs.writeFileSync(target, src);
    else fs.copyFileSync(src, target);
  }
  fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), JSON.stringify({
    'workbench.editorAssociations': { '*.onnx': VIEW_TYPE },
  }, null, 2) + '\n');
  return dir;
}

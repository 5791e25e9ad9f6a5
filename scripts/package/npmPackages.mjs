// Packages of other platforms for a platform-specific .vsix: sharp's prebuilt binaries for macOS,
// Windows and linux-arm64 are optional dependencies that npm installs only on their own platform.
// They are fetched with `npm pack <name>@<exact version>` (pinned to what sharp declares), unpacked
// once into the cache ($ONNX_LENS_CACHE/npm-packages) and reused; the installed copy is used when
// this machine has it.
import fs from 'node:fs';
import path from 'node:path';
import { CACHE_DIR } from '../vscode/config.mjs';
import { capture } from '../vscode/exec.mjs';
import { withoutNpmEnv } from '../vscode/provision.mjs';

const CACHE = path.join(CACHE_DIR, 'npm-packages');

function installedVersion(root, name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** The folder holding `name@version` (its package.json at the top), fetching it if needed. */
export async function packageDir(root, name, version) {
  if (installedVersion(root, name) === version) return path.join(root, 'node_modules', name);
  const dir = path.join(CACHE, `${name.replace('/', '+')}@${version}`);
  const done = path.join(dir, '.complete');
  if (fs.existsSync(done)) return path.join(dir, 'package');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const started = Date.now();
  // A clean environment: under `npm run package` the outer npm's npm_* variables would configure this one.
  await capture('npm', ['pack', '--silent', `${name}@${version}`], { cwd: dir, env: withoutNpmEnv(), timeoutMs: 5 * 60_000 });
  const tgz = fs.readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!tgz) throw new Error(`npm pack ${name}@${version} produced no tarball`);
  await capture('tar', ['xzf', tgz], { cwd: dir });
  fs.rmSync(path.join(dir, tgz));
  const got = JSON.parse(fs.readFileSync(path.join(dir, 'package', 'package.json'), 'utf8'));
  if (got.name !== name || got.version !== version) throw new Error(`npm pack ${name}@${version} gave ${got.name}@${got.version}`);
  fs.writeFileSync(done, new Date().toISOString());
  console.error(`[package] fetched ${name}@${version} in ${((Date.now() - started) / 1000).toFixed(1)} s (cached in ${dir})`);
  return path.join(dir, 'package');
}

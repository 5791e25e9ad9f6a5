// Small child-process helpers: run a command, fail with its output tail, never hang forever.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { killGroup, onExit } from './cleanup.mjs';

/**
 * Runs a command to completion. Output goes to `logFile` (appended) when given, else is inherited.
 * Rejects on a non-zero exit or after `timeoutMs`, with the last lines of output in the message.
 */
export function run(cmd, args, { cwd, env, logFile, timeoutMs = 15 * 60_000, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    const toFile = logFile ? fs.openSync(logFile, 'a') : null;
    const stdio = capture ? ['ignore', 'pipe', 'pipe'] : toFile !== null ? ['ignore', toFile, toFile] : 'inherit';
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio, detached: true });
    let out = '';
    if (capture) {
      child.stdout.on('data', (d) => { out += d; });
      child.stderr.on('data', (d) => { out += d; });
    }
    const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), timeoutMs);
    const unregister = onExit(() => killGroup(child.pid, 'SIGKILL'));
    child.on('error', (err) => { clearTimeout(timer); unregister(); reject(err); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      unregister();
      if (toFile !== null) fs.closeSync(toFile);
      if (code === 0) return resolve(out);
      const tail = capture ? out : logFile ? fs.readFileSync(logFile, 'utf8') : '';
      const last = tail.split('\n').slice(-25).join('\n');
      reject(new Error(`${cmd} ${args.join(' ')} failed (${signal ?? `exit ${code}`})${last ? `:\n${last}` : ''}`));
    });
  });
}

/** Like `run` but resolves to the combined stdout+stderr. */
export function capture(cmd, args, opts = {}) {
  return run(cmd, args, { ...opts, capture: true });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

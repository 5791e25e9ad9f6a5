// One place that kills what we started (code-server process groups, installers, mocha children)
// when this process ends for ANY reason: normal exit, Ctrl-C, SIGTERM, an uncaught error.
// Handlers must be synchronous: `process.on('exit')` cannot wait.
const handlers = new Set();

/** Registers a synchronous cleanup; returns a function that unregisters it. */
export function onExit(fn) {
  handlers.add(fn);
  return () => handlers.delete(fn);
}

/** Kills a whole process group started with `detached: true`; ignores groups already gone. */
export function killGroup(pid, signal = 'SIGTERM') {
  try { process.kill(-pid, signal); return true; } catch { return false; }
}

function runAll() {
  for (const fn of [...handlers]) {
    try { fn(); } catch { /* keep cleaning the rest */ }
  }
  handlers.clear();
}

process.on('exit', runAll);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => { runAll(); process.exit(code); });
}
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.on(event, (err) => {
    console.error(err instanceof Error ? err.stack : err);
    runAll();
    process.exit(1);
  });
}

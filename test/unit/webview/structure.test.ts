/**
 * The webview's plan, checked on every file's imports (README "The webview"): each tab is a feature
 * folder (graph, model, run, eval, quantize) that imports only its own files, the shell
 * (webview/shell/) and the UI kit (webview/ui/, with webview/format.ts); the kit imports nothing
 * above it; the shell imports only the kit; only the entry points (main.ts, app.ts, report/main.ts,
 * the layout worker) put features together. And no import circle anywhere in webview/.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const WEBVIEW = path.resolve(__dirname, '../../../webview');
const FEATURES = new Set(['graph', 'model', 'run', 'eval', 'quantize']);
/** Files that compose features: the page, its tabs, the layout worker; and everything in report/ (the standalone report page). */
const ENTRIES = new Set(['main.ts', 'app.ts', 'graph/layoutWorker.ts']);

type Edge = { from: string; to: string };

/** Every webview .ts file (relative to webview/, '/'-separated) except the dev tools. */
function sources(dir = WEBVIEW): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dev' ? [] : sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.relative(WEBVIEW, full).split(path.sep).join('/')] : [];
  });
}

/** The webview modules a file imports (static, re-exports and dynamic), resolved to files. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(WEBVIEW, file), 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)/g)].map((m) => m[1] ?? m[2]);
  return specs.filter((s) => s.startsWith('.')).flatMap((s) => {
    const target = path.resolve(path.dirname(path.join(WEBVIEW, file)), s);
    const found = [`${target}.ts`, path.join(target, 'index.ts')].find((f) => fs.existsSync(f));
    const rel = found && path.relative(WEBVIEW, found).split(path.sep).join('/');
    return rel && !rel.startsWith('..') ? [rel] : [];
  });
}

/** Where a file sits in the plan: 'entry', 'shell', 'ui', a feature's name, or 'root' (format.ts). */
function areaOf(file: string): string {
  if (ENTRIES.has(file)) return 'entry';
  const top = file.includes('/') ? file.slice(0, file.indexOf('/')) : 'root';
  return top === 'report' ? 'entry' : top;
}

/** The imports that break the plan, as "from → to" lines. */
function violations(edges: readonly Edge[]): string[] {
  const allowed = (from: string, to: string): boolean => {
    if (from === 'entry' || from === to) return true;
    if (from === 'ui' || from === 'root') return to === 'ui' || to === 'root';
    if (from === 'shell') return to === 'ui' || to === 'root';
    if (FEATURES.has(from)) return to === 'shell' || to === 'ui' || to === 'root';
    return false;
  };
  return edges.filter((e) => !allowed(areaOf(e.from), areaOf(e.to))).map((e) => `${e.from} → ${e.to}`);
}

/** One import circle per strongly connected group of files (Tarjan), as "a → b → … → a". */
function circles(edges: readonly Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], on = new Set<string>();
  const found: string[] = [];
  let counter = 0;
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) {
      on.delete(w);
      group.push(w);
      if (w === v) break;
    }
    if (group.length > 1 || (next.get(v) ?? []).includes(v)) found.push([...group.reverse(), group[0]].join(' → '));
  };
  for (const v of new Set(edges.flatMap((e) => [e.from, e.to]))) if (!index.has(v)) visit(v);
  return found;
}

describe('webview structure: tabs are features that meet only in the shell', () => {
  const files = sources();
  const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

  it('reads the real import graph', () => {
    assert.ok(files.length > 80, `${files.length} files`);
    assert.ok(edges.some((e) => e.from === 'app.ts' && e.to === 'shell/appShell.ts'));
    assert.ok(edges.some((e) => e.from === 'run/runPanel.ts' && e.to === 'ui/controls.ts'));
  });

  it('feature folders import only their own files, the shell and the UI kit; the kit and the shell nothing above them', () => {
    assert.deepEqual(violations(edges), []);
  });

  it('has no import circle', () => {
    assert.deepEqual(circles(edges), []);
  });

  it('catches what it is there to catch: a tab borrowing from another, the kit reaching up, a circle', () => {
    assert.deepEqual(violations([
      { from: 'quantize/quantizePanel.ts', to: 'eval/summaryViews.ts' },
      { from: 'ui/controls.ts', to: 'shell/hostChannel.ts' },
      { from: 'shell/appShell.ts', to: 'graph/graphTab.ts' },
      { from: 'run/runPanel.ts', to: 'shell/ports.ts' },
    ]), ['quantize/quantizePanel.ts → eval/summaryViews.ts', 'ui/controls.ts → shell/hostChannel.ts', 'shell/appShell.ts → graph/graphTab.ts']);
    assert.deepEqual(circles([{ from: 'a.ts', to: 'b.ts' }, { from: 'b.ts', to: 'c.ts' }, { from: 'c.ts', to: 'a.ts' }, { from: 'c.ts', to: 'd.ts' }]), ['a.ts → b.ts → c.ts → a.ts']);
  });
});

/**
 * The webview's plan inside its layer (README, Architecture: webview/), on every file's imports as
 * the layering test resolves them (test/unit/architecture/importGraph.ts, which also finds import
 * cycles): each tab is a feature folder (graph, model, run, eval, quantize; explain: the
 * explanations the Run and Evaluate tabs host through the shell's ExplainPort) that imports only its
 * own files, the shell (webview/shell/) and the UI kit (webview/ui/, with webview/format.ts); the
 * kit imports nothing above it; the shell imports only the kit; only the pages put features
 * together: the model editor (main.ts, app.ts, and tabs.ts, the tabs loaded on first use), the diff editor (diff/), the standalone report
 * (report/), and the layout worker.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildImportGraph, sourceFiles, type ImportEdge } from '../architecture/importGraph';

const ROOT = path.resolve(__dirname, '../../..');
const FEATURES = new Set(['graph', 'model', 'run', 'eval', 'quantize', 'explain']);
/** Files that compose features: the model editor's page and tabs, the layout worker; and all of PAGES. */
const ENTRIES = new Set(['main.ts', 'app.ts', 'tabs.ts', 'graph/layoutWorker.ts']);
/** Folders that are pages of their own: the diff editor (it draws both models with the graph's view) and the standalone HTML report. */
const PAGES = new Set(['diff', 'report']);

type Edge = Pick<ImportEdge, 'from' | 'to'>;

/** Where a webview file (relative to webview/) sits in the plan: 'entry', 'shell', 'ui', a feature, or 'root' (format.ts). */
function areaOf(file: string): string {
  if (ENTRIES.has(file)) return 'entry';
  const top = file.includes('/') ? file.slice(0, file.indexOf('/')) : 'root';
  return PAGES.has(top) ? 'entry' : top;
}

/** The imports between webview files that break the plan, as "from → to" lines. */
function violations(edges: readonly Edge[]): string[] {
  const allowed = (from: string, to: string): boolean => {
    if (from === 'entry' || from === to) return true;
    if (from === 'ui' || from === 'root' || from === 'shell') return to === 'ui' || to === 'root';
    if (FEATURES.has(from)) return to === 'shell' || to === 'ui' || to === 'root';
    return false;
  };
  return edges.filter((e) => !allowed(areaOf(e.from), areaOf(e.to))).map((e) => `${e.from} → ${e.to}`);
}

describe('webview structure: tabs are features that meet only in the shell', () => {
  let edges: Edge[];
  before(() => {
    const inWebview = (f: string) => f.startsWith('webview/');
    const graph = buildImportGraph(ROOT, sourceFiles(ROOT, ['webview']));
    edges = graph.edges.filter((e) => inWebview(e.from) && inWebview(e.to)).map((e) => ({ from: e.from.slice(8), to: e.to.slice(8) }));
  });

  it('reads the real import graph', () => {
    assert.ok(edges.some((e) => e.from === 'app.ts' && e.to === 'shell/appShell.ts'));
    assert.ok(edges.some((e) => e.from === 'run/runPanel.ts' && e.to === 'ui/controls.ts'));
  });

  it('feature folders import only their own files, the shell and the UI kit; the kit and the shell nothing above them', () => {
    assert.deepEqual(violations(edges), []);
  });

  it('catches a tab borrowing from another, the kit or the shell reaching up', () => {
    assert.deepEqual(violations([
      { from: 'quantize/quantizePanel.ts', to: 'eval/reportHeader.ts' },
      { from: 'ui/controls.ts', to: 'shell/hostChannel.ts' },
      { from: 'shell/appShell.ts', to: 'graph/graphTab.ts' },
      { from: 'run/runPanel.ts', to: 'shell/ports.ts' },
      { from: 'app.ts', to: 'run/runPanel.ts' },
    ]), ['quantize/quantizePanel.ts → eval/reportHeader.ts', 'ui/controls.ts → shell/hostChannel.ts', 'shell/appShell.ts → graph/graphTab.ts']);
  });
});

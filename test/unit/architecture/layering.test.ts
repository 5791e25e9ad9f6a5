import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { buildImportGraph, importCycles, sourceFiles, specifiersOf, type ImportGraph } from './importGraph';
import { ANYONE_MAY_IMPORT, LAYERS, layerOf, PACKAGE_RULES } from './layers';

const ROOT = path.resolve(__dirname, '../../..');

/** Every import against the rules in layers.ts, as one line each. */
export function layeringViolations(graph: ImportGraph): string[] {
  const out: string[] = [];
  for (const e of graph.edges) {
    const from = layerOf(e.from);
    if (!from) {
      out.push(`${e.from} belongs to no layer (add it to test/unit/architecture/layers.ts)`);
      continue;
    }
    if (e.to.startsWith('package:')) {
      const pkg = e.to.slice('package:'.length);
      for (const rule of PACKAGE_RULES) {
        if (!rule.packages.test(pkg)) continue;
        if ((rule.only && !rule.only.includes(from.name)) || rule.never?.includes(from.name)) {
          out.push(`${e.from} (${from.name}) imports '${pkg}': ${rule.why}`);
        }
      }
      continue;
    }
    if (ANYONE_MAY_IMPORT.has(e.to)) continue;
    const to = layerOf(e.to);
    if (!to) out.push(`${e.from} (${from.name}) imports ${e.to}, which belongs to no layer`);
    else if (to !== from && !from.mayImport.includes(to.name)) out.push(`${e.from} (${from.name}) imports ${e.to} (${to.name})${e.typeOnly ? ' (types only)' : ''}`);
  }
  return [...new Set(out)];
}

describe('layers import only downward (README.md, Architecture)', () => {
  let graph: ImportGraph;
  before(() => {
    graph = buildImportGraph(ROOT, sourceFiles(ROOT, ['src', 'webview']));
  });

  it('finds every kind of import: type-only, re-exports, dynamic, import types, require', () => {
    const text = [
      "import type { A } from './a';",
      "import {\n  type B,\n  type C,\n} from './b';",
      "import { D, type E } from './d';",
      "export type { F } from './f';",
      "export * from './g';",
      "const h = await import('./h');",
      "let i: import('./i').I;",
      "import j = require('./j');",
      "const k = require('./k');",
    ].join('\n');
    assert.deepEqual(specifiersOf('x.ts', text), [
      { specifier: './a', typeOnly: true },
      { specifier: './b', typeOnly: true },
      { specifier: './d', typeOnly: false },
      { specifier: './f', typeOnly: true },
      { specifier: './g', typeOnly: false },
      { specifier: './h', typeOnly: false },
      { specifier: './i', typeOnly: true },
      { specifier: './j', typeOnly: false },
      { specifier: './k', typeOnly: false },
    ]);
  });

  it('resolves every relative import to a file', () => {
    assert.ok(graph.files.length > 200, `only ${graph.files.length} files found`);
    assert.deepEqual(graph.unresolved, []);
  });

  it('puts every file in a layer and lets no layer import one above it', () => {
    assert.deepEqual(layeringViolations(graph), []);
  });

  it('fails on an import against the rules', () => {
    const fake: ImportGraph = {
      files: ['src/core/a.ts', 'src/shared/b.ts', 'src/runtime/child/c.ts'],
      edges: [
        { from: 'src/core/a.ts', to: 'src/runtime/child/c.ts', specifier: '../runtime/child/c', typeOnly: true },
        { from: 'src/shared/b.ts', to: 'package:node:fs', specifier: 'node:fs', typeOnly: false },
        { from: 'src/core/a.ts', to: 'package:vscode', specifier: 'vscode', typeOnly: false },
        { from: 'src/core/a.ts', to: 'src/shared/b.ts', specifier: '../shared/b', typeOnly: false },
      ],
      unresolved: [],
    };
    assert.deepEqual(layeringViolations(fake), [
      'src/core/a.ts (core) imports src/runtime/child/c.ts (runtime child) (types only)',
      "src/shared/b.ts (shared) imports 'node:fs': shared and webview code is bundled for the browser",
      "src/core/a.ts (core) imports 'vscode': only the extension runs inside VS Code",
    ]);
  });

  it('names only layers that exist, each below the one that imports it', () => {
    const names = LAYERS.map((l) => l.name);
    LAYERS.forEach((layer, i) => {
      for (const dep of layer.mayImport) assert.ok(names.indexOf(dep) >= 0 && names.indexOf(dep) < i, `${layer.name} → ${dep}`);
    });
  });

  it('has no import cycle', () => {
    assert.deepEqual(importCycles(graph), []);
  });

  it('finds a cycle', () => {
    const fake: ImportGraph = {
      files: ['a.ts', 'b.ts', 'c.ts', 'd.ts'],
      edges: [
        { from: 'a.ts', to: 'b.ts', specifier: './b', typeOnly: false },
        { from: 'b.ts', to: 'c.ts', specifier: './c', typeOnly: true },
        { from: 'c.ts', to: 'a.ts', specifier: './a', typeOnly: false },
        { from: 'c.ts', to: 'd.ts', specifier: './d', typeOnly: false },
        { from: 'd.ts', to: 'd.ts', specifier: './d', typeOnly: false },
      ],
      unresolved: [],
    };
    assert.deepEqual(importCycles(fake), [['d.ts'], ['a.ts', 'b.ts', 'c.ts']]);
  });
});

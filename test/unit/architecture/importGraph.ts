/**
 * Every import of every TypeScript file under the given folders, resolved to a file (or a package
 * name): the input of the layering test (layering.test.ts). Parsing is oxc's (a real TypeScript
 * parser, so `import type`, `export … from`, `import()` and `import('x').T` types all count) and
 * resolution is oxc-resolver's (extension probing, index files, `.ts` suffixes) — a regex would
 * miss multi-line and type-only imports, which are exactly the ones that leak a layer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { parseSync, Visitor } from 'oxc-parser';
import { ResolverFactory } from 'oxc-resolver';

export interface ImportEdge {
  /** The importing file, relative to the root, with `/` separators. */
  from: string;
  /** The imported file relative to the root, or `package:<name>` for a package or Node built-in. */
  to: string;
  /** As written in the source. */
  specifier: string;
  /** An `import type` / `export type … from` / `import('x').T`: erased at build time, still a dependency of the design. */
  typeOnly: boolean;
}

export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
  /** Imports that did not resolve (a typo, a deleted file): each one fails the test. */
  unresolved: { from: string; specifier: string; error: string }[];
}

const SOURCE = /\.(ts|tsx|mts|cts)$/;
const BUILTINS = new Set(builtinModules);

/** The `.ts` files below `folders` (relative to `root`), skipping `skip` (relative folder prefixes). */
export function sourceFiles(root: string, folders: string[], skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) return;
    const abs = path.join(root, rel);
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isFile()) {
      if (SOURCE.test(rel) && !rel.endsWith('.d.ts')) out.push(rel);
      return;
    }
    for (const name of fs.readdirSync(abs).sort()) if (name !== 'node_modules') walk(`${rel}/${name}`);
  };
  for (const f of folders) walk(f);
  return out;
}

/** The module specifiers one file names, with whether each is type-only. */
export function specifiersOf(file: string, text: string): { specifier: string; typeOnly: boolean }[] {
  const parsed = parseSync(file, text, { lang: 'ts', sourceType: 'module' });
  if (parsed.errors.length) throw new Error(`${file}: ${parsed.errors[0].message}`);
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const add = (specifier: unknown, typeOnly: boolean) => {
    if (typeof specifier === 'string') found.push({ specifier, typeOnly });
  };
  new Visitor({
    ImportDeclaration(node) {
      // `import { type A, type B } from` is type-only too: every specifier is a type.
      const allTypes = node.specifiers.length > 0 && node.specifiers.every((s) => s.type === 'ImportSpecifier' && s.importKind === 'type');
      add(node.source.value, node.importKind === 'type' || allTypes);
    },
    ExportNamedDeclaration(node) {
      if (node.source) add(node.source.value, node.exportKind === 'type');
    },
    ExportAllDeclaration(node) {
      add(node.source.value, node.exportKind === 'type');
    },
    ImportExpression(node) {
      if (node.source.type === 'Literal') add(node.source.value, false);
    },
    TSImportType(node) {
      add(node.source.value, true);
    },
    TSExternalModuleReference(node) {
      add(node.expression.value, false);
    },
    CallExpression(node) {
      const arg = node.arguments[0];
      if (node.callee.type === 'Identifier' && node.callee.name === 'require' && arg?.type === 'Literal') add(arg.value, false);
    },
  }).visit(parsed.program);
  return found;
}

/** `@scope/name/sub` → `@scope/name`, `node:fs` and `fs` → `node:fs`. */
export function packageName(specifier: string): string {
  const bare = specifier.replace(/^node:/, '');
  if (specifier.startsWith('node:') || BUILTINS.has(bare.split('/')[0])) return `node:${bare.split('/')[0]}`;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export function buildImportGraph(root: string, files: string[]): ImportGraph {
  const resolver = new ResolverFactory({ extensions: ['.ts', '.tsx', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.json'], conditionNames: ['import', 'node', 'default'] });
  const edges: ImportEdge[] = [];
  const unresolved: ImportGraph['unresolved'] = [];
  for (const from of files) {
    const abs = path.join(root, from);
    for (const { specifier, typeOnly } of specifiersOf(from, fs.readFileSync(abs, 'utf8'))) {
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
        edges.push({ from, to: `package:${packageName(specifier)}`, specifier, typeOnly });
        continue;
      }
      const resolved = resolver.sync(path.dirname(abs), specifier);
      if (!resolved.path) {
        unresolved.push({ from, specifier, error: resolved.error ?? 'not found' });
        continue;
      }
      edges.push({ from, to: path.relative(root, resolved.path).split(path.sep).join('/'), specifier, typeOnly });
    }
  }
  return { files, edges, unresolved };
}

/** Import cycles among `files` (Tarjan's strongly connected components of more than one file, or a file importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const e of graph.edges) if (!e.to.startsWith('package:')) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  // Iterative, so a long chain of imports cannot overflow the stack.
  for (const start of graph.files) {
    if (index.has(start)) continue;
    const work: { node: string; i: number }[] = [{ node: start, i: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1];
      const succ = next.get(top.node) ?? [];
      if (top.i < succ.length) {
        const w = succ[top.i++];
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, i: 0 });
        } else if (onStack.has(w)) low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].node, Math.min(low.get(work[work.length - 1].node)!, low.get(top.node)!));
      if (low.get(top.node) !== index.get(top.node)) continue;
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== top.node);
      if (component.length > 1 || succ.includes(top.node)) cycles.push(component.sort());
    }
  }
  return cycles;
}

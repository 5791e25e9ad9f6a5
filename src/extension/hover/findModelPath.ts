/**
 * Finding a model path in code for the hover: the string literal under the cursor whose content
 * ends in `.onnx`, and where that path points. Pure (no `vscode`), so unit tests run in Node.
 */
import * as path from 'node:path';

export interface ModelPathLiteral {
  /** The literal's content with escapes resolved (raw strings kept as written). */
  path: string;
  /** Character range of the whole literal on its line, quotes and prefix included: [start, end). */
  start: number;
  end: number;
}

const QUOTES = new Set(['"', "'", '`']);
/** Python string prefixes (r, b, f, u and their two-letter combinations), any case. */
const PREFIX = /(?:^|[^\w])([rRbBfFuU]{1,2})$/;

/**
 * The string literal containing `character` on `line` (quotes count as inside) whose content
 * ends in `.onnx` (any case), or undefined. Handles ' " ` quotes, backslash escapes, and Python
 * raw/f/b prefixes (`r"C:\models\a.onnx"` keeps its backslashes).
 */
export function findModelPathLiteral(line: string, character: number): ModelPathLiteral | undefined {
  let i = 0;
  while (i < line.length) {
    const quote = line[i];
    if (!QUOTES.has(quote)) {
      i++;
      continue;
    }
    const prefix = PREFIX.exec(line.slice(Math.max(0, i - 3), i))?.[1] ?? '';
    const raw = /r/i.test(prefix);
    const start = i - prefix.length;
    let content = '';
    let j = i + 1;
    let closed = false;
    while (j < line.length) {
      const c = line[j];
      if (c === '\\' && j + 1 < line.length) {
        // In raw strings the backslash stays, but it still keeps the next quote from closing.
        content += raw ? c + line[j + 1] : unescape(line[j + 1]);
        j += 2;
        continue;
      }
      if (c === quote) {
        closed = true;
        break;
      }
      content += c;
      j++;
    }
    const end = closed ? j + 1 : line.length;
    if (character >= start && character <= end) {
      const trimmed = content.trim();
      return trimmed.toLowerCase().endsWith('.onnx') ? { path: trimmed, start, end } : undefined;
    }
    i = end;
  }
  return undefined;
}

function unescape(c: string): string {
  switch (c) {
    case 'n': return '\n';
    case 't': return '\t';
    default: return c;
  }
}

export interface ResolveContext {
  /** Folder of the document the literal is in (undefined for untitled documents). */
  documentDir: string | undefined;
  workspaceFolders: readonly string[];
  homeDir: string;
  isFile(candidate: string): boolean;
}

/**
 * Candidate files for a literal, in the order they are tried — each one itself ending in `.onnx`:
 * the literal's text is checked before URL parsing, and `file:///etc/shadow#x.onnx` or
 * `file:///etc/passwd?.onnx` resolve to files that are not models at all.
 */
export function modelPathCandidates(literal: string, ctx: Omit<ResolveContext, 'isFile'>): string[] {
  return candidates(literal, ctx).filter((candidate) => candidate.toLowerCase().endsWith('.onnx'));
}

function candidates(literal: string, ctx: Omit<ResolveContext, 'isFile'>): string[] {
  let p = literal;
  if (p.startsWith('file://')) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      return [];
    }
  }
  if (p === '~' || p.startsWith('~/')) p = path.join(ctx.homeDir, p.slice(1));
  if (path.isAbsolute(p)) return [path.normalize(p)];
  const bases = [...(ctx.documentDir ? [ctx.documentDir] : []), ...ctx.workspaceFolders];
  return [...new Set(bases.map((base) => path.resolve(base, p)))];
}

/**
 * Where a literal points: relative to the document's folder, then to each workspace folder;
 * absolute (and `~/`, `file://`) paths as they are. Undefined when no candidate is a file.
 */
export function resolveModelPath(literal: string, ctx: ResolveContext): string | undefined {
  return modelPathCandidates(literal, ctx).find((candidate) => ctx.isFile(candidate));
}

/**
 * Dimension arithmetic over Dim = number | string | null.
 *
 * Symbolic dims are readable strings. Products are kept canonical — symbols sorted, the
 * numeric coefficient last ('batch*seq*12') — so two routes to the same size compare equal
 * and Reshape's -1 can cancel symbols exactly ('batch*48' / 48 = 'batch'). Sums and
 * differences that do not collapse become opaque atoms ('seq+1'), parenthesised when they
 * appear inside a product. Anything else (non-exact division, floor of a symbol) is null:
 * an honest "unknown" beats an expression nobody can read.
 *
 * Every result stays a non-negative safe integer; anything larger than
 * Number.MAX_SAFE_INTEGER (hostile files declare 1e15-sized dims) becomes null.
 */
import type { Dim } from '../../shared/tensorTypes';
import { maxOf } from '../lists';

export function isKnown(d: Dim): d is number {
  return typeof d === 'number';
}

export function safeDim(n: number): number | null {
  return Number.isSafeInteger(n) && n >= 0 ? n : null;
}

/** A declared/inferred dim cleaned up: negative, fractional or huge numbers and empty names are unknown. */
export function normalizeDim(d: unknown): Dim {
  if (typeof d === 'number') return safeDim(d);
  if (typeof d === 'string') return d.length > 0 ? d : null;
  return null;
}

interface Monomial {
  coef: number;
  syms: string[];
}

const OPERATOR = /[+\-*/() ]/;

function splitTopLevel(s: string, sep: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth < 0) return null;
    } else if (c === sep && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) return null;
  parts.push(s.slice(start));
  return parts;
}

function toMonomial(d: number | string): Monomial | null {
  if (typeof d === 'number') return { coef: d, syms: [] };
  const factors = splitTopLevel(d, '*');
  if (!factors) return { coef: 1, syms: [d] };
  let coef = 1;
  const syms: string[] = [];
  for (const f of factors) {
    if (f === '') return { coef: 1, syms: [d] };
    if (/^\d+$/.test(f)) coef *= Number(f);
    else if (f.startsWith('(') && f.endsWith(')')) {
      const inner = toMonomial(f.slice(1, -1));
      if (!inner) return null;
      coef *= inner.coef;
      syms.push(...inner.syms);
    }
    else syms.push(f);
  }
  if (!Number.isSafeInteger(coef)) return null;
  syms.sort();
  return { coef, syms };
}

function wrap(sym: string): string {
  return /[+\-/ ]/.test(sym) ? `(${sym})` : sym;
}

function fromMonomial(m: Monomial): Dim {
  if (!Number.isSafeInteger(m.coef) || m.coef < 0) return null;
  if (m.coef === 0) return 0;
  if (m.syms.length === 0) return m.coef;
  const parts = m.syms.map((s) => (m.syms.length > 1 || m.coef !== 1 ? wrap(s) : s));
  if (m.coef !== 1) parts.push(String(m.coef));
  return parts.join('*');
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (a === 0 || b === 0) return 0;
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return safeDim(a * b);
  const ma = toMonomial(a);
  const mb = toMonomial(b);
  if (!ma || !mb) return null;
  return fromMonomial({ coef: ma.coef * mb.coef, syms: [...ma.syms, ...mb.syms].sort() });
}

export function dimProduct(dims: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of dims) p = dimMul(p, d);
  return p;
}

/** Exact division only: 'batch*48' / 48 = 'batch'; 7 / 2 and 'a' / 'b' are null. */
export function dimDiv(a: Dim, b: Dim): Dim {
  if (a === null || b === null || b === 0) return null;
  if (typeof a === 'number' && typeof b === 'number') return a % b === 0 ? safeDim(a / b) : null;
  const ma = toMonomial(a);
  const mb = toMonomial(b);
  if (!ma || !mb || ma.coef % mb.coef !== 0) return null;
  const rest = [...ma.syms];
  for (const s of mb.syms) {
    const i = rest.indexOf(s);
    if (i < 0) return null;
    rest.splice(i, 1);
  }
  return fromMonomial({ coef: ma.coef / mb.coef, syms: rest });
}

function sumTerm(d: number | string): string {
  return typeof d === 'number' ? String(d) : d;
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (a === 0) return b;
  if (b === 0) return a;
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return safeDim(a + b);
  const ma = toMonomial(a);
  const mb = toMonomial(b);
  if (ma && mb && ma.syms.join('*') === mb.syms.join('*')) return fromMonomial({ coef: ma.coef + mb.coef, syms: ma.syms });
  return `${sumTerm(a)}+${typeof b === 'string' && b.includes('-') ? `(${b})` : sumTerm(b)}`;
}

export function dimSub(a: Dim, b: Dim): Dim {
  if (b === 0) return a;
  if (a === null || b === null) return null;
  if (a === b) return 0;
  if (typeof a === 'number' && typeof b === 'number') return safeDim(a - b);
  const ma = toMonomial(a);
  const mb = toMonomial(b);
  if (ma && mb && ma.syms.join('*') === mb.syms.join('*')) return fromMonomial({ coef: ma.coef - mb.coef, syms: ma.syms });
  const rhs = typeof b === 'string' && /[+-]/.test(b) ? `(${b})` : sumTerm(b);
  return `${sumTerm(a)}-${rhs}`;
}

/** Numpy broadcasting of one dim pair; undefined when the pair is incompatible. */
export function broadcastDim(a: Dim, b: Dim): Dim | undefined {
  if (a === b) return a;
  if (a === 1) return b;
  if (b === 1) return a;
  if (typeof a === 'number' && typeof b === 'number') return undefined;
  // A fixed size > 1 decides: the symbolic side must be 1 or equal to it at run time.
  if (typeof a === 'number') return a;
  if (typeof b === 'number') return b;
  return null;
}

/** Multidirectional (numpy) broadcasting; undefined on a definite mismatch. */
export function broadcastShapes(shapes: readonly (readonly Dim[])[]): Dim[] | undefined {
  const rank = maxOf(shapes.map((s) => s.length), 0);
  const out: Dim[] = new Array(rank).fill(1);
  for (const s of shapes) {
    const off = rank - s.length;
    for (let i = 0; i < s.length; i++) {
      const r = broadcastDim(out[off + i], s[i]);
      if (r === undefined) return undefined;
      out[off + i] = r;
    }
  }
  return out;
}

/**
 * Evaluate a dim with every symbol taken as 1 (for "per sample" MAC totals).
 * Returns null for unknown dims or strings that do not parse as an expression.
 */
export function evalDimAsOne(d: Dim): number | null {
  if (d === null) return null;
  if (typeof d === 'number') return d;
  const p = new Parser(d);
  const v = p.expr();
  if (v === null || !p.done()) return 1; // an exotic dim_param name: still one symbol
  return safeDim(Math.floor(v));
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}
  done(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }
  private ws(): void {
    while (this.s[this.i] === ' ') this.i++;
  }
  expr(): number | null {
    let v = this.term();
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c !== '+' && c !== '-') return v;
      this.i++;
      const r = this.term();
      if (v === null || r === null) return null;
      v = c === '+' ? v + r : v - r;
    }
  }
  private term(): number | null {
    let v = this.factor();
    for (;;) {
      this.ws();
      const c = this.s[this.i];
      if (c !== '*' && c !== '/') return v;
      this.i++;
      const r = this.factor();
      if (v === null || r === null || (c === '/' && r === 0)) return null;
      v = c === '*' ? v * r : v / r;
    }
  }
  private factor(): number | null {
    this.ws();
    if (this.s[this.i] === '(') {
      this.i++;
      const v = this.expr();
      this.ws();
      if (this.s[this.i] !== ')') return null;
      this.i++;
      return v;
    }
    const start = this.i;
    while (this.i < this.s.length && !OPERATOR.test(this.s[this.i])) this.i++;
    if (this.i === start) return null;
    const tok = this.s.slice(start, this.i);
    return /^\d+$/.test(tok) ? Number(tok) : 1;
  }
}

/** Product of dims for MAC counting: strict (null if any dim is not a number) or with symbols as 1. */
export function countProduct(dims: readonly Dim[], symbolsAsOne: boolean): number | null {
  let p = 1;
  for (const d of dims) {
    const v = symbolsAsOne ? evalDimAsOne(d) : isKnown(d) ? d : null;
    if (v === null) return null;
    p *= v;
  }
  return Number.isSafeInteger(p) ? p : null;
}

/** Normalise a possibly negative axis; null when out of range. */
export function normAxis(axis: number, rank: number): number | null {
  if (!Number.isInteger(axis)) return null;
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : null;
}

export function shapesEqual(a: readonly Dim[] | null, b: readonly Dim[] | null): boolean {
  if (a === null || b === null) return a === b;
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

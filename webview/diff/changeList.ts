/**
 * The diff's change list: nodes only in a, only in b, then changed nodes by kind (op, attribute,
 * input, dtype, shape, weight) and size — the order core/diff/nodeChanges.ts sorted them in.
 * Each entry names the node on each side and what changed; clicking one selects it in both graphs.
 */
import type { DiffReport } from '../../src/shared/diffReport';
import { h } from '../ui/dom';

export interface ChangeEntry {
  kind: 'removed' | 'added' | string;
  /** Node names on each side (null where absent). */
  a: string | null;
  b: string | null;
  title: string;
  detail: string;
}

const MAX_ENTRIES = 2000;

export function changeEntries(r: DiffReport): ChangeEntry[] {
  const out: ChangeEntry[] = [];
  for (const name of r.nodes.removed) out.push({ kind: 'removed', a: name, b: null, title: name, detail: 'only in a' });
  for (const name of r.nodes.added) out.push({ kind: 'added', a: null, b: name, title: name, detail: 'only in b' });
  for (const c of r.nodes.changed) {
    const first = c.changes[0];
    const more = c.changes.length > 1 ? ` (+${c.changes.length - 1})` : '';
    const what = first.kind === 'weight' && first.weight?.relativeL2 != null
      ? `weight ${first.name}: rel L2 ${formatSmall(first.weight.relativeL2)}`
      : `${first.kind} ${first.name}: ${first.before ?? '—'} → ${first.after ?? '—'}`;
    out.push({ kind: first.kind, a: c.a, b: c.b, title: c.a === c.b ? c.a : `${c.a} → ${c.b}`, detail: `${c.opType} · ${what}${more}` });
  }
  return out.slice(0, MAX_ENTRIES);
}

function formatSmall(x: number): string {
  return !Number.isFinite(x) ? String(x) : x !== 0 && Math.abs(x) < 0.01 ? x.toExponential(2) : x.toFixed(3);
}

export function renderChangeList(entries: readonly ChangeEntry[], onPick: (e: ChangeEntry, row: HTMLElement) => void): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'diff-muted', 'data-testid': 'no-changes' }, 'No node was added, removed or changed.');
  const list = h('ul', { class: 'diff-changes', 'data-testid': 'change-list', role: 'listbox', 'aria-label': 'Changes' });
  for (const e of entries) {
    const row = h('li', { class: `diff-change kind-${e.kind}`, role: 'option', tabindex: 0, 'data-testid': 'change', 'data-kind': e.kind, title: e.detail },
      h('span', { class: 'diff-change-kind' }, e.kind),
      h('span', { class: 'diff-change-title' }, e.title),
      h('span', { class: 'diff-change-detail' }, e.detail));
    row.addEventListener('click', () => onPick(e, row));
    row.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') onPick(e, row);
    });
    list.append(row);
  }
  return list;
}

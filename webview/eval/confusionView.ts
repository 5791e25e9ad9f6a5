/**
 * The confusion matrix as a grid of buttons (rows = true class, columns = predicted), each showing
 * its count and coloured by its share of the row — the true class's recall on the diagonal, its
 * mistakes elsewhere. A click (or Enter) on a cell asks for its samples; arrow keys move between
 * cells (one tab stop for the whole grid). With more classes than fit as buttons, the grid gives
 * way to the list of the most confused pairs, which opens the same samples.
 */
import { h } from '../ui/dom';
import { formatPercent } from '../ui/numbers';
import { rowNormalised, topConfusions } from './drilldown';
import { cellColours } from './evalTheme';

/** Above this many classes the grid would be unreadable in an editor: the pair list replaces it. */
export const MAX_GRID_CLASSES = 30;

export interface ConfusionView {
  readonly element: HTMLElement;
  select(t: number, p: number): void;
  retheme(): void;
}

export function confusionView(matrix: number[][], name: (c: number) => string, onPick: (t: number, p: number) => void): ConfusionView {
  const k = matrix.length;
  const shares = rowNormalised(matrix);
  const cells: HTMLButtonElement[][] = [];
  const support = matrix.map((row) => row.reduce((a, b) => a + b, 0));
  let selected: HTMLButtonElement | null = null;

  const select = (t: number, p: number) => {
    selected?.setAttribute('aria-pressed', 'false');
    selected = cells[t]?.[p] ?? null;
    selected?.setAttribute('aria-pressed', 'true');
  };
  const pick = (t: number, p: number) => {
    select(t, p);
    onPick(t, p);
  };
  const paint = () => {
    for (let t = 0; t < cells.length; t++) {
      for (let p = 0; p < cells[t].length; p++) {
        const c = cellColours(shares[t][p], t === p);
        cells[t][p].style.background = c.background;
        cells[t][p].style.color = c.text;
      }
    }
  };

  const pairs = topConfusions(matrix, 8);
  const pairList = h('ol', { class: 'eval-pairs', 'data-testid': 'eval-top-confusions' }, ...pairs.map(({ t, p, count }) => {
    const b = h('button', { class: 'link', type: 'button', 'data-true': t, 'data-pred': p }, `${name(t)} → ${name(p)}`);
    b.addEventListener('click', () => pick(t, p));
    return h('li', {}, b, h('span', { class: 'muted mono' }, ` ${count} (${formatPercent(shares[t][p])} of ${name(t)})`));
  }));
  const pairsBlock = pairs.length
    ? h('div', { class: 'eval-pairs-block' }, h('h4', { class: 'eval-subtitle' }, 'Most confused'), pairList)
    : h('p', { class: 'muted' }, 'No mistakes: every sample is on the diagonal.');

  if (k > MAX_GRID_CLASSES) {
    return {
      element: h('div', { class: 'eval-confusion', 'data-testid': 'confusion-matrix', 'data-classes': k },
        h('p', { class: 'muted' }, `${k} classes are too many for a readable grid; the most confused pairs open their samples.`), pairsBlock),
      select,
      retheme: () => {},
    };
  }

  const grid = h('div', { class: 'eval-cm-grid', role: 'grid', 'aria-label': 'Confusion matrix: rows are true classes, columns predicted classes' });
  grid.style.setProperty('--classes', String(k));
  grid.append(h('div', { class: 'eval-cm-corner', 'aria-hidden': 'true' }, h('span', {}, 'true ↓ / predicted →')));
  for (let p = 0; p < k; p++) grid.append(h('div', { class: 'eval-cm-head eval-cm-col', role: 'columnheader', title: `predicted ${name(p)}` }, name(p)));
  grid.append(h('div', { class: 'eval-cm-head eval-cm-total', role: 'columnheader', title: 'samples of the true class (support) and its recall' }, 'n'));
  for (let t = 0; t < k; t++) {
    const row: HTMLButtonElement[] = [];
    grid.append(h('div', { class: 'eval-cm-head eval-cm-row', role: 'rowheader', title: `true ${name(t)}` }, name(t)));
    for (let p = 0; p < k; p++) {
      const count = matrix[t][p];
      const b = h('button', {
        class: `eval-cm-cell${t === p ? ' diagonal' : ''}`, type: 'button', role: 'gridcell', tabindex: t === 0 && p === 0 ? 0 : -1,
        'data-true': t, 'data-pred': p, 'data-count': count, 'aria-pressed': 'false',
        'aria-label': `true ${name(t)}, predicted ${name(p)}: ${count} sample${count === 1 ? '' : 's'} (${formatPercent(shares[t][p])} of ${name(t)})`,
        title: `true ${name(t)} → predicted ${name(p)}: ${count} (${formatPercent(shares[t][p])} of the row)`,
      }, count ? String(count) : '·');
      b.addEventListener('click', () => pick(t, p));
      b.addEventListener('keydown', (e) => move(e, t, p));
      row.push(b);
      grid.append(b);
    }
    const recall = support[t] ? matrix[t][t] / support[t] : 0;
    grid.append(h('div', { class: 'eval-cm-support mono', title: `${support[t]} samples of ${name(t)}; recall ${formatPercent(recall)}` }, String(support[t])));
    cells.push(row);
  }

  function move(e: KeyboardEvent, t: number, p: number): void {
    const step: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    let next: [number, number] | null = step[e.key] ? [t + step[e.key][0], p + step[e.key][1]] : null;
    if (e.key === 'Home') next = [t, 0];
    if (e.key === 'End') next = [t, k - 1];
    if (!next) return;
    e.preventDefault();
    const [nt, np] = next;
    const target = cells[nt]?.[np];
    if (!target) return;
    cells[t][p].tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  }

  paint();
  const legend = h('p', { class: 'muted eval-cm-legend' }, 'Colour: share of the true class (row). ', h('span', { class: 'eval-key correct' }), ' correct ', h('span', { class: 'eval-key wrong' }), ' mistaken. Click a cell for its samples.');
  return {
    element: h('div', { class: 'eval-confusion', 'data-testid': 'confusion-matrix', 'data-classes': k }, h('div', { class: 'eval-cm-scroll' }, grid), legend, pairsBlock),
    select,
    retheme: paint,
  };
}

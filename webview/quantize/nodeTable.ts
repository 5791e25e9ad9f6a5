/** The per-node error table: every compared node, worst SQNR first, with a bar for the SQNR. */
import type { QuantReport } from '../../src/shared/quantReport';
import { h } from '../ui/dom';

/** SQNR (dB) at which a bar is full: beyond ~60 dB the error is far below what float32 keeps anyway. */
const FULL_DB = 60;

/** `onShow` null (the standalone report, no graph): node names are plain text. */
export function nodeTable(r: QuantReport, onShow: ((node: string) => void) | null): HTMLElement {
  const nodes = r.comparison?.nodes ?? [];
  if (!nodes.length) return h('p', { class: 'muted', 'data-testid': 'quant-node-table' }, r.comparison ? 'No quantized node could be compared.' : 'The two models were not compared per node.');
  const rows = nodes.map((n) => {
    // JSON stores an exact node's +Infinity as null.
    const db = typeof n.sqnrDb === 'number' && Number.isFinite(n.sqnrDb) ? n.sqnrDb : Infinity;
    const bar = h('span', { class: 'quant-bar' });
    bar.style.width = `${Math.max(2, Math.min(100, (100 * (db === Infinity ? FULL_DB : db)) / FULL_DB))}%`;
    bar.classList.toggle('low', db < 20);
    const name = onShow ? h('button', { class: 'link-button quant-node-name', type: 'button', title: 'Show on the graph' }, n.node)
      : h('span', { class: 'mono quant-node-label', title: n.node }, n.node);
    if (onShow) name.addEventListener('click', () => onShow(n.node));
    return h('tr', { 'data-testid': 'quant-node-row' },
      h('td', { class: 'quant-node-cell' }, name),
      h('td', {}, n.opType),
      h('td', {}, n.precision),
      h('td', { class: 'num' }, h('div', { class: 'quant-sqnr' }, h('span', { class: 'quant-bar-track' }, bar), h('span', {}, db === Infinity ? 'exact' : `${db.toFixed(1)} dB`))),
      h('td', { class: 'num' }, typeof n.cosine === 'number' ? n.cosine.toFixed(5) : '–'),
      h('td', { class: 'num' }, typeof n.maxAbsError === 'number' ? n.maxAbsError.toPrecision(3) : '–'));
  });
  return h('table', { class: 'run-table quant-table quant-nodes', 'data-testid': 'quant-node-table' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Node'), h('th', {}, 'Op'), h('th', {}, 'Precision'), h('th', { class: 'num' }, 'SQNR'), h('th', { class: 'num' }, 'Cosine'), h('th', { class: 'num' }, 'Max abs error'))),
    h('tbody', {}, rows));
}

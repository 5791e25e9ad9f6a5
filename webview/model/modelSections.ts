/** The lower sections of the Model tab: inputs/outputs, op histogram, largest tensors, metadata. */
import type { ViewSummary, SummaryTensor, SummaryValue } from '../../src/shared/modelSummary';
import { clipped, h } from '../ui/dom';
import { formatBytes, formatCompact, formatInteger, formatShape } from '../format';

function section(title: string, count: number | null, testId: string | undefined, ...body: Node[]): HTMLElement {
  return h(
    'section',
    { class: 'section', 'aria-label': title, 'data-testid': testId },
    h('h2', {}, h('span', {}, title), count === null ? null : h('vscode-badge', { variant: 'counter' }, String(count))),
    ...body,
  );
}

function table(className: string, headings: string[], rows: HTMLTableRowElement[]): HTMLTableElement {
  return h(
    'table',
    { class: `grid ${className}` },
    h('thead', {}, h('tr', {}, ...headings.map((text) => h('th', { scope: 'col' }, text)))),
    h('tbody', {}, rows),
  );
}

function empty(text: string): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

/** Rows drawn per inputs/outputs table: a model with a million inputs must not become a million DOM rows. */
const MAX_VALUE_ROWS = 2000;

function valueTable(values: readonly SummaryValue[], testId: string, emptyText: string): HTMLElement {
  if (values.length === 0) return h('div', { 'data-testid': testId }, empty(emptyText));
  const shown = values.length > MAX_VALUE_ROWS ? values.slice(0, MAX_VALUE_ROWS) : values;
  const rows = shown.map((value) =>
    h(
      'tr',
      { 'data-testid': 'io-row' },
      h('td', { 'data-testid': 'io-name' }, clipped(value.name)),
      h('td', { 'data-testid': 'io-type' }, clipped(value.elemType, 'mono')),
      h('td', { 'data-testid': 'io-shape' }, clipped(formatShape(value.shape), 'mono')),
    ),
  );
  const element = table('io', ['Name', 'Type', 'Shape'], rows);
  element.dataset.testid = testId;
  if (shown.length === values.length) return element;
  return h('div', {}, element, h('p', { class: 'empty', 'data-testid': `${testId}-more` }, `… and ${formatInteger(values.length - shown.length)} more (onnx-lens inspect --json lists them all)`));
}

export function inputsAndOutputs(summary: ViewSummary): HTMLElement {
  return h(
    'div',
    { class: 'io-pair' },
    section('Inputs', summary.inputs.length, undefined, valueTable(summary.inputs, 'inputs', 'The graph has no inputs.')),
    section('Outputs', summary.outputs.length, undefined, valueTable(summary.outputs, 'outputs', 'The graph has no outputs.')),
  );
}

/** Op types by count, as horizontal bars (CSS widths; Chart.js is for the later chart panels). */
export function opHistogram(summary: ViewSummary): HTMLElement {
  const entries = Object.entries(summary.opCounts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  const max = entries.length ? entries[0][1] : 0;
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  const list = h(
    'ol',
    { class: 'op-histogram', 'data-testid': 'op-histogram' },
    entries.map(([op, count]) => {
      const bar = h('span', { class: 'bar' });
      bar.style.width = `${Math.max(1, (count / max) * 100)}%`;
      const share = total ? ((count / total) * 100).toFixed(1) : '0';
      return h(
        'li',
        { class: 'histogram-row', 'data-op': op, title: `${op}: ${count} node${count === 1 ? '' : 's'} (${share}%)` },
        h('span', { class: 'histogram-label' }, clipped(op)),
        h('span', { class: 'bar-track' }, bar),
        h('span', { class: 'histogram-count' }, formatInteger(count)),
      );
    }),
  );
  return section('Operators', entries.length, undefined, entries.length ? list : empty('The graph has no nodes.'));
}

export function largestTensors(tensors: readonly SummaryTensor[]): HTMLElement | null {
  if (tensors.length === 0) return null;
  const rows = tensors.map((tensor) =>
    h(
      'tr',
      {},
      h('td', {}, clipped(tensor.name)),
      h('td', {}, clipped(tensor.elemType, 'mono')),
      h('td', {}, clipped(formatShape(tensor.shape), 'mono')),
      h('td', { class: 'num', title: formatInteger(tensor.elements) }, formatCompact(tensor.elements)),
      h('td', { class: 'num', title: `${formatInteger(tensor.bytes)} bytes` }, formatBytes(tensor.bytes)),
    ),
  );
  return section('Largest tensors', tensors.length, 'largest-tensors', table('tensors', ['Name', 'Type', 'Shape', 'Elements', 'Size'], rows));
}

export function metadata(summary: ViewSummary): HTMLElement | null {
  const entries = Object.entries(summary.metadata);
  if (entries.length === 0 && !summary.docString) return null;
  const body: Node[] = [];
  if (summary.docString) body.push(h('p', { class: 'doc-string' }, summary.docString));
  if (entries.length) {
    const rows = entries.map(([key, value]) => h('tr', {}, h('td', {}, clipped(key)), h('td', {}, clipped(value))));
    body.push(table('metadata', ['Key', 'Value'], rows));
  }
  return section('Metadata', entries.length || null, 'metadata', ...body);
}

/** The top of the Model tab: problems, header (name, producer, IR, opsets) and stat cards of the ModelSummary. */
import type { ViewSummary, SummaryProblem } from '../../src/shared/modelSummary';
import { clipped, h, icon } from '../ui/dom';
import { baseName, formatBytes, formatCompact, formatInteger, formatOpsets } from '../format';

export function problemBanners(problems: readonly SummaryProblem[]): HTMLElement | null {
  if (problems.length === 0) return null;
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return h(
    'div',
    { class: 'problems', 'data-testid': 'problems' },
    ...sorted.map((problem) =>
      h(
        'div',
        { class: `banner ${problem.severity}`, role: problem.severity === 'error' ? 'alert' : 'status', 'data-testid': 'problem' },
        icon(problem.severity === 'error' ? 'error' : 'warning'),
        h('span', { class: 'banner-text' }, problem.message),
      ),
    ),
  );
}

export function header(summary: ViewSummary): HTMLElement {
  const producer = [summary.producer.name, summary.producer.version].filter(Boolean).join(' ');
  const facts: (HTMLElement | null)[] = [
    fact('Producer', producer || 'unknown'),
    fact('IR version', String(summary.irVersion)),
    summary.domain ? fact('Domain', summary.domain) : null,
    summary.modelVersion ? fact('Model version', String(summary.modelVersion)) : null,
  ];
  return h(
    'header',
    { class: 'model-header' },
    h('h1', { class: 'model-name' }, icon('symbol-structure'), modelName(baseName(summary.path))),
    h('div', { class: 'model-path' }, clipped(summary.path)),
    h('dl', { class: 'facts' }, ...facts),
    h(
      'div',
      { class: 'opsets', 'aria-label': 'Opset imports' },
      h('span', { class: 'opsets-label' }, 'Opsets'),
      ...formatOpsets(summary.opsets).map((text) => h('vscode-badge', { variant: 'default', title: text }, text)),
    ),
  );
}

function fact(label: string, value: string): HTMLElement {
  return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, clipped(value)));
}

function card(title: string, iconName: string, value: HTMLElement, ...details: (Node | string | null)[]): HTMLElement {
  return h(
    'div',
    { class: 'card' },
    h('div', { class: 'card-title' }, icon(iconName), title),
    h('div', { class: 'card-value' }, value),
    h('div', { class: 'card-detail' }, ...details),
  );
}

export function statCards(summary: ViewSummary): HTMLElement {
  const nodeDetails: string[] = [];
  if (summary.nodeCountTotal !== summary.nodeCount) nodeDetails.push(`${formatInteger(summary.nodeCountTotal)} incl. subgraphs`);
  if (summary.subgraphCount) nodeDetails.push(`${formatInteger(summary.subgraphCount)} subgraph${summary.subgraphCount === 1 ? '' : 's'}`);
  if (summary.functionCount) nodeDetails.push(`${formatInteger(summary.functionCount)} function${summary.functionCount === 1 ? '' : 's'}`);
  nodeDetails.push(`${formatInteger(Object.keys(summary.opCounts).length)} op types`);

  const macs = summary.macs;
  return h(
    'div',
    { class: 'cards' },
    card(
      'Nodes',
      'symbol-class',
      h('span', { 'data-testid': 'node-count', title: `${summary.nodeCount} nodes in the main graph` }, String(summary.nodeCount)),
      nodeDetails.join(' · '),
    ),
    card(
      'Parameters',
      'symbol-numeric',
      h('span', { title: `${formatInteger(summary.parameterCount)} parameters` }, formatCompact(summary.parameterCount)),
      h('span', { 'data-testid': 'parameter-count', title: String(summary.parameterCount) }, formatInteger(summary.parameterCount)),
      ` · ${formatBytes(summary.parameterBytes)}`,
    ),
    card(
      'MACs',
      'pulse',
      h('span', { 'data-testid': 'macs', title: macs === null ? 'Not computable from static shapes' : `${formatInteger(macs)} multiply–accumulates` }, macs === null ? 'unknown' : formatCompact(macs)),
      macs === null ? 'needs static shapes' : summary.macsSymbolicAsOne ? 'per sample (symbolic dims = 1)' : 'per inference',
    ),
    card(
      'File size',
      'file-binary',
      h('span', { 'data-testid': 'file-size', title: `${formatInteger(summary.fileBytes)} bytes` }, formatBytes(summary.fileBytes)),
      `${formatInteger(summary.initializerCount)} initializer${summary.initializerCount === 1 ? '' : 's'}`,
      summary.usesExternalData ? ' · external data' : null,
    ),
  );
}

/** The file name as the page's title; `[data-testid="model-name"]` in every state. */
export function modelName(fileName: string): HTMLElement {
  const name = clipped(fileName, 'model-name-text');
  name.dataset.testid = 'model-name';
  return name;
}

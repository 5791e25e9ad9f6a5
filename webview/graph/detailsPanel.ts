/**
 * The right-hand details panel: node (op, schema doc, attributes, inputs/outputs, parameters,
 * MACs, initializer statistics), collapsed group, or graph input/output. Every string from the
 * model goes in as text (textContent), never as HTML.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { NodeDetails, TensorStats } from '../../src/shared/protocol';
import { append, h, icon } from '../ui/dom';
import { formatBytes, formatCompact, formatInteger } from '../format';
import type { HostChannel } from '../shell/hostChannel';
import { consumersOf } from '../../src/core/graphLayout/consumers';
import type { GraphSelection } from './graphView';
import type { ThemedChart } from '../ui/charts';
import type { OverlayReading } from './tooltipContent';
import { pager } from '../ui/pager';

/** Values per `tensorPage` request from the details panel. */
const VALUES_PAGE = 256;

export interface DetailsActions {
  selectNode(node: number): void;
  showValue(value: number): void;
  /** The colouring overlay's value for a node, or null when colouring by op type. */
  overlayReading(node: number): OverlayReading | null;
}

export class DetailsPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private seq = 0;
  private chart: ThemedChart | null = null;
  /** Shown when nothing is selected (the model summary), moved here by the page. */
  private placeholder: HTMLElement | null = null;

  constructor(
    private readonly payload: GraphPayload,
    private readonly channel: HostChannel,
    private readonly actions: DetailsActions,
  ) {
    this.body = h('div', { class: 'details-body' });
    this.element = h('aside', { class: 'details-panel', 'data-testid': 'details-panel', 'aria-label': 'Details' }, this.body);
  }

  setPlaceholder(content: HTMLElement | null): void {
    this.placeholder = content;
  }

  show(selection: GraphSelection): void {
    const seq = ++this.seq;
    this.chart?.destroy();
    this.chart = null;
    switch (selection.kind) {
      case 'node':
        this.body.replaceChildren(this.nodeHeader(selection.index), h('div', { class: 'details-loading' }, 'Loading details…'));
        this.channel.request('nodeDetails', { node: selection.index }).then(
          (d) => seq === this.seq && this.body.replaceChildren(...this.nodeDetails(d)),
          (e: unknown) => seq === this.seq && this.body.replaceChildren(this.nodeHeader(selection.index), errorLine(e)),
        );
        return;
      case 'group':
        this.body.replaceChildren(...this.groupDetails(selection.index));
        return;
      case 'value':
        this.body.replaceChildren(...this.valueDetails(selection.index));
        return;
      default:
        this.body.replaceChildren(...(this.placeholder ? [this.placeholder] : [h('p', { class: 'muted' }, 'Select a node to see its details.')]));
    }
  }

  /** Re-themes the histogram (Chart.js reads colours once). */
  retheme(): void {
    this.chart?.retheme();
  }

  private nodeHeader(n: number): HTMLElement {
    const p = this.payload;
    return h(
      'header',
      { class: 'details-header' },
      h('div', { class: 'details-op', 'data-testid': 'details-op' }, p.ops[p.nodeOp[n]]),
      h('div', { class: 'details-name mono', title: p.nodeNames[n] }, p.nodeNames[n]),
    );
  }

  private nodeDetails(d: NodeDetails): HTMLElement[] {
    const out: HTMLElement[] = [this.nodeHeader(d.node)];
    const facts = [
      ['Domain', d.domain || 'ai.onnx'],
      ['Parameters', formatInteger(d.parameters)],
      ['MACs', d.macs === null ? 'not counted' : `${formatCompact(d.macs)} (${formatInteger(d.macs)})`],
    ];
    if (d.schema) facts.push(['Since opset', String(d.schema.sinceVersion) + (d.schema.beyondKnownOpset ? ' (model opset is newer than the known schemas)' : '')]);
    const reading = this.actions.overlayReading(d.node);
    if (reading) facts.push([reading.label, reading.note ? `${reading.text} (${reading.note})` : reading.text]);
    out.push(h('dl', { class: 'details-facts' }, ...facts.flatMap(([k, v], i) => [h('dt', {}, k), h('dd', reading && i === facts.length - 1 ? { 'data-testid': 'details-overlay' } : {}, v)])));
    const problems = this.payload.problems.filter((p) => p.node === d.node);
    for (const problem of problems) out.push(h('div', { class: 'banner error details-problem', role: 'alert' }, icon('error'), h('span', { class: 'banner-text' }, problem.message)));

    out.push(section('Attributes', d.attributes.length === 0
      ? h('p', { class: 'muted' }, 'No attributes.')
      : h('table', { class: 'details-table' }, d.attributes.map((a) =>
          h('tr', { 'data-testid': 'details-attr' }, h('td', { class: 'attr-name', title: a.name }, a.name), h('td', { class: 'mono attr-value', title: `${a.type}: ${a.value}` }, a.value))))));

    const ioRow = (dir: 'in' | 'out', io: { valueId: number; name: string; param: string; elemType: string; shape: string }, initializer: boolean) => {
      const missing = io.valueId >= 0 && this.payload.valueKind[io.valueId] === 3;
      // What a click does depends on the value: an initializer has no producer (it shows its
      // statistics), a graph input has none either (it shows the input).
      const producer = io.valueId >= 0 ? this.payload.valueProducer[io.valueId] : -1;
      const action = initializer ? 'show its statistics' : dir === 'in' ? (producer >= 0 ? 'select the producer' : 'show the value') : 'show the consumers';
      const link = h('button', { class: 'link mono', type: 'button', title: `${io.name || '(omitted)'}: click to ${action}` }, io.name || '(omitted)');
      link.addEventListener('click', () => (initializer ? this.loadStats(io.name, statsBox) : this.followValue(io.valueId, dir)));
      const type = `${io.elemType} ${io.shape}`;
      const row = h(
        'tr',
        { 'data-testid': 'details-io', class: missing ? 'missing' : '' },
        h('td', { class: 'io-param', title: io.param || undefined }, io.param || (dir === 'in' ? 'input' : 'output')),
        h('td', { class: 'io-name' }, link, missing ? h('span', { class: 'problem-tag' }, ' missing') : null),
        h('td', { class: 'mono io-type', title: type }, type),
      );
      if (initializer) {
        const stats = h('button', { class: 'link', type: 'button', title: 'Statistics of this initializer' }, icon('graph'));
        stats.addEventListener('click', () => this.loadStats(io.name, statsBox));
        row.querySelector('.io-name')?.append(' ', stats);
      }
      return row;
    };
    const statsBox = h('div', { class: 'stats-box' });
    out.push(section('Inputs', h('table', { class: 'details-table' }, d.inputs.map((io) => ioRow('in', io, io.isInitializer)))));
    out.push(section('Outputs', h('table', { class: 'details-table' }, d.outputs.map((io) => ioRow('out', io, false)))));
    out.push(statsBox);
    const firstInit = d.inputs.find((io) => io.isInitializer);
    if (firstInit) this.loadStats(firstInit.name, statsBox);
    if (d.subgraphs.length) out.push(section('Subgraphs', h('ul', {}, d.subgraphs.map((s) => h('li', {}, `${s.attribute}: ${formatInteger(s.nodeCount)} nodes`)))));
    // The node's own doc string is the model's text (shown as text); the schema's is markdown.
    if (d.docString) out.push(section('Documentation', ...paragraphs(d.docString)));
    else if (d.schema?.doc) out.push(section('Operator', operatorDoc(d.schema.doc)));
    return out;
  }

  private followValue(value: number, dir: 'in' | 'out'): void {
    if (value < 0) return;
    const producer = this.payload.valueProducer[value];
    if (dir === 'in' && producer >= 0) return this.actions.selectNode(producer);
    if (dir === 'out') {
      const consumers = consumersOf(this.payload, value);
      if (consumers.length === 1) return this.actions.selectNode(consumers[0]);
    }
    this.actions.showValue(value);
  }

  private loadStats(name: string, box: HTMLElement): void {
    const seq = this.seq;
    box.replaceChildren(h('div', { class: 'details-loading' }, `Reading ${name}…`));
    this.channel.request('tensorStats', { value: name }).then(
      (s) => {
        if (seq !== this.seq) return;
        this.chart?.destroy();
        this.chart = null;
        const { element, histogram } = statsSection(s);
        box.replaceChildren(element);
        if (s.numeric && s.elements > 0) box.append(this.valuesSection(name, s.elements, seq));
        if (histogram) {
          // Chart.js is in a chunk of its own (scripts/build.mjs): the graph's first frame does not wait for it.
          void import('../ui/charts').then(({ histogramChart }) => {
            if (seq === this.seq) this.chart = histogramChart(histogram.box, histogram.data);
          });
        }
      },
      (e: unknown) => seq === this.seq && box.replaceChildren(errorLine(e)),
    );
  }

  /** The tensor's values, a page at a time from the host (never the whole tensor at once). */
  private valuesSection(name: string, total: number, seq: number): HTMLElement {
    const list = h('div', { class: 'tensor-values', 'data-testid': 'tensor-values' });
    const footer = pager({
      total, pageSize: VALUES_PAGE, order: '(flat order)',
      fetch: (offset, count) => this.channel.request('tensorPage', { value: name, offset, count }).then((page) => new Float64Array(page.buffer)),
      show: (values, offset) => append(list, Array.from(values, (v, i) => h('span', { title: `${name}[${formatInteger(offset + i)}]` }, fmt(v)))),
      current: () => seq === this.seq,
    });
    return h('section', { class: 'details-section' }, h('h3', {}, 'Values'), list, footer);
  }

  private groupDetails(g: number): HTMLElement[] {
    const p = this.payload;
    let params = 0, macs = 0, macsKnown = false;
    const ops = new Map<string, number>();
    const inside = (n: number) => {
      for (let at = p.nodeGroup[n]; at >= 0; at = p.groupParent[at]) if (at === g) return true;
      return false;
    };
    for (let n = 0; n < p.nodeCount; n++) {
      if (!inside(n)) continue;
      params += p.nodeParams[n];
      if (!Number.isNaN(p.nodeMacs[n])) { macs += p.nodeMacs[n]; macsKnown = true; }
      const op = p.ops[p.nodeOp[n]];
      ops.set(op, (ops.get(op) ?? 0) + 1);
    }
    const top = [...ops].sort((a, b) => b[1] - a[1]).slice(0, 12);
    return [
      h('header', { class: 'details-header' }, h('div', { class: 'details-op', 'data-testid': 'details-op' }, 'Group'), h('div', { class: 'details-name mono' }, groupName(p, g))),
      h('dl', { class: 'details-facts' },
        h('dt', {}, 'Nodes'), h('dd', {}, formatInteger(p.groupNodeCount[g])),
        h('dt', {}, 'Parameters'), h('dd', {}, formatInteger(params)),
        h('dt', {}, 'MACs'), h('dd', {}, macsKnown ? formatCompact(macs) : 'not counted')),
      section('Op types', h('table', { class: 'details-table' }, ...top.map(([op, c]) => h('tr', {}, h('td', {}, op), h('td', { class: 'num' }, formatInteger(c)))))),
      h('p', { class: 'muted' }, 'Enter or click expands the group; Esc collapses it again.'),
    ];
  }

  private valueDetails(v: number): HTMLElement[] {
    const p = this.payload;
    const producer = p.valueProducer[v];
    const consumers = consumersOf(p, v);
    const nodeLink = (n: number) => {
      const b = h('button', { class: 'link mono', type: 'button' }, p.nodeNames[n]);
      b.addEventListener('click', () => this.actions.selectNode(n));
      return h('li', {}, b, h('span', { class: 'muted' }, ` ${p.ops[p.nodeOp[n]]}`));
    };
    const kind = valueKindLabel(p, v);
    const out = [
      h('header', { class: 'details-header' }, h('div', { class: 'details-op', 'data-testid': 'details-op' }, kind), h('div', { class: 'details-name mono' }, p.valueNames[v])),
      h('dl', { class: 'details-facts' }, h('dt', {}, 'Type'), h('dd', { class: 'mono' }, `${p.valueElemTypes[v]} ${p.valueShapes[v]}`)),
      section('Producer', producer >= 0 ? h('ul', { class: 'node-list' }, nodeLink(producer)) : h('p', { class: 'muted' }, 'None.')),
      section(`Consumers (${consumers.length})`, h('ul', { class: 'node-list' }, ...consumers.slice(0, 200).map(nodeLink))),
    ];
    if (p.valueKind[v] === 1) {
      const box = h('div', { class: 'stats-box' });
      out.push(box);
      this.loadStats(p.valueNames[v], box);
    }
    return out;
  }
}

/** What a value is, as the details panel heads it: a graph output is an output, whoever makes it. */
export function valueKindLabel(p: GraphPayload, v: number): string {
  if (p.graphOutputs.includes(v)) return p.valueKind[v] === 3 ? 'graph output (missing: nothing produces it)' : 'graph output';
  return ['graph input', 'initializer', 'intermediate value', 'missing value (no producer)'][p.valueKind[v]] ?? 'value';
}

export function groupName(p: GraphPayload, g: number): string {
  const names: string[] = [];
  for (let at = g; at > 0; at = p.groupParent[at]) names.push(p.groupNames[at]);
  return names.reverse().join('/') || p.fileName;
}

function section(title: string, ...content: HTMLElement[]): HTMLElement {
  return h('section', { class: 'details-section' }, h('h3', {}, title), ...content);
}

function paragraphs(text: string): HTMLElement[] {
  return text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean).slice(0, 12).map((p) => h('p', { class: 'doc' }, p.replace(/\s*\n\s*/g, ' ')));
}

function errorLine(e: unknown): HTMLElement {
  return h('div', { class: 'banner warning' }, icon('warning'), h('span', { class: 'banner-text' }, e instanceof Error ? e.message : String(e)));
}

/** The operator's documentation (markdown), rendered when the markdown chunk is in (webview/graph/opDoc.ts). */
function operatorDoc(doc: string): HTMLElement {
  const box = h('div', { class: 'doc markdown' });
  void import('./opDoc').then(({ docHtml }) => (box.innerHTML = docHtml(doc)));
  return box;
}

function statsSection(s: TensorStats): { element: HTMLElement; histogram: { box: HTMLElement; data: { edges: number[]; counts: number[] } } | null } {
  const rows: [string, string][] = [
    ['Type', `${s.elemType} [${s.shape.join(', ')}]`],
    ['Elements', formatInteger(s.elements)],
    ['Size', `${formatBytes(s.bytes)} (${formatInteger(s.bytes)} bytes)`],
    ['Storage', s.storage],
  ];
  const n = s.numeric;
  if (n) {
    rows.push(['Min / max', `${fmt(n.min)} / ${fmt(n.max)}`], ['Mean ± std', `${fmt(n.mean)} ± ${fmt(n.std)}`], ['Zeros (sparsity)', `${(n.zeros * 100).toFixed(2)} %`]);
    if (n.nan || n.inf) rows.push(['NaN / Inf', `${n.nan} / ${n.inf}`]);
  }
  const canvasBox = h('div', { class: 'histogram' });
  const element = h(
    'section',
    { class: 'details-section', 'data-testid': 'tensor-stats' },
    h('h3', {}, `Tensor ${s.name}`),
    h('table', { class: 'details-table' }, ...rows.map(([k, v]) => h('tr', {}, h('td', {}, k), h('td', { class: 'mono', title: v }, v)))),
    n && n.histogram.counts.length ? canvasBox : null,
  );
  return { element, histogram: n && n.histogram.counts.length ? { box: canvasBox, data: n.histogram } : null };
}

function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e4 || a < 1e-3 ? x.toExponential(3) : x.toPrecision(4);
}

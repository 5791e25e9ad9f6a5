/**
 * "Colour by": op type (the renderer's default), parameters, MACs, or any per-node channel the
 * host pushes (`overlay`: the profile's time, the quantization error, a JSON file the user loaded —
 * docs/overlay-format.md). Values run between two theme colours on the channel's scale (log by
 * default: parameter counts and times span orders of magnitude). A node without a value is drawn
 * neutral and hatched (NO_VALUE), never in an op-type colour that would read as a point on the scale.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { OverlayMessage } from '../../src/shared/protocol';
import { h } from '../ui/dom';
import { iconButton, Select } from '../ui/controls';
import { formatWithUnit } from '../format';
import { aggregateByGroup, channelRange, scalePosition } from './overlayScale';
import type { OverlayReading } from './tooltipContent';
import { NO_VALUE, type GraphTheme } from './render/theme';
import { mix, rgba } from '../ui/theme';

export interface OverlayChannel {
  id: string;
  label: string;
  unit: string;
  scale: 'log' | 'linear';
  /** How a collapsed group's value comes from its nodes' (time and sizes add up; errors take the worst). */
  aggregate: 'sum' | 'max';
  values: Float64Array;
  notes: Record<number, string>;
  /** Per group, computed when first needed. */
  groupValues?: Float64Array;
}


const STEPS = 32;

export class OverlayControl {
  readonly element: HTMLElement;
  private readonly select: Select<string>;
  private readonly legend: HTMLElement;
  /** Holds the select's place until `mount`. */
  private readonly standIn: HTMLElement;
  private readonly channels = new Map<string, OverlayChannel>();

  constructor(
    private readonly payload: GraphPayload,
    private readonly apply: (fill: ((node: number) => string) | null, groupFill: ((group: number) => string | null) | null) => void,
    private readonly theme: () => GraphTheme,
    /** Opens the host's file dialog for an overlay JSON; resolves when it was pushed (or cancelled). */
    loadFile: () => void,
  ) {
    this.select = new Select([{ value: 'op', label: 'Op type' }], 'op', { class: 'overlay-select', 'aria-label': 'Colour nodes by', 'data-testid': 'overlay-select' });
    this.legend = h('div', { class: 'overlay-legend', hidden: true, 'data-testid': 'overlay-legend' });
    const load = iconButton('folder-opened', 'Load an overlay from a JSON file (node name → value)', loadFile, { 'data-testid': 'overlay-load' });
    this.standIn = h('div', { class: 'overlay-select overlay-select-pending' });
    this.element = h('div', { class: 'overlay' }, h('label', { class: 'overlay-label' }, h('span', { class: 'muted' }, 'Colour by'), this.standIn), load);
    this.setCostChannels(payload);
    this.renderOptions();
    this.select.onChange(() => this.refresh());
  }

  /**
   * Puts the select in the page, in place of a box of its size: the graph tab does it after its
   * first frame. The select's first update reads its options and forces a layout of the page
   * being built: 35–60 ms on the way to DenseNet-121's first frame in the dev harness.
   */
  mount(): void {
    if (!this.standIn.parentNode) return;
    this.renderOptions(); // the options say which one is chosen: the element reads them as it connects
    this.standIn.replaceWith(this.select.element);
  }

  get legendElement(): HTMLElement {
    return this.legend;
  }

  get current(): string {
    return this.select.value;
  }

  set current(id: string) {
    this.select.value = id;
    this.refresh();
  }

  /** The payload's parameters and MACs arrived (shape inference finished after the first frame). */
  payloadChanged(payload: GraphPayload): void {
    this.setCostChannels(payload);
    this.refresh();
  }

  private setCostChannels(payload: GraphPayload): void {
    this.channels.set('params', { id: 'params', label: 'Parameters', unit: '', scale: 'log', aggregate: 'sum', values: payload.nodeParams, notes: {} });
    this.channels.set('macs', { id: 'macs', label: 'MACs', unit: '', scale: 'log', aggregate: 'sum', values: payload.nodeMacs, notes: {} });
  }

  addChannel(message: OverlayMessage): void {
    const id = `ch:${message.channel}`;
    this.channels.set(id, { id, label: message.label, unit: message.unit, scale: message.scale ?? 'log', aggregate: message.aggregate ?? 'max', values: message.values, notes: message.notes ?? {} });
    this.renderOptions();
    if (message.select) this.select.value = id;
    this.refresh();
  }

  /** The current overlay's aggregate for a group (its whole subtree); NaN when none of its nodes has a value. */
  groupValue(group: number): number {
    const channel = this.channels.get(this.select.value);
    if (!channel) return NaN;
    channel.groupValues ??= aggregateByGroup(this.payload, channel.values, channel.aggregate);
    return channel.groupValues[group];
  }

  /** The current overlay's reading for a group: the aggregate of its nodes. */
  groupReading(group: number): OverlayReading | null {
    const channel = this.channels.get(this.select.value);
    if (!channel) return null;
    const v = this.groupValue(group);
    return { label: `${channel.label} (${channel.aggregate === 'sum' ? 'total' : 'worst'})`, text: Number.isFinite(v) ? formatWithUnit(v, channel.unit) : 'no value', note: null };
  }

  /** The current overlay's reading for a node; null when colouring by op type. */
  reading(node: number): OverlayReading | null {
    const channel = this.channels.get(this.select.value);
    if (!channel) return null;
    const v = channel.values[node];
    return { label: channel.label, text: Number.isFinite(v) ? formatWithUnit(v, channel.unit) : 'no value', note: channel.notes[node] ?? null };
  }

  private renderOptions(): void {
    this.select.setOptions([{ value: 'op', label: 'Op type' }, ...[...this.channels.values()].map((c) => ({ value: c.id, label: c.label }))], this.select.value);
  }

  /** Re-applies the current choice (also after a theme change). */
  refresh(): void {
    const channel = this.channels.get(this.select.value);
    if (!channel) {
      this.legend.hidden = true;
      this.apply(null, null);
      return;
    }
    const t = this.theme();
    const palette = Array.from({ length: STEPS }, (_, i) => rgba(mix(t.heatLow, t.heatHigh, i / (STEPS - 1)), 1));
    const range = channelRange(channel);
    const noValueSwatch = h('span', { class: 'legend-swatch legend-none', title: 'Nodes without a value are grey and hatched' });
    if (!range) {
      this.legend.replaceChildren(h('span', { class: 'legend-title' }, channel.label), noValueSwatch, h('span', {}, 'no node has a value'));
      this.legend.hidden = false;
      this.apply(() => NO_VALUE, () => NO_VALUE);
      return;
    }
    const { values, scale } = channel;
    const colour = (v: number) => {
      const at = scalePosition(v, range, scale);
      return at === null ? NO_VALUE : palette[Math.round(at * (STEPS - 1))];
    };
    this.apply((node) => colour(values[node]), (group) => colour(this.groupValue(group)));
    const bar = h('span', { class: 'legend-bar' });
    bar.style.background = `linear-gradient(to right, ${palette[0]}, ${palette[STEPS - 1]})`;
    const without = values.length - range.count;
    this.legend.replaceChildren(
      h('span', { class: 'legend-title', title: channel.label }, channel.label),
      h('span', {}, formatWithUnit(range.lo, channel.unit)), bar, h('span', {}, formatWithUnit(range.hi, channel.unit)),
      h('span', { class: 'muted' }, `(${scale})`),
      ...(without > 0 ? [noValueSwatch, h('span', { class: 'muted' }, `no value: ${without.toLocaleString('en-US')}`)] : []),
    );
    this.legend.hidden = false;
  }
}

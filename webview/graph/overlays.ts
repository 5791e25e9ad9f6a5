/**
 * "Colour by": op type (the renderer's default), parameters, MACs, or any per-node channel the
 * host pushes (`overlay`). Heat colours run between two theme colours on a log scale (parameter
 * and MAC counts span many orders of magnitude); nodes without a value keep the neutral fill.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { OverlayMessage } from '../../src/shared/protocol';
import { h } from '../dom';
import { formatCompact } from '../format';
import { mix, rgba, type GraphTheme } from './render/theme';

export interface OverlayChannel {
  id: string;
  label: string;
  unit: string;
  values: Float64Array;
}

const STEPS = 32;

export class OverlayControl {
  readonly element: HTMLElement;
  private readonly select: HTMLSelectElement;
  private readonly legend: HTMLElement;
  private readonly channels = new Map<string, OverlayChannel>();

  constructor(
    payload: GraphPayload,
    private readonly apply: (fill: ((node: number) => string | null) | null) => void,
    private readonly theme: () => GraphTheme,
  ) {
    this.select = h('select', { class: 'overlay-select', 'aria-label': 'Colour nodes by', 'data-testid': 'overlay-select' });
    this.legend = h('div', { class: 'overlay-legend', hidden: true });
    this.element = h('label', { class: 'overlay' }, h('span', { class: 'muted' }, 'Colour by'), this.select);
    this.channels.set('params', { id: 'params', label: 'Parameters', unit: '', values: payload.nodeParams });
    this.channels.set('macs', { id: 'macs', label: 'MACs', unit: '', values: payload.nodeMacs });
    this.renderOptions();
    this.select.addEventListener('change', () => this.refresh());
  }

  get legendElement(): HTMLElement {
    return this.legend;
  }

  get current(): string {
    return this.select.value;
  }

  set current(id: string) {
    if ([...this.select.options].some((o) => o.value === id)) this.select.value = id;
    this.refresh();
  }

  /** The payload's parameters and MACs arrived (shape inference finished after the first frame). */
  payloadChanged(payload: GraphPayload): void {
    this.channels.set('params', { id: 'params', label: 'Parameters', unit: '', values: payload.nodeParams });
    this.channels.set('macs', { id: 'macs', label: 'MACs', unit: '', values: payload.nodeMacs });
    this.refresh();
  }

  addChannel(message: OverlayMessage): void {
    this.channels.set(`ch:${message.channel}`, { id: `ch:${message.channel}`, label: message.label, unit: message.unit, values: message.values });
    this.renderOptions();
    this.refresh();
  }

  private renderOptions(): void {
    const value = this.select.value || 'op';
    this.select.replaceChildren(
      h('option', { value: 'op' }, 'Op type'),
      ...[...this.channels.values()].map((c) => h('option', { value: c.id }, c.label)),
    );
    this.select.value = value;
  }

  /** Re-applies the current choice (also after a theme change). */
  refresh(): void {
    const channel = this.channels.get(this.select.value);
    if (!channel) {
      this.legend.hidden = true;
      this.apply(null);
      return;
    }
    const t = this.theme();
    const palette = Array.from({ length: STEPS }, (_, i) => rgba(mix(t.heatLow, t.heatHigh, i / (STEPS - 1)), 1));
    let lo = Infinity, hi = -Infinity;
    for (const v of channel.values) if (Number.isFinite(v) && v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (!Number.isFinite(lo)) {
      this.legend.replaceChildren(h('span', {}, `${channel.label}: no values`));
      this.legend.hidden = false;
      this.apply(() => null);
      return;
    }
    const l0 = Math.log(lo), span = Math.max(1e-9, Math.log(hi) - l0);
    const values = channel.values;
    this.apply((node) => {
      const v = values[node];
      if (!(v > 0) || !Number.isFinite(v)) return null;
      return palette[Math.min(STEPS - 1, Math.round(((Math.log(v) - l0) / span) * (STEPS - 1)))];
    });
    const bar = h('span', { class: 'legend-bar' });
    bar.style.background = `linear-gradient(to right, ${palette[0]}, ${palette[STEPS - 1]})`;
    const unit = channel.unit ? ` ${channel.unit}` : '';
    this.legend.replaceChildren(h('span', { class: 'legend-title' }, channel.label), h('span', {}, formatCompact(lo) + unit), bar, h('span', {}, formatCompact(hi) + unit), h('span', { class: 'muted' }, '(log)'));
    this.legend.hidden = false;
  }
}

/**
 * The inputs editor: one row per model input (name, dtype, declared dims with a number field per
 * symbolic dim, the source of its values and what that source needs: a seed, a range, a constant,
 * a file, an image's preprocessing). It edits a SetupState in place.
 */
import type { PreprocessSpec } from '../../src/shared/datasetTypes';
import type { InputSource, IoSignature } from '../../src/shared/runtimeTypes';
import type { HostChannel } from '../shell/hostChannel';
import { clipped, h } from '../ui/dom';
import { formatShape } from '../format';
import { button, errorMessage, field, numberInput, Select, textInput, type ErrorBanner, type TextField } from '../ui/controls';
import {
  choiceOf, formatScale, isFileSource, isSymbolic, parseFloats, parseScale, SOURCE_CHOICES, sourceFor, symbolKey, symbolLabel,
  type FileKind, type SetupState, type SourceChoice,
} from './setup';

export class InputEditor {
  readonly element: HTMLElement;
  private readonly rows = new Map<string, { row: HTMLElement; errorSlot: HTMLElement; source: Select<SourceChoice> }>();

  constructor(
    private readonly inputs: readonly IoSignature[],
    private readonly state: SetupState,
    private readonly channel: HostChannel,
    private readonly errors: ErrorBanner,
    /** Datasets beside the model: a row of one can be the input. */
    private readonly datasets: readonly string[] = [],
  ) {
    this.element = h('div', { class: 'run-inputs', role: 'group', 'aria-label': 'Model inputs' },
      ...inputs.map((sig) => this.row(sig)));
    if (inputs.length === 0) this.element.append(h('p', { class: 'muted' }, 'The model has no inputs: Run just evaluates it.'));
    const offer = this.datasetOffer();
    if (offer) this.element.prepend(offer);
  }

  private readonly renders = new Map<string, () => void>();

  /** "digits-test.csv is beside the model: use its row 0 as the input" — when one is and nothing else is chosen. */
  private datasetOffer(): HTMLElement | null {
    const file = this.datasets[0];
    if (!file || this.inputs.length === 0 || this.inputs.some((sig) => this.state.sources[sig.name]?.kind === 'dataset')) return null;
    const name = file.split(/[\\/]/).pop()!;
    const use = button(`Use row 0 of ${name}`, () => {
      for (const sig of this.inputs) this.state.sources[sig.name] = { kind: 'dataset', path: file, row: 0 };
      for (const sig of this.inputs) {
        const row = this.rows.get(sig.name);
        if (row) row.source.value = 'dataset';
        this.renders.get(sig.name)?.();
      }
      this.errors.clear();
      offer.remove();
    }, { secondary: true, icon: 'table', testid: 'run-use-dataset' });
    const offer = h('div', { class: 'run-dataset-offer', 'data-testid': 'run-dataset-offer' },
      h('span', { class: 'muted' }, `${name} is beside the model: a real sample instead of generated values?`), use);
    return offer;
  }

  /** Where an error about this input is shown (the row's last line). */
  errorSlot(input: string): HTMLElement | null {
    return this.rows.get(input)?.errorSlot ?? null;
  }

  private row(sig: IoSignature): HTMLElement {
    const dims = h('div', { class: 'run-dims', 'data-testid': 'run-input-dims' });
    const detail = h('div', { class: 'run-source-detail' });
    const errorSlot = h('div', { class: 'run-row-error' });
    const source = new Select(SOURCE_CHOICES.map((c) => ({ value: c.choice, label: c.label })), choiceOf(this.state.sources[sig.name]), {
      'data-testid': 'run-input-source', 'aria-label': `Values of ${sig.name}`,
    });
    const render = () => {
      const s = this.state.sources[sig.name];
      dims.replaceChildren(...this.dimsContent(sig, s));
      detail.replaceChildren(...this.sourceDetail(sig, s, render));
    };
    source.onChange((choice) => {
      const previous = this.state.sources[sig.name];
      let next = sourceFor(choice, previous, sig);
      if (next.kind === 'dataset' && !next.path && this.datasets[0]) next = { ...next, path: this.datasets[0] };
      this.state.sources[sig.name] = next;
      this.errors.clear();
      render();
    });
    this.renders.set(sig.name, render);
    render();
    const row = h('div', { class: 'run-input-row', 'data-testid': 'run-input-row', 'data-input': sig.name },
      h('div', { class: 'run-input-name' }, clipped(sig.name, 'mono'), h('span', { class: 'muted mono run-input-type', title: `${sig.elemType} ${formatShape(sig.dims)} as the model declares it` },
        `${sig.elemType} ${formatShape(sig.dims.map((d, axis) => (isSymbolic(d) ? symbolLabel(sig, axis, d) : d)))}`)),
      dims,
      h('div', { class: 'run-input-source' }, source.element),
      detail,
      errorSlot);
    this.rows.set(sig.name, { row, errorSlot, source });
    return row;
  }

  /** `[ batch (1), 64 ]`: fixed dims as text, symbolic ones as fields shared by name across inputs. */
  private dimsContent(sig: IoSignature, source: InputSource): (HTMLElement | string)[] {
    if (isFileSource(source)) return [h('span', { class: 'muted' }, 'shape from the file')];
    if (sig.dims.length === 0) return [h('span', { class: 'muted' }, 'scalar')];
    const parts: (HTMLElement | string)[] = ['['];
    sig.dims.forEach((d, axis) => {
      if (axis > 0) parts.push(', ');
      if (!isSymbolic(d)) {
        parts.push(h('span', { class: 'mono' }, String(d)));
        return;
      }
      const key = symbolKey(sig.name, axis, d);
      const label = symbolLabel(sig, axis, d);
      const guess = this.state.guesses[key];
      const asked = !guess?.why;
      const named = typeof d === 'string' && d !== label ? ` (${d} in the model)` : '';
      const input = numberInput(this.state.symbols[key] ?? 1, {
        class: `run-input run-dim${asked ? ' asked' : ''}`, min: 1, step: 1, 'data-symbol': key, 'aria-label': `${sig.name}: ${label}`,
        title: asked ? `${label}${named}: the model gives no hint; set its size` : `${label}${named}: ${guess.value} (${guess.why}); change it freely`,
      });
      input.addEventListener('input', () => {
        this.state.symbols[key] = Number(input.value);
        // The same symbol in other inputs follows.
        for (const other of this.element.querySelectorAll<TextField>('[data-symbol]')) {
          if (other !== input && other.dataset.symbol === key) other.value = input.value;
        }
      });
      input.addEventListener('input', () => input.classList.remove('asked'), { once: true });
      parts.push(h('span', { class: 'run-dim-field' }, h('span', { class: 'muted run-dim-name' }, label), input));
    });
    parts.push(']');
    return parts;
  }

  /**
   * The fields a source needs. Each edit merges into the input's current source (not the one
   * this row was drawn from), so editing `high` and then `seed` keeps both.
   */
  private sourceDetail(sig: IoSignature, source: InputSource, rerender: () => void): HTMLElement[] {
    const update = <S extends InputSource>(patch: Partial<S>) => {
      this.state.sources[sig.name] = { ...this.state.sources[sig.name], ...patch } as InputSource;
    };
    const num = (label: string, value: number, apply: (v: number) => void, attrs: Record<string, string | number> = {}) => {
      const input = numberInput(value, { class: 'run-input run-small', step: 'any', ...attrs });
      input.addEventListener('input', () => apply(input.value.trim() === '' ? NaN : Number(input.value)));
      return field(label, input);
    };
    type Random = Extract<InputSource, { kind: 'random' }>;
    switch (source.kind) {
      case 'random':
        return [
          ...(source.distribution === 'uniform'
            ? [num('low', source.low ?? 0, (v) => update<Random>({ low: v })), num('high', source.high ?? 1, (v) => update<Random>({ high: v }))]
            : []),
          num('seed', source.seed, (v) => update<Random>({ seed: v }), { step: 1, min: 0 }),
        ];
      case 'constant':
        return [num('value', source.value, (v) => update<Extract<InputSource, { kind: 'constant' }>>({ value: v }))];
      case 'zeros':
      case 'ones':
        return [];
      default:
        return this.fileDetail(sig, source, update, rerender);
    }
  }

  private fileDetail(sig: IoSignature, source: Extract<InputSource, { kind: FileKind }>, update: (patch: Partial<InputSource>) => void, rerender: () => void): HTMLElement[] {
    const path = source.path
      ? clipped(source.path, 'mono run-path')
      : h('span', { class: 'muted run-path' }, source.kind === 'image' ? 'no image chosen' : 'no file chosen');
    const choose = button('Choose file…', () => {
      this.channel.request('pickInputFile', { input: sig.name, kind: source.kind }, 10 * 60_000).then(
        (r) => {
          if (r.path === null) return;
          this.errors.clear();
          update({ path: r.path });
          rerender();
        },
        (e: unknown) => this.errors.show(errorMessage(e), this.rows.get(sig.name)!.errorSlot),
      );
    }, { secondary: true, icon: 'folder-opened', testid: 'run-input-choose' });
    const out: HTMLElement[] = [h('div', { class: 'run-file' }, choose, path)];
    if (source.kind === 'dataset') {
      if (this.datasets.length > 0) {
        const pick = new Select([{ value: '', label: 'beside the model…' }, ...this.datasets.map((d) => ({ value: d, label: d.split(/[\\/]/).pop()! }))], this.datasets.includes(source.path) ? source.path : '', {
          'aria-label': `Datasets beside the model for ${sig.name}`, 'data-testid': 'run-input-dataset',
        });
        pick.onChange((path) => {
          if (!path) return;
          update({ path });
          rerender();
        });
        out.push(field('dataset', pick.element));
      }
      const row = numberInput(source.row, { class: 'run-input run-small', min: 0, step: 1, 'data-testid': 'run-input-row-index', 'aria-label': `Row of the dataset for ${sig.name}` });
      row.addEventListener('input', () => update({ row: row.value.trim() === '' ? NaN : Number(row.value) }));
      out.push(field('row', row));
    } else if (source.kind !== 'image') {
      const key = textInput(source.key ?? '', { class: 'run-input run-small', placeholder: 'the only one', 'aria-label': `Array in the file for ${sig.name}` });
      key.addEventListener('input', () => update({ key: key.value.trim() || undefined }));
      out.push(field('array', key));
    } else out.push(this.preprocessForm(source.preprocess, (p) => update({ preprocess: p })));
    return out;
  }

  /** Size, resize/crop, layout, channels and normalisation of an image input, as in core/data/preprocess. */
  private preprocessForm(spec: PreprocessSpec, apply: (p: PreprocessSpec) => void): HTMLElement {
    let current = spec;
    const update = (patch: Partial<PreprocessSpec>) => {
      current = { ...current, ...patch };
      apply(current);
    };
    const whole = (label: string, key: 'width' | 'height') => {
      const input = numberInput(current[key], { class: 'run-input run-small', min: 1, step: 1 });
      input.addEventListener('input', () => update({ [key]: Number(input.value) }));
      return field(label, input);
    };
    const choice = <K extends 'resize' | 'crop' | 'layout' | 'channels'>(label: string, key: K, options: { value: PreprocessSpec[K]; label: string }[]) => {
      const select = new Select(options, current[key]);
      select.onChange((value) => update({ [key]: value } as Partial<PreprocessSpec>));
      return field(label, select.element);
    };
    const list = (label: string, key: 'mean' | 'std') => {
      const input = textInput(current[key].join(', '), { class: 'run-input run-list', 'aria-label': `${label} (one value, or one per channel)` });
      input.addEventListener('input', () => update({ [key]: parseFloats(input.value) }));
      return field(label, input);
    };
    const scale = textInput(formatScale(current.scale), { class: 'run-input run-small', title: 'Multiplies 0–255 pixel values before mean and std, e.g. 1/255' });
    scale.addEventListener('input', () => update({ scale: parseScale(scale.value) }));
    return h('div', { class: 'run-preprocess', role: 'group', 'aria-label': 'Image preprocessing' },
      whole('width', 'width'),
      whole('height', 'height'),
      choice('resize', 'resize', [{ value: 'shorter-side', label: 'shorter side' }, { value: 'stretch', label: 'stretch' }]),
      choice('crop', 'crop', [{ value: 'center', label: 'centre' }, { value: 'none', label: 'none (pad)' }]),
      choice('layout', 'layout', [{ value: 'NCHW', label: 'NCHW' }, { value: 'NHWC', label: 'NHWC' }]),
      choice('channels', 'channels', [{ value: 'rgb', label: 'RGB' }, { value: 'bgr', label: 'BGR' }, { value: 'gray', label: 'grey' }]),
      field('scale', scale),
      list('mean', 'mean'),
      list('std', 'std'));
  }
}

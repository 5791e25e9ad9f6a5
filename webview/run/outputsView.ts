/**
 * The outputs of the latest run: one card per declared output with its type, statistics, top-k
 * (classifier-like), picture (image-like), histogram and values table.
 */
import type { RunResult, TensorSummary } from '../../src/shared/runtimeTypes';
import type { RuntimeSignature } from '../../src/shared/protocol';
import { clipped, h, replaceAll } from '../ui/dom';
import type { HostChannel } from '../shell/hostChannel';
import { button, errorMessage, setDisabled } from '../ui/controls';
import { histogramBox, imageBox, statsGrid, tensorHeading, Themed, topKList, valuesTable } from '../ui/tensor/tensorView';
import { runTensorSource } from './tensorSource';

export class OutputsView {
  readonly element: HTMLElement;
  private readonly themed = new Themed();

  constructor(private readonly channel: HostChannel, private readonly signature: RuntimeSignature) {
    this.element = h('div', { class: 'run-outputs', 'data-testid': 'run-outputs' });
  }

  show(result: RunResult): void {
    this.themed.destroy();
    // The declared outputs, in declaration order (a result may carry more, e.g. captured values).
    const declared = new Set(this.signature.outputs.map((o) => o.name));
    const outputs = result.outputs.filter((o) => declared.size === 0 || declared.has(o.name));
    const source = (t: TensorSummary) => runTensorSource(this.channel, result.runId, t.name);
    replaceAll(this.element, outputs.map((t) => h('article', { class: 'run-card', 'data-testid': 'run-output', 'data-output': t.name },
      h('header', { class: 'run-card-header' }, clipped(t.name, 'mono run-card-title'), h('span', { class: 'run-card-tools' }, tensorHeading(t), this.saveButton(result.runId, t.name))),
      h('p', { class: 'muted run-hint run-saved', 'data-testid': 'output-saved', hidden: true }),
      statsGrid(t, 'output-stats'),
      topKList(t, this.signature.labelSource),
      imageBox(source(t), t, this.themed),
      t.elements > 16 ? histogramBox(source(t), t, this.themed, 'output-histogram') : null,
      valuesTable(source(t), t, 'output-table'))));
  }

  /**
   * "Save as .npy": the host asks where in its own save dialog and writes the file (the page
   * never names a file to write); the card then says where it went.
   */
  private saveButton(runId: number, name: string): HTMLElement {
    const b = button('.npy', () => {
      const note = b.closest('article')?.querySelector<HTMLElement>('[data-testid="output-saved"]');
      setDisabled(b, true);
      this.channel.request('saveTensor', { runId, name, format: 'npy' }, 10 * 60_000).then(
        ({ savedTo }) => {
          if (note && savedTo) {
            note.textContent = `Saved to ${savedTo}`;
            note.hidden = false;
          }
        },
        (error: unknown) => {
          if (!note) return;
          note.textContent = errorMessage(error);
          note.hidden = false;
        },
      ).finally(() => setDisabled(b, false));
    }, { secondary: true, icon: 'save', testid: 'output-save', title: `Save '${name}' as a NumPy .npy file…` });
    b.classList.add('save-tensor');
    return b;
  }

  retheme(): void {
    this.themed.retheme();
  }
}

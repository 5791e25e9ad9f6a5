/**
 * The Evaluate tab's setup: the dataset (typed, or chosen with the host's file dialog), an optional
 * second dataset to compare with, label column, task, batch size and bootstrap resamples. Reads
 * back as an `EvaluateRequest`, or one sentence naming the field that is wrong.
 */
import type { EvalReport } from '../../src/shared/evalReport';
import { h } from '../ui/dom';
import type { HostChannel } from '../shell/hostChannel';
import { button, errorMessage, field, iconButton, numberInput, Select, setDisabled, textInput, type TextField } from '../ui/controls';
import { DEFAULT_BATCH, TASKS, type FormValues, type Task } from './request';

export class EvalForm {
  readonly element: HTMLElement;
  private readonly data: TextField;
  private readonly compareData: TextField;
  private readonly labelColumn: Select<string>;
  private readonly labelNote: HTMLElement;
  private columnsFor = '';
  /** The user has typed or chosen a dataset: reports shown later do not refill the form. */
  private touched = false;
  private readonly task: Select<Task>;
  private readonly batchSize: TextField;
  private readonly bootstrap: TextField;
  private readonly pickers: HTMLElement[];

  constructor(private readonly channel: HostChannel, private readonly onPickError: (message: string) => void) {
    this.data = textInput('', { class: 'run-input eval-path', 'data-testid': 'eval-data', placeholder: 'dataset file or image folder', 'aria-label': 'Dataset' });
    this.compareData = textInput('', { class: 'run-input eval-path', 'data-testid': 'eval-compare-data', placeholder: 'optional: a second dataset, e.g. the training split', 'aria-label': 'Dataset to compare with' });
    // A list of the file's own columns (filled when a dataset is chosen), never free text to mistype.
    this.labelColumn = new Select([{ value: '', label: 'choose a dataset first' }], '', {
      'data-testid': 'eval-label-column', 'aria-label': 'Label column', title: 'The column (or .npz array) holding the true labels',
    });
    this.labelNote = h('span', { class: 'muted eval-label-note', 'data-testid': 'eval-label-note' });
    this.task = new Select(TASKS, 'auto', { 'data-testid': 'eval-task' });
    this.batchSize = numberInput(DEFAULT_BATCH, { class: 'run-input run-small', min: 1, step: 1, 'data-testid': 'eval-batch' });
    this.bootstrap = numberInput(0, { class: 'run-input run-small', min: 0, step: 100, 'data-testid': 'eval-bootstrap', title: 'Resamples for 95% intervals of the headline metrics (0: none; 1000 is usual)' });
    const choose = (target: TextField, testid: string) => button('Choose…', () => this.pick(target), { secondary: true, icon: 'folder-opened', testid, title: 'Choose a dataset file or an image folder' });
    const clear = iconButton('close', 'Clear the dataset to compare with', () => (this.compareData.value = ''), { class: 'eval-clear' });
    this.pickers = [choose(this.data, 'eval-choose-data'), choose(this.compareData, 'eval-choose-compare')];
    this.element = h('div', { class: 'eval-form' },
      h('div', { class: 'eval-path-row' }, h('label', { class: 'eval-path-label', for: 'eval-data-input' }, 'Dataset'), this.data, this.pickers[0]),
      h('div', { class: 'eval-path-row' }, h('label', { class: 'eval-path-label', for: 'eval-compare-input' }, 'Compare with'), this.compareData, this.pickers[1], clear),
      h('div', { class: 'run-form eval-options' },
        field('label column', this.labelColumn.element),
        this.labelNote,
        field('task', this.task.element),
        field('batch size', this.batchSize),
        field('bootstrap resamples', this.bootstrap)));
    this.data.id = 'eval-data-input';
    this.data.addEventListener('change', () => this.loadColumns());
    for (const input of [this.data, this.compareData]) input.addEventListener('input', () => (this.touched = true));
    this.compareData.id = 'eval-compare-input';
  }

  values(): FormValues {
    return {
      data: this.data.value, compareData: this.compareData.value, labelColumn: this.labelColumn.value,
      task: this.task.value, batchSize: this.batchSize.value, bootstrap: this.bootstrap.value,
    };
  }

  /**
   * Puts a report's setup back into the form (the last evaluation's dataset is the likely next one),
   * unless the user has already typed or chosen a dataset, or is in one of the path fields (a
   * value set under a selection being typed over would join the two paths): a late answer never
   * overwrites them.
   */
  fill(report: EvalReport, force = false): void {
    const editing = [this.data, this.compareData].some((f) => f.matches(':focus-within'));
    if ((this.touched || editing) && !force) return;
    this.data.value = report.data.path;
    this.compareData.value = report.splits?.data.path ?? '';
    this.batchSize.value = String(report.timing.batchSize || DEFAULT_BATCH);
    this.loadColumns(report.data.labelColumn);
  }

  /** Fills the label-column list from the dataset's header; keeps `wanted` (or the current choice) when the file has it. */
  private loadColumns(wanted = this.labelColumn.value): void {
    const data = this.data.value.trim();
    if (!data || data === this.columnsFor) return;
    this.columnsFor = data;
    this.labelNote.textContent = 'reading the columns…';
    this.channel.request('datasetColumns', { data }).then(
      ({ columns, label }) => {
        if (this.columnsFor !== data) return;
        const chosen = wanted && columns.includes(wanted) ? wanted : label ?? '';
        const options = [...(label ? [] : [{ value: '', label: 'choose the label column' }]), ...columns.map((c) => ({ value: c, label: c }))];
        this.labelColumn.setOptions(options, chosen);
        const name = data.split(/[\\/]/).pop();
        this.labelNote.textContent = label ? '' : chosen ? `${name} has no 'label' column; '${chosen}' holds the labels.` : `${name} has no 'label' column: choose the one with the true labels.`;
      },
      (error: unknown) => {
        if (this.columnsFor !== data) return;
        this.columnsFor = '';
        this.labelNote.textContent = errorMessage(error);
      },
    );
  }

  setBusy(busy: boolean): void {
    for (const p of this.pickers) setDisabled(p, busy);
  }

  private pick(target: TextField): void {
    this.channel.request('pickDataset', {}, 10 * 60_000).then(
      ({ path }) => {
        if (!path) return;
        target.value = path;
        this.touched = true;
        if (target === this.data) this.loadColumns();
      },
      (error: unknown) => this.onPickError(errorMessage(error)),
    );
  }
}

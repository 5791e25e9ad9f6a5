/**
 * The Model tab: the model's summary (problems, header, figures, inputs and outputs, operators,
 * largest tensors, metadata). Before the graph arrives the same summary is the whole page
 * (webview/main.ts); afterwards it lives here, "Inferring shapes…" until the summary comes.
 */
import './model.css';
import type { ViewSummary } from '../../src/shared/modelSummary';
import type { Tab } from '../shell/appShell';
import { h } from '../ui/dom';
import { inputsAndOutputs, largestTensors, metadata, opHistogram } from './modelSections';
import { header, problemBanners, statCards } from './modelOverview';

/** The summary's parts, in page order (absent ones are null). */
export function summaryParts(summary: ViewSummary): (HTMLElement | null)[] {
  return [
    problemBanners(summary.problems),
    header(summary),
    statCards(summary),
    inputsAndOutputs(summary),
    opHistogram(summary),
    largestTensors(summary.largestTensors),
    metadata(summary),
  ];
}

export class ModelTab implements Tab {
  readonly element = h('div', { class: 'shell-page model-panel' });

  /** `content`: the summary shown so far (moved from the page), or null until it arrives. */
  constructor(content: HTMLElement | null) {
    this.setContent(content ?? h('div', { class: 'summary loading', role: 'status' }, h('vscode-progress-ring', { 'aria-label': 'Loading' }), h('span', {}, 'Inferring shapes…')));
  }

  setSummary(summary: ViewSummary): void {
    this.setContent(h('div', { class: 'summary' }, ...summaryParts(summary)));
  }

  /** The summary keeps its test hooks except the two the page header owns. */
  private setContent(content: HTMLElement): void {
    for (const dup of content.querySelectorAll('[data-testid="model-name"], [data-testid="node-count"]')) dup.removeAttribute('data-testid');
    this.element.replaceChildren(content);
  }
}

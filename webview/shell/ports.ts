/**
 * What one tab may ask of another, through the shell: the graph's selection and navigation for
 * the Run and Quantize tabs. Types only; the graph tab implements GraphPort (webview/graph/), the
 * composition root (webview/main.ts) hands it to the tabs that need it, so no tab imports another.
 */

/** What is selected on the graph canvas: a node, a group, a value (graph input/output), or nothing. */
export interface GraphSelection {
  kind: 'node' | 'group' | 'value' | 'none';
  index: number;
}

export interface GraphPort {
  /** The Graph tab's current selection (what the Run tab's "Capture selection" captures). */
  selection(): GraphSelection;
  /** Calls `listener` on every selection change until the returned function is called. */
  onSelectionChange(listener: (selection: GraphSelection) => void): () => void;
  /** Switches to the Graph tab and selects the node (by index into the payload's nodes). */
  revealNode(node: number): void;
  /** Switches to the Graph tab coloured by an overlay channel ('ch:time'), the named node selected when given. */
  showOverlay(channel: string, nodeName?: string | null): void;
}

/** An explanation view a tab hosts: its element, and the calls the tab makes on it. */
export interface ExplainView {
  readonly element: HTMLElement;
  retheme(): void;
}

/**
 * The explanations (webview/explain/) the Run and Evaluate tabs show: the Run tab's Explain
 * section over its inputs, and the Evaluate tab's Why?/Feature importance pane over a report.
 * Types only; the composition root builds them (webview/app.ts).
 */
export interface ExplainPort {
  runSection(host: {
    channel: import('./hostChannel').HostChannel;
    inputs: readonly import('../../src/shared/runtimeTypes').IoSignature[];
    classes: readonly string[] | null;
    subject(): Pick<import('../../src/shared/protocol').ExplainViewRequest, 'subject' | 'options'> | null;
    begin(): boolean;
    end: import('./action').ActionContext['end'];
  }): ExplainView & { setBusy(busy: boolean): void };
  evalPane(channel: import('./hostChannel').HostChannel, report: import('../../src/shared/evalReport').EvalReport): ExplainView & { explainRow(index: number): void; destroy(): void };
}

import type { GraphPageState } from '../graph/graphPage';
/** The API VS Code injects into a webview; acquired once per page. */
export interface VsCodeApi<State> {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

/** What the page keeps across hide/show (the webview is torn down when hidden). */
export interface PersistedState {
  scrollY: number;
  /** The graph page's state (selection, viewport, expanded groups, panels), for one model. */
  graph?: GraphPageState;
}

let api: VsCodeApi<PersistedState> | undefined;

export function vscodeApi(): VsCodeApi<PersistedState> {
  api ??= acquireVsCodeApi<PersistedState>();
  return api;
}

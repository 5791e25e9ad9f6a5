/** The API VS Code injects into a webview; acquired once per page. */
export interface VsCodeApi<State> {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

let api: VsCodeApi<unknown> | undefined;

/** `State`: what the page keeps across hide/show (the webview is torn down when hidden); the entry point declares it. */
export function vscodeApi<State>(): VsCodeApi<State> {
  api ??= acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State>;
}

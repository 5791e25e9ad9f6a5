/** The API VS Code injects into a webview; acquired once per page. */
export interface VsCodeApi<State> {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State>(): VsCodeApi<State>;

declare global {
  interface Window {
    /** Acquired by the model page's boot script (src/extension/webviewHtml.ts), before the page's own script. */
    __onnxLensVsCodeApi?: VsCodeApi<unknown>;
  }
}

let api: VsCodeApi<unknown> | undefined;

/** `State`: what the page keeps across hide/show (the webview is torn down when hidden); the entry point declares it. */
export function vscodeApi<State>(): VsCodeApi<State> {
  api ??= window.__onnxLensVsCodeApi ?? acquireVsCodeApi<unknown>();
  return api as VsCodeApi<State>;
}

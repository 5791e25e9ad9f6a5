/** What the Run tab's sections get from the panel that mounts them. */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { ProgressMessage, RunSetup, RuntimeSignature } from '../../src/shared/protocol';
import type { GraphSelection } from '../graph/graphView';
import type { HostChannel } from '../hostChannel';

export type RunState = 'idle' | 'running' | 'done' | 'error';

/** Long requests (benchmark, profile, activations of big models): the host enforces its own limits. */
export const LONG_REQUEST_MS = 30 * 60_000;
export const RUN_REQUEST_MS = 10 * 60_000;

export interface RunContext {
  channel: HostChannel;
  payload: GraphPayload;
  signature: RuntimeSignature;
  /**
   * The current setup, checked and saved for the model (`saveRunSetup`); null when something is
   * wrong with it (the problem is then shown next to the input it concerns).
   */
  takeSetup(): RunSetup | null;
  /** Starts an action: the error banner goes, other actions wait, body[data-run-state] = running. */
  begin(): boolean;
  /** Ends it: `error` (shown next to `slot`, or the input the message names), done, or idle (cancelled). */
  end(outcome: { error: unknown; slot: HTMLElement } | 'done' | 'idle'): void;
  /** Routes `progress` pushes of one request to `onProgress` until the returned function is called. */
  onProgress(requestId: number, onProgress: (message: ProgressMessage) => void): () => void;
  selection(): GraphSelection;
  revealNode(node: number): void;
  showOverlay(channel: string): void;
}

/** What the Run tab's sections get from the panel that mounts them. */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { RunSetup, RuntimeSignature } from '../../src/shared/protocol';
import type { ActionContext } from '../shell/action';
import type { GraphSelection } from '../shell/ports';

export type RunState = 'idle' | 'running' | 'done' | 'error';

export const RUN_REQUEST_MS = 10 * 60_000;

export interface RunContext extends ActionContext {
  payload: GraphPayload;
  signature: RuntimeSignature;
  /**
   * The current setup, checked and saved for the model (`saveRunSetup`); null when something is
   * wrong with it (the problem is then shown next to the input it concerns).
   */
  takeSetup(): RunSetup | null;
  /** Starts an action: the error banner goes, other actions wait, body[data-run-state] = running. */
  begin(): boolean;
  selection(): GraphSelection;
  revealNode(node: number): void;
  showOverlay(channel: string): void;
}

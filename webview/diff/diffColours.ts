/**
 * The diff's colours, from the theme only: VS Code's own git decoration colours (added, deleted,
 * modified) mixed into the editor background so box labels stay readable, and a faint fill for
 * nodes that are the same. Canvas fills need resolved colours, so each is read off a probe element.
 */
import { NodeState } from '../../src/shared/diffView';

export interface DiffColours {
  same: string;
  changed: string;
  added: string;
  removed: string;
  /** A removed node in the overlay: a faint fill and a dashed outline (webview/graph/render/ghosts.ts). */
  ghost: string;
  ghostLine: string;
}

function resolve(css: string): string {
  const probe = document.createElement('span');
  probe.style.color = css;
  probe.style.display = 'none';
  document.body.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}

const mix = (variable: string, fallback: string, share: number) =>
  resolve(`color-mix(in srgb, var(${variable}, ${fallback}) ${share}%, var(--vscode-editor-background, #1e1e1e))`);

export function readDiffColours(): DiffColours {
  return {
    same: mix('--vscode-editor-foreground', '#888888', 7),
    changed: mix('--vscode-gitDecoration-modifiedResourceForeground', '#e2c08d', 45),
    added: mix('--vscode-gitDecoration-addedResourceForeground', '#81b88b', 45),
    removed: mix('--vscode-gitDecoration-deletedResourceForeground', '#c74e39', 45),
    ghost: mix('--vscode-gitDecoration-deletedResourceForeground', '#c74e39', 14),
    ghostLine: mix('--vscode-gitDecoration-deletedResourceForeground', '#c74e39', 90),
  };
}

/** The fill of one node of side a or b. */
export function stateFill(c: DiffColours, side: 'a' | 'b', state: number): string {
  if (state === NodeState.Changed) return c.changed;
  if (state === NodeState.Only) return side === 'a' ? c.removed : c.added;
  return c.same;
}

/** The fill of one node of the overlay (b's nodes and a's removed ones). */
export function overlayFill(c: DiffColours, state: number): string {
  return state === NodeState.Removed ? c.ghost : stateFill(c, 'b', state);
}

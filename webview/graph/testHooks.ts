/**
 * `window.__onnxLens`: what end-to-end tests and benchmarks ask of the graph (select a node by
 * name, expand a group path, read the scene, find a box on screen, hover without waiting), so they
 * drive the canvas by names instead of pixels.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { GraphView } from './graphView';
import { ItemKind } from '../../src/core/graphLayout/scene';

declare global {
  interface Window {
    __onnxLens?: {
      selectNode(name: string): Promise<boolean>;
      expandGroup(path: string): Promise<boolean>;
      sceneItems(): { kind: string; name: string; x: number; y: number; w: number; h: number }[];
      screenPositionOfNode(name: string): { x: number; y: number } | null;
      /** Centre of the collapsed group box (or expanded frame) with this scope name. */
      screenPositionOfGroup(name: string): { x: number; y: number } | null;
      /** Shows the hover card of a node now (no pointer wait); false when it is not on screen. */
      hoverNode(name: string): boolean;
      /** The current zoom (1 = 100%), null before the first layout. */
      zoom(): number | null;
      /** Centre of a graph output's pill, in client coordinates (null when it is not drawn). */
      screenPositionOfOutput(name: string): { x: number; y: number } | null;
    };
  }
}

/** `view()` is null until the layout worker is up; `reveal` shows the Graph tab and selects the node. */
export function installTestHooks(p: GraphPayload, view: () => GraphView | null, reveal: (node: number) => Promise<void>): void {
  const nodeByName = (name: string) => p.nodeNames.indexOf(name);
  const itemWhere = (match: (kind: ItemKind, ref: number) => boolean) => {
    const v = view(), s = v?.scene;
    if (!v || !s) return null;
    for (let i = 0; i < s.itemCount; i++) if (match(s.kind[i], s.ref[i])) return v.screenPositionOfItem(i);
    return null;
  };
  window.__onnxLens = {
    selectNode: async (name) => {
      const n = nodeByName(name);
      if (n < 0 || !view()) return false;
      await reveal(n);
      return true;
    },
    expandGroup: async (path) => {
      const v = view();
      if (!v) return false;
      let g = 0;
      for (const part of path.split('/').filter(Boolean)) {
        const h = v.hierarchy;
        const next = Array.from(h.childGroups.subarray(h.childGroupStart[g], h.childGroupStart[g + 1])).find((c) => h.names[c] === part);
        if (next === undefined) return false;
        if (!v.expandedGroups().has(next)) await v.toggleGroup(next, true);
        g = next;
      }
      return true;
    },
    sceneItems: () => {
      const s = view()?.scene;
      if (!s) return [];
      const kinds = ['node', 'group', 'frame', 'input', 'output'];
      return Array.from({ length: s.itemCount }, (_, i) => ({
        kind: kinds[s.kind[i]],
        name: s.kind[i] === ItemKind.Node ? p.nodeNames[s.ref[i]] : s.kind[i] <= ItemKind.Frame ? p.groupNames[s.ref[i]] : p.valueNames[s.ref[i]],
        x: s.x[i], y: s.y[i], w: s.w[i], h: s.h[i],
      }));
    },
    screenPositionOfNode: (name) => {
      const n = nodeByName(name);
      return n < 0 ? null : (view()?.screenPositionOfNode(n) ?? null);
    },
    zoom: () => view()?.state().view?.k ?? null,
    screenPositionOfOutput: (name) => itemWhere((kind, ref) => kind === ItemKind.Output && p.valueNames[ref] === name),
    hoverNode: (name) => {
      const n = nodeByName(name);
      const at = n < 0 ? null : view()?.screenPositionOfNode(n);
      return !!at && !!view()?.hoverAt(at.x, at.y);
    },
    screenPositionOfGroup: (name) => itemWhere((kind, ref) => (kind === ItemKind.Group || kind === ItemKind.Frame) && p.groupNames[ref] === name),
  };
}

/**
 * Where each node, group and value of the payload is in the current scene (its item index, -1 when
 * it is not drawn), and which items carry a structural problem (a missing input, a problem the
 * analysis names): rebuilt when a layout arrives.
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import type { GraphSelection } from '../shell/ports';
import type { Hierarchy } from '../../src/core/graphLayout/hierarchy';
import { ItemKind, type Scene } from '../../src/core/graphLayout/scene';

export class SceneItems {
  private readonly nodeItem: Int32Array;
  readonly groupItem: Int32Array;
  /** Keyed by value * 2 (+1 for a graph output's pill). */
  private readonly valueItem = new Map<number, number>();
  readonly problemItems = new Set<number>();

  constructor(scene: Scene, payload: GraphPayload, private readonly hierarchy: Hierarchy, problems: ReadonlySet<number>) {
    this.nodeItem = new Int32Array(payload.nodeCount).fill(-1);
    this.groupItem = new Int32Array(Math.max(1, payload.groupCount)).fill(-1);
    for (let i = 0; i < scene.itemCount; i++) {
      const kind = scene.kind[i] as ItemKind;
      if (kind === ItemKind.Node) {
        this.nodeItem[scene.ref[i]] = i;
        if (problems.has(scene.ref[i])) this.problemItems.add(i);
      } else if (kind === ItemKind.Group || kind === ItemKind.Frame) this.groupItem[scene.ref[i]] = i;
      else this.valueItem.set(scene.ref[i] * 2 + (kind === ItemKind.Output ? 1 : 0), i);
    }
  }

  /** The node's own box, -1 when it is inside a collapsed group. */
  ofNodeBox(n: number): number {
    return this.nodeItem[n] ?? -1;
  }

  /** The node's box, or the innermost drawn group that holds it. */
  ofNode(n: number): number {
    if (this.nodeItem[n] >= 0) return this.nodeItem[n];
    for (let g = this.hierarchy.nodeGroup[n]; g >= 0; g = this.hierarchy.parent[g]) if (this.groupItem[g] >= 0) return this.groupItem[g];
    return -1;
  }

  ofGroup(g: number): number {
    return this.groupItem[g] ?? -1;
  }

  ofSelection(s: GraphSelection): number {
    if (s.kind === 'node') return this.ofNode(s.index);
    if (s.kind === 'group') return this.ofGroup(s.index);
    if (s.kind === 'value') return this.valueItem.get(s.index * 2) ?? this.valueItem.get(s.index * 2 + 1) ?? -1;
    return -1;
  }
}

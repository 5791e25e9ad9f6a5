/**
 * A scene that draws without its graph: its refs (node, group and value indices into the whole
 * graph) renumbered into small label tables of its own, which carry what drawing reads
 * (RenderLabels). A page draws one before it has unpacked and decoded the structure: a saved view
 * (webview/graph/viewSnapshot.ts) or a first open's first view laid out by the analysis process
 * (firstView.ts).
 *
 *   labelScene(scene, labels): LabelledScene & { refs }   — refs: the whole graph's indices per table
 *   tableOf(kind, tables)                                  — which of the three tables an item's ref indexes
 *   labelledSceneJson(s) / labelledSceneFromJson(raw)     — the JSON form (numbers round-trip exactly,
 *                                                           so what a page draws from it has the pixels
 *                                                           of the graph view's first frame)
 */
import { nodeName, valueName } from '../../shared/payloadCodec';
import type { RenderLabels } from './renderLabels';
import { ItemKind, type Scene } from './scene';

export interface LabelledScene {
  /** The scene with its refs and edge values renumbered into `labels`' tables. */
  scene: Scene;
  labels: RenderLabels;
}

/** Which node, group and value of the whole graph each entry of a LabelledScene's tables is. */
export interface SceneRefs {
  nodes: number[];
  groups: number[];
  values: number[];
}

/** Renumbers refs in order of first use: `old → new` and the list of olds. */
class Renumbering {
  private readonly ids = new Map<number, number>();
  readonly olds: number[] = [];

  of(old: number): number {
    let id = this.ids.get(old);
    if (id === undefined) {
      id = this.olds.length;
      this.ids.set(old, id);
      this.olds.push(old);
    }
    return id;
  }
}

/** The table an item's ref indexes: nodes, groups (a collapsed box or a frame) or values (inputs, outputs). */
export function tableOf<T>(kind: ItemKind, tables: { nodes: T; groups: T; values: T }): T {
  return kind === ItemKind.Node ? tables.nodes : kind === ItemKind.Group || kind === ItemKind.Frame ? tables.groups : tables.values;
}

/** `scene` (refs into the whole graph `payload`) with its refs renumbered into tables of its own. */
export function labelScene(scene: Scene, payload: RenderLabels): LabelledScene & { refs: SceneRefs } {
  const tables = { nodes: new Renumbering(), groups: new Renumbering(), values: new Renumbering() };
  const ref = Int32Array.from({ length: scene.itemCount }, (_, i) => tableOf(scene.kind[i] as ItemKind, tables).of(scene.ref[i]));
  const edgeValue = Int32Array.from(scene.edgeValue, (v) => (v < 0 ? v : tables.values.of(v)));
  const { nodes, groups, values } = { nodes: tables.nodes.olds, groups: tables.groups.olds, values: tables.values.olds };
  const labels: RenderLabels = {
    fileName: payload.fileName,
    ops: [...payload.ops],
    nodeOp: Uint32Array.from(nodes, (n) => payload.nodeOp[n]),
    nodeNames: nodes.map((n) => nodeName(payload, n)),
    groupNames: groups.map((g) => payload.groupNames[g]),
    groupNodeCount: Uint32Array.from(groups, (g) => payload.groupNodeCount[g]),
    valueNames: values.map((v) => valueName(payload, v)),
    valueElemTypes: values.map((v) => payload.valueElemTypes[v]),
    valueShapes: values.map((v) => payload.valueShapes[v]),
  };
  return { scene: { ...scene, ref, edgeValue }, labels, refs: { nodes, groups, values } };
}

/** The scene of a LabelledScene with the whole graph's refs again. */
export function sceneWithRefs(scene: Scene, refs: SceneRefs): Scene {
  return {
    ...scene,
    ref: Int32Array.from({ length: scene.itemCount }, (_, i) => tableOf(scene.kind[i] as ItemKind, refs)[scene.ref[i]]),
    edgeValue: Int32Array.from(scene.edgeValue, (v) => (v < 0 ? v : refs.values[v])),
  };
}

const SCENE_ARRAYS = {
  kind: Uint8Array, ref: Int32Array, x: Float64Array, y: Float64Array, w: Float64Array, h: Float64Array, depth: Uint8Array,
  edgeFrom: Int32Array, edgeTo: Int32Array, edgeValue: Int32Array, edgeMultiplicity: Uint32Array, pointStart: Uint32Array, points: Float64Array,
} as const;
type SceneArray = keyof typeof SCENE_ARRAYS;

/** The JSON form of `s`: typed arrays as arrays. */
export function labelledSceneJson(s: LabelledScene): { scene: Record<string, unknown>; labels: Record<string, unknown> } {
  const scene: Record<string, unknown> = { itemCount: s.scene.itemCount, edgeCount: s.scene.edgeCount, width: s.scene.width, height: s.scene.height };
  for (const name of Object.keys(SCENE_ARRAYS) as SceneArray[]) scene[name] = Array.from(s.scene[name]);
  return { scene, labels: { ...s.labels, nodeOp: Array.from(s.labels.nodeOp), groupNodeCount: Array.from(s.labels.groupNodeCount) } };
}

/** The LabelledScene of a parsed JSON form, or null when its arrays do not agree with its counts. Throws on what is not one at all. */
export function labelledSceneFromJson(raw: { scene: Record<string, unknown>; labels: Record<string, unknown> }): LabelledScene | null {
  const scene = { ...raw.scene } as unknown as Scene;
  for (const name of Object.keys(SCENE_ARRAYS) as SceneArray[]) {
    (scene as unknown as Record<string, unknown>)[name] = SCENE_ARRAYS[name].from(raw.scene[name] as number[]);
  }
  const labels = { ...raw.labels, nodeOp: Uint32Array.from(raw.labels.nodeOp as number[]), groupNodeCount: Uint32Array.from(raw.labels.groupNodeCount as number[]) } as RenderLabels;
  const n = scene.itemCount;
  const itemsAgree = [scene.kind, scene.ref, scene.x, scene.y, scene.w, scene.h, scene.depth].every((a) => a.length === n);
  const edgesAgree = [scene.edgeFrom, scene.edgeTo, scene.edgeValue, scene.edgeMultiplicity].every((a) => a.length === scene.edgeCount)
    && scene.pointStart.length === scene.edgeCount + 1 && scene.pointStart[scene.edgeCount] === scene.points.length;
  if (!itemsAgree || !edgesAgree || !Array.isArray(labels.ops) || !Array.isArray(labels.nodeNames)) return null;
  return { scene, labels };
}

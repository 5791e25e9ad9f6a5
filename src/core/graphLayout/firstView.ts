/**
 * A first open's first view, laid out where the graph is built: the analysis process lays out the
 * default view as soon as it has the structure, and the page draws it as soon as it arrives, with
 * the structure still packed (docs/opening-a-model.md, step 2). The page's layout worker takes the
 * same scene for that view instead of laying it out again. At 100k nodes the page took ~0.55 s
 * from the graph message to its first frame (unpacking, decoding, the hierarchy, the layout); the
 * view itself is a few dozen boxes, laid out here in ~0.15 s.
 *
 *   layOutFirstView(payload): FirstViewLayout
 *   encodeFirstView(view): string / decodeFirstView(text): FirstViewLayout | null
 *   firstViewScene(view): Scene   — with the whole graph's refs, as computeScene made it
 */
import type { GraphPayload } from '../../shared/graphPayload';
import { computeScene } from './computeScene';
import { buildHierarchy, initialExpanded } from './hierarchy';
import { labelledSceneFromJson, labelledSceneJson, labelScene, sceneWithRefs, tableOf, type LabelledScene, type SceneRefs } from './labelledScene';
import { problemNodes } from './problemNodes';
import { ItemKind, type Scene } from './scene';

export interface FirstViewLayout extends LabelledScene {
  /** The groups open in it (initialExpanded with no saved view), ascending; the root is 0. */
  expanded: number[];
  /** The whole graph's node, group and value per entry of `labels`' tables. */
  refs: SceneRefs;
  /** Items drawn with the error colour (nodes reading a missing value, or named by a problem). */
  problemItems: number[];
}

/** The default first view of `payload` (the structure as the page gets it), laid out. */
export function layOutFirstView(payload: GraphPayload): FirstViewLayout {
  const hierarchy = buildHierarchy(payload);
  const expanded = [...initialExpanded(hierarchy, null)].sort((a, b) => a - b);
  const scene = computeScene(payload, hierarchy, new Set(expanded));
  const problems = problemNodes(payload);
  const problemItems: number[] = [];
  for (let i = 0; i < scene.itemCount; i++) if (scene.kind[i] === ItemKind.Node && problems.has(scene.ref[i])) problemItems.push(i);
  return { ...labelScene(scene, payload), expanded, problemItems };
}

export function firstViewScene(view: FirstViewLayout): Scene {
  return sceneWithRefs(view.scene, view.refs);
}

export function encodeFirstView(view: FirstViewLayout): string {
  return JSON.stringify({ ...labelledSceneJson(view), expanded: view.expanded, refs: view.refs, problemItems: view.problemItems });
}

const isIndexList = (value: unknown): value is number[] => Array.isArray(value) && value.every((v) => Number.isInteger(v) && v >= 0);

/** The first view in `text`, or null when it is not one (damaged, another version's). */
export function decodeFirstView(text: string): FirstViewLayout | null {
  try {
    const raw = JSON.parse(text) as Partial<FirstViewLayout> & { scene: Record<string, unknown>; labels: Record<string, unknown> };
    const labelled = labelledSceneFromJson(raw);
    const refs = raw.refs;
    if (!labelled || !isIndexList(raw.expanded) || !isIndexList(raw.problemItems) || !refs || !isIndexList(refs.nodes) || !isIndexList(refs.groups) || !isIndexList(refs.values)) return null;
    if (refs.nodes.length !== labelled.labels.nodeNames.length || refs.groups.length !== labelled.labels.groupNames.length || refs.values.length !== labelled.labels.valueNames.length) return null;
    if (raw.problemItems.some((i) => i >= labelled.scene.itemCount)) return null;
    const { scene } = labelled;
    for (let i = 0; i < scene.itemCount; i++) {
      const table = tableOf(scene.kind[i] as ItemKind, refs);
      if (!(scene.ref[i] >= 0 && scene.ref[i] < table.length)) return null;
    }
    if (scene.edgeValue.some((v) => v >= refs.values.length)) return null;
    return { ...labelled, expanded: raw.expanded, refs, problemItems: raw.problemItems };
  } catch {
    return null;
  }
}

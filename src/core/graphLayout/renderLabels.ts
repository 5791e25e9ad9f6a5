import type { GraphPayload } from '../../shared/graphPayload';

/**
 * What drawing a scene reads of the graph besides the scene itself: op types, names and counts by
 * the scene's refs. A decoded GraphPayload is one; a saved view carries small tables of its own
 * (webview/graph/viewSnapshot.ts), so an editor shown again is drawn before its structure is
 * unpacked and decoded.
 */
export type RenderLabels = Pick<GraphPayload, 'fileName' | 'ops' | 'nodeOp' | 'nodeNames' | 'groupNames' | 'groupNodeCount' | 'valueNames' | 'valueElemTypes' | 'valueShapes'>;

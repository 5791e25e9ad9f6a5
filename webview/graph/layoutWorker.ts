/**
 * The layout Web Worker (bundled to dist/webview/layoutWorker.js, started from a Blob URL).
 *
 * Holds one payload and its Hierarchy and LayoutCache (per-group layouts, so expanding a group
 * lays out only that group and its ancestors' levels). Answers "scene for expanded set X":
 *   1. IndexedDB (database `onnx-lens-layouts`, key `<version>|<modelHash>|<expanded>`): a model
 *      reopened in a new webview gets its scene without laying anything out;
 *   2. otherwise computeScene, then persist it (best effort: a full or unavailable IndexedDB
 *      only costs the next open a layout).
 * The first view (the page's restored one, else the default) is produced as soon as the graph
 * arrives, before the page asks for it: the page decodes its own copy and builds itself first (at
 * 100k nodes the worker sat idle ~150 ms waiting for that request, on the way to the first frame;
 * docs/opening-a-model.md). A first open's default view comes laid out by the analysis process
 * (src/core/graphLayout/firstView.ts) and is taken as it is.
 * Scenes go back with their buffers transferred (the worker keeps no copy: the LayoutCache and
 * IndexedDB are its memory).
 */
import type { GraphPayload } from '../../src/shared/graphPayload';
import { decodeGraphPayload } from '../../src/shared/payloadCodec';
import { computeScene, LayoutCache } from '../../src/core/graphLayout/computeScene';
import { decodeFirstView, firstViewScene } from '../../src/core/graphLayout/firstView';
import { buildHierarchy, initialExpanded, type Hierarchy } from '../../src/core/graphLayout/hierarchy';
import { LAYOUT_CACHE_VERSION, sceneBuffers, type FromWorker, type ToWorker } from './layoutProtocol';
import type { Scene } from '../../src/core/graphLayout/scene';

interface WorkerScope {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker, transfer: Transferable[]): void;
}
const scope = self as unknown as WorkerScope;

let payload: GraphPayload | null = null;
let hierarchy: Hierarchy | null = null;
let cache = new LayoutCache();
interface Produced {
  scene: Scene;
  source: 'indexeddb' | 'computed' | 'analysis';
  /** From the start of the read or layout to the scene. */
  ms: number;
}

/** The default first view's scene, started when the graph arrived (the page asks for it later). */
let firstView: { key: string; produced: Promise<Produced> } | null = null;
/** Most scenes a model keeps in IndexedDB; older entries of that model are dropped. */
const MAX_PERSISTED_PER_MODEL = 24;

const dbPromise: Promise<IDBDatabase | null> = new Promise((resolve) => {
  try {
    const open = indexedDB.open('onnx-lens-layouts', 1);
    open.onupgradeneeded = () => {
      const store = open.result.createObjectStore('scenes');
      store.createIndex('model', 'model');
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(null);
  } catch {
    resolve(null);
  }
});

function key(p: GraphPayload, expanded: number[]): string {
  return `${LAYOUT_CACHE_VERSION}|${p.modelHash}|${expanded.join(',')}`;
}

async function readPersisted(k: string): Promise<Scene | null> {
  const db = await dbPromise;
  if (!db) return null;
  return new Promise((resolve) => {
    const request = db.transaction('scenes', 'readonly').objectStore('scenes').get(k);
    request.onsuccess = () => resolve((request.result as { scene: Scene } | undefined)?.scene ?? null);
    request.onerror = () => resolve(null);
  });
}

/** Synchronous on purpose: put() must clone the scene before its buffers are transferred. */
function persist(db: IDBDatabase | null, k: string, model: string, scene: Scene): void {
  if (!db) return;
  const tx = db.transaction('scenes', 'readwrite');
  const store = tx.objectStore('scenes');
  // put() clones synchronously, so the buffers can be transferred right after this call.
  store.put({ model, at: Date.now(), scene }, k);
  const keys = store.index('model').getAllKeys(IDBKeyRange.only(model));
  keys.onsuccess = () => {
    const all = keys.result as string[];
    if (all.length <= MAX_PERSISTED_PER_MODEL) return;
    for (const old of all.filter((x) => x !== k).slice(0, all.length - MAX_PERSISTED_PER_MODEL)) store.delete(old);
  };
}

/** The scene for `expanded` from IndexedDB, or laid out and persisted. */
async function produce(p: GraphPayload, h: Hierarchy, layouts: LayoutCache, k: string, expanded: number[]): Promise<Produced> {
  const started = performance.now();
  const saved = await readPersisted(k);
  if (saved) return { scene: saved, source: 'indexeddb', ms: performance.now() - started };
  const scene = computeScene(p, h, new Set(expanded), layouts);
  try {
    persist(await dbPromise, k, p.modelHash, scene);
  } catch {
    // Quota or a closed database: the next open lays out again, nothing else is lost.
  }
  return { scene, source: 'computed', ms: performance.now() - started };
}

/**
 * The first view the analysis process laid out, persisted as a scene laid out here is. It filled
 * no LayoutCache: the worker lays the same view out once the scene has gone (warmCache), so the
 * first group opened costs what it did before.
 */
async function adopt(p: GraphPayload, k: string, scene: Scene, started: number): Promise<Produced> {
  try {
    persist(await dbPromise, k, p.modelHash, scene);
  } catch {
    // As in produce: only the next open's layout is lost.
  }
  return { scene, source: 'analysis', ms: performance.now() - started };
}

function warmCache(p: GraphPayload, h: Hierarchy, layouts: LayoutCache, expanded: number[]): void {
  setTimeout(() => {
    if (payload === p && cache === layouts) computeScene(p, h, new Set(expanded), layouts);
  });
}

async function layout(requestId: number, expanded: number[]): Promise<void> {
  if (!payload || !hierarchy) throw new Error('The layout worker has no graph yet.');
  const k = key(payload, expanded);
  const first = firstView?.key === k ? firstView : null;
  firstView = null;
  const { scene, source, ms } = await (first?.produced ?? produce(payload, hierarchy, cache, k, expanded));
  scope.postMessage({ type: 'scene', requestId, scene, ms, source, ahead: first !== null }, sceneBuffers(scene));
  if (source === 'analysis') warmCache(payload, hierarchy, cache, expanded);
}

/** The analysis process's first view if it is the one for `expanded` (the worker's own first view), else null. */
function givenFirstView(text: string | undefined, expanded: number[]): Scene | null {
  const view = text === undefined ? null : decodeFirstView(text);
  return view && view.expanded.join(',') === expanded.join(',') ? firstViewScene(view) : null;
}

scope.onmessage = (event) => {
  const message = event.data;
  if (message.type === 'init') {
    payload = decodeGraphPayload(message.graph, { lazyNames: true });
    hierarchy = buildHierarchy(payload);
    cache = new LayoutCache();
    // The view the page asks for first: its restored one when the saved state is this model's.
    const restore = message.restore?.modelHash === payload.modelHash ? message.restore : null;
    const expanded = [...initialExpanded(hierarchy, restore?.expanded ?? null)].sort((a, b) => a - b);
    const first = key(payload, expanded);
    const started = performance.now();
    const given = restore ? null : givenFirstView(message.firstView, expanded);
    firstView = { key: first, produced: given ? adopt(payload, first, given, started) : produce(payload, hierarchy, cache, first, expanded) };
    firstView.produced.catch(() => undefined); // reported to the request that takes it
    return;
  }
  layout(message.requestId, message.expanded).catch((error: unknown) => {
    scope.postMessage({ type: 'error', requestId: message.requestId, message: `The graph could not be laid out: ${error instanceof Error ? error.message : String(error)}` }, []);
  });
};

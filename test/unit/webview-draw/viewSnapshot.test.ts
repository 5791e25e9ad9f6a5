import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { decodeGraphPayload, encodeGraphPayload } from '../../../src/shared/payloadCodec';
import type { GraphPayload } from '../../../src/shared/graphPayload';
import { computeScene } from '../../../src/core/graphLayout/computeScene';
import { decodeSnapshot, encodeSnapshot, fitsPage, takeSnapshot, type ViewSnapshot } from '../../../webview/graph/viewSnapshot';
import { buildHierarchy, defaultExpanded, initialExpanded } from '../../../src/core/graphLayout/hierarchy';
import { drawScene, prepareScene } from '../../../webview/graph/render/renderer';
import { edgeBoundsOf } from '../../../webview/graph/render/prepareScene';
import type { RenderLabels } from '../../../src/core/graphLayout/renderLabels';
import type { GraphTheme } from '../../../webview/graph/render/theme';
import { fitRect, initialViewOf, type Viewport } from '../../../webview/graph/render/viewport';
import { decodeFirstView, encodeFirstView, layOutFirstView } from '../../../src/core/graphLayout/firstView';
import type { Scene } from '../../../src/core/graphLayout/scene';
import { problemNodes } from '../../../src/core/graphLayout/problemNodes';
import { SceneItems } from '../../../webview/graph/sceneItems';
import { transformerPayload } from '../graph-view/models';
import { LIGHT_MODELS, payloadFromFile } from '../graph-view/payloadFromModel';

const THEME: GraphTheme = new Proxy({} as GraphTheme, {
  get: (_t, key) => (key === 'categoryFill' || key === 'categoryStroke' ? Array.from({ length: 8 }, (_, i) => `#00000${i}`)
    : key === 'heatLow' || key === 'heatHigh' ? { r: 0, g: 0, b: 0 } : key === 'kind' ? 'dark' : `theme-${String(key)}`),
});

/** A 2D context that records every call and property set, in order; text is 7 px a character. */
function recordingContext(): { ctx: CanvasRenderingContext2D; log: string[] } {
  const log: string[] = [];
  const ctx = new Proxy({} as Record<string, unknown>, {
    get(target, key) {
      if (key in target) return target[key as string];
      return (...args: unknown[]) => {
        log.push(`${String(key)}(${args.map((a) => JSON.stringify(a)).join(',')})`);
        if (key === 'measureText') return { width: String(args[0]).length * 7 };
        return undefined;
      };
    },
    set(target, key, value) {
      log.push(`${String(key)}=${JSON.stringify(value)}`);
      target[key as string] = value;
      return true;
    },
  }) as unknown as CanvasRenderingContext2D;
  return { ctx, log };
}

function draw(scene: Scene, labels: RenderLabels, problems: ReadonlySet<number>, selectedItem: number, view: Viewport): string[] {
  const { ctx, log } = recordingContext();
  const categories = Uint8Array.from(labels.ops, (_, i) => i % 6);
  drawScene(ctx, prepareScene(scene, labels, categories), labels, THEME, view, 900, 700, { selectedItem, highlighted: new Set(), itemFill: null, problemItems: problems });
  return log;
}

/** The page's own payload: decoded from the bytes the host posts, names read lazily. */
function asPosted(p: GraphPayload): GraphPayload {
  return decodeGraphPayload(encodeGraphPayload(p), { lazyNames: true });
}

function firstView(p: GraphPayload): { scene: Scene; problems: Set<number> } {
  const h = buildHierarchy(p);
  const scene = computeScene(p, h, initialExpanded(h, null));
  return { scene, problems: new SceneItems(scene, p, h, problemNodes(p)).problemItems };
}

const RECT = { left: 0, top: 35, width: 900, height: 700 };
const PAGE = { width: 1280, height: 800 };

/**
 * Snapshots of `scene` at three zooms (fit, mid, near), each through its text form, drawn at its
 * own viewport: the same canvas calls as the whole graph's. A node is selected, as a saved view may
 * have it. Returns the near one.
 */
function assertDrawsTheSame(payload: GraphPayload, scene: Scene, problems: ReadonlySet<number>): { near: ViewSnapshot } {
  const fit = fitRect(0, 0, scene.width, scene.height, RECT.width, RECT.height);
  const selected = Array.from(scene.kind).findIndex((k) => k === 0);
  const views: Viewport[] = [fit, { k: 0.7, tx: 20, ty: -40 }, { k: 1.3, tx: -scene.width * 0.3, ty: -10 }];
  let near: ViewSnapshot | null = null;
  let texts = 0;
  for (const view of views) {
    const snapshot = decodeSnapshot(encodeSnapshot(takeSnapshot({ scene, edgeBounds: edgeBoundsOf(scene) }, payload, problems, selected, view, RECT, PAGE)));
    assert.ok(snapshot, 'the text form decodes');
    assert.deepEqual(snapshot.viewport, view);
    assert.deepEqual(snapshot.rect, RECT);
    const whole = draw(scene, payload, problems, selected, view);
    texts += whole.filter((c) => c.startsWith('fillText(')).length;
    assert.deepEqual(draw(snapshot.scene, snapshot.labels, new Set(snapshot.problemItems), snapshot.selectedItem, view), whole, `k=${view.k}`);
    near = snapshot;
  }
  assert.ok(texts > 0, 'labels are drawn');
  return { near: near! };
}

describe("a model's view, kept for a new page to draw at once (viewSnapshot.ts)", () => {
  const cases: [string, () => GraphPayload][] = [
    ['a generated 20k-node transformer (collapsed groups)', () => asPosted(transformerPayload(20000))],
    ['DenseNet-121', () => asPosted(payloadFromFile(path.join(LIGHT_MODELS, 'light_densenet121.onnx')))],
  ];
  for (const [name, load] of cases) {
    it(`${name}: the snapshot, through its text form, draws exactly what the whole graph draws, far, mid and near`, function () {
      this.timeout(120_000);
      const payload = load();
      const { scene, problems } = firstView(payload);
      assertDrawsTheSame(payload, scene, problems);
    });
  }

  it('keeps only what is on screen of a large expanded view, and draws the same', function () {
    this.timeout(120_000);
    const payload = asPosted(transformerPayload(20000));
    const h = buildHierarchy(payload);
    const scene = computeScene(payload, h, defaultExpanded(h, 4000));
    const problems = new SceneItems(scene, payload, h, problemNodes(payload)).problemItems;
    const kept = assertDrawsTheSame(payload, scene, problems);
    assert.ok(scene.itemCount > 1000, `a large view (${scene.itemCount} items)`);
    assert.ok(kept.near.scene.itemCount < scene.itemCount / 10, `close up, ${kept.near.scene.itemCount} of ${scene.itemCount} items kept`);
    assert.ok(kept.near.scene.edgeCount < scene.edgeCount / 10, `close up, ${kept.near.scene.edgeCount} of ${scene.edgeCount} edges kept`);
  });

  it('is drawn only into a page of the size it was taken in', () => {
    const { scene, problems } = firstView(asPosted(transformerPayload(20000)));
    const snapshot = takeSnapshot({ scene, edgeBounds: edgeBoundsOf(scene) }, asPosted(transformerPayload(20000)), problems, -1, { k: 1, tx: 0, ty: 0 }, { left: 0, top: 35, width: 900, height: 700 }, { width: 1280, height: 800 });
    assert.equal(fitsPage(snapshot, { width: 1280, height: 800 }), true);
    assert.equal(fitsPage(snapshot, { width: 1280.3, height: 799.8 }), true, 'to the CSS pixel');
    assert.equal(fitsPage(snapshot, { width: 1000, height: 800 }), false);
    assert.equal(fitsPage({ ...snapshot, rect: { ...snapshot.rect, width: 0 } }, { width: 1280, height: 800 }), false, 'a canvas that was not shown');
  });

  it('reads back damaged or foreign text as no snapshot', () => {
    const { scene, problems } = firstView(asPosted(transformerPayload(20000)));
    const text = encodeSnapshot(takeSnapshot({ scene, edgeBounds: edgeBoundsOf(scene) }, asPosted(transformerPayload(20000)), problems, -1, { k: 1, tx: 0, ty: 0 }, RECT, PAGE));
    assert.equal(decodeSnapshot(text.slice(0, text.length - 5)), null, 'cut short');
    assert.equal(decodeSnapshot('{"scene":{}}'), null, 'not a snapshot');
    const raw = JSON.parse(text) as { scene: { x: number[] } };
    raw.scene.x.pop();
    assert.equal(decodeSnapshot(JSON.stringify(raw)), null, 'an array that disagrees with the item count');
    const selection = JSON.parse(text) as { selectedItem: number; scene: { itemCount: number } };
    selection.selectedItem = selection.scene.itemCount;
    assert.equal(decodeSnapshot(JSON.stringify(selection)), null, 'a selected item past the scene');
  });

  for (const [name, load] of cases) {
    it(`${name}: a first open's first view, laid out by the analysis process, through its text form, draws what the graph view's first frame draws`, function () {
      this.timeout(120_000);
      const payload = load();
      const view = decodeFirstView(encodeFirstView(layOutFirstView(payload)));
      assert.ok(view);
      const { scene, problems } = firstView(payload);
      const viewport = initialViewOf(scene, RECT.width, RECT.height);
      assert.deepEqual(initialViewOf(view.scene, RECT.width, RECT.height), viewport);
      const whole = draw(scene, payload, problems, -1, viewport);
      assert.ok(whole.some((c) => c.startsWith('fillText(')), 'labels are drawn');
      assert.deepEqual(draw(view.scene, view.labels, new Set(view.problemItems), -1, viewport), whole);
    });
  }
});

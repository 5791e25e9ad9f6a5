import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { decodeGraphPayload, encodeGraphPayload } from '../../../src/shared/payloadCodec';
import type { GraphPayload } from '../../../src/shared/graphPayload';
import { computeScene } from '../../../webview/graph/computeScene';
import { decodeSnapshot, encodeSnapshot, fitsPage, takeSnapshot } from '../../../webview/graph/viewSnapshot';
import { buildHierarchy, initialExpanded } from '../../../webview/graph/hierarchy';
import { drawScene, prepareScene } from '../../../webview/graph/render/renderer';
import type { RenderLabels } from '../../../webview/graph/render/renderLabels';
import type { GraphTheme } from '../../../webview/graph/render/theme';
import { fitRect, type Viewport } from '../../../webview/graph/render/viewport';
import type { Scene } from '../../../webview/graph/scene';
import { problemNodes, SceneItems } from '../../../webview/graph/sceneItems';
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
      const rect = { left: 0, top: 35, width: 900, height: 700 };
      const fit = fitRect(0, 0, scene.width, scene.height, 900, 700);
      // A node selected (its outline drawn), as a saved view may have it.
      const selected = Array.from(scene.kind).findIndex((k) => k === 0);
      const snapshot = decodeSnapshot(encodeSnapshot(takeSnapshot(scene, payload, problems, selected, fit, rect, { width: 1280, height: 800 })));
      assert.ok(snapshot, 'the text form decodes');
      assert.equal(snapshot.selectedItem, selected);
      assert.ok(snapshot.labels.nodeNames.length < payload.nodeCount || payload.nodeCount < 2000, 'only what the view shows is kept');
      const views: Viewport[] = [fit, { k: 0.7, tx: 20, ty: -40 }, { k: 1.3, tx: -scene.width * 0.3, ty: -10 }];
      for (const view of views) {
        const whole = draw(scene, payload, problems, selected, view);
        assert.ok(whole.some((c) => c.startsWith('fillText(')), `text is drawn at k=${view.k}`);
        assert.deepEqual(draw(snapshot.scene, snapshot.labels, new Set(snapshot.problemItems), snapshot.selectedItem, view), whole, `k=${view.k}`);
      }
      assert.deepEqual(snapshot.viewport, fit);
      assert.deepEqual(snapshot.rect, rect);
    });
  }

  it('is drawn only into a page of the size it was taken in', () => {
    const { scene, problems } = firstView(asPosted(transformerPayload(20000)));
    const snapshot = takeSnapshot(scene, asPosted(transformerPayload(20000)), problems, -1, { k: 1, tx: 0, ty: 0 }, { left: 0, top: 35, width: 900, height: 700 }, { width: 1280, height: 800 });
    assert.equal(fitsPage(snapshot, { width: 1280, height: 800 }), true);
    assert.equal(fitsPage(snapshot, { width: 1280.3, height: 799.8 }), true, 'to the CSS pixel');
    assert.equal(fitsPage(snapshot, { width: 1000, height: 800 }), false);
    assert.equal(fitsPage({ ...snapshot, rect: { ...snapshot.rect, width: 0 } }, { width: 1280, height: 800 }), false, 'a canvas that was not shown');
  });

  it('reads back damaged or foreign text as no snapshot', () => {
    const { scene, problems } = firstView(asPosted(transformerPayload(20000)));
    const text = encodeSnapshot(takeSnapshot(scene, asPosted(transformerPayload(20000)), problems, -1, { k: 1, tx: 0, ty: 0 }, { left: 0, top: 0, width: 10, height: 10 }, { width: 10, height: 10 }));
    assert.equal(decodeSnapshot(text.slice(0, text.length - 5)), null, 'cut short');
    assert.equal(decodeSnapshot('{"scene":{}}'), null, 'not a snapshot');
    const raw = JSON.parse(text) as { scene: { x: number[] } };
    raw.scene.x.pop();
    assert.equal(decodeSnapshot(JSON.stringify(raw)), null, 'an array that disagrees with the item count');
    const selection = JSON.parse(text) as { selectedItem: number; scene: { itemCount: number } };
    selection.selectedItem = selection.scene.itemCount;
    assert.equal(decodeSnapshot(JSON.stringify(selection)), null, 'a selected item past the scene');
  });
});

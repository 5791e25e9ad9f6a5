/**
 * The graph view's own measurements, on `window.__onnxLensPerf` for benchmarks and end-to-end
 * tests: draw time of recent frames, frame intervals while the user pans or zooms, first paint,
 * layouts, and the open timeline (src/shared/openTimeline.ts).
 */
import type { OpenTimeline } from '../../src/shared/openTimeline';

const SAMPLES = 600;

export interface PerfRecord {
  frames: number[];
  intervals: number[];
  firstPaintMs: number | null;
  /** performance.now() when the first frame was drawn (benchmarks measure from the graph message). */
  firstPaintAt: number | null;
  /** `ahead`: the worker had started on it before it was asked for (the first view). */
  layouts: { ms: number; source: string; items: number; ahead: boolean }[];
  /** How this graph got here, click to first frame (src/shared/openTimeline.ts). */
  timeline: OpenTimeline;
}

declare global {
  interface Window {
    __onnxLensPerf?: PerfRecord;
  }
}

export function newPerfRecord(timeline: OpenTimeline): PerfRecord {
  const perf: PerfRecord = { frames: [], intervals: [], firstPaintMs: null, firstPaintAt: null, layouts: [], timeline: { ...timeline } };
  window.__onnxLensPerf = perf;
  return perf;
}

/** Appends a sample, keeping the last few hundred. */
export function pushSample(list: number[], value: number): void {
  list.push(value);
  if (list.length > SAMPLES) list.splice(0, list.length - SAMPLES);
}

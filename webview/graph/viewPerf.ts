/**
 * The graph view's own measurements, on `window.__onnxLensPerf` for benchmarks and end-to-end
 * tests: draw time of recent frames, frame intervals while the user pans or zooms, first paint,
 * layouts, and the open timeline (src/shared/openTimeline.ts).
 */
import type { OpenMarks, OpenTimeline, PagePhase } from '../../src/shared/openTimeline';
import { clockNow } from '../../src/shared/openTimeline';
import { hostClock } from '../shell/hostChannel';

const SAMPLES = 600;

export interface PerfRecord {
  frames: number[];
  intervals: number[];
  firstPaintMs: number | null;
  /** performance.now() when the first frame was drawn (benchmarks measure from the graph message). */
  firstPaintAt: number | null;
  layouts: { ms: number; source: string; items: number }[];
  /** How this graph got here, click to first frame, every mark on the host's clock (src/shared/openTimeline.ts). */
  readonly timeline: OpenTimeline;
  /** Stamps a phase of the page's, on its own clock, unless it was stamped already. */
  mark(phase: PagePhase): void;
}

declare global {
  interface Window {
    __onnxLensPerf?: PerfRecord;
  }
}

export function newPerfRecord(marks: OpenMarks): PerfRecord {
  const page = { ...marks.page };
  const perf: PerfRecord = {
    frames: [],
    intervals: [],
    firstPaintMs: null,
    firstPaintAt: null,
    layouts: [],
    // The page's marks go on the host's clock when read, with the best offset known by then.
    get timeline(): OpenTimeline {
      const converted = Object.entries(page).map(([phase, at]) => [phase, hostClock.at(at)]);
      return { ...marks.host, ...Object.fromEntries(converted) };
    },
    mark(phase) {
      page[phase] ??= clockNow();
    },
  };
  window.__onnxLensPerf = perf;
  return perf;
}

/** Appends a sample, keeping the last few hundred. */
export function pushSample(list: number[], value: number): void {
  list.push(value);
  if (list.length > SAMPLES) list.splice(0, list.length - SAMPLES);
}

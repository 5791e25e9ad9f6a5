/**
 * Image explanations in the runtime process: occlusion and RISE maps, KernelSHAP and LIME over SLIC
 * superpixels (each superpixel's value painted over its pixels), each with Adebayo et al.'s sanity
 * check — the same method on the model with its last layer randomised, Spearman-correlated.
 */
import type { BlackBox, ExplainControl } from '../../../core/explain/blackBox';
import { kernelShap } from '../../../core/explain/kernelShap';
import { limeImage } from '../../../core/explain/lime';
import { imageMasker, segmentMeanImage, type ImageLayout } from '../../../core/explain/maskers';
import { occlusion } from '../../../core/explain/occlusion';
import { rise } from '../../../core/explain/rise';
import { slic } from '../../../core/explain/slic';
import type { ExplainRequest } from '../../../shared/explainReport';
import type { MethodOutcome } from './tabular';
import type { Sample } from './sample';

export interface ImageMap {
  map: Float64Array;
  outcome: MethodOutcome;
}

/** `prediction`: the model's score for the target on the sample, already run once by the caller. */
export async function explainImage(req: ExplainRequest, box: BlackBox, sample: Sample, target: number, prediction: number, control: ExplainControl, segmentsCache: { labels?: Int32Array; count?: number } = {}): Promise<ImageMap> {
  const image = sample.inputs.get(sample.input.name)!.data as Float32Array;
  const layout = sample.layout as ImageLayout;
  const seed = req.seed ?? 0;
  if (req.method === 'occlusion' || req.method === 'rise') {
    const r = req.method === 'occlusion'
      ? await occlusion(box, image, layout, target, { window: req.window, stride: req.stride, baseline: req.baseline, prediction }, control)
      : await rise(box, image, layout, target, { masks: req.masks ?? req.samples, baseline: req.baseline, seed, prediction }, control);
    // The caller's run of the sample counts too.
    return { map: r.map, outcome: { prediction: r.prediction, attributions: { shape: [r.height, r.width], values: Array.from(r.map) }, samples: r.evaluations, evaluations: r.evaluations + 1 } };
  }
  if (!segmentsCache.labels) {
    const s = slic(sample.pixels!.data, layout.width, layout.height, sample.pixels!.channels, { segments: req.segments ?? 50 });
    segmentsCache.labels = s.labels;
    segmentsCache.count = s.count;
  }
  const segments = segmentsCache.labels;
  const count = segmentsCache.count!;
  const masker = imageMasker(image, segmentMeanImage(image, layout, segments, count), layout, segments, count);
  const paint = (values: Float64Array) => Float64Array.from(segments, (s) => values[s]);
  const attributions = (values: Float64Array) => ({ shape: [layout.height, layout.width] as [number, number], values: Array.from(paint(values)), superpixels: count });
  if (req.method === 'kernelshap') {
    const r = await kernelShap(box, masker, target, { samples: req.samples, seed }, control);
    const sum = r.values.reduce((a, b) => a + b, 0);
    return {
      map: paint(r.values),
      outcome: {
        prediction: r.prediction, expected: r.expected, attributions: attributions(r.values), efficiency: { sum, gap: r.efficiencyGap, exact: r.exact },
        samples: r.coalitions, evaluations: r.evaluations, notes: [`${count} SLIC superpixels; a hidden superpixel takes its mean colour.`],
      },
    };
  }
  const r = await limeImage(box, masker, target, { samples: req.samples, seed }, control);
  return {
    map: paint(r.values),
    outcome: {
      prediction: r.prediction, expected: r.intercept, attributions: attributions(r.values), localModel: { score: r.score, prediction: r.localPrediction, intercept: r.intercept },
      samples: r.samples, evaluations: r.evaluations, notes: [`${count} SLIC superpixels; a hidden superpixel takes its mean colour.`],
    },
  };
}
